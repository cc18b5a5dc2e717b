// Steps shared by the calendar writes (inside the caller's transaction).
import { and, eq, ne, sql } from 'drizzle-orm';
import type { Db } from '../../db/open.ts';
import { audit } from '../../platform/audit.ts';
import type { Ctx } from '../../platform/context.ts';
import { Conflict } from '../../platform/errors.ts';
import type { CalendarFields } from './calendar-rules.ts';
import { businessCalendars } from './tables.ts';

export async function assertNameFree(tx: Db, orgId: string, name: string, exceptId: string | null): Promise<void> {
  const conditions = [eq(businessCalendars.orgId, orgId), eq(businessCalendars.name, name)];
  if (exceptId) conditions.push(ne(businessCalendars.id, exceptId));
  const [taken] = await tx.select({ id: businessCalendars.id }).from(businessCalendars).where(and(...conditions));
  if (taken) throw new Conflict('error.calendar_name_taken', { name });
}

/** The organization's current default stops being the default (one default per organization). */
export async function unsetDefault(ctx: Ctx, tx: Db): Promise<void> {
  const changed = await tx
    .update(businessCalendars)
    .set({ isDefault: false, version: sql`${businessCalendars.version} + 1`, updatedAt: ctx.now() })
    .where(and(eq(businessCalendars.orgId, ctx.actor.orgId), eq(businessCalendars.isDefault, true)))
    .returning({ id: businessCalendars.id, version: businessCalendars.version });
  for (const c of changed) {
    await audit(ctx, { action: 'business_calendar.update', entityType: 'business_calendar', entityId: c.id, data: { version: c.version, changes: { isDefault: { before: true, after: false } } } }, tx);
  }
}

const sortedUnique = (xs: string[]) => [...new Set(xs)].sort();

/** The stored values of validated fields (date lists sorted, duplicates dropped). */
export function storedValues(f: CalendarFields) {
  return {
    name: f.name,
    timezone: f.timezone,
    week: f.week,
    useChinaHolidays: f.useChinaHolidays,
    addedHolidays: sortedUnique(f.addedHolidays),
    removedHolidays: sortedUnique(f.removedHolidays),
    addedWorkdays: sortedUnique(f.addedWorkdays),
  };
}
