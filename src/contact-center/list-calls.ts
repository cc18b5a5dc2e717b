// Call records (通话记录), newest first with a keyset cursor; agents with only read_own see the calls they
// answered (first or after a transfer), and so does the agent filter.
import { and, desc, eq, gte, lt, or, sql, type SQL } from 'drizzle-orm';
import type { z } from 'zod';
import { can, type Ctx } from '../platform/context.ts';
import { Forbidden, Invalid, fieldError } from '../platform/errors.ts';
import { isUuid } from '../platform/ids.ts';
import { decodeCursor, encodeCursor } from '../customers/cursor.ts';
import { listCallsQuery, type CallOutput } from './schemas.ts';
import { ccAgents, ccCalls } from './tables.ts';

type CallRow = typeof ccCalls.$inferSelect;

export function presentCall(r: CallRow): CallOutput {
  const iso = (d: Date | null) => (d ? d.toISOString() : null);
  return {
    id: r.id, callId: r.callId, offeredAt: iso(r.offeredAt), queueId: r.queueId, lastQueueId: r.lastQueueId, answeredAt: iso(r.answeredAt),
    agentId: r.agentId, answeredAgentIds: r.answeredAgentIds.length || !r.agentId ? r.answeredAgentIds : [r.agentId], teamId: r.teamId, endedAt: iso(r.endedAt), abandoned: r.abandoned, transferred: r.transferred,
    waitSeconds: r.waitSeconds, talkSeconds: r.talkSeconds, acwSeconds: r.acwSeconds, phone: r.phone, customerId: r.customerId, priority: r.priority,
  };
}

/**
 * Calls any of these agents answered at any point: the first answerer (agentId; also on call records written
 * without the answering agents' set) or a later one, e.g. a specialist after a transfer.
 */
function handledBy(ids: SQL): SQL {
  return sql`(${ccCalls.agentId} = ANY(${ids}) OR ${ccCalls.answeredAgentIds} && ${ids})`;
}

export async function listCalls(ctx: Ctx, raw: z.input<typeof listCallsQuery>): Promise<{ items: CallOutput[]; nextCursor: string | null }> {
  const q = listCallsQuery.parse(raw);
  const conds: SQL[] = [eq(ccCalls.orgId, ctx.actor.orgId)];
  if (!can(ctx.actor, 'contact_center.read')) {
    if (!can(ctx.actor, 'contact_center.read_own')) throw new Forbidden('contact_center.read');
    // The agent records of this user, in the same statement (an array; empty when the user has none).
    conds.push(handledBy(sql`ARRAY(SELECT ${ccAgents.id} FROM ${ccAgents} WHERE ${ccAgents.orgId} = ${ctx.actor.orgId} AND ${ccAgents.userId} = ${ctx.actor.userId})`));
  }
  if (q.from) conds.push(gte(ccCalls.offeredAt, new Date(q.from)));
  if (q.to) conds.push(lt(ccCalls.offeredAt, new Date(q.to)));
  if (q.queueId) conds.push(eq(ccCalls.queueId, q.queueId));
  if (q.agentId) conds.push(handledBy(sql`ARRAY[${q.agentId}::uuid]`));
  if (q.customerId) conds.push(eq(ccCalls.customerId, q.customerId));
  if (q.cursor) {
    const [at, id] = decodeCursor(q.cursor, 2);
    if (!isUuid(id) || Number.isNaN(Date.parse(at))) throw new Invalid([fieldError('cursor', 'bad_cursor', 'field.bad_cursor')], 'error.bad_cursor');
    conds.push(or(lt(ccCalls.offeredAt, new Date(at)), and(eq(ccCalls.offeredAt, new Date(at)), lt(ccCalls.id, id)))!);
  }
  conds.push(sql`${ccCalls.offeredAt} IS NOT NULL`);
  const found = await ctx.db.select().from(ccCalls).where(and(...conds)).orderBy(desc(ccCalls.offeredAt), desc(ccCalls.id)).limit(q.limit + 1);
  const page = found.slice(0, q.limit);
  const last = found.length > q.limit ? page[page.length - 1] : undefined;
  return { items: page.map(presentCall), nextCursor: last ? encodeCursor([last.offeredAt!.toISOString(), last.id]) : null };
}
