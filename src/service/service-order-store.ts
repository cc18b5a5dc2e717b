// Shared by the service order use cases: data scope, loading one order, presenting it, writing events,
// validating assignees and types, and the SLA due times of an order (policy + calendar + pauses).
import { and, eq, sql, type SQL } from 'drizzle-orm';
import { PreparedByShape, type Db } from '../db/open.ts';
import { customerScope, type Actor, type Ctx } from '../platform/context.ts';
import { NotFound, type KeyedFieldError, fieldError } from '../platform/errors.ts';
import { isUuid, newId } from '../platform/ids.ts';
import { teams, users } from '../platform/tables.ts';
import { customerScopeCondition } from '../customers/scope.ts';
import { customers } from '../customers/tables.ts';
import { getBusinessCalendar } from './calendar/get-business-calendar.ts';
import { ALWAYS_OPEN, businessMinutesBetween } from './model/business-calendar.ts';
import type { Pause } from './model/sla-clock.ts';
import { choosePolicy, nextDueAt, noSlaTimes, slaTimes, type PolicyFacts, type SlaTimes } from './model/sla-policy.ts';
import { allowedTransitions } from './model/workflow.ts';
import './messages.ts';
import type { ServiceOrderOutput } from './schemas.ts';
import { builtinServiceTypes, serviceOrderEvents, serviceOrders, serviceTypes, slaPolicies, type SlaState } from './tables.ts';

export type ServiceOrderRow = typeof serviceOrders.$inferSelect;
export type SlaPolicyRow = typeof slaPolicies.$inferSelect;

/**
 * 数据权限 for service orders: the organization, and for territory-scoped roles (customer managers)
 * only orders of customers in their territories (the customer scope, reused).
 */
export function serviceOrderScopeCondition(actor: Actor): SQL {
  const org = eq(serviceOrders.orgId, actor.orgId);
  if (customerScope(actor) === 'all') return org;
  return and(org, sql`${serviceOrders.customerId} IN (SELECT ${customers.id} FROM ${customers} WHERE ${customerScopeCondition(actor)})`)!;
}

export async function findServiceOrderInScope(ctx: Ctx, id: string, opts: { db?: Db; forUpdate?: boolean } = {}): Promise<ServiceOrderRow> {
  if (!isUuid(id)) throw new NotFound('service_order');
  const db = opts.db ?? ctx.db;
  const q = db.select().from(serviceOrders).where(and(serviceOrderScopeCondition(ctx.actor), eq(serviceOrders.id, id)));
  const [row] = opts.forUpdate ? await q.for('update', { of: serviceOrders }) : await q;
  if (!row) throw new NotFound('service_order');
  return row;
}

const isoOrNull = (d: Date | null): string | null => (d ? d.toISOString() : null);

export function presentServiceOrder(r: ServiceOrderRow): ServiceOrderOutput {
  return {
    id: r.id,
    number: r.number,
    type: r.type,
    customerId: r.customerId,
    orderId: r.orderId,
    orderLineId: r.orderLineId,
    productId: r.productId,
    channel: r.channel,
    category: r.category,
    priority: r.priority,
    title: r.title,
    description: r.description,
    assigneeUserId: r.assigneeUserId,
    assigneeTeamId: r.assigneeTeamId,
    queue: r.queue,
    status: r.status,
    allowedTransitions: [...allowedTransitions(r.status)],
    slaPolicyId: r.slaPolicyId,
    firstResponseDueAt: isoOrNull(r.firstResponseDueAt),
    resolutionDueAt: isoOrNull(r.resolutionDueAt),
    firstRespondedAt: isoOrNull(r.firstRespondedAt),
    resolvedAt: isoOrNull(r.resolvedAt),
    closedAt: isoOrNull(r.closedAt),
    firstResponseSlaState: r.firstResponseSlaState,
    resolutionSlaState: r.resolutionSlaState,
    slaState: r.slaState,
    nextDueAt: isoOrNull(r.nextDueAt),
    pausedSince: isoOrNull(r.pausedSince),
    pausedMinutes: r.pausedMinutes,
    resolution: r.resolution,
    firstContactResolved: r.firstContactResolved,
    customerConfirmed: r.customerConfirmed,
    satisfaction: r.satisfaction,
    severity: r.severity,
    rootCause: r.rootCause,
    compensationMinor: r.compensationMinor,
    compensationCurrency: r.compensationCurrency,
    version: r.version,
    createdBy: r.createdBy,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}

export type ServiceEventKind =
  | 'created'
  | 'assigned'
  | 'transition'
  | 'reopened'
  | 'updated'
  | 'sla_at_risk'
  | 'sla_breached'
  | 'escalated'
  | 'comment'
  | 'callback_scheduled'
  | 'callback_outcome';

/** One event on the order's and the customer's timeline (the order number rides along for summaries). */
export async function recordEvent(
  ctx: Ctx,
  db: Db,
  order: Pick<ServiceOrderRow, 'id' | 'customerId' | 'number'>,
  kind: ServiceEventKind,
  data: Record<string, unknown>,
  at: Date = ctx.now(),
): Promise<void> {
  await recordEvents(ctx, db, order, [{ kind, data }], at);
}

/** Several events at once (one statement), in this order. */
export async function recordEvents(
  ctx: Ctx,
  db: Db,
  order: Pick<ServiceOrderRow, 'id' | 'customerId' | 'number'>,
  events: { kind: ServiceEventKind; data: Record<string, unknown> }[],
  at: Date = ctx.now(),
): Promise<void> {
  if (!events.length) return;
  await db.insert(serviceOrderEvents).values(eventRows(ctx, order, events, at));
}

/** The rows recordEvents writes (for a caller that writes them inside a statement of its own). */
export function eventRows(
  ctx: Ctx,
  order: Pick<ServiceOrderRow, 'id' | 'customerId' | 'number'>,
  events: { kind: ServiceEventKind; data: Record<string, unknown> }[],
  at: Date,
): (typeof serviceOrderEvents.$inferInsert)[] {
  return events.map((e) => ({
    id: newId(),
    orgId: ctx.actor.orgId,
    serviceOrderId: order.id,
    customerId: order.customerId,
    kind: e.kind,
    actorId: ctx.actor.userId,
    data: { number: order.number, ...e.data },
    at,
  }));
}

/** Assignees must belong to the organization. */
export async function checkAssignees(db: Db, orgId: string, a: { userId?: string | null; teamId?: string | null }): Promise<KeyedFieldError[]> {
  const errors: KeyedFieldError[] = [];
  if (a.userId) {
    const [u] = await db.select({ id: users.id }).from(users).where(and(eq(users.orgId, orgId), eq(users.id, a.userId), eq(users.active, true)));
    if (!u) errors.push(fieldError('assigneeUserId', 'unknown_user', 'field.unknown_user'));
  }
  if (a.teamId) {
    const [t] = await db.select({ id: teams.id }).from(teams).where(and(eq(teams.orgId, orgId), eq(teams.id, a.teamId)));
    if (!t) errors.push(fieldError('assigneeTeamId', 'unknown_team', 'field.unknown_team'));
  }
  return errors;
}

/** Built-in types need no row; custom ones must exist and be active. */
export async function checkServiceType(db: Db, orgId: string, type: string): Promise<KeyedFieldError[]> {
  if ((builtinServiceTypes as readonly string[]).includes(type)) return [];
  const [row] = await db.select({ active: serviceTypes.active }).from(serviceTypes).where(and(eq(serviceTypes.orgId, orgId), eq(serviceTypes.key, type)));
  return row?.active ? [] : [fieldError('type', 'unknown_type', 'field.service.unknown_type', { type })];
}

export async function choosePolicyFor(db: Db, orgId: string, facts: PolicyFacts): Promise<SlaPolicyRow | null> {
  // An organization has a handful of policies: choose among them in the pure model.
  const policies = await activePolicies
    .get(db, 'active', () => db.select().from(slaPolicies).where(and(eq(slaPolicies.orgId, sql.placeholder('orgId')), eq(slaPolicies.active, true))))
    .execute({ orgId });
  return choosePolicy(policies, facts);
}

/** Every create and every priority change reads them: prepared once. */
const activePolicies = new PreparedByShape<SlaPolicyRow>('sla_policies_active');

export function pausesOf(r: Pick<ServiceOrderRow, 'pauses'>): Pause[] {
  return r.pauses.map((p) => ({ from: new Date(p.from), to: p.to ? new Date(p.to) : null }));
}

/** `since`: the clock's start, so an order opened before last year still sees that year's holidays. */
async function calendarOf(ctx: Ctx, db: Db, policy: SlaPolicyRow, since?: Date) {
  return policy.calendar === '24x7' ? ALWAYS_OPEN : getBusinessCalendar(ctx, { calendarId: policy.calendarId ?? undefined, db, since });
}

/** Due and at-risk times of an order under a policy (or none without one), counting every closed pause. */
export async function slaTimesFor(ctx: Ctx, db: Db, policy: SlaPolicyRow | null, start: Date, pauses: Pause[]): Promise<SlaTimes> {
  if (!policy) return noSlaTimes;
  return slaTimes(await calendarOf(ctx, db, policy, start), start, policy, pauses);
}

/** Minutes a pause lasted on the policy's clock (wall minutes without a policy). */
export async function pauseMinutes(ctx: Ctx, db: Db, policy: SlaPolicyRow | null, from: Date, to: Date): Promise<number> {
  const cal = policy ? await calendarOf(ctx, db, policy, from) : ALWAYS_OPEN;
  return Math.round(businessMinutesBetween(cal, from, to));
}

const stateRank: Record<SlaState, number> = { ok: 0, at_risk: 1, breached: 2 };
export function worseState(a: SlaState, b: SlaState): SlaState {
  return stateRank[a] >= stateRank[b] ? a : b;
}

/** What the at-risk and breached views show: the worse state among targets still pending (resolution always). */
export function overallSlaState(firstResponse: SlaState, resolution: SlaState, firstResponded: boolean): SlaState {
  return worseState(firstResponded ? 'ok' : firstResponse, resolution);
}

/** The columns derived from SLA times: the times themselves and the next due time. */
export function slaColumns(times: SlaTimes, firstResponded: boolean) {
  return { ...times, nextDueAt: nextDueAt(times, firstResponded) };
}

/** Recomputed times, except that a first response already given keeps the target it was measured against. */
export function keepMetTargets(row: Pick<ServiceOrderRow, 'firstRespondedAt' | 'firstResponseDueAt' | 'firstResponseAtRiskAt'>, times: SlaTimes): SlaTimes {
  if (!row.firstRespondedAt) return times;
  return { ...times, firstResponseDueAt: row.firstResponseDueAt, firstResponseAtRiskAt: row.firstResponseAtRiskAt };
}
