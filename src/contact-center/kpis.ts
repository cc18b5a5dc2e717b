// Contact center KPIs (呼叫中心指标) per interval (15/30/60 minutes in the organization's time zone), day,
// queue, team or agent, as SQL. Definitions in kpi-sql.ts. Two sources with the same outer query:
// `aggregate` reads the per-interval tables the job maintains; `raw` builds the same interval rows from
// the call records and state events on the fly (for comparison and for data the job has not reached).
// Queue-grain rows (interval, day, queue) carry every measure; team and agent rows count the calls
// presented to the agent (or, once per call, to any agent of the team): offered, answered, abandoned and
// the answer rate are theirs; handle time and transfers are per agent segment (a transferred call's talk is
// split between the agents who answered it), FCR is the first answerer's; service level and ASA are queue
// measures and null there (attribution in kpi-sql.ts).
// Occupancy on queue-grain rows is that of all agents in the interval (agents serve several queues).
import { and, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { z } from 'zod';
import { rows, setLocal, type Db } from '../db/open.ts';
import { can, type Ctx } from '../platform/context.ts';
import { Forbidden, Invalid, fieldError } from '../platform/errors.ts';
import { teams } from '../platform/tables.ts';
import { t } from '../i18n/messages.ts';
import './messages.ts';
import { agentLegsSql, callPartsSql, NO_QUEUE, stateSecondsSql } from './kpi-sql.ts';
import { orgTimeZone, resolveRange } from './org-calendar.ts';
import { kpiQuery, type KpiRow } from './schemas.ts';
import { loadCcSettings } from './settings.ts';
import { ccAgents, ccQueues } from './tables.ts';

interface Parts {
  k: string | null;
  total: boolean;
  offered: number; answered: number; abandoned: number; short_abandoned: number; answered_in_target: number; sl_denominator: number;
  wait_answered: number; handled: number; handle_seconds: number; transferred: number; fcr_eligible: number; fcr_resolved: number;
  avail: number; on_call: number; acw: number; queue_grain: boolean;
}

const ratio = (a: number, b: number): number | null => (b > 0 ? a / b : null);

function toRow(p: Parts, label: string | null): KpiRow {
  const n = (v: unknown) => Number(v ?? 0);
  const offered = n(p.offered), answered = n(p.answered);
  const working = n(p.avail) + n(p.on_call) + n(p.acw);
  return {
    key: p.k, label,
    offered, answered, abandoned: n(p.abandoned), shortAbandoned: n(p.short_abandoned),
    answerRate: ratio(answered, offered),
    abandonRate: ratio(n(p.abandoned), offered),
    serviceLevel: p.queue_grain ? ratio(n(p.answered_in_target), n(p.sl_denominator)) : null,
    asaSeconds: p.queue_grain ? ratio(n(p.wait_answered), answered) : null,
    ahtSeconds: ratio(n(p.handle_seconds), n(p.handled)),
    transferRate: ratio(n(p.transferred), answered),
    fcrRate: ratio(n(p.fcr_resolved), n(p.fcr_eligible)),
    occupancy: working > 0 ? (n(p.on_call) + n(p.acw)) / working : null,
  };
}

/**
 * The KPI statement, with PostgreSQL's JIT compiler off: the planner cannot know that a call has only a few
 * agent marks (it assumes 100 per call), so even a small range looks expensive enough to compile, and compiling
 * the statement took 0.5–2 s where running it takes tens of milliseconds (measured on PostgreSQL 15).
 */
async function kpiRows(db: Db, query: SQL): Promise<Parts[]> {
  return db.transaction(async (tx) => {
    await setLocal(tx, { jit: 'off' });
    return rows<Parts>(tx, query);
  });
}

export async function contactCenterKpis(ctx: Ctx, raw: z.input<typeof kpiQuery>) {
  const q = kpiQuery.parse(raw);
  const orgId = ctx.actor.orgId;
  if (!can(ctx.actor, 'contact_center.read')) {
    if (!can(ctx.actor, 'contact_center.read_own')) throw new Forbidden('contact_center.read');
    // An agent sees their own figures only.
    const [own] = await ctx.db.select({ id: ccAgents.id }).from(ccAgents).where(and(eq(ccAgents.orgId, orgId), eq(ccAgents.userId, ctx.actor.userId ?? NO_QUEUE)));
    if (!own || (q.agentId && q.agentId !== own.id) || q.teamId || q.groupBy === 'team' || q.groupBy === 'queue') throw new Forbidden('contact_center.read');
    q.agentId = own.id;
  }
  const agentGrain = q.groupBy === 'team' || q.groupBy === 'agent' || Boolean(q.teamId) || Boolean(q.agentId);
  if (agentGrain && q.queueId) {
    throw new Invalid([fieldError('queueId', 'queue_with_agent_grain', 'cc.kpi.queue_with_agent_grain')]);
  }
  // Days (YYYY-MM-DD) are the organization's, whatever the browser's time zone.
  const tz = await orgTimeZone(ctx.db, orgId);
  const { from, to } = await resolveRange(ctx.db, tz, q.from, q.to);
  if (Date.parse(to) <= Date.parse(from)) throw new Invalid([fieldError('to', 'before_from', 'field.cc.to_not_after_from')]);

  // The interval rows of both sources.
  let qsrc: SQL;
  let asrc: SQL;
  /** All agents' state seconds per interval, for occupancy beside queue-grain rows. */
  let osrc: SQL;
  if (q.source === 'aggregate') {
    osrc = sql`SELECT interval_start AS bin, available_seconds AS avail, on_call_seconds AS on_call, acw_seconds AS acw
      FROM cc_occupancy_intervals WHERE org_id = ${orgId} AND interval_start >= ${from}::timestamptz AND interval_start < ${to}::timestamptz`;
    qsrc = sql`SELECT interval_start AS bin, queue_id, offered, answered, abandoned, short_abandoned, answered_in_target, sl_denominator,
        wait_seconds_answered AS wait_answered, handled, handle_seconds, transferred, fcr_eligible, fcr_resolved
      FROM cc_queue_intervals WHERE org_id = ${orgId} AND interval_start >= ${from}::timestamptz AND interval_start < ${to}::timestamptz`;
    asrc = sql`SELECT interval_start AS bin, agent_id, team_id, offered, answered, abandoned, short_abandoned, team_offered, team_answered, team_abandoned, team_short_abandoned, team_handled, team_transferred, handled, handle_seconds, transferred, fcr_eligible, fcr_resolved,
        available_seconds AS avail, on_call_seconds AS on_call, acw_seconds AS acw
      FROM cc_agent_intervals WHERE org_id = ${orgId} AND interval_start >= ${from}::timestamptz AND interval_start < ${to}::timestamptz`;
    if (q.groupBy === 'team' || q.groupBy === 'agent') {
      // Whole local days: read the per-day agent table (a month is 30 rows per agent instead of 2,880).
      const [d] = await rows<{ from_day: string; to_day: string; aligned: boolean }>(ctx.db, sql`SELECT
          to_char(${from}::timestamptz AT TIME ZONE ${tz}, 'YYYY-MM-DD') AS from_day, to_char(${to}::timestamptz AT TIME ZONE ${tz}, 'YYYY-MM-DD') AS to_day,
          (${from}::timestamptz AT TIME ZONE ${tz})::time = '00:00' AND (${to}::timestamptz AT TIME ZONE ${tz})::time = '00:00' AS aligned`);
      if (d?.aligned) {
        asrc = sql`SELECT NULL::timestamptz AS bin, agent_id, team_id, offered, answered, abandoned, short_abandoned, team_offered, team_answered, team_abandoned, team_short_abandoned, team_handled, team_transferred, handled, handle_seconds, transferred, fcr_eligible, fcr_resolved,
            available_seconds AS avail, on_call_seconds AS on_call, acw_seconds AS acw
          FROM cc_agent_days WHERE org_id = ${orgId} AND day >= ${d.from_day}::date AND day < ${d.to_day}::date`;
      }
    }
  } else {
    const { fcrWindowHours } = await loadCcSettings(ctx.db, orgId);
    const parts = callPartsSql(orgId, sql`c.offered_at >= ${from}::timestamptz AND c.offered_at < ${to}::timestamptz`, fcrWindowHours);
    qsrc = sql`SELECT bin, queue_id, sum(offered) AS offered, sum(answered) AS answered, sum(abandoned) AS abandoned, sum(short_abandoned) AS short_abandoned,
        sum(answered_in_target) AS answered_in_target, sum(sl_denominator) AS sl_denominator, COALESCE(sum(wait_answered), 0) AS wait_answered,
        sum(handled) AS handled, COALESCE(sum(handle_seconds), 0) AS handle_seconds, sum(transferred) AS transferred, sum(fcr_eligible) AS fcr_eligible,
        sum(fcr_resolved) AS fcr_resolved
      FROM (${parts}) p GROUP BY bin, queue_id`;
    const agentOnly = q.agentId ? [q.agentId] : null;
    asrc = sql`SELECT COALESCE(cp.bin, st.bin) AS bin, COALESCE(cp.agent_id, st.agent_id) AS agent_id, COALESCE(cp.team_id, ag.team_id) AS team_id,
        COALESCE(cp.offered, 0) AS offered, COALESCE(cp.answered, 0) AS answered, COALESCE(cp.abandoned, 0) AS abandoned, COALESCE(cp.short_abandoned, 0) AS short_abandoned,
        COALESCE(cp.team_offered, 0) AS team_offered, COALESCE(cp.team_answered, 0) AS team_answered, COALESCE(cp.team_abandoned, 0) AS team_abandoned,
        COALESCE(cp.team_short_abandoned, 0) AS team_short_abandoned, COALESCE(cp.team_handled, 0) AS team_handled,
        COALESCE(cp.team_transferred, 0) AS team_transferred, COALESCE(cp.handled, 0) AS handled, COALESCE(cp.handle_seconds, 0) AS handle_seconds,
        COALESCE(cp.transferred, 0) AS transferred, COALESCE(cp.fcr_eligible, 0) AS fcr_eligible, COALESCE(cp.fcr_resolved, 0) AS fcr_resolved,
        COALESCE(st.available_s, 0) AS avail, COALESCE(st.on_call_s, 0) AS on_call, COALESCE(st.acw_s, 0) AS acw
      FROM (SELECT bin, agent_id, (array_agg(team_id))[1] AS team_id, sum(offered) AS offered, sum(answered) AS answered, sum(abandoned) AS abandoned,
          sum(short_abandoned) AS short_abandoned, sum(team_offered) AS team_offered, sum(team_answered) AS team_answered, sum(team_abandoned) AS team_abandoned,
          sum(team_short_abandoned) AS team_short_abandoned, sum(team_handled) AS team_handled, sum(team_transferred) AS team_transferred, sum(handled) AS handled,
          COALESCE(sum(handle_seconds), 0) AS handle_seconds, sum(transferred) AS transferred, sum(fcr_eligible) AS fcr_eligible, sum(fcr_resolved) AS fcr_resolved
        FROM (${agentLegsSql(parts)}) p GROUP BY bin, agent_id) cp
      FULL JOIN (${stateSecondsSql(orgId, from, to, ctx.now().toISOString(), agentOnly)}) st ON st.bin = cp.bin AND st.agent_id = cp.agent_id
      LEFT JOIN cc_agents ag ON ag.id = COALESCE(cp.agent_id, st.agent_id)`;
    osrc = asrc;
  }

  const keyOf = (bin: SQL): SQL => {
    switch (q.groupBy) {
      case 'interval':
        return sql`to_char(date_bin(make_interval(mins => ${q.intervalMinutes}::int), ${bin} AT TIME ZONE ${tz}, TIMESTAMP '2000-01-01') AT TIME ZONE ${tz} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')`;
      case 'day':
        return sql`to_char(${bin} AT TIME ZONE ${tz}, 'YYYY-MM-DD')`;
      case 'queue':
        return sql`s.queue_id::text`;
      case 'team':
        return sql`s.team_id::text`;
      case 'agent':
        return sql`s.agent_id::text`;
    }
  };
  const key = keyOf(sql`s.bin`);
  let found: Parts[];
  if (!agentGrain) {
    const queueFilter = q.queueId ? sql`s.queue_id = ${q.queueId}` : sql`true`;
    // Occupancy beside queue-grain rows: all agents, by the same key (not per queue).
    const occKey = q.groupBy === 'queue' ? sql`NULL::text` : key;
    found = await kpiRows(ctx.db, sql`WITH calls AS (
        SELECT k, sum(offered)::bigint AS offered, sum(answered)::bigint AS answered, sum(abandoned)::bigint AS abandoned,
          sum(short_abandoned)::bigint AS short_abandoned, sum(answered_in_target)::bigint AS answered_in_target, sum(sl_denominator)::bigint AS sl_denominator,
          sum(wait_answered)::float8 AS wait_answered, sum(handled)::bigint AS handled, sum(handle_seconds)::float8 AS handle_seconds,
          sum(transferred)::bigint AS transferred, sum(fcr_eligible)::bigint AS fcr_eligible, sum(fcr_resolved)::bigint AS fcr_resolved,
          GROUPING(k) = 1 AS total
        FROM (SELECT ${key} AS k, s.* FROM (${qsrc}) s WHERE ${queueFilter}) x GROUP BY GROUPING SETS ((k), ())
      ), occ AS (
        SELECT k, sum(avail)::float8 AS avail, sum(on_call)::float8 AS on_call, sum(acw)::float8 AS acw, GROUPING(k) = 1 AS total
        FROM (SELECT ${occKey} AS k, s.* FROM (${osrc}) s) x GROUP BY GROUPING SETS ((k), ())
      )
      SELECT c.*, o.avail, o.on_call, o.acw, true AS queue_grain
      FROM calls c LEFT JOIN occ o ON o.total = c.total AND (c.total OR o.k = c.k)
      ORDER BY c.total, c.k`);
  } else {
    const conds: SQL[] = [sql`true`];
    if (q.teamId) conds.push(sql`s.team_id = ${q.teamId}`);
    if (q.agentId) conds.push(sql`s.agent_id = ${q.agentId}`);
    // Team figures (by team, or a team's intervals) count each call once per team; agent figures per agent.
    const team = q.groupBy === 'team' || (Boolean(q.teamId) && q.groupBy !== 'agent' && !q.agentId);
    const col = (c: string) => sql.raw(team ? `team_${c}` : c);
    found = await kpiRows(ctx.db, sql`SELECT k, sum(${col('offered')})::bigint AS offered, sum(${col('answered')})::bigint AS answered,
        sum(${col('abandoned')})::bigint AS abandoned, sum(${col('short_abandoned')})::bigint AS short_abandoned,
        0 AS answered_in_target, 0 AS sl_denominator, 0 AS wait_answered, sum(${col('handled')})::bigint AS handled, sum(handle_seconds)::float8 AS handle_seconds,
        sum(${col('transferred')})::bigint AS transferred, sum(fcr_eligible)::bigint AS fcr_eligible, sum(fcr_resolved)::bigint AS fcr_resolved,
        sum(avail)::float8 AS avail, sum(on_call)::float8 AS on_call, sum(acw)::float8 AS acw, GROUPING(k) = 1 AS total, false AS queue_grain
      FROM (SELECT ${key} AS k, s.* FROM (${asrc}) s WHERE ${and(...conds)}) x GROUP BY GROUPING SETS ((k), ()) ORDER BY total, k`);
  }

  // Labels for queue, team and agent keys.
  const ids = found.map((r) => r.k).filter((k): k is string => Boolean(k) && k !== NO_QUEUE);
  const labels = new Map<string, string>();
  if (ids.length && q.groupBy === 'queue') for (const r of await ctx.db.select({ id: ccQueues.id, name: ccQueues.name }).from(ccQueues).where(and(eq(ccQueues.orgId, orgId), inArray(ccQueues.id, ids)))) labels.set(r.id, r.name);
  if (ids.length && q.groupBy === 'team') for (const r of await ctx.db.select({ id: teams.id, name: teams.name }).from(teams).where(and(eq(teams.orgId, orgId), inArray(teams.id, ids)))) labels.set(r.id, r.name);
  if (ids.length && q.groupBy === 'agent') for (const r of await ctx.db.select({ id: ccAgents.id, name: ccAgents.name }).from(ccAgents).where(and(eq(ccAgents.orgId, orgId), inArray(ccAgents.id, ids)))) labels.set(r.id, r.name);
  const totalParts = found.find((r) => r.total);
  const emptyTotal: Parts = { k: null, total: true, offered: 0, answered: 0, abandoned: 0, short_abandoned: 0, answered_in_target: 0, sl_denominator: 0, wait_answered: 0, handled: 0, handle_seconds: 0, transferred: 0, fcr_eligible: 0, fcr_resolved: 0, avail: 0, on_call: 0, acw: 0, queue_grain: !agentGrain };
  return {
    timezone: tz,
    from,
    to,
    intervalMinutes: q.intervalMinutes,
    groupBy: q.groupBy,
    source: q.source,
    rows: found.filter((r) => !r.total).map((r) => toRow(r, r.k ? labels.get(r.k) ?? (r.k === NO_QUEUE ? t(ctx.actor.locale, 'cc.no_queue') : null) : null)),
    total: toRow(totalParts ?? emptyTotal, null),
  };
}
