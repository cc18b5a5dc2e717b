// Days in the organization's time zone (default Asia/Shanghai), resolved in SQL on the server, so that a
// browser in another time zone asks for "2026-03-02" and gets the same day as one in Beijing.
import { sql } from 'drizzle-orm';
import { rows, type Db } from '../db/open.ts';
import { can, type Ctx } from '../platform/context.ts';
import { Forbidden } from '../platform/errors.ts';

export const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;

export async function orgTimeZone(db: Db, orgId: string): Promise<string> {
  const [r] = await rows<{ tz: string }>(db, sql`SELECT timezone AS tz FROM organizations WHERE id = ${orgId}`);
  return r?.tz ?? 'Asia/Shanghai';
}

/**
 * A range given as instants (ISO with offset) or as local days (YYYY-MM-DD in the organization's time
 * zone): a `from` day starts at its local midnight, a `to` day is inclusive (the range ends at the next
 * local midnight). Returns UTC ISO instants.
 */
export async function resolveRange(db: Db, tz: string, from: string, to: string): Promise<{ from: string; to: string }> {
  const bound = (v: string, end: boolean) => DAY_RE.test(v)
    ? sql`((${v}::date + ${end ? 1 : 0}::int)::timestamp AT TIME ZONE ${tz})`
    : sql`${v}::timestamptz`;
  const fmt = (e: ReturnType<typeof bound>) => sql`to_char(${e} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
  const [r] = await rows<{ from: string; to: string }>(db, sql`SELECT ${fmt(bound(from, false))} AS "from", ${fmt(bound(to, true))} AS "to"`);
  return { from: r.from, to: r.to };
}

export interface OrgCalendar {
  timezone: string;
  /** Today in the organization's time zone. */
  today: string;
  /** Monday of this week (Chinese weeks start on Monday). */
  weekStart: string;
}

export async function loadOrgCalendar(db: Db, orgId: string, now: Date): Promise<OrgCalendar> {
  const tz = await orgTimeZone(db, orgId);
  const [r] = await rows<{ today: string; week_start: string }>(db, sql`SELECT to_char(${now.toISOString()}::timestamptz AT TIME ZONE ${tz}, 'YYYY-MM-DD') AS today,
    to_char(date_trunc('week', ${now.toISOString()}::timestamptz AT TIME ZONE ${tz}), 'YYYY-MM-DD') AS week_start`);
  return { timezone: tz, today: r.today, weekStart: r.week_start };
}

/** For the dashboards' date pickers: anyone who may read contact center figures (their own included). */
export async function getOrgCalendar(ctx: Ctx): Promise<OrgCalendar> {
  if (!can(ctx.actor, 'contact_center.read') && !can(ctx.actor, 'contact_center.read_own')) throw new Forbidden('contact_center.read');
  return loadOrgCalendar(ctx.db, ctx.actor.orgId, ctx.now());
}
