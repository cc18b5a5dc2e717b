// Schedule adherence (排班遵守率) per agent and local day, in SQL, from the rostered shifts (up to now) and the
// contact center's agent state events (a state holds until the agent's next event). A second of a shift is in
// adherence when the agent does what the schedule says: outside the scheduled break, a working state
// (available, on a call, after-call work); during the scheduled break, the `break` state — `available` during
// the break is out of adherence, as is a break taken outside it.
import { sql } from 'drizzle-orm';
import { rows } from '../db/open.ts';
import { assertCan, type Ctx } from '../platform/context.ts';
import { orgTimeZone } from './history.ts';
import type { AdherenceOutput, AdherenceTimelineOutput } from './schemas.ts';

export async function rosterAdherence(ctx: Ctx, rosterId: string): Promise<AdherenceOutput> {
  assertCan(ctx.actor, 'wfm.read');
  const orgId = ctx.actor.orgId;
  const tz = await orgTimeZone(ctx.db, orgId);
  const now = ctx.now().toISOString();
  const found = await rows<{ agent_id: string; agent_name: string; d: string; scheduled: number; break_s: number; inside: number }>(ctx.db, sql`
    WITH sched AS (
      SELECT agent_id, starts_at, LEAST(ends_at, ${now}::timestamptz) AS ends_at,
             break_starts_at AS bs, LEAST(break_ends_at, ${now}::timestamptz) AS be
      FROM wfm_roster_shifts WHERE org_id = ${orgId} AND roster_id = ${rosterId} AND starts_at < ${now}::timestamptz
    ), bounds AS (SELECT MIN(starts_at) AS lo, MAX(ends_at) AS hi FROM sched),
    ev AS (
      SELECT e.agent_id, e.state, e.at, LEAD(e.at) OVER (PARTITION BY e.agent_id ORDER BY e.at, e.id) AS until
      FROM cc_agent_state_events e, bounds
      WHERE e.org_id = ${orgId} AND e.agent_id IN (SELECT agent_id FROM sched) AND e.at < bounds.hi
    ), states AS (
      SELECT agent_id, at, COALESCE(until, ${now}::timestamptz) AS until,
             CASE WHEN state IN ('available', 'on_call', 'after_call_work') THEN 'work' WHEN state = 'break' THEN 'break' END AS activity
      FROM ev WHERE state IN ('available', 'on_call', 'after_call_work', 'break') AND COALESCE(until, ${now}::timestamptz) > (SELECT lo FROM bounds)
    ), per_shift AS (
      SELECT s.agent_id, s.starts_at, EXTRACT(EPOCH FROM s.ends_at - s.starts_at) AS scheduled,
             COALESCE(EXTRACT(EPOCH FROM GREATEST(s.be - s.bs, interval '0')), 0) AS break_s,
             COALESCE(SUM(CASE
               -- working: the part inside the shift, less the part inside the scheduled break
               WHEN w.activity = 'work' THEN GREATEST(0, EXTRACT(EPOCH FROM LEAST(s.ends_at, w.until) - GREATEST(s.starts_at, w.at)))
                 - CASE WHEN s.bs IS NULL THEN 0 ELSE GREATEST(0, EXTRACT(EPOCH FROM LEAST(s.be, w.until) - GREATEST(s.bs, w.at))) END
               -- on break: only the part inside the scheduled break
               ELSE CASE WHEN s.bs IS NULL THEN 0 ELSE GREATEST(0, EXTRACT(EPOCH FROM LEAST(s.be, w.until) - GREATEST(s.bs, w.at))) END
             END), 0) AS inside
      FROM sched s LEFT JOIN states w ON w.agent_id = s.agent_id AND w.at < s.ends_at AND w.until > s.starts_at
      GROUP BY s.agent_id, s.starts_at, s.ends_at, s.bs, s.be
    )
    SELECT p.agent_id, COALESCE(a.name, '') AS agent_name, to_char(p.starts_at AT TIME ZONE ${tz}, 'YYYY-MM-DD') AS d,
           SUM(p.scheduled)::float8 AS scheduled, SUM(p.break_s)::float8 AS break_s, SUM(p.inside)::float8 AS inside
    FROM per_shift p LEFT JOIN cc_agents a ON a.id = p.agent_id AND a.org_id = ${orgId}
    GROUP BY 1, 2, 3 ORDER BY 2, 3`);
  return {
    items: found.map((r) => ({
      agentId: r.agent_id, agentName: r.agent_name, date: r.d, scheduledSeconds: Number(r.scheduled), scheduledBreakSeconds: Number(r.break_s), inAdherenceSeconds: Number(r.inside),
      adherence: Number(r.scheduled) > 0 ? Number(r.inside) / Number(r.scheduled) : null,
    })),
  };
}

/** One agent's day: the scheduled work and break segments beside the agent's states, and the day's adherence. */
export async function adherenceTimeline(ctx: Ctx, rosterId: string, q: { agentId: string; date: string }): Promise<AdherenceTimelineOutput> {
  assertCan(ctx.actor, 'wfm.read');
  const orgId = ctx.actor.orgId;
  const tz = await orgTimeZone(ctx.db, orgId);
  const shifts = await rows<{ starts_at: string; ends_at: string; bs: string | null; be: string | null }>(ctx.db, sql`
    SELECT starts_at::text, ends_at::text, break_starts_at::text AS bs, break_ends_at::text AS be FROM wfm_roster_shifts
    WHERE org_id = ${orgId} AND roster_id = ${rosterId} AND agent_id = ${q.agentId} AND to_char(starts_at AT TIME ZONE ${tz}, 'YYYY-MM-DD') = ${q.date}
    ORDER BY starts_at`);
  const iso = (s: string) => new Date(s).toISOString();
  const schedule: AdherenceTimelineOutput['schedule'] = [];
  for (const s of shifts) {
    if (s.bs && s.be) schedule.push({ activity: 'work', from: iso(s.starts_at), to: iso(s.bs) }, { activity: 'break', from: iso(s.bs), to: iso(s.be) }, { activity: 'work', from: iso(s.be), to: iso(s.ends_at) });
    else schedule.push({ activity: 'work', from: iso(s.starts_at), to: iso(s.ends_at) });
  }
  const [agent] = await rows<{ name: string }>(ctx.db, sql`SELECT name FROM cc_agents WHERE org_id = ${orgId} AND id = ${q.agentId}`);
  const day = (await rosterAdherence(ctx, rosterId)).items.find((x) => x.agentId === q.agentId && x.date === q.date);
  const base = { agentId: q.agentId, agentName: agent?.name ?? '', date: q.date, schedule, scheduledSeconds: day?.scheduledSeconds ?? 0, inAdherenceSeconds: day?.inAdherenceSeconds ?? 0, adherence: day?.adherence ?? null };
  if (!shifts.length) return { ...base, states: [] };
  // The span shown: the shifts with an hour either side, up to now.
  const lo = new Date(Math.min(...shifts.map((s) => Date.parse(s.starts_at))) - 3_600_000).toISOString();
  const hi = new Date(Math.min(ctx.now().getTime(), Math.max(...shifts.map((s) => Date.parse(s.ends_at))) + 3_600_000)).toISOString();
  const states = await rows<{ state: string; f: string; u: string }>(ctx.db, sql`
    WITH ev AS (
      SELECT state, at, LEAD(at) OVER (ORDER BY at, id) AS until FROM cc_agent_state_events
      WHERE org_id = ${orgId} AND agent_id = ${q.agentId} AND at < ${hi}::timestamptz
    )
    SELECT state, GREATEST(at, ${lo}::timestamptz)::text AS f, LEAST(COALESCE(until, ${hi}::timestamptz), ${hi}::timestamptz)::text AS u
    FROM ev WHERE COALESCE(until, ${hi}::timestamptz) > ${lo}::timestamptz ORDER BY at`);
  return { ...base, states: states.filter((s) => Date.parse(s.u) > Date.parse(s.f)).map((s) => ({ state: s.state, from: iso(s.f), to: iso(s.u) })) };
}
