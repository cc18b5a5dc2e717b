// Service order lists: the work views (mine, team, unassigned, at-risk, breached: open orders sorted
// by the next due time, NULLS LAST, served by the partial indexes in tables.ts) and the general list
// (newest first), with filters, data scope and keyset paging. No total count.
import { and, asc, desc, eq, sql, type SQLWrapper } from 'drizzle-orm';
import { PreparedByShape } from '../db/open.ts';
import { JsonText } from '../http/json-text.ts';
import { assertCan, customerScope, type Actor, type Ctx } from '../platform/context.ts';
import { Invalid, fieldError } from '../platform/errors.ts';
import { isUuid } from '../platform/ids.ts';
import { users } from '../platform/tables.ts';
import { decodeCursor, encodeCursor, TIMESTAMP_TEXT } from '../customers/cursor.ts';
import { iso, type Bind, type CondSpec } from '../customers/list-customers.ts';
import { customerScopeSpec } from '../customers/scope.ts';
import { customers } from '../customers/tables.ts';
import { allowedTransitions } from './model/workflow.ts';
import { listServiceOrdersQuery, type ListServiceOrdersQuery, type ServiceOrderOutput } from './schemas.ts';
import { serviceOrders } from './tables.ts';

const badCursor = () => new Invalid([fieldError('cursor', 'bad_cursor', 'field.bad_cursor')], 'error.bad_cursor');

/** `status IN (open…)` written exactly as the partial indexes' predicate. */
export const openCondition = sql.raw(`"service_orders"."status" IN ('new','assigned','in_progress','waiting_on_customer')`);

/** A condition of the list: `key` names its shape, `values` its parameters (see CondSpec in list-customers.ts). */
type Cond = Omit<CondSpec, 'values' | 'branches'> & { values?: Record<string, unknown> };

/**
 * One page of service orders as the response's JSON text, written by PostgreSQL (json_build_object);
 * Node adds the allowed transitions, which the workflow model knows. One prepared statement per query
 * shape, so a view is planned once per connection and its rows never become objects: parsing and
 * presenting 50 wide rows (ten timestamps each) was most of a view's CPU.
 */
export async function listServiceOrdersJson(ctx: Ctx, raw: ListServiceOrdersQuery): Promise<JsonText> {
  assertCan(ctx.actor, 'service.read');
  const q = listServiceOrdersQuery.parse(raw);
  const o = serviceOrders;
  const conds: Cond[] = [serviceOrderScopeSpec(ctx.actor)];
  if (q.view) {
    conds.push({ key: 'open', build: () => openCondition });
    if (q.view === 'mine') {
      conds.push(ctx.actor.userId ? { key: 'mine', values: { me: ctx.actor.userId }, build: (b) => sql`${o.assigneeUserId} = ${b('me')}::uuid` } : { key: 'none', build: () => sql`false` });
    }
    if (q.view === 'team') {
      const [me] = ctx.actor.userId ? await ctx.db.select({ teamId: users.teamId }).from(users).where(eq(users.id, ctx.actor.userId)) : [];
      conds.push(me?.teamId ? { key: 'team', values: { myTeam: me.teamId }, build: (b) => sql`${o.assigneeTeamId} = ${b('myTeam')}::uuid` } : { key: 'none', build: () => sql`false` });
    }
    if (q.view === 'unassigned') conds.push({ key: 'unassigned', build: () => sql`${o.assigneeUserId} IS NULL` });
    // Written as the partial index's predicate (sla_state <> 'ok') so that the generic plan walks it.
    if (q.view === 'at-risk') conds.push({ key: 'at-risk', build: () => sql`${o.slaState} <> 'ok' AND ${o.slaState} = 'at_risk'` });
    if (q.view === 'breached') conds.push({ key: 'breached', build: () => sql`${o.slaState} <> 'ok' AND ${o.slaState} = 'breached'` });
  }
  const anyOf = (name: string, column: SQLWrapper, list: readonly string[]) => {
    if (list.length) conds.push({ key: name, values: { [name]: list }, build: (b) => sql`${column} = ANY(${b(name)}::text[])` });
  };
  anyOf('status', o.status, q.status);
  anyOf('type', o.type, q.type);
  anyOf('priority', o.priority, q.priority);
  const uuidIs = (name: string, column: SQLWrapper, value: string | undefined) => {
    if (value) conds.push({ key: name, values: { [name]: value }, build: (b) => sql`${column} = ${b(name)}::uuid` });
  };
  uuidIs('customerId', o.customerId, q.customerId);
  uuidIs('assigneeUserId', o.assigneeUserId, q.assigneeUserId);
  uuidIs('assigneeTeamId', o.assigneeTeamId, q.assigneeTeamId);
  if (q.createdFrom) conds.push({ key: 'from', values: { createdFrom: new Date(q.createdFrom).toISOString() }, build: (b) => sql`${o.createdAt} >= ${b('createdFrom')}::timestamptz` });
  if (q.createdTo) conds.push({ key: 'to', values: { createdTo: new Date(q.createdTo).toISOString() }, build: (b) => sql`${o.createdAt} < ${b('createdTo')}::timestamptz` });

  const byDue = q.view !== undefined;
  if (q.cursor) {
    const [tag, at, id] = decodeCursor(q.cursor, 3);
    if (tag !== (byDue ? 'due' : 'created') || !isUuid(id) || (at !== '' && !TIMESTAMP_TEXT.test(at)) || (!byDue && at === '')) throw badCursor();
    const values = { cursorAt: at, cursorId: id };
    if (!byDue) conds.push({ key: 'cursor', values, build: (b) => sql`(${o.createdAt}, ${o.id}) < (${b('cursorAt')}::timestamptz, ${b('cursorId')}::uuid)` });
    else if (at === '') conds.push({ key: 'cursor-null', values: { cursorId: id }, build: (b) => sql`(${o.nextDueAt} IS NULL AND ${o.id} > ${b('cursorId')}::uuid)` });
    else conds.push({ key: 'cursor-due', values, build: (b) => sql`((${o.nextDueAt}, ${o.id}) > (${b('cursorAt')}::timestamptz, ${b('cursorId')}::uuid) OR ${o.nextDueAt} IS NULL)` });
  }

  const shape = `${byDue ? 'due' : 'created'}|${conds.map((c) => c.key).join('|')}`;
  const values: Record<string, unknown> = { limit: q.limit + 1 };
  for (const c of conds) Object.assign(values, c.values);
  const prepared = preparedLists.get(ctx.db, shape, () => {
    const ph: Bind = (name) => sql.placeholder(name);
    // The names beside the ids come with the page (subqueries run for the page's rows only, after the
    // limit): one round trip instead of three, which under 32 clients was a third of a view's latency.
    return ctx.db
      .select({
        j: serviceOrderJson,
        customerName: sql<string | null>`(SELECT c.name FROM customers c WHERE c.id = ${o.customerId})`,
        status: o.status,
        key: sql<string | null>`${byDue ? o.nextDueAt : o.createdAt}::text`,
        id: o.id,
      })
      .from(o)
      .where(and(...conds.map((c) => c.build(ph))))
      .orderBy(...(byDue ? [sql`${o.nextDueAt} ASC NULLS LAST`, asc(o.id)] : [desc(o.createdAt), desc(o.id)]))
      .limit(sql.placeholder('limit'));
  });
  const found = await prepared.execute(values);
  const n = Math.min(found.length, q.limit);
  const items: string[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const r = found[i];
    const name = r.customerName === null ? '' : `"customerName":${JSON.stringify(r.customerName)},`;
    items[i] = `{${name}"allowedTransitions":${JSON.stringify(allowedTransitions(r.status))},${r.j.slice(1)}`;
  }
  const last = found.length > q.limit ? found[n - 1] : undefined;
  const nextCursor = last ? JSON.stringify(encodeCursor([byDue ? 'due' : 'created', last.key ?? '', last.id])) : 'null';
  return new JsonText(`{"items":[${items.join(',')}],"nextCursor":${nextCursor}}`);
}

/** One page of service orders as objects (the same page as `listServiceOrdersJson`). */
export async function listServiceOrders(ctx: Ctx, raw: ListServiceOrdersQuery): Promise<{ items: ServiceOrderOutput[]; nextCursor: string | null }> {
  return JSON.parse((await listServiceOrdersJson(ctx, raw)).text);
}

/** The data scope of service orders (serviceOrderScopeCondition) as a prepared statement's condition. */
function serviceOrderScopeSpec(actor: Actor): Cond {
  const org = { scopeOrg: actor.orgId };
  if (customerScope(actor) === 'all') return { key: 'scope:all', values: org, build: (b) => sql`${serviceOrders.orgId} = ${b('scopeOrg')}::uuid` };
  const customersInScope = customerScopeSpec(actor);
  return {
    key: `scope:${customersInScope.key}`,
    values: { ...customersInScope.values, ...org },
    build: (b) => sql`(${serviceOrders.orgId} = ${b('scopeOrg')}::uuid AND ${serviceOrders.customerId} IN (SELECT ${customers.id} FROM ${customers} WHERE ${customersInScope.build(b)}))`,
  };
}


/** A service order's JSON as presentServiceOrder writes it with the list's names, less allowedTransitions (added in Node). */
const serviceOrderJson = (() => {
  const o = serviceOrders;
  return sql<string>`json_build_object(
    'id', ${o.id}, 'number', ${o.number}, 'type', ${o.type}, 'customerId', ${o.customerId}, 'orderId', ${o.orderId},
    'orderLineId', ${o.orderLineId}, 'productId', ${o.productId}, 'channel', ${o.channel}, 'category', ${o.category},
    'priority', ${o.priority}, 'title', ${o.title}, 'description', ${o.description}, 'assigneeUserId', ${o.assigneeUserId},
    'assigneeName', (SELECT u.name FROM users u WHERE u.id = ${o.assigneeUserId}),
    'assigneeTeamId', ${o.assigneeTeamId}, 'queue', ${o.queue}, 'status', ${o.status}, 'slaPolicyId', ${o.slaPolicyId},
    'firstResponseDueAt', ${iso(o.firstResponseDueAt)}, 'resolutionDueAt', ${iso(o.resolutionDueAt)},
    'firstRespondedAt', ${iso(o.firstRespondedAt)}, 'resolvedAt', ${iso(o.resolvedAt)}, 'closedAt', ${iso(o.closedAt)},
    'firstResponseSlaState', ${o.firstResponseSlaState}, 'resolutionSlaState', ${o.resolutionSlaState}, 'slaState', ${o.slaState},
    'nextDueAt', ${iso(o.nextDueAt)}, 'pausedSince', ${iso(o.pausedSince)}, 'pausedMinutes', ${o.pausedMinutes},
    'resolution', ${o.resolution}, 'firstContactResolved', ${o.firstContactResolved}, 'customerConfirmed', ${o.customerConfirmed},
    'satisfaction', ${o.satisfaction}, 'severity', ${o.severity}, 'rootCause', ${o.rootCause},
    'compensationMinor', ${o.compensationMinor}, 'compensationCurrency', ${o.compensationCurrency}, 'version', ${o.version},
    'createdBy', ${o.createdBy}, 'createdAt', ${iso(o.createdAt)}, 'updatedAt', ${iso(o.updatedAt)})::text`;
})();

interface ListRow {
  j: string;
  customerName: string | null;
  status: ServiceOrderOutput['status'];
  key: string | null;
  id: string;
}
const preparedLists = new PreparedByShape<ListRow>('service_order_list');
