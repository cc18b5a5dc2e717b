// Opens a service order: validates customer (in the actor's data scope), type and assignees, chooses the
// SLA policy by rule, computes due times, numbers the order, records events and the audit entry.
// With an Idempotency-Key, a retry with the same body answers the stored response and creates nothing;
// the same key with a different body (or by another user) is a 409 `idempotency_key_reused`.
import crypto from 'node:crypto';
import { and, eq, sql, type Placeholder, type SQL } from 'drizzle-orm';
import { isServerPool, PreparedByShape, rows, type Db } from '../db/open.ts';
import { audit, auditRow } from '../platform/audit.ts';
import { auditLog } from '../platform/tables.ts';
import { assertCan, type Ctx } from '../platform/context.ts';
import { Conflict, Invalid, type KeyedFieldError, fieldError } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import { findCustomerInScope } from '../customers/get-customer.ts';
import { escalateComplaintIfNeeded, mustEscalateComplaint } from './escalate-complaint.ts';
import { choosePolicyForCustomer } from './tier-policy.ts';
import { createServiceOrderInput, type CreateServiceOrderInput, type ServiceOrderOutput } from './schemas.ts';
import {
  checkAssignees,
  checkServiceType,
  eventRows,
  presentServiceOrder,
  recordEvents,
  slaColumns,
  slaTimesFor,
} from './service-order-store.ts';
import { idempotencyKeys, serviceOrderEvents, serviceOrders } from './tables.ts';

type Input = ReturnType<typeof createServiceOrderInput.parse>;

/** Complaint fields belong to complaints; compensation needs its currency. */
export function complaintFieldErrors(type: string, f: Pick<Input, 'severity' | 'rootCause' | 'compensationMinor' | 'compensationCurrency'>): KeyedFieldError[] {
  const errors: KeyedFieldError[] = [];
  if (type !== 'complaint') {
    for (const k of ['severity', 'rootCause', 'compensationMinor', 'compensationCurrency'] as const) {
      if (f[k] !== undefined && f[k] !== null) errors.push(fieldError(k, 'complaint_only', 'field.service.complaint_only', { field: k }));
    }
  }
  if ((f.compensationMinor ?? null) !== null && !f.compensationCurrency) {
    errors.push(fieldError('compensationCurrency', 'required', 'field.service.compensation_currency'));
  }
  return errors;
}

/**
 * The next number of the organization for the year, e.g. SO-2026-000123. Taken in its own short
 * statement (not the create's transaction) so concurrent creates do not queue on the counter row
 * for a whole transaction; a failed create leaves a gap, as a sequence would.
 *
 * On a server the statement commits without waiting for its WAL to reach the disk
 * (synchronous_commit off for this one transaction). Every create of the organization passes
 * through this one row, and waiting for the flush while holding its lock made the creates queue
 * behind each other's disk writes (and behind a lock holder the CPU had descheduled). It loses
 * nothing: the order that uses the number commits synchronously afterwards, and its flush writes
 * all WAL before it, the counter's included. A crash can only forget increments whose orders never
 * committed, so no number is ever handed out twice.
 */
export async function nextServiceOrderNumber(db: Db, orgId: string, year: number): Promise<string> {
  const [row] = await rows<{ last: number }>(
    db,
    isServerPool(db)
      ? sql`WITH async AS (SELECT set_config('synchronous_commit', 'off', true))
          INSERT INTO service_order_counters (org_id, year, last) SELECT ${orgId}, ${year}, 1 FROM async
          ON CONFLICT (org_id, year) DO UPDATE SET last = service_order_counters.last + 1 RETURNING last`
      : sql`INSERT INTO service_order_counters (org_id, year, last) VALUES (${orgId}, ${year}, 1)
          ON CONFLICT (org_id, year) DO UPDATE SET last = service_order_counters.last + 1 RETURNING last`,
  );
  return `SO-${year}-${String(row.last).padStart(6, '0')}`;
}

const createStatements = new PreparedByShape<typeof serviceOrders.$inferSelect>('so_create');

/**
 * The row with a named placeholder (`tag_column`) for each value it sets, the values added to
 * `params`; a null is written as NULL (a placeholder's value goes through the column's encoder,
 * which does not take null), so the names of the params tell the statement's shape.
 */
function bind<T extends Record<string, unknown>>(tag: string, row: T, params: Record<string, unknown>): { [K in keyof T]: Placeholder | SQL } {
  const out: Record<string, Placeholder | SQL> = {};
  for (const [k, v] of Object.entries(row)) {
    if (v === undefined) continue; // the column's default, as the query builder does
    if (v === null) {
      out[k] = sql`NULL`;
      continue;
    }
    out[k] = sql.placeholder(`${tag}_${k}`);
    params[`${tag}_${k}`] = v;
  }
  return out as { [K in keyof T]: Placeholder | SQL };
}

function requestHash(userId: string | null, input: Input): string {
  return crypto.createHash('sha256').update(JSON.stringify([userId, input])).digest('hex');
}

export async function createServiceOrder(ctx: Ctx, raw: CreateServiceOrderInput, opts: { idempotencyKey?: string } = {}): Promise<ServiceOrderOutput> {
  assertCan(ctx.actor, 'service.write');
  const input = createServiceOrderInput.parse(raw);
  const key = opts.idempotencyKey?.trim();
  if (key !== undefined && (key.length === 0 || key.length > 200)) {
    throw new Invalid([fieldError('Idempotency-Key', 'invalid_idempotency_key', 'field.service.idempotency_key')]);
  }
  const hash = key ? requestHash(ctx.actor.userId, input) : '';
  const orgId = ctx.actor.orgId;

  // A replay answers before spending a number.
  if (key) {
    const [seen] = await ctx.db.select().from(idempotencyKeys).where(and(eq(idempotencyKeys.orgId, orgId), eq(idempotencyKeys.key, key)));
    if (seen?.response) {
      if (seen.requestHash !== hash) throw new Conflict('error.idempotency_key_reused');
      return seen.response as ServiceOrderOutput;
    }
  }

  const now = ctx.now();
  // Validation and the SLA policy first, on the pool: plain reads, which took no locks inside the
  // transaction either. An order refused here spends no number.
  const { row: customer } = await findCustomerInScope(ctx, input.customerId);
  const errors = [
    ...(await checkServiceType(ctx.db, orgId, input.type)),
    ...(await checkAssignees(ctx.db, orgId, { userId: input.assigneeUserId, teamId: input.assigneeTeamId })),
    ...complaintFieldErrors(input.type, input),
  ];
  if (errors.length) throw new Invalid(errors);
  const policy = await choosePolicyForCustomer(ctx.db, orgId, { type: input.type, priority: input.priority, customerId: input.customerId, customerTags: customer.tags });
  const times = await slaTimesFor(ctx, ctx.db, policy, now, []);

  const number = await nextServiceOrderNumber(ctx.db, orgId, now.getUTCFullYear());
  const assigned = Boolean(input.assigneeUserId || input.assigneeTeamId || input.queue);
  const id = newId();
  const severity = input.type === 'complaint' ? (input.severity ?? 'medium') : null;
  const values: typeof serviceOrders.$inferInsert = {
    id,
    orgId,
    number,
    type: input.type,
    customerId: input.customerId,
    orderId: input.orderId ?? null,
    orderLineId: input.orderLineId ?? null,
    productId: input.productId ?? null,
    channel: input.channel,
    category: input.category ?? null,
    priority: input.priority,
    title: input.title,
    description: input.description,
    assigneeUserId: input.assigneeUserId ?? null,
    assigneeTeamId: input.assigneeTeamId ?? null,
    queue: input.queue ?? null,
    status: assigned ? 'assigned' : 'new',
    slaPolicyId: policy?.id ?? null,
    ...slaColumns(times, false),
    severity,
    rootCause: input.rootCause ?? null,
    compensationMinor: input.compensationMinor ?? null,
    compensationCurrency: input.compensationCurrency ?? null,
    version: 1,
    createdBy: ctx.actor.userId,
    createdAt: now,
    updatedAt: now,
  };
  const events = [
    { kind: 'created' as const, data: { title: values.title, type: values.type, priority: values.priority, channel: values.channel, slaPolicyId: values.slaPolicyId } },
    ...(assigned ? [{ kind: 'assigned' as const, data: { assigneeUserId: values.assigneeUserId, assigneeTeamId: values.assigneeTeamId, queue: values.queue } }] : []),
  ];
  const auditEntry = {
    action: 'service_order.create',
    entityType: 'service_order',
    entityId: id,
    data: { number, type: values.type, customerId: values.customerId, priority: values.priority, slaPolicyId: values.slaPolicyId, idempotencyKey: key ?? null },
  };

  if (!key && !mustEscalateComplaint({ type: values.type, severity })) {
    // The common case: the order, its events and the audit entry in one statement (data-modifying
    // CTEs), atomic without a transaction's BEGIN and COMMIT round trips.
    // A prepared statement per shape of the rows: building this 60-parameter statement with the
    // query builder on every create cost more CPU than PostgreSQL spent running it.
    const params: Record<string, unknown> = {};
    const so = bind('so', values, params);
    const evs = eventRows(ctx, { id, customerId: values.customerId, number }, events, now).map((e, i) => bind(`ev${i}`, e, params));
    const au = bind('au', auditRow(ctx, auditEntry), params);
    const statement = createStatements.get(ctx.db, Object.keys(params).join(','), () => {
      const evCte = ctx.db.$with('ev', {}).as(ctx.db.insert(serviceOrderEvents).values(evs).getSQL());
      const auCte = ctx.db.$with('au', {}).as(ctx.db.insert(auditLog).values(au).getSQL());
      return ctx.db.with(evCte, auCte).insert(serviceOrders).values(so).returning();
    });
    const [row] = await statement.execute(params);
    return presentServiceOrder(row);
  }

  return ctx.db.transaction(async (tx) => {
    if (key) {
      // Claim the key; a concurrent request with the same key waits here until the first commits.
      const claimed = await tx
        .insert(idempotencyKeys)
        .values({ orgId, key, requestHash: hash, response: null, createdAt: now })
        .onConflictDoNothing()
        .returning({ key: idempotencyKeys.key });
      if (!claimed.length) {
        const [seen] = await tx.select().from(idempotencyKeys).where(and(eq(idempotencyKeys.orgId, orgId), eq(idempotencyKeys.key, key)));
        if (!seen || seen.requestHash !== hash || !seen.response) throw new Conflict('error.idempotency_key_reused');
        return seen.response as ServiceOrderOutput;
      }
    }
    const [row] = await tx.insert(serviceOrders).values(values).returning();
    await recordEvents(ctx, tx, row, events, now);
    const final = await escalateComplaintIfNeeded(ctx, tx, row);
    await audit(ctx, auditEntry, tx);
    const out = presentServiceOrder(final);
    if (key) await tx.update(idempotencyKeys).set({ response: out }).where(and(eq(idempotencyKeys.orgId, orgId), eq(idempotencyKeys.key, key)));
    return out;
  });
}
