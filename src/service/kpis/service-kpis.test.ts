// Service-desk KPIs over a small fixture whose every figure is computed by hand below.
import pino from 'pino';
import { expect, it } from 'vitest';
import { describeDb } from '../../db/test-harness.ts';
import { buildApp } from '../../http/app.ts';
import { Forbidden, Invalid } from '../../platform/errors.ts';
import { createServiceOrder } from '../create-service-order.ts';
import { listCallbacks } from '../list-callbacks.ts';
import { recordCallbackOutcome } from '../record-callback-outcome.ts';
import type { ServiceOrderOutput } from '../schemas.ts';
import { createSlaPolicy } from '../sla-policies.ts';
import { at, seedService, type ServiceFixture } from '../test-setup.ts';
import { transitionServiceOrder } from '../transition-service-order.ts';
import { serviceKpis } from './service-kpis.ts';

/**
 * 24×7 policy: first response 60 min, resolution 240 min. T0 = 2026-03-02 01:00Z = Mon 09:00 Shanghai.
 * The period is the local day 2026-03-02 = [2026-03-01 16:00Z, 2026-03-02 16:00Z). KPIs are read at
 * Q = 2026-03-03 01:00Z (T0 + 1440).
 *
 *   E  2026-02-25 12:00Z  team A / agent  repair     open (assigned)          outside the period; backlog age 5 d 13 h
 *   F  2026-03-01 17:00Z  team A / agent  repair     open (assigned)          local Mar 2 01:00 (UTC date Mar 1!): inside;
 *                                                                              FR and resolution due passed, not met; age 32 h
 *   A  T0                 team A / agent  repair     FR +30 (met), resolved +120 (met), callback satisfied (rating 4) → closed
 *   B  T0+10              team A / agent  repair     FR +90 (due +70: breached), resolved +300 (due +250: breached),
 *                                                     reopened +320, resolved again +330; callback unreachable ×3 → done
 *   C  T0+20              —               inquiry    resolved at first contact +25 (FR and resolution met)
 *   D  T0+40              complaints team complaint  open (assigned); FR due +100 and resolution +280 passed; age 23 h 20 m
 *   G  2026-03-02 16:30Z  team A          repair     open; local Mar 3 00:30 (UTC date Mar 2!): outside; age 8 h 30 m
 */
async function fixture(f: ServiceFixture) {
  const admin = f.ctx.admin;
  await createSlaPolicy(admin, { name: '标准', firstResponseMinutes: 60, resolutionMinutes: 240, calendar: '24x7' });
  const repair = (title: string, extra: Record<string, unknown> = {}) =>
    createServiceOrder(admin, { type: 'repair', customerId: f.gdCustomerId, title, assigneeTeamId: f.teamA, assigneeUserId: f.userIds.agent, ...extra });
  const go = async (o: ServiceOrderOutput, minutes: number, to: ServiceOrderOutput['status'], extra: { resolution?: string } = {}) => {
    f.set(at(minutes));
    return transitionServiceOrder(admin, o.id, { to, version: o.version, ...extra });
  };

  f.set('2026-02-25T12:00:00.000Z');
  await repair('E');
  f.set('2026-03-01T17:00:00.000Z');
  await repair('F');
  f.set(at(0));
  let a = await repair('A');
  f.set(at(10));
  let b = await repair('B');
  f.set(at(20));
  let c = await createServiceOrder(admin, { type: 'inquiry', customerId: f.zjCustomerId, title: 'C' });
  f.set(at(40));
  await createServiceOrder(admin, { type: 'complaint', severity: 'low', customerId: f.vipCustomerId, title: 'D', assigneeTeamId: f.complaintsTeam });
  f.set('2026-03-02T16:30:00.000Z');
  await repair('G', { assigneeUserId: null });

  c = await go(c, 25, 'resolved', { resolution: '已解答' });
  a = await go(a, 30, 'in_progress');
  b = await go(b, 90, 'in_progress');
  a = await go(a, 120, 'resolved', { resolution: '更换电源' });
  b = await go(b, 300, 'resolved', { resolution: '重装系统' });
  b = await go(b, 320, 'in_progress');
  b = await go(b, 330, 'resolved', { resolution: '更换主板' });

  // Callbacks (repair: due 48 h after resolution), recorded in the period: A satisfied with rating 4;
  // B's customer cannot be reached three times (the organization's maximum), so its callback is done as unreachable.
  const pending = (await listCallbacks(admin, {})).items.filter((x) => x.status === 'pending');
  const cbA = pending.find((x) => x.serviceOrderId === a.id)!;
  const cbB = pending.find((x) => x.serviceOrderId === b.id)!;
  f.set(at(400));
  await recordCallbackOutcome(admin, cbA.id, { outcome: 'satisfied', satisfaction: 4 });
  for (let i = 0; i < 3; i++) await recordCallbackOutcome(admin, cbB.id, { outcome: 'unreachable' });
  f.set(at(1440));
}

describeDb('service-desk KPIs', (get) => {
  it('totals and groups by team, type and assignee over the local day, with hand-computed figures', async () => {
    const f = await seedService(get().db, 'Kpis');
    await fixture(f);
    const r = await serviceKpis(f.ctx.analyst, { from: '2026-03-02', to: '2026-03-02', groupBy: 'team' });

    // Without a period: the 30 days ending today in the organization's time zone, whatever the caller's.
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(f.ctx.analyst.now());
    const dflt = await serviceKpis(f.ctx.analyst, { groupBy: 'team' });
    expect(dflt).toMatchObject({ to: today, from: new Date(Date.parse(`${today}T00:00:00Z`) - 29 * 86_400_000).toISOString().slice(0, 10) });
    expect(dflt).toEqual(await serviceKpis(f.ctx.analyst, { from: dflt.from, to: dflt.to, groupBy: 'team' }));
    expect(r).toMatchObject({ timezone: 'Asia/Shanghai', periodStart: '2026-03-01T16:00:00.000Z', periodEnd: '2026-03-02T16:00:00.000Z' });

    // Cohort F, A, B, C, D. FR due 5 (F, D past due; A, B, C responded), met A, C. Resolution the same: 2 / 5.
    // Resolved A, B, C; first contact C → 1/3. Time to resolve 120, 320 (B: +10 → +330), 5 → avg 148.33, median 120.
    // Reopened B of 3 resolved. Backlog now: E (3–7 d), F (1–3 d), D and G (< 1 d). Callbacks done 2, reached 1 (A), satisfied 1.
    expect(r.total).toEqual({
      key: null,
      label: null,
      created: 5,
      firstResponse: { met: 2, due: 5, rate: 0.4 },
      resolution: { met: 2, due: 5, rate: 0.4 },
      firstContactResolution: { resolved: 3, firstContact: 1, rate: 0.3333 },
      timeToResolve: { resolved: 3, avgMinutes: 148.33, medianMinutes: 120 },
      reopen: { resolved: 3, reopened: 1, rate: 0.3333 },
      backlog: { open: 4, under1Day: 2, days1To3: 1, days3To7: 1, days7Plus: 0 },
      callbacks: { done: 2, reached: 1, satisfied: 1, satisfactionRate: 1, avgRating: 4 },
    });
    // One complaint (D) opened in the period; the three customers were created before its end: 1 × 10,000 / 3.
    expect(r.complaintRate).toMatchObject({ complaints: 1, customers: 3, ratePer10k: 3333.33 });

    // Team A: F, A, B (E and G only in its backlog). Median of 120 and 320 is 220.
    const teamA = r.groups.find((g) => g.key === f.teamA)!;
    expect(teamA).toEqual({
      key: f.teamA,
      label: '售后一组',
      created: 3,
      firstResponse: { met: 1, due: 3, rate: 0.3333 },
      resolution: { met: 1, due: 3, rate: 0.3333 },
      firstContactResolution: { resolved: 2, firstContact: 0, rate: 0 },
      timeToResolve: { resolved: 2, avgMinutes: 220, medianMinutes: 220 },
      reopen: { resolved: 2, reopened: 1, rate: 0.5 },
      backlog: { open: 3, under1Day: 1, days1To3: 1, days3To7: 1, days7Plus: 0 },
      callbacks: { done: 2, reached: 1, satisfied: 1, satisfactionRate: 1, avgRating: 4 },
    });
    const complaints = r.groups.find((g) => g.key === f.complaintsTeam)!;
    expect(complaints).toMatchObject({
      label: '投诉专员组',
      created: 1,
      firstResponse: { met: 0, due: 1, rate: 0 },
      firstContactResolution: { resolved: 0, firstContact: 0, rate: null },
      timeToResolve: { resolved: 0, avgMinutes: null, medianMinutes: null },
      reopen: { resolved: 0, reopened: 0, rate: null },
      backlog: { open: 1, under1Day: 1, days1To3: 0, days3To7: 0, days7Plus: 0 },
    });
    const unassigned = r.groups.find((g) => g.key === null)!;
    expect(unassigned).toMatchObject({ label: '未分派', created: 1, firstResponse: { met: 1, due: 1, rate: 1 }, firstContactResolution: { rate: 1 }, timeToResolve: { avgMinutes: 5 } });
    expect(r.groups.map((g) => g.created)).toEqual([3, 1, 1]);

    const byType = await serviceKpis(f.ctx.supervisor, { from: '2026-03-02', to: '2026-03-02', groupBy: 'type' });
    expect(byType.groups.map((g) => [g.key, g.created, g.backlog.open])).toEqual([
      ['repair', 3, 3],
      ['complaint', 1, 1],
      ['inquiry', 1, 0],
    ]);
    const byAssignee = await serviceKpis({ ...f.ctx.admin, actor: { ...f.ctx.admin.actor, locale: 'en' } }, { from: '2026-03-02', to: '2026-03-02', groupBy: 'assignee' });
    // The agent: F, A, B (+ E in the backlog); nobody: C, D (+ G in the backlog).
    expect(byAssignee.groups.map((g) => [g.label, g.created, g.backlog.open])).toEqual([['agent', 3, 2], ['Unassigned', 2, 2]]);
    expect(byAssignee.total).toEqual(r.total);
    const none = await serviceKpis(f.ctx.admin, { from: '2026-03-02', to: '2026-03-02' });
    expect(none.groups).toEqual([]);
    expect(none.total).toEqual(r.total);

    // The previous local day holds only the backlog (the backlog is always "open now"); E opened on Feb 25.
    const before = await serviceKpis(f.ctx.admin, { from: '2026-02-25', to: '2026-03-01' });
    expect(before.total).toMatchObject({ created: 1, firstResponse: { due: 1, met: 0 }, backlog: { open: 4 }, callbacks: { done: 0 } });
  });

  it('is for supervisors, admins and analysts; validates the period', async () => {
    const { db, database } = get();
    const f = await seedService(db, 'KpisPerm');
    await expect(serviceKpis(f.ctx.agent, { from: '2026-03-01', to: '2026-03-02' })).rejects.toBeInstanceOf(Forbidden);
    await expect(serviceKpis(f.ctx.customer_manager, { from: '2026-03-01', to: '2026-03-02' })).rejects.toBeInstanceOf(Forbidden);
    await expect(serviceKpis(f.ctx.admin, { from: '2026-03-02', to: '2026-03-01' })).rejects.toBeInstanceOf(Invalid);
    await expect(serviceKpis(f.ctx.admin, { from: '2026-02-30', to: '2026-03-01' })).rejects.toBeInstanceOf(Invalid);
    const empty = await serviceKpis(f.ctx.analyst, { from: '2026-03-01', to: '2026-03-31', groupBy: 'team' });
    expect(empty.total).toMatchObject({ created: 0, firstResponse: { due: 0, rate: null }, backlog: { open: 0 } });
    expect(empty.groups).toEqual([]);

    const app = await buildApp({ database, config: { sessionHours: 12, maxUploadBytes: 64 * 1024, loginRatePerMinute: 100, cookieSecure: false }, log: pino({ level: 'silent' }), webDir: null });
    try {
      const login = async (email: string) => (await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password: f.password } })).json().token as string;
      const get = (token: string, query: string) => app.inject({ method: 'GET', url: `/api/service-kpis?${query}`, headers: { authorization: `Bearer ${token}` } });
      const analyst = await login(f.emails.analyst);
      const ok = await get(analyst, 'from=2026-03-01&to=2026-03-31&groupBy=type');
      expect(ok.statusCode).toBe(200);
      expect(ok.json()).toMatchObject({ groupBy: 'type', total: { created: 0 }, complaintRate: { complaints: 0, customers: 3 } });
      expect((await get(analyst, 'from=2026-03-01&to=2026-03-31&groupBy=region')).statusCode).toBe(400);
      expect((await get(await login(f.emails.agent), 'from=2026-03-01&to=2026-03-31')).statusCode).toBe(403);
    } finally {
      await app.close();
    }
  });
});
