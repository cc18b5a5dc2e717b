// CTI ingestion (来电事件接入): call events from the PBX (offered, queued, answered, transferred, abandoned,
// ended), one or a batch, in ONE SQL statement per request:
//   1. insert the events, ON CONFLICT (org_id, event_id) DO NOTHING: a replayed event id is accepted and ignored;
//   2. aggregate the events actually inserted per call and merge them into the call record with an upsert
//      whose merge is order-free (earliest offer and answer, latest end, abandoned/transferred once seen):
//      batches may arrive in any order and concurrently, and the row lock of the upsert serializes merges;
//   3. new callers are attached to customers by phone (GIN index on customers.phones) and get a priority.
import { sql, type SQL } from 'drizzle-orm';
import type { z } from 'zod';
import { rows } from '../db/open.ts';
import { assertCan, type Ctx } from '../platform/context.ts';
import { newId } from '../platform/ids.ts';
import { callerPrioritySql } from './caller-priority.ts';
import { normalizeCallerPhone } from './caller-phone.ts';
import { ctiIngestInput, type CtiEvent } from './schemas.ts';
import { notifyWallboard } from './wallboard-bus.ts';

export interface IngestResult { received: number; accepted: number; duplicates: number; calls: number }

export async function ingestCtiEvents(ctx: Ctx, raw: z.input<typeof ctiIngestInput>): Promise<IngestResult> {
  assertCan(ctx.actor, 'cti.ingest');
  const parsed = ctiIngestInput.parse(raw);
  const events: CtiEvent[] = 'events' in parsed ? parsed.events : [parsed];
  const result = await ingestParsed(ctx, events);
  if (result.accepted > 0) notifyWallboard(ctx.actor.orgId);
  return result;
}

/** The statement itself, for validated events (also used by the demo generator and the benchmark). */
export async function ingestParsed(ctx: Ctx, events: CtiEvent[]): Promise<IngestResult> {
  const callUuid = new Map<string, string>();
  const payload = JSON.stringify(events.map((e) => {
    let id = callUuid.get(e.callId);
    if (!id) callUuid.set(e.callId, (id = newId()));
    return { e: e.eventId, c: e.callId, u: id, t: e.type, at: e.at, q: e.queue ?? null, a: e.agent ?? null, p: normalizeCallerPhone(e.phone), w: e.acwSeconds ?? null };
  }));
  const [r] = await rows<{ accepted: number; calls: number }>(ctx.db, ingestStatement(ctx.actor.orgId, payload, ctx.now().toISOString()));
  const accepted = r?.accepted ?? 0;
  return { received: events.length, accepted, duplicates: events.length - accepted, calls: r?.calls ?? 0 };
}

/** The ingestion statement for a JSON payload of compact events (see ingestParsed). */
export function ingestStatement(org: string, payload: string, now: string): SQL {
  return sql`
    WITH input AS (
      SELECT * FROM jsonb_to_recordset(${payload}::jsonb) AS x(e text, c text, u uuid, t text, at timestamptz, q text, a text, p text, w int)
    ), ins AS (
      INSERT INTO cc_cti_events (org_id, event_id, call_id, type, at, queue, agent, phone, acw_seconds, received_at)
      SELECT ${org}::uuid, e, c, t, at, q, a, p, w, ${now}::timestamptz FROM input
      ON CONFLICT (org_id, event_id) DO NOTHING
      RETURNING event_id, call_id, type, at, queue, agent, phone, acw_seconds
    ), ev AS (
      SELECT i.*, q.id AS queue_id, ag.id AS agent_id, ag.team_id
      FROM ins i
      LEFT JOIN cc_queues q ON q.org_id = ${org}::uuid AND q.key = i.queue
      LEFT JOIN cc_agents ag ON ag.org_id = ${org}::uuid AND ag.extension = i.agent
    ), agg AS (
      SELECT call_id,
        min(at) FILTER (WHERE type IN ('offered', 'queued')) AS offered_at,
        (array_agg(queue_id ORDER BY at) FILTER (WHERE queue_id IS NOT NULL))[1] AS queue_id,
        min(at) FILTER (WHERE queue_id IS NOT NULL) AS queue_at,
        (array_agg(queue_id ORDER BY at DESC) FILTER (WHERE queue_id IS NOT NULL))[1] AS last_queue_id,
        max(at) FILTER (WHERE queue_id IS NOT NULL) AS last_queue_at,
        min(at) FILTER (WHERE type = 'answered') AS answered_at,
        (array_agg(agent_id ORDER BY at) FILTER (WHERE type = 'answered'))[1] AS agent_id,
        (array_agg(team_id ORDER BY at) FILTER (WHERE type = 'answered'))[1] AS team_id,
        min(at) FILTER (WHERE type = 'abandoned') AS abandoned_at,
        max(at) FILTER (WHERE type IN ('ended', 'abandoned')) AS ended_at,
        bool_or(type = 'abandoned') AS abandoned,
        bool_or(type = 'transferred') AS transferred,
        max(acw_seconds) AS acw_seconds,
        (array_agg(phone ORDER BY at) FILTER (WHERE phone IS NOT NULL))[1] AS phone
      FROM ev GROUP BY call_id
    ), up AS (
      INSERT INTO cc_calls AS c (id, org_id, call_id, offered_at, queue_id, queue_at, last_queue_id, last_queue_at, answered_at, agent_id, team_id,
        abandoned_at, ended_at, abandoned, transferred, acw_seconds, phone, customer_id, priority, updated_at)
      SELECT (SELECT u FROM input WHERE input.c = agg.call_id LIMIT 1), ${org}::uuid, agg.call_id, agg.offered_at, agg.queue_id, agg.queue_at,
        agg.last_queue_id, agg.last_queue_at, agg.answered_at, agg.agent_id, agg.team_id, agg.abandoned_at, agg.ended_at, agg.abandoned,
        agg.transferred, agg.acw_seconds, agg.phone, cu.id,
        ${callerPrioritySql(sql`cu.tags`, sql`qs.settings`)}, ${now}::timestamptz
      FROM agg
      LEFT JOIN LATERAL (
        SELECT id, tags FROM customers WHERE org_id = ${org}::uuid AND agg.phone IS NOT NULL AND phones @> ARRAY[agg.phone]
        ORDER BY created_at, id LIMIT 1
      ) cu ON true
      LEFT JOIN cc_queues qs ON qs.id = agg.queue_id
      ORDER BY agg.call_id
      ON CONFLICT (org_id, call_id) DO UPDATE SET
        offered_at = LEAST(c.offered_at, EXCLUDED.offered_at),
        queue_id = CASE WHEN c.queue_at IS NULL OR EXCLUDED.queue_at < c.queue_at THEN COALESCE(EXCLUDED.queue_id, c.queue_id) ELSE c.queue_id END,
        queue_at = LEAST(c.queue_at, EXCLUDED.queue_at),
        last_queue_id = CASE WHEN c.last_queue_at IS NULL OR EXCLUDED.last_queue_at >= c.last_queue_at THEN COALESCE(EXCLUDED.last_queue_id, c.last_queue_id) ELSE c.last_queue_id END,
        last_queue_at = GREATEST(c.last_queue_at, EXCLUDED.last_queue_at),
        agent_id = CASE WHEN c.answered_at IS NULL OR EXCLUDED.answered_at < c.answered_at THEN COALESCE(EXCLUDED.agent_id, c.agent_id) ELSE c.agent_id END,
        team_id = CASE WHEN c.answered_at IS NULL OR EXCLUDED.answered_at < c.answered_at THEN COALESCE(EXCLUDED.team_id, c.team_id) ELSE c.team_id END,
        answered_at = LEAST(c.answered_at, EXCLUDED.answered_at),
        abandoned_at = LEAST(c.abandoned_at, EXCLUDED.abandoned_at),
        ended_at = GREATEST(c.ended_at, EXCLUDED.ended_at),
        abandoned = c.abandoned OR EXCLUDED.abandoned,
        transferred = c.transferred OR EXCLUDED.transferred,
        acw_seconds = GREATEST(c.acw_seconds, EXCLUDED.acw_seconds),
        phone = COALESCE(c.phone, EXCLUDED.phone),
        customer_id = COALESCE(c.customer_id, EXCLUDED.customer_id),
        priority = CASE WHEN c.customer_id IS NULL OR c.queue_id IS NULL THEN GREATEST(c.priority, EXCLUDED.priority) ELSE c.priority END,
        updated_at = EXCLUDED.updated_at
      RETURNING 1
    )
    SELECT (SELECT count(*) FROM ins)::int AS accepted, (SELECT count(*) FROM up)::int AS calls`;
}
