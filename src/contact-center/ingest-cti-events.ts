// CTI ingestion (来电事件接入): call events from the PBX (offered, queued, answered, transferred, abandoned,
// ended), one or a batch, in one SQL statement per request, or two when the batch brings callers' numbers:
//   1. insert the events, ON CONFLICT (org_id, event_id) DO NOTHING: a replayed event id is accepted and ignored;
//      aggregate the events actually inserted per call and merge them into the call record with an upsert
//      whose merge is order-free (earliest offer and answer, latest end, abandoned/transferred once seen,
//      answering and transferring agents' marks appended as a multiset):
//      batches may arrive in any order and concurrently, and the row lock of the upsert serializes merges;
//   2. calls whose number arrived in this batch and that have no customer yet are attached to the customer
//      holding that phone (GIN index on customers.phones) and get the caller's priority.
// Why two statements rather than one: the planner cannot estimate a GIN lookup keyed by another row's value
// (it assumes 0.5% of customers match), so one statement holding both looked expensive enough for
// PostgreSQL's JIT compiler, which then spent ~50 ms compiling a statement that runs in ~4 ms.
import { sql, type SQL } from 'drizzle-orm';
import type { z } from 'zod';
import type { PgDialect } from 'drizzle-orm/pg-core';
import pg from 'pg';
import { rows, statementName, type Db } from '../db/open.ts';
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
  const [r] = await preparedRows<{ accepted: number; calls: number; attach: string[] | string | null }>(ctx.db, 'cc_ingest', ingestStatement(ctx.actor.orgId, payload, ctx.now().toISOString()));
  const accepted = r?.accepted ?? 0;
  const attach = typeof r?.attach === 'string' ? r.attach.replace(/[{}]/g, '').split(',').filter(Boolean) : (r?.attach ?? []);
  if (attach.length) await preparedRows(ctx.db, 'cc_attach', attachStatement(ctx.actor.orgId, attach));
  return { received: events.length, accepted, duplicates: events.length - accepted, calls: r?.calls ?? 0 };
}

/**
 * On PostgreSQL, run a statement whose text does not vary (only its parameters do) as a named prepared
 * statement: node-postgres parses it once per connection and PostgreSQL can reuse its plan, instead of
 * parsing and planning the ten CTEs on every request. PGlite runs it as usual.
 */
async function preparedRows<T>(db: Db, prefix: string, query: SQL): Promise<T[]> {
  const client = (db as unknown as { $client?: unknown }).$client;
  const dialect = (db as unknown as { dialect?: PgDialect }).dialect;
  if (client instanceof pg.Pool && dialect) {
    const q = dialect.sqlToQuery(query);
    const r = await client.query({ name: statementName(prefix, q.sql), text: q.sql, values: q.params });
    return r.rows as T[];
  }
  return rows<T>(db, query);
}

/** The ingestion statement for a JSON payload of compact events (see ingestParsed). */
export function ingestStatement(org: string, payload: string, now: string): SQL {
  return sql`
    WITH input AS (
      SELECT * FROM jsonb_to_recordset(${payload}::jsonb) AS x(e text, c text, u uuid, t text, at timestamptz, q text, a text, p text, w int)
    ), ins AS (
      INSERT INTO cc_cti_events (org_id, event_id, call_id, type, at, queue, agent, phone, acw_seconds, received_at)
      SELECT ${org}::uuid, e, c, t, at, q, a, p, w, ${now}::timestamptz FROM input ORDER BY e -- one lock order for concurrent replays
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
        (array_agg(phone ORDER BY at) FILTER (WHERE phone IS NOT NULL))[1] AS phone,
        -- Agents the call rang (a ring with no answer is an offered/queued event naming the agent) and who answered it.
        COALESCE(array_agg(DISTINCT agent_id) FILTER (WHERE agent_id IS NOT NULL AND type IN ('offered', 'queued', 'answered', 'abandoned')), '{}') AS presented,
        COALESCE(array_agg(DISTINCT agent_id) FILTER (WHERE agent_id IS NOT NULL AND type = 'answered'), '{}') AS answered_agents,
        -- Agent marks (answers, transfers, after-call work) from which each agent's talk segment is derived (kpi-sql.ts).
        COALESCE(jsonb_agg(jsonb_build_object('k', type, 'at', at, 'ag', agent_id, 'tm', CASE WHEN type = 'answered' THEN team_id END, 'w', acw_seconds))
          FILTER (WHERE type IN ('answered', 'transferred') OR acw_seconds IS NOT NULL), '[]') AS marks
      FROM ev GROUP BY call_id
    ), up AS (
      INSERT INTO cc_calls AS c (id, org_id, call_id, offered_at, queue_id, queue_at, last_queue_id, last_queue_at, answered_at, agent_id, team_id,
        abandoned_at, ended_at, abandoned, transferred, acw_seconds, phone, customer_id, priority, presented_agent_ids, answered_agent_ids, agent_marks, updated_at)
      SELECT (SELECT u FROM input WHERE input.c = agg.call_id LIMIT 1), ${org}::uuid, agg.call_id, agg.offered_at, agg.queue_id, agg.queue_at,
        agg.last_queue_id, agg.last_queue_at, agg.answered_at, agg.agent_id, agg.team_id, agg.abandoned_at, agg.ended_at, agg.abandoned,
        agg.transferred, agg.acw_seconds, agg.phone, NULL, 0, agg.presented, agg.answered_agents, agg.marks, ${now}::timestamptz
      FROM agg
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
        presented_agent_ids = CASE WHEN EXCLUDED.presented_agent_ids <@ c.presented_agent_ids THEN c.presented_agent_ids
          ELSE ARRAY(SELECT DISTINCT x FROM unnest(c.presented_agent_ids || EXCLUDED.presented_agent_ids) AS x) END,
        answered_agent_ids = CASE WHEN EXCLUDED.answered_agent_ids <@ c.answered_agent_ids THEN c.answered_agent_ids
          ELSE ARRAY(SELECT DISTINCT x FROM unnest(c.answered_agent_ids || EXCLUDED.answered_agent_ids) AS x) END,
        -- Only events stored by this statement bring marks, so appending keeps each event's mark once.
        agent_marks = c.agent_marks || EXCLUDED.agent_marks,
        updated_at = EXCLUDED.updated_at
      RETURNING c.id, c.call_id, c.customer_id
    )
    SELECT (SELECT count(*) FROM ins)::int AS accepted, (SELECT count(*) FROM up)::int AS calls,
      (SELECT array_agg(up.id) FROM up JOIN agg ON agg.call_id = up.call_id WHERE up.customer_id IS NULL AND agg.phone IS NOT NULL) AS attach`;
}

/** Attach calls (row ids returned by the organization's ingestion statement) without a customer to the customer holding their phone, with the caller's priority. */
export function attachStatement(org: string, callIds: string[]): SQL {
  return sql`UPDATE cc_calls c SET customer_id = m.customer_id, priority = GREATEST(c.priority, m.priority)
    FROM (
      SELECT x.id, cu.id AS customer_id, ${callerPrioritySql(sql`cu.id`, sql`cu.tags`, sql`q.settings`)} AS priority
      FROM unnest(${sql.param(callIds)}::uuid[]) AS t(id)
      -- By primary key only: the ids come from the organization's own upsert just before, and an org_id
      -- condition here let the planner prefer an (org_id, …) index scan when statistics lag behind.
      JOIN cc_calls x ON x.id = t.id
      CROSS JOIN LATERAL (SELECT id, tags FROM customers WHERE org_id = ${org}::uuid AND phones @> ARRAY[x.phone] ORDER BY created_at, id LIMIT 1) cu
      LEFT JOIN cc_queues q ON q.id = x.queue_id
      WHERE x.customer_id IS NULL AND x.phone IS NOT NULL
    ) m
    WHERE c.id = m.id AND c.customer_id IS NULL`;
}
