// Service orders on a business-hours SLA policy (calendar: 'business', the organization's default calendar:
// Mon–Fri 09:00–18:00 Asia/Shanghai = UTC+8, China's holidays and make-up working days). Every expected time
// below is computed by hand in the comment beside it, in local time, then converted to UTC (local − 8 h).
import { expect, it } from 'vitest';
import { describeDb } from '../db/test-harness.ts';
import { createServiceOrder } from './create-service-order.ts';
import { getServiceOrder } from './get-service-order.ts';
import { listServiceOrders } from './list-service-orders.ts';
import { scanSla } from './scan-sla.ts';
import { createSlaPolicy } from './sla-policies.ts';
import { seedService, type ServiceFixture } from './test-setup.ts';
import { transitionServiceOrder } from './transition-service-order.ts';

/** Shanghai wall-clock time 'YYYY-MM-DD HH:MM' as a UTC ISO string. */
const sh = (local: string): string => new Date(`${local.replace(' ', 'T')}:00+08:00`).toISOString();

/** First response 120 business minutes, resolution 1500 (= 2 days of 9 h + 420 min), at risk at 80 % (96 and 1200). */
async function businessPolicy(f: ServiceFixture) {
  return createSlaPolicy(f.ctx.admin, { name: '工作时间', firstResponseMinutes: 120, resolutionMinutes: 1500, calendar: 'business', atRiskPercent: 80 });
}

async function open(f: ServiceFixture, local: string, title: string) {
  f.set(sh(local));
  return createServiceOrder(f.ctx.admin, { type: 'repair', customerId: f.gdCustomerId, title, assigneeUserId: f.userIds.agent });
}

describeDb('service orders on a business-hours SLA', (get) => {
  it('due times skip nights, weekends and the 2025 National Day holiday, and count its make-up working days', async () => {
    const f = await seedService(get().db, 'SlaBusiness');
    const policy = await businessPolicy(f);

    // Across a night. Opened Tue 2026-03-03 17:00.
    // First response: 60 min Tue (17–18) + 60 min Wed → Wed 03-04 10:00 = 02:00Z.
    // Resolution: 60 Tue + 540 Wed + 540 Thu = 1140, 360 left → Fri 03-06 15:00 = 07:00Z.
    // At risk: FR 96 = 60 + 36 → Wed 09:36; resolution 1200 = 1140 + 60 → Fri 10:00.
    const night = await open(f, '2026-03-03 17:00', 'night');
    expect(night).toMatchObject({
      slaPolicyId: policy.id,
      firstResponseDueAt: '2026-03-04T02:00:00.000Z',
      resolutionDueAt: '2026-03-06T07:00:00.000Z',
      nextDueAt: '2026-03-04T02:00:00.000Z',
    });

    // Across a weekend. Opened Fri 2026-03-06 16:30.
    // First response: 90 min Fri + 30 min Mon → Mon 03-09 09:30 = 01:30Z.
    // Resolution: 90 Fri + 540 Mon + 540 Tue = 1170, 330 left → Wed 03-11 14:30 = 06:30Z.
    const weekend = await open(f, '2026-03-06 16:30', 'weekend');
    expect(weekend).toMatchObject({ firstResponseDueAt: '2026-03-09T01:30:00.000Z', resolutionDueAt: '2026-03-11T06:30:00.000Z' });

    // Into the 2025 National Day holiday (Oct 1–8 closed; Sun Sep 28 and Sat Oct 11 are make-up working days).
    // Opened Tue 2025-09-30 17:00. First response: 60 Tue + (Oct 1–8 closed) 60 Thu Oct 9 → 10-09 10:00 = 02:00Z.
    // Resolution: 60 Tue + 540 Thu Oct 9 + 540 Fri Oct 10 = 1140, 360 left → Sat Oct 11 (make-up day) 15:00 = 07:00Z.
    const holiday = await open(f, '2025-09-30 17:00', 'national day');
    expect(holiday).toMatchObject({ firstResponseDueAt: '2025-10-09T02:00:00.000Z', resolutionDueAt: '2025-10-11T07:00:00.000Z' });

    // Opened on Sat 2025-09-27 10:00 (closed): the clock starts on the make-up Sunday Sep 28 at 09:00.
    // First response → Sun 09-28 11:00 = 03:00Z. Resolution: 540 Sun + 540 Mon = 1080, 420 left → Tue 09-30 16:00 = 08:00Z.
    const makeUp = await open(f, '2025-09-27 10:00', 'make-up day');
    expect(makeUp).toMatchObject({ firstResponseDueAt: '2025-09-28T03:00:00.000Z', resolutionDueAt: '2025-09-30T08:00:00.000Z' });
  });

  it('stops the clock while waiting on the customer over a weekend: only the business minutes of the pause move the due time', async () => {
    const f = await seedService(get().db, 'SlaBusinessPause');
    await businessPolicy(f);
    // Opened Thu 2026-03-12 09:00. Resolution: 540 Thu + 540 Fri = 1080, 420 left → Mon 03-16 16:00 = 08:00Z.
    let o = await open(f, '2026-03-12 09:00', 'pause');
    expect(o.resolutionDueAt).toBe('2026-03-16T08:00:00.000Z');
    f.set(sh('2026-03-12 10:00'));
    o = await transitionServiceOrder(f.ctx.admin, o.id, { to: 'in_progress', version: o.version });
    expect(o).toMatchObject({ firstRespondedAt: sh('2026-03-12 10:00'), firstResponseSlaState: 'ok' });

    // Fri 17:00: waiting on the customer (1020 business minutes used, 480 left). The clock stops.
    f.set(sh('2026-03-13 17:00'));
    o = await transitionServiceOrder(f.ctx.admin, o.id, { to: 'waiting_on_customer', version: o.version });
    expect(o).toMatchObject({ pausedSince: sh('2026-03-13 17:00'), nextDueAt: null });

    // Mon 16:30 is past the original due time (16:00), but a paused order is neither at risk nor breached.
    expect(await scanSla(f.ctx.admin, { now: new Date(sh('2026-03-16 16:30')) })).toMatchObject({ atRisk: 0, breached: 0 });

    // The customer answers Tue 11:00. The pause lasted 90 wall-clock hours but only 60 (Fri 17–18) + 540 (Mon)
    // + 120 (Tue 09–11) = 720 business minutes. 480 left from Tue 11:00: 420 on Tue, 60 on Wed → Wed 03-18 10:00 = 02:00Z.
    f.set(sh('2026-03-17 11:00'));
    o = await transitionServiceOrder(f.ctx.admin, o.id, { to: 'in_progress', version: o.version });
    expect(o).toMatchObject({
      pausedSince: null,
      pausedMinutes: 720,
      resolutionDueAt: '2026-03-18T02:00:00.000Z',
      nextDueAt: '2026-03-18T02:00:00.000Z',
      slaState: 'ok',
    });
    // At risk at 1200 business minutes: 1020 before the pause + 180 after Tue 11:00 → Tue 14:00.
    expect(await scanSla(f.ctx.admin, { now: new Date(sh('2026-03-17 13:55')) })).toMatchObject({ atRisk: 0, breached: 0 });
    expect(await scanSla(f.ctx.admin, { now: new Date(sh('2026-03-17 14:05')) })).toMatchObject({ atRisk: 1, breached: 0 });
    expect(await getServiceOrder(f.ctx.admin, o.id)).toMatchObject({ resolutionSlaState: 'at_risk', slaState: 'at_risk' });
  });

  it('the SLA scan marks at risk and breached in business time, not wall-clock time', async () => {
    const f = await seedService(get().db, 'SlaBusinessScan');
    await businessPolicy(f);
    // The night order of the first test: FR at risk Wed 03-04 09:36, due 10:00; resolution at risk Fri 03-06 10:00.
    const o = await open(f, '2026-03-03 17:00', 'scan');
    const scan = (local: string) => scanSla(f.ctx.admin, { now: new Date(sh(local)) });
    // Tue 23:00 is 360 wall-clock minutes later (three times the 120-minute target) but only 60 business minutes.
    expect(await scan('2026-03-03 23:00')).toEqual({ atRisk: 0, breached: 0, escalations: 0, actionsApplied: 0 });
    expect(await scan('2026-03-04 09:35')).toMatchObject({ atRisk: 0, breached: 0 });
    expect(await scan('2026-03-04 09:40')).toMatchObject({ atRisk: 1, breached: 0 });
    expect(await getServiceOrder(f.ctx.admin, o.id)).toMatchObject({ firstResponseSlaState: 'at_risk', slaState: 'at_risk' });
    expect(await scan('2026-03-04 10:01')).toMatchObject({ atRisk: 0, breached: 1 });
    expect((await listServiceOrders(f.ctx.admin, { view: 'breached' })).items.map((i) => i.title)).toEqual(['scan']);
    // Resolution at risk at 1200 business minutes = Fri 10:00; due 1500 = Fri 15:00.
    expect(await scan('2026-03-06 09:59')).toMatchObject({ atRisk: 0, breached: 0 });
    expect(await scan('2026-03-06 10:05')).toMatchObject({ atRisk: 1, breached: 0 });
    expect(await getServiceOrder(f.ctx.admin, o.id)).toMatchObject({ firstResponseSlaState: 'breached', resolutionSlaState: 'at_risk' });
    expect(await scan('2026-03-06 15:01')).toMatchObject({ atRisk: 0, breached: 1 });
    expect(await getServiceOrder(f.ctx.admin, o.id)).toMatchObject({ resolutionSlaState: 'breached', slaState: 'breached' });
  });

  it('an order opened before last year keeps that year\'s holidays when its clock is recomputed', async () => {
    const f = await seedService(get().db, 'SlaBusinessOld');
    await businessPolicy(f);
    // Opened Tue 2025-09-30 17:00; first response Thu Oct 9 09:30 (before its 10:00 due).
    let o = await open(f, '2025-09-30 17:00', 'old');
    f.set(sh('2025-10-09 09:30'));
    o = await transitionServiceOrder(f.ctx.admin, o.id, { to: 'in_progress', version: o.version });
    // Fri Oct 10 17:00: waiting on the customer. Used: 60 (Sep 30) + 540 (Oct 9) + 480 (Oct 10) = 1080; 420 left.
    f.set(sh('2025-10-10 17:00'));
    o = await transitionServiceOrder(f.ctx.admin, o.id, { to: 'waiting_on_customer', version: o.version });
    // The customer answers on Mon 2027-01-04 09:00, more than a year later: the calendar then must still know
    // that Oct 1–8 2025 were closed, else the 1500 minutes would be used up before the pause.
    // 420 left from Mon 2027-01-04 09:00 → 16:00 = 08:00Z.
    f.set(sh('2027-01-04 09:00'));
    o = await transitionServiceOrder(f.ctx.admin, o.id, { to: 'in_progress', version: o.version });
    expect(o).toMatchObject({ resolutionDueAt: '2027-01-04T08:00:00.000Z', firstResponseSlaState: 'ok', slaState: 'ok' });
  });
});
