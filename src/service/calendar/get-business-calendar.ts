// PLACEHOLDER: replaced at merge by the SLA-clock helper's implementation
import type { Db } from '../../db/open.ts';
import type { Ctx } from '../../platform/context.ts';
import { ALWAYS_OPEN, type BusinessCalendar } from '../model/business-calendar.ts';

export async function getBusinessCalendar(_ctx: Ctx, _opts?: { calendarId?: string; db?: Db }): Promise<BusinessCalendar> {
  return ALWAYS_OPEN;
}
