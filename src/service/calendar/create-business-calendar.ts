import { z } from 'zod';
import { audit } from '../../platform/audit.ts';
import { assertCan, type Ctx } from '../../platform/context.ts';
import { Conflict, Invalid, isUniqueViolation } from '../../platform/errors.ts';
import { newId } from '../../platform/ids.ts';
import { calendarFieldErrors, calendarFields, presentCalendar, settingsOfRow, type BusinessCalendarOutput } from './calendar-rules.ts';
import { assertNameFree, storedValues, unsetDefault } from './calendar-writes.ts';
import { businessCalendars } from './tables.ts';

export const createBusinessCalendarInput = calendarFields.extend({
  isDefault: z.boolean().default(false).describe('Make this the default calendar (the previous default stops being it)'),
});
export type CreateBusinessCalendarInput = z.input<typeof createBusinessCalendarInput>;

/** Adds a named calendar (e.g. a 24×7 hotline next to office hours). Requires settings.manage; audited. */
export async function createBusinessCalendar(ctx: Ctx, raw: CreateBusinessCalendarInput): Promise<BusinessCalendarOutput> {
  assertCan(ctx.actor, 'settings.manage');
  const input = createBusinessCalendarInput.parse(raw);
  const errors = calendarFieldErrors(input, ctx.actor.locale);
  if (errors.length) throw new Invalid(errors);
  try {
    return await ctx.db.transaction(async (tx) => {
      await assertNameFree(tx, ctx.actor.orgId, input.name, null);
      if (input.isDefault) await unsetDefault(ctx, tx);
      const values = { ...storedValues(input), isDefault: input.isDefault };
      const [row] = await tx
        .insert(businessCalendars)
        .values({ id: newId(), orgId: ctx.actor.orgId, ...values, version: 1, createdBy: ctx.actor.userId, createdAt: ctx.now(), updatedAt: ctx.now() })
        .returning();
      await audit(ctx, { action: 'business_calendar.create', entityType: 'business_calendar', entityId: row.id, data: { ...values } }, tx);
      return presentCalendar(settingsOfRow(row), ctx.now());
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new Conflict('error.calendar_name_taken', { name: input.name });
    throw err;
  }
}
