// Wallboard (实时监控大屏): queue state now, computed from the tables — calls waiting and the longest wait
// per queue (a call waits in the queue it was last offered to until answered, abandoned or ended; calls
// older than 4 hours without an end are treated as lost events, not as waiting), today's offered,
// answered, abandoned and service level per queue (local day of the organization, same service-level
// definition as the KPIs), and agents by current state.
import { eq, sql } from 'drizzle-orm';
import { rows, type Db } from '../db/open.ts';
import { organizations } from '../platform/tables.ts';
import { agentStates, type AgentState } from './tables.ts';
import type { Wallboard } from './schemas.ts';

export async function computeWallboard(db: Db, orgId: string, now: Date): Promise<Wallboard> {
  const [org] = await db.select({ tz: organizations.timezone }).from(organizations).where(eq(organizations.id, orgId));
  const tz = org?.tz ?? 'Asia/Shanghai';
  const at = now.toISOString();
  const queues = await rows<{ queue_id: string; key: string; name: string; waiting: number; longest: number | null; offered: number; answered: number; abandoned: number; sl_num: number; sl_den: number }>(db, sql`
    WITH day AS (SELECT date_trunc('day', ${at}::timestamptz AT TIME ZONE ${tz}) AT TIME ZONE ${tz} AS start),
    waiting AS (
      SELECT COALESCE(last_queue_id, queue_id) AS queue_id, count(*)::int AS waiting, max(EXTRACT(EPOCH FROM ${at}::timestamptz - offered_at))::float8 AS longest
      FROM cc_calls WHERE org_id = ${orgId} AND answered_at IS NULL AND ended_at IS NULL AND abandoned = false
        AND offered_at > ${at}::timestamptz - interval '4 hours' AND offered_at <= ${at}::timestamptz
      GROUP BY 1
    ), today AS (
      SELECT c.queue_id, count(*)::int AS offered, count(c.answered_at)::int AS answered, count(*) FILTER (WHERE c.abandoned AND c.answered_at IS NULL)::int AS abandoned,
        count(*) FILTER (WHERE c.answered_at IS NOT NULL AND c.wait_seconds <= q.target_seconds)::int AS sl_num,
        count(*) FILTER (WHERE NOT (q.exclude_short_abandons AND c.answered_at IS NULL AND c.abandoned AND c.wait_seconds < q.short_abandon_seconds))::int AS sl_den
      FROM cc_calls c JOIN cc_queues q ON q.id = c.queue_id
      WHERE c.org_id = ${orgId} AND c.offered_at >= (SELECT start FROM day) AND c.offered_at <= ${at}::timestamptz
      GROUP BY c.queue_id
    )
    SELECT q.id AS queue_id, q.key, q.name, COALESCE(w.waiting, 0) AS waiting, w.longest, COALESCE(t.offered, 0) AS offered, COALESCE(t.answered, 0) AS answered,
      COALESCE(t.abandoned, 0) AS abandoned, COALESCE(t.sl_num, 0) AS sl_num, COALESCE(t.sl_den, 0) AS sl_den
    FROM cc_queues q LEFT JOIN waiting w ON w.queue_id = q.id LEFT JOIN today t ON t.queue_id = q.id
    WHERE q.org_id = ${orgId} AND q.active ORDER BY q.key`);
  const states = await rows<{ state: AgentState; n: number }>(db, sql`SELECT state, count(*)::int AS n FROM cc_agents WHERE org_id = ${orgId} AND active GROUP BY state`);
  const agents = Object.fromEntries(agentStates.map((s) => [s, 0])) as Record<AgentState, number>;
  for (const s of states) agents[s.state] = Number(s.n);
  return {
    at,
    queues: queues.map((q) => ({
      queueId: q.queue_id, key: q.key, name: q.name, waiting: Number(q.waiting), longestWaitSeconds: q.longest === null ? null : Math.max(0, Math.round(Number(q.longest))),
      offeredToday: Number(q.offered), answeredToday: Number(q.answered), abandonedToday: Number(q.abandoned),
      serviceLevelToday: Number(q.sl_den) > 0 ? Number(q.sl_num) / Number(q.sl_den) : null,
    })),
    agents,
  };
}
