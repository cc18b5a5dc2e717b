import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { audit } from '../../platform/audit.ts';
import { assertCan, type Ctx } from '../../platform/context.ts';
import { Conflict, Invalid, NotFound, isUniqueViolation } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { calendarFieldErrors, calendarFields, presentCalendar, settingsOfRow, type BusinessCalendarOutput } from './calendar-rules.ts';
import { assertNameFree, storedValues, unsetDefault } from './calendar-writes.ts';
import { findCalendarSettings, type CalendarRef } from './get-business-calendar.ts';
import { businessCalendars } from './tables.ts';

export const updateBusinessCalendarInput = calendarFields.extend({
  version: z.number().int().min(0).describe('The version you read; 0 saves the built-in default for the first time'),
  isDefault: z.boolean().optional().describe('Make this the default calendar (the previous default stops being it)'),
});
export type UpdateBusinessCalendarInput = z.input<typeof updateBusinessCalendarInput>;

const editable = ['name', 'timezone', 'week', 'useChinaHolidays', 'addedHolidays', 'removedHolidays', 'addedWorkdays', 'isDefault'] as const;

/**
 * Replaces a calendar's settings (PUT). `ref` is an id or 'default'; saving the built-in default the first time
 * (version 0) stores it. The caller's version must be current, else 409 with the current calendar.
 * Requires settings.manage; audited.
 */
export async function updateBusinessCalendar(ctx: Ctx, ref: CalendarRef, raw: UpdateBusinessCalendarInput): Promise<BusinessCalendarOutput> {
  assertCan(ctx.actor, 'settings.manage');
  const input = updateBusinessCalendarInput.parse(raw);
  const errors = calendarFieldErrors(input, ctx.actor.locale);
  if (errors.length) throw new Invalid(errors);
  try {
    return await ctx.db.transaction(async (tx) => {
      const before = await findCalendarSettings(ctx, ref, { db: tx, forUpdate: true });
      if (before.version !== input.version) throw new Conflict('error.stale_version', {}, presentCalendar(before, ctx.now()));
      await assertNameFree(tx, ctx.actor.orgId, input.name, before.id);
      const next = { ...storedValues(input), isDefault: before.id === null ? true : input.isDefault ?? before.isDefault };
      if (next.isDefault && !before.isDefault) await unsetDefault(ctx, tx);

      if (before.id === null) {
        const [row] = await tx
          .insert(businessCalendars)
          .values({ id: newId(), orgId: ctx.actor.orgId, ...next, version: 1, createdBy: ctx.actor.userId, createdAt: ctx.now(), updatedAt: ctx.now() })
          .returning();
        await audit(ctx, { action: 'business_calendar.create', entityType: 'business_calendar', entityId: row.id, data: { ...next } }, tx);
        return presentCalendar(settingsOfRow(row), ctx.now());
      }

      const changes: Record<string, { before: unknown; after: unknown }> = {};
      for (const k of editable) {
        if (JSON.stringify(before[k]) !== JSON.stringify(next[k])) changes[k] = { before: before[k], after: next[k] };
      }
      if (Object.keys(changes).length === 0) return presentCalendar(before, ctx.now());
      const [row] = await tx
        .update(businessCalendars)
        .set({ ...next, version: sql`${businessCalendars.version} + 1`, updatedAt: ctx.now() })
        .where(and(eq(businessCalendars.id, before.id), eq(businessCalendars.orgId, ctx.actor.orgId), eq(businessCalendars.version, input.version)))
        .returning();
      if (!row) throw new NotFound('business_calendar');
      await audit(ctx, { action: 'business_calendar.update', entityType: 'business_calendar', entityId: row.id, data: { version: row.version, changes } }, tx);
      return presentCalendar(settingsOfRow(row), ctx.now());
    });
  } catch (err) {
    // Two first saves of the default, or two renames to one name, raced past the checks above.
    if (isUniqueViolation(err)) throw new Conflict('error.stale_version');
    throw err;
  }
}
