// Pre-aggregation of the KPIs per 15-minute interval (job `cc.kpi_aggregate`): the dashboards read
// cc_queue_intervals and cc_agent_intervals instead of the call records. Each run recomputes, per
// organization, only the intervals that can have changed since the last run:
// - intervals of calls updated since the watermark, and of the same callers' earlier calls within the
//   FCR window (a repeat call turns an earlier call's first-contact resolution off);
// - for agent states: from the earliest span a newly stored event closes (or the last run) up to now,
//   since an agent's open state keeps adding seconds.
// Recomputing is delete + insert of whole intervals in one transaction, so runs are idempotent and a
// crashed run is simply redone. `from`/`to` recomputes a range outright (backfill, or after a queue's
// targets changed).
import { sql, type SQL } from 'drizzle-orm';
import { rows, setLocal, type Db } from '../db/open.ts';
import { agentLegsSql, callPartsSql, stateSecondsSql, BIN, ORIGIN } from './kpi-sql.ts';
import { orgTimeZone } from './org-calendar.ts';
import { loadCcSettings } from './settings.ts';

export interface AggregateResult { queueBins: number; agentBins: number; from: string | null; to: string | null }

const SAFETY_MS = 30_000;

function floorBin(d: Date): Date {
  return new Date(Math.floor(d.getTime() / 900_000) * 900_000);
}

type BinPredicate = (col: string) => SQL;

async function recompute(db: Db, orgId: string, tz: string, callBins: BinPredicate, agentBins: BinPredicate, lo: string, hi: string, now: string, fcrHours: number): Promise<{ q: number; a: number }> {
  // No JIT: the planner assumes 100 agent marks per call, and compiling took far longer than running (kpis.ts).
  await setLocal(db, { jit: 'off' });
  await db.execute(sql`DELETE FROM cc_queue_intervals WHERE org_id = ${orgId} AND interval_start >= ${lo}::timestamptz AND interval_start < ${hi}::timestamptz AND ${callBins('interval_start')}`);
  await db.execute(sql`DELETE FROM cc_agent_intervals WHERE org_id = ${orgId} AND interval_start >= ${lo}::timestamptz AND interval_start < ${hi}::timestamptz AND ${agentBins('interval_start')}`);
  const parts = callPartsSql(orgId, sql`c.offered_at >= ${lo}::timestamptz AND c.offered_at < ${hi}::timestamptz`, fcrHours);
  const [q] = await rows<{ n: number }>(db, sql`WITH ins AS (
    INSERT INTO cc_queue_intervals (org_id, interval_start, queue_id, offered, answered, abandoned, short_abandoned, answered_in_target, sl_denominator,
      wait_seconds_answered, handled, handle_seconds, transferred, fcr_eligible, fcr_resolved)
    SELECT ${orgId}::uuid, p.bin, p.queue_id, sum(offered), sum(answered), sum(abandoned), sum(short_abandoned), sum(answered_in_target), sum(sl_denominator),
      COALESCE(sum(wait_answered), 0), sum(handled), COALESCE(sum(handle_seconds), 0), sum(transferred), sum(fcr_eligible), sum(fcr_resolved)
    FROM (${parts}) p WHERE ${callBins('p.bin')}
    GROUP BY p.bin, p.queue_id RETURNING 1) SELECT count(*)::int AS n FROM ins`);
  const [a] = await rows<{ n: number }>(db, sql`WITH cp AS (
      SELECT p.bin, p.agent_id, (array_agg(p.team_id))[1] AS team_id, sum(offered) AS offered, sum(answered) AS answered, sum(abandoned) AS abandoned,
        sum(short_abandoned) AS short_abandoned, sum(team_offered) AS team_offered, sum(team_answered) AS team_answered, sum(team_abandoned) AS team_abandoned,
        sum(team_short_abandoned) AS team_short_abandoned, sum(team_handled) AS team_handled, sum(team_transferred) AS team_transferred, sum(handled) AS handled,
        COALESCE(sum(handle_seconds), 0) AS handle_seconds, sum(transferred) AS transferred, sum(fcr_eligible) AS fcr_eligible, sum(fcr_resolved) AS fcr_resolved
      FROM (${agentLegsSql(parts)}) p WHERE ${agentBins('p.bin')} GROUP BY p.bin, p.agent_id
    ), st AS (
      SELECT * FROM (${stateSecondsSql(orgId, lo, hi, now)}) s WHERE ${agentBins('s.bin')}
    ), ins AS (
      INSERT INTO cc_agent_intervals (org_id, interval_start, agent_id, team_id, offered, answered, abandoned, short_abandoned,
        team_offered, team_answered, team_abandoned, team_short_abandoned, team_handled, team_transferred, handled, handle_seconds, transferred, fcr_eligible, fcr_resolved,
        available_seconds, on_call_seconds, acw_seconds, break_seconds)
      SELECT ${orgId}::uuid, COALESCE(cp.bin, st.bin), COALESCE(cp.agent_id, st.agent_id), COALESCE(cp.team_id, ag.team_id),
        COALESCE(cp.offered, 0), COALESCE(cp.answered, 0), COALESCE(cp.abandoned, 0), COALESCE(cp.short_abandoned, 0),
        COALESCE(cp.team_offered, 0), COALESCE(cp.team_answered, 0), COALESCE(cp.team_abandoned, 0), COALESCE(cp.team_short_abandoned, 0), COALESCE(cp.team_handled, 0), COALESCE(cp.team_transferred, 0), COALESCE(cp.handled, 0), COALESCE(cp.handle_seconds, 0), COALESCE(cp.transferred, 0), COALESCE(cp.fcr_eligible, 0), COALESCE(cp.fcr_resolved, 0),
        COALESCE(st.available_s, 0), COALESCE(st.on_call_s, 0), COALESCE(st.acw_s, 0), COALESCE(st.break_s, 0)
      FROM cp FULL JOIN st ON st.bin = cp.bin AND st.agent_id = cp.agent_id
      LEFT JOIN cc_agents ag ON ag.id = COALESCE(cp.agent_id, st.agent_id)
      RETURNING 1
    ) SELECT count(*)::int AS n FROM ins`);
  // All agents per interval (occupancy beside queue figures), for the recomputed intervals.
  await db.execute(sql`DELETE FROM cc_occupancy_intervals WHERE org_id = ${orgId} AND interval_start >= ${lo}::timestamptz AND interval_start < ${hi}::timestamptz AND ${agentBins('interval_start')}`);
  await db.execute(sql`INSERT INTO cc_occupancy_intervals (org_id, interval_start, available_seconds, on_call_seconds, acw_seconds, break_seconds)
    SELECT ${orgId}::uuid, interval_start, sum(available_seconds), sum(on_call_seconds), sum(acw_seconds), sum(break_seconds)
    FROM cc_agent_intervals WHERE org_id = ${orgId} AND interval_start >= ${lo}::timestamptz AND interval_start < ${hi}::timestamptz AND ${agentBins('interval_start')}
    GROUP BY interval_start`);
  // Agent days: every local day the range touches, summed again from the agent intervals.
  const dayLo = sql`(date_trunc('day', ${lo}::timestamptz AT TIME ZONE ${tz}) AT TIME ZONE ${tz})`;
  const dayHi = sql`(date_trunc('day', (${hi}::timestamptz - interval '1 microsecond') AT TIME ZONE ${tz}) AT TIME ZONE ${tz} + interval '1 day')`;
  await db.execute(sql`DELETE FROM cc_agent_days WHERE org_id = ${orgId} AND day >= (${dayLo} AT TIME ZONE ${tz})::date AND day < (${dayHi} AT TIME ZONE ${tz})::date`);
  await db.execute(sql`INSERT INTO cc_agent_days (org_id, day, agent_id, team_id, offered, answered, abandoned, short_abandoned,
      team_offered, team_answered, team_abandoned, team_short_abandoned, team_handled, team_transferred, handled, handle_seconds, transferred, fcr_eligible, fcr_resolved,
      available_seconds, on_call_seconds, acw_seconds, break_seconds)
    SELECT ${orgId}::uuid, (interval_start AT TIME ZONE ${tz})::date, agent_id, (array_agg(team_id ORDER BY interval_start DESC))[1],
      sum(offered), sum(answered), sum(abandoned), sum(short_abandoned), sum(team_offered), sum(team_answered), sum(team_abandoned), sum(team_short_abandoned),
      sum(team_handled), sum(team_transferred), sum(handled), sum(handle_seconds),
      sum(transferred), sum(fcr_eligible), sum(fcr_resolved), sum(available_seconds), sum(on_call_seconds), sum(acw_seconds), sum(break_seconds)
    FROM cc_agent_intervals WHERE org_id = ${orgId} AND interval_start >= ${dayLo} AND interval_start < ${dayHi}
    GROUP BY 2, agent_id`);
  return { q: q?.n ?? 0, a: a?.n ?? 0 };
}

/** Recompute every interval in [from, to) (15-minute aligned after flooring). */
export async function aggregateRange(db: Db, orgId: string, from: Date, to: Date, now: Date): Promise<AggregateResult> {
  const { fcrWindowHours } = await loadCcSettings(db, orgId);
  const lo = floorBin(from).toISOString();
  const hi = new Date(Math.ceil(to.getTime() / 900_000) * 900_000).toISOString();
  const tz = await orgTimeZone(db, orgId);
  const r = await db.transaction((tx) => recompute(tx, orgId, tz, () => sql`true`, () => sql`true`, lo, hi, now.toISOString(), fcrWindowHours));
  return { queueBins: r.q, agentBins: r.a, from: lo, to: hi };
}

/** One incremental run for an organization (see the header). */
export async function aggregateIncremental(db: Db, orgId: string, now: Date): Promise<AggregateResult> {
  const { fcrWindowHours } = await loadCcSettings(db, orgId);
  const cutoff = new Date(now.getTime() - SAFETY_MS).toISOString();
  return db.transaction(async (tx) => {
    // One run per organization at a time.
    await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext('cc_kpi:' || ${orgId}))`);
    const [wm] = await rows<{ calls: string; states: string; ran: string }>(tx, sql`SELECT calls_updated_at::text AS calls, states_recorded_at::text AS states, ran_at::text AS ran
      FROM cc_kpi_watermarks WHERE org_id = ${orgId}`);
    const callsSince = wm?.calls ?? '-infinity';
    const statesSince = wm?.states ?? '-infinity';
    const win = sql`make_interval(hours => ${fcrWindowHours}::int)`;
    const dirty = await rows<{ bin: string }>(tx, sql`WITH u AS (
        SELECT offered_at, customer_id, phone FROM cc_calls
        WHERE org_id = ${orgId} AND updated_at > ${callsSince}::timestamptz AND updated_at <= ${cutoff}::timestamptz AND offered_at IS NOT NULL
      )
      SELECT to_char(b AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS bin FROM (
        SELECT date_bin(${BIN}, offered_at, ${ORIGIN}) AS b FROM u
        UNION SELECT date_bin(${BIN}, p.offered_at, ${ORIGIN}) FROM u JOIN cc_calls p ON p.org_id = ${orgId} AND u.customer_id IS NOT NULL
          AND p.customer_id = u.customer_id AND p.offered_at >= u.offered_at - ${win} AND p.offered_at < u.offered_at
        UNION SELECT date_bin(${BIN}, p.offered_at, ${ORIGIN}) FROM u JOIN cc_calls p ON p.org_id = ${orgId} AND u.phone IS NOT NULL
          AND p.phone = u.phone AND p.offered_at >= u.offered_at - ${win} AND p.offered_at < u.offered_at
      ) d ORDER BY 1`);
    // Agent states: the earliest span a new event closes (its previous event, unless offline), else the last run.
    const [st] = await rows<{ lo: string | null }>(tx, sql`SELECT min(COALESCE(CASE WHEN p.state <> 'offline' THEN p.at END, e.at))::text AS lo
      FROM cc_agent_state_events e
      LEFT JOIN LATERAL (SELECT state, at FROM cc_agent_state_events x WHERE x.org_id = e.org_id AND x.agent_id = e.agent_id AND x.at < e.at ORDER BY x.at DESC LIMIT 1) p ON true
      WHERE e.org_id = ${orgId} AND e.recorded_at > ${statesSince}::timestamptz AND e.recorded_at <= ${cutoff}::timestamptz`);
    const lastRun = wm ? floorBin(new Date(new Date(wm.ran).getTime() - 900_000)) : null;
    let stateLo: Date | null = st?.lo ? floorBin(new Date(st.lo)) : null;
    if (lastRun && (!stateLo || lastRun < stateLo)) stateLo = lastRun;
    const nowIso = now.toISOString();
    const stateHi = new Date(floorBin(now).getTime() + 900_000);
    const bins = dirty.map((d) => d.bin);
    let result: AggregateResult = { queueBins: 0, agentBins: 0, from: null, to: null };
    if (bins.length || stateLo) {
      const lo = new Date(Math.min(bins.length ? Date.parse(bins[0]) : Infinity, stateLo ? stateLo.getTime() : Infinity));
      const hi = new Date(Math.max(bins.length ? Date.parse(bins[bins.length - 1]) + 900_000 : 0, stateLo ? stateHi.getTime() : 0));
      const binList = sql`${sql.param(bins)}::timestamptz[]`;
      const callBins = (col: string) => sql`${sql.raw(col)} = ANY(${binList})`;
      const agentBins = (col: string) => stateLo
        ? sql`(${callBins(col)} OR (${sql.raw(col)} >= ${stateLo.toISOString()}::timestamptz AND ${sql.raw(col)} < ${stateHi.toISOString()}::timestamptz))`
        : callBins(col);
      const r = await recompute(tx, orgId, await orgTimeZone(tx, orgId), callBins, agentBins, lo.toISOString(), hi.toISOString(), nowIso, fcrWindowHours);
      result = { queueBins: r.q, agentBins: r.a, from: lo.toISOString(), to: hi.toISOString() };
    }
    await tx.execute(sql`INSERT INTO cc_kpi_watermarks (org_id, calls_updated_at, states_recorded_at, ran_at)
      VALUES (${orgId}, ${cutoff}::timestamptz, ${cutoff}::timestamptz, ${nowIso}::timestamptz)
      ON CONFLICT (org_id) DO UPDATE SET calls_updated_at = EXCLUDED.calls_updated_at, states_recorded_at = EXCLUDED.states_recorded_at, ran_at = EXCLUDED.ran_at`);
    return result;
  });
}
