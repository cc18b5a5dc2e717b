import { asc, desc, eq } from 'drizzle-orm';
import type { Ctx } from '../../platform/context.ts';
import { builtInDefault, presentCalendar, settingsOfRow, type BusinessCalendarOutput } from './calendar-rules.ts';
import { orgTimezone } from './get-business-calendar.ts';
import { businessCalendars } from './tables.ts';

/** The organization's calendars, default first; the built-in default (id null) when none is saved as default. */
export async function listBusinessCalendars(ctx: Ctx): Promise<BusinessCalendarOutput[]> {
  const rows = await ctx.db
    .select()
    .from(businessCalendars)
    .where(eq(businessCalendars.orgId, ctx.actor.orgId))
    .orderBy(desc(businessCalendars.isDefault), asc(businessCalendars.name))
    .limit(500);
  const now = ctx.now();
  const items = rows.map((r) => presentCalendar(settingsOfRow(r), now));
  if (!rows.some((r) => r.isDefault)) items.unshift(presentCalendar(builtInDefault(await orgTimezone(ctx.db, ctx.actor.orgId), ctx.actor.locale), now));
  return items;
}
