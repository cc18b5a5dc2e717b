import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/open.ts';
import type { Ctx } from '../../platform/context.ts';
import { NotFound } from '../../platform/errors.ts';
import { isUuid } from '../../platform/ids.ts';
import { organizations } from '../../platform/tables.ts';
import type { BusinessCalendar } from '../model/business-calendar.ts';
import { builtInDefault, effectiveCalendar, presentCalendar, settingsOfRow, type BusinessCalendarOutput, type CalendarSettings } from './calendar-rules.ts';
import { businessCalendars } from './tables.ts';

/** 'default' or a calendar id. */
export type CalendarRef = string;

export async function orgTimezone(db: Db, orgId: string): Promise<string> {
  const [org] = await db.select({ timezone: organizations.timezone }).from(organizations).where(eq(organizations.id, orgId));
  return org?.timezone ?? 'Asia/Shanghai';
}

/**
 * The settings of one calendar of the actor's organization: by id, or 'default' (the stored default, else the
 * built-in one). Another organization's id, or an id that is not a UUID, is not found.
 */
export async function findCalendarSettings(ctx: Ctx, ref: CalendarRef, opts: { db?: Db; forUpdate?: boolean } = {}): Promise<CalendarSettings> {
  const db = opts.db ?? ctx.db;
  const orgId = ctx.actor.orgId;
  if (ref !== 'default' && !isUuid(ref)) throw new NotFound('business_calendar');
  const where = ref === 'default'
    ? and(eq(businessCalendars.orgId, orgId), eq(businessCalendars.isDefault, true))
    : and(eq(businessCalendars.orgId, orgId), eq(businessCalendars.id, ref));
  const query = db.select().from(businessCalendars).where(where);
  const [row] = opts.forUpdate ? await query.for('update') : await query;
  if (row) return settingsOfRow(row);
  if (ref !== 'default') throw new NotFound('business_calendar');
  return builtInDefault(await orgTimezone(db, orgId), ctx.actor.locale);
}

/**
 * The calendar an SLA clock runs on: the given one, else the organization's default (Mon–Fri 09:00–18:00 in the
 * organization's time zone with China's holidays and make-up days of last, this and next year, plus the
 * organization's own edits). Any staff member may read it. Pass `db` to read inside a transaction.
 */
export async function getBusinessCalendar(
  ctx: Ctx,
  opts: {
    calendarId?: string | null;
    db?: Db;
    /** Also hold the published dates from this instant's year on (for clocks started before last year). */
    since?: Date;
  } = {},
): Promise<BusinessCalendar> {
  const settings = await findCalendarSettings(ctx, opts.calendarId ?? 'default', { db: opts.db });
  return effectiveCalendar(settings, ctx.now(), opts.since).calendar;
}

/** One calendar as the settings page shows it (its edits and the dates in effect). */
export async function getBusinessCalendarSettings(ctx: Ctx, ref: CalendarRef): Promise<BusinessCalendarOutput> {
  return presentCalendar(await findCalendarSettings(ctx, ref), ctx.now());
}
