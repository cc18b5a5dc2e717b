import { and, eq } from 'drizzle-orm';
import pino from 'pino';
import { expect, it } from 'vitest';
import { buildApp } from '../../http/app.ts';
import { describeDb } from '../../db/test-harness.ts';
import { seedOrg } from '../../db/test-fixtures.ts';
import { makeCtx } from '../../platform/context.ts';
import { createOrganization } from '../../platform/create-organization.ts';
import { Conflict, Forbidden, Invalid, NotFound } from '../../platform/errors.ts';
import { auditLog } from '../../platform/tables.ts';
import { addBusinessMinutes, type WorkingHours } from '../model/business-calendar.ts';
import { slaDueAt } from '../model/sla-clock.ts';
import { createBusinessCalendar } from './create-business-calendar.ts';
import { getBusinessCalendar, getBusinessCalendarSettings } from './get-business-calendar.ts';
import { listBusinessCalendars } from './list-business-calendars.ts';
import { updateBusinessCalendar, type UpdateBusinessCalendarInput } from './update-business-calendar.ts';

const bj = (s: string) => new Date(`${s.replace(' ', 'T')}:00+08:00`);
const iso = (d: Date | null) => (d ? d.toISOString() : null);
/** Mid-2025 in Beijing: the default calendar holds China's dates of 2024, 2025 and 2026. */
const now = () => new Date('2025-06-15T02:00:00Z');
const nineToSix: WorkingHours[] = [{ start: '09:00', end: '18:00' }];
const lunch: WorkingHours[] = [{ start: '09:00', end: '12:00' }, { start: '13:00', end: '18:00' }];
const weekdays = (h: WorkingHours[]) => [[], h, h, h, h, h, []];

const config = { sessionHours: 12, maxUploadBytes: 1024 * 1024, loginRatePerMinute: 50, cookieSecure: false };

async function errorOf(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected an error');
}

describeDb('business calendars: default, edits, versions, permissions', (get) => {
  it('gives every staff member the built-in default: Mon–Fri 09:00–18:00 with China holidays of last, this and next year', async () => {
    const org = await seedOrg(get().db, 'Calendar Default', { now });
    for (const role of ['agent', 'analyst', 'admin'] as const) {
      const cal = await getBusinessCalendar(org.ctx[role]);
      expect(cal.timezone).toBe('Asia/Shanghai');
      expect(cal.week).toEqual(weekdays(nineToSix));
      expect(cal.holidays).toEqual(expect.arrayContaining(['2024-10-01', '2025-10-01', '2025-10-08', '2026-10-01']));
      expect(cal.workdays).toEqual(expect.arrayContaining(['2025-09-28', '2025-10-11']));
    }
    const cal = await getBusinessCalendar(org.ctx.agent);
    // Tue 09-30 17:00 + 120: 17–18 = 60; 10-01..10-08 closed; Thu 10-09 09:00 + 60 → 10:00.
    expect(iso(addBusinessMinutes(cal, bj('2025-09-30 17:00'), 120))).toBe(iso(bj('2025-10-09 10:00')));
    // Make-up Saturday 10-11: Fri 10-10 17:30 + 60 → 30 Friday, Sat 09:00 + 30 → 09:30.
    expect(iso(slaDueAt(cal, bj('2025-10-10 17:30'), 60, []))).toBe(iso(bj('2025-10-11 09:30')));

    // A clock started in 2022 needs that year's dates too (2022-10-03 was a National Day holiday, a Monday).
    expect(cal.holidays).not.toContain('2022-10-03');
    expect((await getBusinessCalendar(org.ctx.agent, { since: new Date('2022-09-30T02:00:00Z') })).holidays).toContain('2022-10-03');

    const settings = await getBusinessCalendarSettings(org.ctx.agent, 'default');
    expect(settings).toMatchObject({ id: null, version: 0, isDefault: true, name: '默认工作日历', effective: { years: { from: 2024, to: 2026 }, missingYears: [] } });
    expect(await listBusinessCalendars(org.ctx.analyst)).toHaveLength(1);
  });

  it("uses the organization's time zone for the default", async () => {
    const { db } = get();
    const created = await createOrganization(db, { name: `Berlin ${Math.random()}`, adminEmail: `a${Date.now()}@berlin.test`, adminPassword: 'correct-horse-9', timezone: 'Europe/Berlin' });
    const ctx = makeCtx(db, { orgId: created.orgId, userId: created.adminId, role: 'admin', regionCodes: [], locale: 'en' }, { now });
    const cal = await getBusinessCalendar(ctx);
    expect(cal.timezone).toBe('Europe/Berlin');
    // Fri 2025-03-28 17:30 CET (16:30Z) + 60 → 30 on Friday, Mon 03-31 09:00 CEST + 30 → 09:30 CEST (07:30Z):
    // local hours after the DST change.
    expect(iso(addBusinessMinutes(cal, new Date('2025-03-28T16:30:00Z'), 60))).toBe('2025-03-31T07:30:00.000Z');
    expect((await getBusinessCalendarSettings(ctx, 'default')).name).toBe('Default business calendar');
  });

  it("applies the organization's edits on top of the published dates, with versions, 409 and audit", async () => {
    const org = await seedOrg(get().db, 'Calendar Edits', { now });
    const admin = org.ctx.admin;
    const input: UpdateBusinessCalendarInput = {
      version: 0,
      name: '客服中心',
      timezone: 'Asia/Shanghai',
      week: weekdays(lunch),
      addedHolidays: ['2025-09-30'], // closed the day before National Day
      removedHolidays: ['2025-10-08'], // works the last day of the holiday
      addedWorkdays: ['2025-10-12'], // and the Sunday after it
    };
    const saved = await updateBusinessCalendar(admin, 'default', input);
    expect(saved).toMatchObject({ version: 1, isDefault: true, name: '客服中心' });
    expect(saved.id).toMatch(/^[0-9a-f-]{36}$/);

    const cal = await getBusinessCalendar(org.ctx.agent);
    expect(cal.week).toEqual(weekdays(lunch));
    expect(cal.holidays).toContain('2025-09-30');
    expect(cal.holidays).not.toContain('2025-10-08');
    expect(cal.holidays).toContain('2025-10-07');
    expect(cal.workdays).toEqual(expect.arrayContaining(['2025-09-28', '2025-10-11', '2025-10-12']));
    // Mon 09-29 17:00 + 120: 17–18 = 60; 09-30 added holiday; 10-01..10-07 closed; Wed 10-08 (worked) 09:00 + 60 → 10:00.
    expect(iso(addBusinessMinutes(cal, bj('2025-09-29 17:00'), 120))).toBe(iso(bj('2025-10-08 10:00')));
    // Sat 10-11 make-up day 17:00 + 120 → 60, Sun 10-12 (added workday, Monday's hours) 09:00 + 60 → 10:00.
    expect(iso(addBusinessMinutes(cal, bj('2025-10-11 17:00'), 120))).toBe(iso(bj('2025-10-12 10:00')));
    // The same calendar by its id.
    expect(await getBusinessCalendar(org.ctx.agent, { calendarId: saved.id })).toEqual(cal);

    const second = await updateBusinessCalendar(admin, 'default', { ...input, version: 1, addedHolidays: [] });
    expect(second.version).toBe(2);
    const stale = await errorOf(updateBusinessCalendar(admin, saved.id!, { ...input, version: 1 }));
    expect(stale).toBeInstanceOf(Conflict);
    expect((stale as Conflict).current).toMatchObject({ version: 2, addedHolidays: [] });
    // Saving the built-in default again (version 0) once one is stored is stale too.
    expect(await errorOf(updateBusinessCalendar(admin, 'default', { ...input, version: 0 }))).toBeInstanceOf(Conflict);
    // Nothing changed: no new version.
    expect((await updateBusinessCalendar(admin, 'default', { ...input, version: 2, addedHolidays: [] })).version).toBe(2);

    const entries = await get().db
      .select({ action: auditLog.action, data: auditLog.data })
      .from(auditLog)
      .where(and(eq(auditLog.orgId, org.orgId), eq(auditLog.entityType, 'business_calendar')))
      .orderBy(auditLog.id);
    expect(entries.map((e) => e.action)).toEqual(['business_calendar.create', 'business_calendar.update']);
    expect(entries[1].data).toEqual({ version: 2, changes: { addedHolidays: { before: ['2025-09-30'], after: [] } } });
  });

  it('refuses bad input with field errors in the caller language', async () => {
    const org = await seedOrg(get().db, 'Calendar Invalid', { now });
    const err = await errorOf(updateBusinessCalendar(org.ctx.admin, 'default', {
      version: 0,
      name: 'x',
      timezone: 'Mars/Olympus',
      week: [[], [{ start: '9:00', end: '18:00' }], [{ start: '18:00', end: '09:00' }], [{ start: '09:00', end: '12:00' }, { start: '11:30', end: '13:00' }], [], [], []],
      addedHolidays: ['2025-02-30'],
      removedHolidays: ['tomorrow'],
      addedWorkdays: ['2025-10-12', '2025-13-01'],
    }));
    expect(err).toBeInstanceOf(Invalid);
    const fields = (err as Invalid).fields;
    expect(fields.map((f) => `${f.path}:${f.code}`)).toEqual([
      'timezone:unknown_time_zone',
      'week.1.0.start:bad_time',
      'week.2.0.end:end_not_after_start',
      'week.3.1:overlapping_hours',
      'addedHolidays.0:bad_date',
      'addedWorkdays.1:bad_date',
      'removedHolidays.0:bad_date',
    ]);
    expect(fields[2].message).toBe('结束时间须晚于开始时间');
    const both = await errorOf(updateBusinessCalendar(org.ctx.admin, 'default', {
      version: 0, name: 'x', timezone: 'Asia/Shanghai', week: weekdays(nineToSix), addedHolidays: ['2025-10-12'], addedWorkdays: ['2025-10-12'],
    }));
    expect((both as Invalid).fields.map((f) => `${f.path}:${f.code}`)).toEqual(['addedWorkdays.0:date_closed_and_open']);
    const closed = await errorOf(updateBusinessCalendar(org.ctx.admin, 'default', { version: 0, name: 'x', timezone: 'Asia/Shanghai', week: [[], [], [], [], [], [], []] }));
    expect((closed as Invalid).fields.map((f) => `${f.path}:${f.code}`)).toEqual(['week:no_working_hours']);
    // Nothing was stored.
    expect((await getBusinessCalendarSettings(org.ctx.admin, 'default')).version).toBe(0);
  });

  it('lets only settings.manage edit, and keeps organizations apart', async () => {
    const a = await seedOrg(get().db, 'Calendar A', { now });
    const b = await seedOrg(get().db, 'Calendar B', { now });
    const input = { version: 0, name: 'A', timezone: 'Asia/Shanghai', week: weekdays(nineToSix) };
    for (const role of ['agent', 'supervisor', 'analyst', 'customer_manager'] as const) {
      expect(await errorOf(updateBusinessCalendar(a.ctx[role], 'default', input))).toBeInstanceOf(Forbidden);
    }
    const saved = await updateBusinessCalendar(a.ctx.admin, 'default', input);
    expect(await errorOf(getBusinessCalendar(b.ctx.admin, { calendarId: saved.id }))).toBeInstanceOf(NotFound);
    expect(await errorOf(getBusinessCalendarSettings(b.ctx.agent, saved.id!))).toBeInstanceOf(NotFound);
    expect(await errorOf(updateBusinessCalendar(b.ctx.admin, saved.id!, { ...input, version: 1 }))).toBeInstanceOf(NotFound);
    expect(await errorOf(getBusinessCalendarSettings(a.ctx.agent, 'not-a-uuid'))).toBeInstanceOf(NotFound);
    // B still has its own built-in default.
    expect((await getBusinessCalendarSettings(b.ctx.agent, 'default')).id).toBeNull();
  });

  it('adds named calendars; a new default replaces the old one', async () => {
    const org = await seedOrg(get().db, 'Calendar Many', { now });
    const admin = org.ctx.admin;
    const office = await updateBusinessCalendar(admin, 'default', { version: 0, name: '办公时间', timezone: 'Asia/Shanghai', week: weekdays(nineToSix) });
    const allDay: WorkingHours[] = [{ start: '00:00', end: '24:00' }];
    const hotline = await createBusinessCalendar(admin, {
      name: '7×24 热线',
      timezone: 'Asia/Shanghai',
      week: Array.from({ length: 7 }, () => allDay),
      useChinaHolidays: false,
      isDefault: true,
    });
    expect(await errorOf(createBusinessCalendar(admin, { name: '办公时间', timezone: 'Asia/Shanghai', week: weekdays(nineToSix) }))).toBeInstanceOf(Conflict);
    const items = await listBusinessCalendars(org.ctx.agent);
    expect(items.map((c) => [c.name, c.isDefault, c.version])).toEqual([['7×24 热线', true, 1], ['办公时间', false, 2]]);
    const def = await getBusinessCalendar(org.ctx.agent);
    expect(def.holidays).toEqual([]);
    // National Day on the hotline: Wed 10-01 10:00 + 90 → 11:30.
    expect(iso(addBusinessMinutes(def, bj('2025-10-01 10:00'), 90))).toBe(iso(bj('2025-10-01 11:30')));
    const officeCal = await getBusinessCalendar(org.ctx.agent, { calendarId: office.id });
    expect(iso(addBusinessMinutes(officeCal, bj('2025-10-01 10:00'), 90))).toBe(iso(bj('2025-10-09 10:30')));
    expect(hotline.effective.holidays).toEqual([]);
  });

  it('serves the settings routes: read for staff, write for settings.manage, 400/404/409 shapes', async () => {
    const { db, database } = get();
    const org = await seedOrg(db, 'Calendar HTTP', { now });
    const other = await seedOrg(db, 'Calendar HTTP other', { now });
    const app = await buildApp({ database, config, log: pino({ level: 'silent' }), webDir: null, now });
    const tokenOf = async (email: string, password: string) =>
      (await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password } })).json().token as string;
    const agent = { authorization: `Bearer ${await tokenOf(org.emails.agent, org.password)}` };
    const admin = { authorization: `Bearer ${await tokenOf(org.emails.admin, org.password)}`, 'accept-language': 'en' };
    const otherAdmin = { authorization: `Bearer ${await tokenOf(other.emails.admin, other.password)}` };

    const list = await app.inject({ method: 'GET', url: '/api/settings/business-calendars', headers: agent });
    expect(list.statusCode).toBe(200);
    expect(list.json().items[0]).toMatchObject({ id: null, version: 0, isDefault: true });
    const body = { version: 0, name: 'Office', timezone: 'Asia/Shanghai', week: weekdays(lunch), addedHolidays: ['2025-12-24'] };
    expect((await app.inject({ method: 'PUT', url: '/api/settings/business-calendars/default', headers: agent, payload: body })).statusCode).toBe(403);
    const put = await app.inject({ method: 'PUT', url: '/api/settings/business-calendars/default', headers: admin, payload: body });
    expect(put.statusCode).toBe(200);
    const saved = put.json();
    expect(saved).toMatchObject({ version: 1, name: 'Office', addedHolidays: ['2025-12-24'] });
    expect(saved.effective.holidays).toContain('2025-12-24');

    const one = await app.inject({ method: 'GET', url: `/api/settings/business-calendars/${saved.id}`, headers: agent });
    expect(one.statusCode).toBe(200);
    expect(one.json().week).toEqual(weekdays(lunch));
    expect((await app.inject({ method: 'GET', url: `/api/settings/business-calendars/${saved.id}`, headers: otherAdmin })).statusCode).toBe(404);

    const stale = await app.inject({ method: 'PUT', url: `/api/settings/business-calendars/${saved.id}`, headers: admin, payload: body });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().current).toMatchObject({ version: 1 });

    const bad = await app.inject({ method: 'PUT', url: '/api/settings/business-calendars/default', headers: admin, payload: { ...body, version: 1, week: weekdays([{ start: '18:00', end: '09:00' }]) } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().fields[0]).toEqual({ path: 'week.1.0.end', code: 'end_not_after_start', message: 'The end must be after the start' });
    const openapi = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    expect(Object.keys(openapi.paths['/api/settings/business-calendars/{id}'])).toEqual(['get', 'put']);
    await app.close();
  });
});
