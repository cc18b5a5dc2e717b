// The SQL parts of the contact center KPIs, shared by the raw query and the pre-aggregation job so that
// both count the same way. Intervals are 15-minute bins of UTC instants (date_bin from 2000-01-01 UTC):
// every time zone's offset is a multiple of 15 minutes, so they are also the local 15-minute intervals,
// and 30/60-minute intervals and days are unions of them in the organization's time zone.
//
// Per call (attributed to the bin of `offered_at` and the queue it was first offered to):
// - offered: 1; answered: answered_at known; abandoned: abandoned before an answer.
// - short abandon: abandoned with wait < the queue's shortAbandonSeconds.
// - service level numerator: answered with wait ≤ the queue's targetSeconds; denominator: offered, minus
//   short abandons when the queue's excludeShortAbandons is on (default). Abandons count against SL.
// - ASA: mean wait of answered calls. AHT: (talk + after-call work when the PBX sent it) / handled calls
//   (answered and ended). Transfer rate: answered calls transferred / answered.
// - FCR: an answered call whose caller (the customer, else the phone number) does not call again within
//   the organization's fcrWindowHours after it; eligible: answered calls with a known caller.
// Per agent and bin: seconds in available, on_call, after_call_work and break from the state events
// (a state lasts until the agent's next event, or now). Occupancy = (on call + ACW) / (available + on call + ACW).
import { sql, type SQL } from 'drizzle-orm';

export const BIN = sql.raw(`interval '15 minutes'`);
export const ORIGIN = sql.raw(`TIMESTAMPTZ '2000-01-01 00:00:00+00'`);
export const NO_QUEUE = '00000000-0000-0000-0000-000000000000';

/** One row per call offered in the range with its KPI parts; `where` filters `c` (cc_calls) further. */
export function callPartsSql(orgId: string, where: SQL, fcrWindowHours: number): SQL {
  const win = sql`make_interval(hours => ${fcrWindowHours}::int)`;
  return sql`SELECT date_bin(${BIN}, c.offered_at, ${ORIGIN}) AS bin,
      COALESCE(c.queue_id, ${NO_QUEUE}::uuid) AS queue_id, c.agent_id, c.team_id,
      1 AS offered,
      (c.answered_at IS NOT NULL)::int AS answered,
      (c.answered_at IS NULL AND c.abandoned)::int AS abandoned,
      (c.answered_at IS NULL AND c.abandoned AND c.wait_seconds < COALESCE(q.short_abandon_seconds, 5))::int AS short_abandoned,
      (c.answered_at IS NOT NULL AND c.wait_seconds <= COALESCE(q.target_seconds, 20))::int AS answered_in_target,
      (CASE WHEN COALESCE(q.exclude_short_abandons, true) AND c.answered_at IS NULL AND c.abandoned
        AND c.wait_seconds < COALESCE(q.short_abandon_seconds, 5) THEN 0 ELSE 1 END) AS sl_denominator,
      (CASE WHEN c.answered_at IS NOT NULL THEN c.wait_seconds ELSE 0 END) AS wait_answered,
      (c.answered_at IS NOT NULL AND c.ended_at IS NOT NULL)::int AS handled,
      (CASE WHEN c.answered_at IS NOT NULL AND c.ended_at IS NOT NULL THEN c.talk_seconds + COALESCE(c.acw_seconds, 0) ELSE 0 END) AS handle_seconds,
      (c.answered_at IS NOT NULL AND c.transferred)::int AS transferred,
      (c.answered_at IS NOT NULL AND (c.customer_id IS NOT NULL OR c.phone IS NOT NULL))::int AS fcr_eligible,
      (c.answered_at IS NOT NULL AND CASE
        WHEN c.customer_id IS NOT NULL THEN NOT EXISTS (SELECT 1 FROM cc_calls n WHERE n.org_id = c.org_id AND n.customer_id = c.customer_id
          AND n.offered_at > c.offered_at AND n.offered_at <= c.offered_at + ${win})
        WHEN c.phone IS NOT NULL THEN NOT EXISTS (SELECT 1 FROM cc_calls n WHERE n.org_id = c.org_id AND n.phone = c.phone
          AND n.offered_at > c.offered_at AND n.offered_at <= c.offered_at + ${win})
        ELSE false END)::int AS fcr_resolved
    FROM cc_calls c LEFT JOIN cc_queues q ON q.id = c.queue_id
    WHERE c.org_id = ${orgId} AND c.offered_at IS NOT NULL AND ${where}`;
}

/** Seconds per (bin, agent) in each working state within [from, to); the open last state runs until `now`. */
export function stateSecondsSql(orgId: string, from: string, to: string, now: string, agentIds: string[] | null = null): SQL {
  const only = (col: SQL) => (agentIds ? sql`${col} = ANY(${sql.param(agentIds)}::uuid[])` : sql`true`);
  return sql`WITH ev AS (
      SELECT e.agent_id, e.state, e.at, e.id FROM cc_agent_state_events e
      WHERE e.org_id = ${orgId} AND e.at >= ${from}::timestamptz AND e.at < ${to}::timestamptz AND ${only(sql`e.agent_id`)}
      UNION ALL
      SELECT a.id, p.state, p.at, p.id FROM cc_agents a
      CROSS JOIN LATERAL (SELECT e.state, e.at, e.id FROM cc_agent_state_events e
        WHERE e.org_id = ${orgId} AND e.agent_id = a.id AND e.at < ${from}::timestamptz ORDER BY e.at DESC LIMIT 1) p
      WHERE a.org_id = ${orgId} AND ${only(sql`a.id`)}
    ), sp AS (
      SELECT agent_id, state, GREATEST(at, ${from}::timestamptz) AS s,
        LEAST(COALESCE(lead(at) OVER (PARTITION BY agent_id ORDER BY at, id), ${now}::timestamptz), ${to}::timestamptz) AS e
      FROM ev
    )
    SELECT b AS bin, sp.agent_id,
      sum(EXTRACT(EPOCH FROM LEAST(sp.e, b + ${BIN}) - GREATEST(sp.s, b))) FILTER (WHERE sp.state = 'available') AS available_s,
      sum(EXTRACT(EPOCH FROM LEAST(sp.e, b + ${BIN}) - GREATEST(sp.s, b))) FILTER (WHERE sp.state = 'on_call') AS on_call_s,
      sum(EXTRACT(EPOCH FROM LEAST(sp.e, b + ${BIN}) - GREATEST(sp.s, b))) FILTER (WHERE sp.state = 'after_call_work') AS acw_s,
      sum(EXTRACT(EPOCH FROM LEAST(sp.e, b + ${BIN}) - GREATEST(sp.s, b))) FILTER (WHERE sp.state = 'break') AS break_s
    FROM sp CROSS JOIN LATERAL generate_series(date_bin(${BIN}, sp.s, ${ORIGIN}), sp.e - interval '1 microsecond', ${BIN}) AS b
    WHERE sp.e > sp.s AND sp.state <> 'offline'
    GROUP BY b, sp.agent_id`;
}
