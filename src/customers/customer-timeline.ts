// 客户时间线: everything that happened to a customer, newest first, as one query. Each domain
// contributes a SQL source (contact logs and the audit log here; orders, service orders, calls,
// surveys later via registerTimelineSource). Sources are combined with UNION ALL; each branch
// applies the keyset cursor and the limit itself so that every branch is an index range scan.
import { sql, type SQL } from 'drizzle-orm';
import type { z } from 'zod';
import { rows } from '../db/open.ts';
import { assertCan, type Ctx } from '../platform/context.ts';
import { Invalid, fieldError } from '../platform/errors.ts';
import { isUuid } from '../platform/ids.ts';
import { t, type Locale } from '../i18n/messages.ts';
import { decodeCursor, encodeCursor, TIMESTAMP_TEXT } from './cursor.ts';
import { findCustomerInScope } from './get-customer.ts';
import './messages.ts';
import { maskDeep, maskText, mustMask } from './present-customer.ts';
import { timelineQuery, type timelineItem } from './schemas.ts';

export type TimelineItem = z.infer<typeof timelineItem>;

export interface TimelineSourceParams {
  orgId: string;
  customerId: string;
  /** Rows strictly older than this (occurred_at, id) key, or null for the first page. */
  before: { at: string; id: string } | null;
  limit: number;
}

export interface TimelineSource {
  name: string;
  /**
   * One SELECT returning exactly these columns, in this order, newest first, at most `limit` rows:
   * id uuid, kind text, occurred_at timestamptz, actor_id uuid, summary text, data jsonb.
   * Use `beforeCondition` for the cursor, and write `DESC NULLS LAST` to match drizzle-kit's indexes.
   */
  query(p: TimelineSourceParams): SQL;
  /** Summary text for rows whose SQL summary is empty (e.g. translated from kind and data). */
  summarize?(row: { kind: string; data: Record<string, unknown> }, locale: Locale): string;
}

/** `(occurred_at, id) < cursor` for a source's own columns, or TRUE on the first page. */
export function beforeCondition(at: SQL, id: SQL, before: TimelineSourceParams['before']): SQL {
  return before ? sql`(${at}, ${id}) < (${before.at}::timestamptz, ${before.id}::uuid)` : sql`true`;
}

const contactSource: TimelineSource = {
  name: 'contacts',
  query: (p) => sql`SELECT id, 'contact'::text AS kind, occurred_at, staff_id AS actor_id, summary,
      jsonb_build_object('channel', channel, 'direction', direction) AS data
    FROM contact_logs
    WHERE org_id = ${p.orgId} AND customer_id = ${p.customerId} AND ${beforeCondition(sql`occurred_at`, sql`id`, p.before)}
    ORDER BY occurred_at DESC NULLS LAST, id DESC NULLS LAST LIMIT ${p.limit}`,
};

const auditActions = ['customer.create', 'customer.update', 'customer.reveal'];

const auditSource: TimelineSource = {
  name: 'audit',
  query: (p) => sql`SELECT id, action AS kind, at AS occurred_at, actor_id, ''::text AS summary, data
    FROM audit_log
    WHERE org_id = ${p.orgId} AND entity_type = 'customer' AND entity_id = ${p.customerId}
      AND action = ANY(${sql.param(auditActions)}::text[]) AND ${beforeCondition(sql`at`, sql`id`, p.before)}
    ORDER BY at DESC NULLS LAST, id DESC NULLS LAST LIMIT ${p.limit}`,
  summarize: (row, locale) => {
    if (row.kind === 'customer.update') {
      const changes = row.data.changes && typeof row.data.changes === 'object' ? Object.keys(row.data.changes) : [];
      return t(locale, 'timeline.customer.update', { fields: changes.map((f) => t(locale, `field.${f}`)).join(locale === 'en' ? ', ' : '、') });
    }
    return t(locale, `timeline.${row.kind}`);
  },
};

/** The registry: later domains append their sources at startup. */
export const timelineSources: TimelineSource[] = [contactSource, auditSource];

export function registerTimelineSource(source: TimelineSource): void {
  const at = timelineSources.findIndex((s) => s.name === source.name);
  if (at >= 0) timelineSources[at] = source;
  else timelineSources.push(source);
}

interface RawItem {
  source: string;
  id: string;
  kind: string;
  occurred_at: Date | string;
  key: string;
  actor_id: string | null;
  actor_name: string | null;
  summary: string;
  data: Record<string, unknown> | string | null;
}

export async function customerTimeline(
  ctx: Ctx,
  customerId: string,
  raw: z.input<typeof timelineQuery>,
): Promise<{ items: TimelineItem[]; nextCursor: string | null }> {
  assertCan(ctx.actor, 'customer.read');
  const query = timelineQuery.parse(raw);
  await findCustomerInScope(ctx, customerId);
  let before: TimelineSourceParams['before'] = null;
  if (query.cursor) {
    const [at, id] = decodeCursor(query.cursor, 2);
    if (!isUuid(id) || !TIMESTAMP_TEXT.test(at)) throw new Invalid([fieldError('cursor', 'bad_cursor', 'field.bad_cursor')], 'error.bad_cursor');
    before = { at, id };
  }
  const params: TimelineSourceParams = { orgId: ctx.actor.orgId, customerId, before, limit: query.limit + 1 };
  const branches = timelineSources.map((s) => sql`(SELECT ${s.name}::text AS source, b.* FROM (${s.query(params)}) b)`);
  const found = await rows<RawItem>(
    ctx.db,
    sql`SELECT t.source, t.id, t.kind, t.occurred_at, t.occurred_at::text AS key, t.actor_id, u.name AS actor_name, t.summary, t.data
      FROM (${sql.join(branches, sql` UNION ALL `)}) t
      LEFT JOIN users u ON u.id = t.actor_id
      ORDER BY t.occurred_at DESC, t.id DESC
      LIMIT ${query.limit + 1}`,
  );
  const page = found.slice(0, query.limit);
  const masked = mustMask(ctx.actor);
  const bySource = new Map(timelineSources.map((s) => [s.name, s]));
  const items = page.map((r): TimelineItem => {
    const data = (typeof r.data === 'string' ? JSON.parse(r.data) : (r.data ?? {})) as Record<string, unknown>;
    const summary = r.summary || bySource.get(r.source)?.summarize?.({ kind: r.kind, data }, ctx.actor.locale) || '';
    return {
      id: r.id,
      kind: r.kind,
      occurredAt: new Date(r.occurred_at).toISOString(),
      actorId: r.actor_id,
      actorName: r.actor_name,
      summary: masked ? maskText(summary) : summary,
      data: masked ? (maskDeep(data) as Record<string, unknown>) : data,
    };
  });
  const last = found.length > query.limit ? page[page.length - 1] : undefined;
  return { items, nextCursor: last ? encodeCursor([last.key, last.id]) : null };
}
