// Service-desk KPIs (服务台指标) over a period of local dates in the organization's time zone, grouped by team,
// assignee, type or not at all, computed in three SQL statements (GROUPING SETS give the groups and the total).
//
// Definitions (what a supervisor reads on the report):
// - Period: [from 00:00, to + 1 day 00:00) local time of the organization; `from` and `to` are both included.
// - Cohort: service orders opened in the period, within the actor's data scope.
//   · SLA attainment, first response: met / due, where `due` counts orders with a target whose outcome is known
//     (responded, marked breached, or past the due time while the clock runs) and `met` those responded
//     without a breach. Resolution: the same with resolution (a reopened order counts by its current state).
//   · First-contact resolution: resolved orders (resolved or closed now) resolved at first contact / resolved.
//   · Time to resolve: wall-clock minutes from opening to the (last) resolution, average and median.
//   · Reopen rate: orders reopened at least once / orders resolved at least once.
// - Backlog: orders open now (whatever their opening date), by age now: < 1 day, 1–3 days, 3–7 days, ≥ 7 days.
// - Callback satisfaction (回访满意度): callbacks completed in the period; satisfied / reached (not unreachable),
//   and the average rating (1–5) of the reached callbacks' orders.
// - Complaint rate per 10,000 customers: the organization's complaint-rate use case over the same period
//   (not grouped: customers belong to no team).
// Rates are null when their denominator is zero.
import { inArray, sql, and, eq, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { rows } from '../../db/open.ts';
import { assertCan, type Ctx } from '../../platform/context.ts';
import { Invalid, fieldError } from '../../platform/errors.ts';
import { t } from '../../i18n/messages.ts';
import { teams, users } from '../../platform/tables.ts';
import { complaintRate } from '../complaint-rate.ts';
import { complaintRateOutput } from '../schemas.ts';
import { serviceOrderScopeCondition } from '../service-order-store.ts';
import { loadOrgCalendar } from '../../contact-center/org-calendar.ts';
import './messages.ts';

/** A YYYY-MM-DD day n days later (calendar arithmetic, no time zone). */
function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

export const kpiGroupBys = ['team', 'assignee', 'type', 'none'] as const;
export type KpiGroupBy = (typeof kpiGroupBys)[number];

const localDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD').describe('local date in the organization\'s time zone');

export const serviceKpisQuery = z.object({
  /** Without from/to: the 30 days ending today in the organization's time zone (not the caller's). */
  from: localDate.optional(),
  to: localDate.describe('last local date of the period (included)').optional(),
  groupBy: z.enum(kpiGroupBys).default('none'),
});
export type ServiceKpisQuery = z.input<typeof serviceKpisQuery>;

const rate = z.number().nullable();
export const kpiRowOutput = z.object({
  /** Team id, user id or type; null: unassigned (or the single group of groupBy=none). */
  key: z.string().nullable(),
  label: z.string().nullable(),
  created: z.number(),
  firstResponse: z.object({ met: z.number(), due: z.number(), rate }),
  resolution: z.object({ met: z.number(), due: z.number(), rate }),
  firstContactResolution: z.object({ resolved: z.number(), firstContact: z.number(), rate }),
  timeToResolve: z.object({ resolved: z.number(), avgMinutes: z.number().nullable(), medianMinutes: z.number().nullable() }),
  reopen: z.object({ resolved: z.number(), reopened: z.number(), rate }),
  backlog: z.object({ open: z.number(), under1Day: z.number(), days1To3: z.number(), days3To7: z.number(), days7Plus: z.number() }),
  callbacks: z.object({ done: z.number(), reached: z.number(), satisfied: z.number(), satisfactionRate: rate, avgRating: z.number().nullable() }),
});
export type KpiRow = z.infer<typeof kpiRowOutput>;

export const serviceKpisOutput = z.object({
  from: z.string(),
  to: z.string(),
  timezone: z.string(),
  periodStart: z.string(),
  periodEnd: z.string(),
  groupBy: z.enum(kpiGroupBys),
  total: kpiRowOutput,
  groups: z.array(kpiRowOutput),
  complaintRate: complaintRateOutput,
});
export type ServiceKpisOutput = z.infer<typeof serviceKpisOutput>;

const ratio = (n: number, d: number): number | null => (d ? Math.round((n / d) * 10_000) / 10_000 : null);
const round2 = (v: number | null): number | null => (v === null ? null : Math.round(v * 100) / 100);

function keyOf(groupBy: KpiGroupBy): SQL {
  switch (groupBy) {
    case 'team': return sql`service_orders.assignee_team_id::text`;
    case 'assignee': return sql`service_orders.assignee_user_id::text`;
    case 'type': return sql`service_orders.type`;
    case 'none': return sql`NULL::text`;
  }
}

interface Keyed { k: string | null; total: number }
interface CohortRow extends Keyed {
  created: number; fr_due: number; fr_met: number; res_due: number; res_met: number; resolved: number; fcr: number;
  avg_ttr: number | null; median_ttr: number | null; ever_resolved: number; reopened: number;
}
interface BacklogRow extends Keyed { open: number; d0: number; d1: number; d3: number; d7: number }
interface CallbackRow extends Keyed { done: number; reached: number; satisfied: number; avg_rating: number | null }

function emptyRow(key: string | null): KpiRow {
  return {
    key,
    label: null,
    created: 0,
    firstResponse: { met: 0, due: 0, rate: null },
    resolution: { met: 0, due: 0, rate: null },
    firstContactResolution: { resolved: 0, firstContact: 0, rate: null },
    timeToResolve: { resolved: 0, avgMinutes: null, medianMinutes: null },
    reopen: { resolved: 0, reopened: 0, rate: null },
    backlog: { open: 0, under1Day: 0, days1To3: 0, days3To7: 0, days7Plus: 0 },
    callbacks: { done: 0, reached: 0, satisfied: 0, satisfactionRate: null, avgRating: null },
  };
}

export async function serviceKpis(ctx: Ctx, raw: ServiceKpisQuery): Promise<ServiceKpisOutput> {
  assertCan(ctx.actor, 'service.kpi');
  const parsed = serviceKpisQuery.parse(raw);
  const orgId = ctx.actor.orgId;
  const today = parsed.from && parsed.to ? null : (await loadOrgCalendar(ctx.db, orgId, ctx.now())).today;
  const to = parsed.to ?? today!;
  const q = { ...parsed, to, from: parsed.from ?? addDays(to, -29) };
  if (q.to < q.from) throw new Invalid([fieldError('to', 'invalid_range', 'field.range_end_before_start')]);
  const [bounds] = await rows<{ tz: string; lo: string; hi: string; valid: boolean }>(ctx.db, sql`
    SELECT o.timezone AS tz,
           to_char((${q.from}::date::timestamp AT TIME ZONE o.timezone) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS lo,
           to_char(((${q.to}::date + 1)::timestamp AT TIME ZONE o.timezone) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS hi,
           (${q.to}::date - ${q.from}::date) <= 3660 AS valid
      FROM organizations o WHERE o.id = ${orgId}`).catch((err: unknown) => {
    ctx.log.debug({ err }, 'service KPI period rejected');
    throw new Invalid([fieldError('from', 'invalid_date', 'field.not_a_date')]);
  });
  if (!bounds.valid) throw new Invalid([fieldError('to', 'invalid_range', 'field.range_too_long')]);
  const lo = sql`${bounds.lo}::timestamptz`;
  const hi = sql`${bounds.hi}::timestamptz`;
  const now = sql`${ctx.now().toISOString()}::timestamptz`;
  const scope = serviceOrderScopeCondition(ctx.actor);
  const k = keyOf(q.groupBy);
  const sets = sql`GROUP BY GROUPING SETS ((k), ())`;

  const cohort = await rows<CohortRow>(ctx.db, sql`
    WITH cohort AS (
      SELECT ${k} AS k, service_orders.*,
             EXISTS (SELECT 1 FROM service_order_events e
                      WHERE e.org_id = service_orders.org_id AND e.service_order_id = service_orders.id AND e.kind = 'reopened') AS was_reopened
        FROM service_orders
       WHERE ${scope} AND service_orders.created_at >= ${lo} AND service_orders.created_at < ${hi}
    )
    SELECT k, grouping(k)::int AS total,
           count(*)::int AS created,
           count(*) FILTER (WHERE first_response_due_at IS NOT NULL AND (first_responded_at IS NOT NULL
                  OR first_response_sla_state = 'breached' OR (first_response_due_at <= ${now} AND paused_since IS NULL)))::int AS fr_due,
           count(*) FILTER (WHERE first_response_due_at IS NOT NULL AND first_responded_at IS NOT NULL
                  AND first_response_sla_state <> 'breached')::int AS fr_met,
           count(*) FILTER (WHERE resolution_due_at IS NOT NULL AND (resolved_at IS NOT NULL
                  OR resolution_sla_state = 'breached' OR (resolution_due_at <= ${now} AND paused_since IS NULL)))::int AS res_due,
           count(*) FILTER (WHERE resolution_due_at IS NOT NULL AND resolved_at IS NOT NULL AND resolution_sla_state <> 'breached')::int AS res_met,
           count(*) FILTER (WHERE resolved_at IS NOT NULL)::int AS resolved,
           count(*) FILTER (WHERE resolved_at IS NOT NULL AND first_contact_resolved)::int AS fcr,
           (avg(extract(epoch FROM resolved_at - created_at) / 60) FILTER (WHERE resolved_at IS NOT NULL))::float8 AS avg_ttr,
           (percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM resolved_at - created_at) / 60)
              FILTER (WHERE resolved_at IS NOT NULL))::float8 AS median_ttr,
           count(*) FILTER (WHERE resolved_at IS NOT NULL OR was_reopened)::int AS ever_resolved,
           count(*) FILTER (WHERE was_reopened)::int AS reopened
      FROM cohort ${sets}`);

  const backlog = await rows<BacklogRow>(ctx.db, sql`
    WITH open AS (
      SELECT ${k} AS k, ${now} - service_orders.created_at AS age
        FROM service_orders
       WHERE ${scope} AND service_orders.status IN ('new', 'assigned', 'in_progress', 'waiting_on_customer')
    )
    SELECT k, grouping(k)::int AS total, count(*)::int AS open,
           count(*) FILTER (WHERE age < interval '1 day')::int AS d0,
           count(*) FILTER (WHERE age >= interval '1 day' AND age < interval '3 days')::int AS d1,
           count(*) FILTER (WHERE age >= interval '3 days' AND age < interval '7 days')::int AS d3,
           count(*) FILTER (WHERE age >= interval '7 days')::int AS d7
      FROM open ${sets}`);

  const callbackRows = await rows<CallbackRow>(ctx.db, sql`
    WITH done AS (
      SELECT ${k} AS k, c.outcome, service_orders.satisfaction
        FROM callbacks c JOIN service_orders ON service_orders.id = c.service_order_id AND service_orders.org_id = c.org_id
       WHERE c.org_id = ${orgId} AND ${scope} AND c.status = 'done' AND c.completed_at >= ${lo} AND c.completed_at < ${hi}
    )
    SELECT k, grouping(k)::int AS total, count(*)::int AS done,
           count(*) FILTER (WHERE outcome <> 'unreachable')::int AS reached,
           count(*) FILTER (WHERE outcome = 'satisfied')::int AS satisfied,
           (avg(satisfaction) FILTER (WHERE outcome <> 'unreachable'))::float8 AS avg_rating
      FROM done ${sets}`);

  const byKey = new Map<string, KpiRow>();
  const slot = (r: Keyed): KpiRow => {
    const id = r.total ? '\u0000total' : (r.k ?? '\u0000null');
    let row = byKey.get(id);
    if (!row) byKey.set(id, (row = emptyRow(r.total ? null : r.k)));
    return row;
  };
  for (const r of cohort) {
    const row = slot(r);
    row.created = r.created;
    row.firstResponse = { met: r.fr_met, due: r.fr_due, rate: ratio(r.fr_met, r.fr_due) };
    row.resolution = { met: r.res_met, due: r.res_due, rate: ratio(r.res_met, r.res_due) };
    row.firstContactResolution = { resolved: r.resolved, firstContact: r.fcr, rate: ratio(r.fcr, r.resolved) };
    row.timeToResolve = { resolved: r.resolved, avgMinutes: round2(r.avg_ttr), medianMinutes: round2(r.median_ttr) };
    row.reopen = { resolved: r.ever_resolved, reopened: r.reopened, rate: ratio(r.reopened, r.ever_resolved) };
  }
  for (const r of backlog) {
    slot(r).backlog = { open: r.open, under1Day: r.d0, days1To3: r.d1, days3To7: r.d3, days7Plus: r.d7 };
  }
  for (const r of callbackRows) {
    slot(r).callbacks = { done: r.done, reached: r.reached, satisfied: r.satisfied, satisfactionRate: ratio(r.satisfied, r.reached), avgRating: round2(r.avg_rating) };
  }
  const total = byKey.get('\u0000total') ?? emptyRow(null);
  byKey.delete('\u0000total');
  const groups = q.groupBy === 'none' ? [] : [...byKey.values()];

  // Labels: team and user names of this organization; the type key itself for types.
  const ids = groups.map((g) => g.key).filter((x): x is string => x !== null);
  const names = new Map<string, string>();
  if (ids.length && q.groupBy === 'team') {
    for (const r of await ctx.db.select({ id: teams.id, name: teams.name }).from(teams).where(and(eq(teams.orgId, orgId), inArray(teams.id, ids)))) names.set(r.id, r.name);
  } else if (ids.length && q.groupBy === 'assignee') {
    for (const r of await ctx.db.select({ id: users.id, name: users.name }).from(users).where(and(eq(users.orgId, orgId), inArray(users.id, ids)))) names.set(r.id, r.name);
  }
  for (const g of groups) {
    g.label = g.key === null ? t(ctx.actor.locale, 'kpi.unassigned') : q.groupBy === 'type' ? g.key : (names.get(g.key) ?? g.key);
  }
  groups.sort((a, b) => b.created - a.created || b.backlog.open - a.backlog.open || (a.key ?? '\uffff').localeCompare(b.key ?? '\uffff'));

  const complaints = await complaintRate(ctx, { from: bounds.lo, to: bounds.hi });
  return {
    from: q.from,
    to: q.to,
    timezone: bounds.tz,
    periodStart: bounds.lo,
    periodEnd: bounds.hi,
    groupBy: q.groupBy,
    total,
    groups,
    complaintRate: complaints,
  };
}
