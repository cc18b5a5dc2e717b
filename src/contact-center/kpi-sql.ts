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
// - ASA: mean wait of answered calls. AHT: handle seconds / handled calls (answered and ended); a call's handle
//   seconds are its agents' segments (below) plus their after-call work when the PBX sent it, so the time a
//   transferred caller waits in the next queue is nobody's handle time. Transfer rate: answered calls transferred
//   / answered (a call counts once however often it was transferred).
// - FCR: an answered call whose caller (the customer, else the phone number) does not call again within
//   the organization's fcrWindowHours after it; eligible: answered calls with a known caller.
//
// Agent and team rows (per call and agent the call reached, a "leg"; attributed to the bin of the call's offer):
// - offered: the call was presented to the agent, i.e. an offered/queued/answered/abandoned CTI event of the
//   call names the agent (a PBX reports a ring with no answer as an `offered` event naming the agent; a
//   specialist answering after a transfer names themselves on `answered`). The first answerer always counts.
// - answered: the agent answered it; abandoned / short abandoned: presented to the agent, answered by nobody,
//   and the caller hung up (a call that rang the agent and was answered elsewhere is offered, not answered).
// - team: the same, counted once per call and team (a call ringing two agents of a team is one call offered to
//   the team). A leg's team is the agent's team when they answered the call (kept on the call and in its agent
//   marks), else the agent's current team. Calls that never reached an agent belong to no team (queue rows count them).
// - handled, handle time and transfers are per segment (段): each answer starts the answering agent's segment,
//   which ends at the first of: a transfer by that agent (or by an unnamed agent) at or after the answer, the next
//   answer by anyone, the call's end. An agent handled the call when one of their segments is closed; their handle
//   seconds are their segments' talk plus the after-call work of events naming them (an unnamed one goes to the
//   agent who answered last before it); they transferred it when one of their segments ended by a transfer.
//   So A answers, transfers, B answers in another queue: A talks from A's answer to the transfer, B from B's
//   answer to the end, and both handled the call. A team counts a call handled (transferred) once, its
//   handle seconds are its agents' sum. FCR stays with the call's first answerer (the one who owns the record).
// - calls without a transfer and with at most one answering agent (nearly all) take the call's own columns
//   instead of unpacking the marks: the same segment, answer to end, without the cost; so do call records
//   written without marks (the demo seeder), as one segment of the first answerer.
// - service level and ASA are queue measures (the caller's wait depends on the queue's staffing, not on an
//   agent) and are null on agent and team rows.
// Per agent and bin: seconds in available, on_call, after_call_work and break from the state events
// (a state lasts until the agent's next event, or now). Occupancy = (on call + ACW) / (available + on call + ACW).
import { sql, type SQL } from 'drizzle-orm';

export const BIN = sql.raw(`interval '15 minutes'`);
export const ORIGIN = sql.raw(`TIMESTAMPTZ '2000-01-01 00:00:00+00'`);
export const NO_QUEUE = '00000000-0000-0000-0000-000000000000';

/** Whether a call's single segment is its own answer → end (see the header); `a` is cc_calls or a row of callPartsSql. */
function singleSegmentSql(a: string): SQL {
  const x = sql.raw(a);
  return sql`(NOT ${x}.transferred AND cardinality(${x}.answered_agent_ids) <= 1 AND (${x}.agent_id IS NOT NULL OR cardinality(${x}.answered_agent_ids) = 0))`;
}

/**
 * Per agent who answered the call (row alias `a`: cc_calls, or a row of callPartsSql, which carries the same
 * columns): agent_id, team_id (their team when they answered), handled, handle_seconds, transferred, from the
 * call's agent marks (segments as in the header); a call without marks is its first answerer's single segment.
 */
export function agentSegmentsSql(a: string): SQL {
  const x = sql.raw(a);
  // One pass over the call's few marks: windows give each answer the first transfer at or after it (by the same
  // agent, or by an unnamed one) and the next answer, and each mark the agents who had answered up to it.
  return sql`SELECT s.who AS agent_id, (array_agg(s.tm ORDER BY s.at) FILTER (WHERE s.k = 'answered'))[1] AS team_id,
      bool_or(s.k = 'answered' AND s.e IS NOT NULL)::int AS handled,
      (COALESCE(sum(GREATEST(EXTRACT(EPOCH FROM s.e - s.at), 0)) FILTER (WHERE s.k = 'answered' AND s.e IS NOT NULL), 0)
        + CASE WHEN bool_or(s.k = 'answered' AND s.e IS NOT NULL) THEN COALESCE(max(s.w), 0) ELSE 0 END)::float8 AS handle_seconds,
      bool_or(s.k = 'answered' AND s.tr IS NOT NULL AND s.tr = s.e)::int AS transferred
    FROM (
      SELECT w.k, w.at, w.tm, w.w, w.tr, CASE WHEN w.k = 'answered' THEN LEAST(w.tr, w.nx, ${x}.ended_at) END AS e,
        CASE WHEN w.ag IS NULL AND w.k <> 'answered' THEN w.answerers[cardinality(w.answerers)] ELSE w.ag END AS who
      FROM (
        SELECT j.*,
          LEAST(min(j.at) FILTER (WHERE j.k = 'transferred') OVER (PARTITION BY j.ag ORDER BY j.at RANGE BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING),
            min(j.at) FILTER (WHERE j.k = 'transferred' AND j.ag IS NULL) OVER (ORDER BY j.at RANGE BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING)) AS tr,
          min(j.at) FILTER (WHERE j.k = 'answered') OVER (ORDER BY j.at RANGE BETWEEN interval '1 microsecond' FOLLOWING AND UNBOUNDED FOLLOWING) AS nx,
          array_agg(j.ag) FILTER (WHERE j.k = 'answered') OVER (ORDER BY j.at RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS answerers
        FROM (
          SELECT DISTINCT m.k, m.at, m.ag, m.tm, m.w FROM jsonb_to_recordset(CASE WHEN jsonb_array_length(${x}.agent_marks) > 0 THEN ${x}.agent_marks
            ELSE jsonb_build_array(jsonb_build_object('k', 'answered', 'at', ${x}.answered_at, 'ag', ${x}.agent_id, 'tm', ${x}.team_id, 'w', ${x}.acw_seconds)) END)
            AS m(k text, at timestamptz, ag uuid, tm uuid, w int)
          WHERE m.at IS NOT NULL
        ) j
      ) w
    ) s
    GROUP BY s.who HAVING bool_or(s.k = 'answered')`;
}

/** One row per call offered in the range with its KPI parts; `where` filters `c` (cc_calls) further. */
export function callPartsSql(orgId: string, where: SQL, fcrWindowHours: number): SQL {
  const win = sql`make_interval(hours => ${fcrWindowHours}::int)`;
  return sql`SELECT date_bin(${BIN}, c.offered_at, ${ORIGIN}) AS bin, c.id AS call_row, c.presented_agent_ids, c.answered_agent_ids,
      COALESCE(c.queue_id, ${NO_QUEUE}::uuid) AS queue_id, c.agent_id, c.team_id,
      c.agent_marks, c.answered_at, c.ended_at, c.acw_seconds, ${singleSegmentSql('c')} AS single_segment,
      1 AS offered,
      (c.answered_at IS NOT NULL)::int AS answered,
      (c.answered_at IS NULL AND c.abandoned)::int AS abandoned,
      (c.answered_at IS NULL AND c.abandoned AND c.wait_seconds < COALESCE(q.short_abandon_seconds, 5))::int AS short_abandoned,
      (c.answered_at IS NOT NULL AND c.wait_seconds <= COALESCE(q.target_seconds, 20))::int AS answered_in_target,
      (CASE WHEN COALESCE(q.exclude_short_abandons, true) AND c.answered_at IS NULL AND c.abandoned
        AND c.wait_seconds < COALESCE(q.short_abandon_seconds, 5) THEN 0 ELSE 1 END) AS sl_denominator,
      (CASE WHEN c.answered_at IS NOT NULL THEN c.wait_seconds ELSE 0 END) AS wait_answered,
      (c.answered_at IS NOT NULL AND c.ended_at IS NOT NULL)::int AS handled,
      (CASE WHEN c.answered_at IS NULL OR c.ended_at IS NULL THEN 0
        WHEN ${singleSegmentSql('c')} THEN c.talk_seconds + COALESCE(c.acw_seconds, 0)
        ELSE (SELECT COALESCE(sum(s.handle_seconds), 0) FROM (${agentSegmentsSql('c')}) s) END) AS handle_seconds,
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

/** One row per (call, agent it reached) from the rows of callPartsSql, with agent and team parts (see the header). */
export function agentLegsSql(parts: SQL): SQL {
  return sql`SELECT bin, agent_id, team_id, 1 AS offered, answered, abandoned, short_abandoned,
      rep AS team_offered, (rep = 1 AND bool_or(answered = 1) OVER w)::int AS team_answered,
      CASE WHEN rep = 1 THEN abandoned ELSE 0 END AS team_abandoned, CASE WHEN rep = 1 THEN short_abandoned ELSE 0 END AS team_short_abandoned,
      (rep = 1 AND bool_or(handled = 1) OVER w)::int AS team_handled, (rep = 1 AND bool_or(transferred = 1) OVER w)::int AS team_transferred,
      handled, handle_seconds, transferred, fcr_eligible, fcr_resolved
    FROM (
      SELECT l.*, (row_number() OVER (PARTITION BY l.call_row, l.team_id ORDER BY l.first DESC, l.agent_id) = 1)::int AS rep
      FROM (
        SELECT p.bin, p.call_row, l.agent_id, l.first,
          COALESCE((sg.segs -> l.agent_id::text ->> 'team_id')::uuid, CASE WHEN l.first THEN p.team_id ELSE ag.team_id END) AS team_id,
          (l.first OR l.agent_id = ANY(p.answered_agent_ids))::int AS answered,
          p.abandoned, p.short_abandoned,
          CASE WHEN NOT p.single_segment THEN COALESCE((sg.segs -> l.agent_id::text ->> 'handled')::int, 0) WHEN l.first THEN p.handled ELSE 0 END AS handled,
          CASE WHEN NOT p.single_segment THEN COALESCE((sg.segs -> l.agent_id::text ->> 'handle_seconds')::float8, 0) WHEN l.first THEN p.handle_seconds ELSE 0 END AS handle_seconds,
          CASE WHEN NOT p.single_segment THEN COALESCE((sg.segs -> l.agent_id::text ->> 'transferred')::int, 0) WHEN l.first THEN p.transferred ELSE 0 END AS transferred,
          CASE WHEN l.first THEN p.fcr_eligible ELSE 0 END AS fcr_eligible,
          CASE WHEN l.first THEN p.fcr_resolved ELSE 0 END AS fcr_resolved
        FROM (${parts}) p
        -- Segments per agent, unpacked once per call and only for calls with more than their single segment
        -- (a CASE evaluates its subquery only when taken; a join to it cost every call).
        CROSS JOIN LATERAL (SELECT CASE WHEN NOT p.single_segment THEN
          (SELECT jsonb_object_agg(s.agent_id::text, to_jsonb(s)) FROM (${agentSegmentsSql('p')}) s WHERE s.agent_id IS NOT NULL) END AS segs
          OFFSET 0) sg -- OFFSET 0: kept a subquery, so the CASE is evaluated once per call, not once per use
        CROSS JOIN LATERAL (
          SELECT DISTINCT x AS agent_id, x IS NOT DISTINCT FROM p.agent_id AS first
          FROM unnest(p.presented_agent_ids || p.answered_agent_ids || p.agent_id) AS x WHERE x IS NOT NULL
        ) l
        LEFT JOIN cc_agents ag ON ag.id = l.agent_id
      ) l
    ) r
    WINDOW w AS (PARTITION BY call_row, team_id)`;
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
