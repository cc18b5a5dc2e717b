import { and, eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { describeDb } from '../db/test-harness.ts';
import { systemActor, makeCtx } from '../platform/context.ts';
import { Forbidden } from '../platform/errors.ts';
import { createServiceOrder } from './create-service-order.ts';
import { createEscalationRule } from './escalation-rules.ts';
import { getServiceOrder, listServiceOrderEvents } from './get-service-order.ts';
import { listServiceOrders } from './list-service-orders.ts';
import { listPendingEscalationNotifications, markEscalationsNotified } from './escalation-notifications.ts';
import { runSlaScanJob, scanSla } from './scan-sla.ts';
import { createSlaPolicy } from './sla-policies.ts';
import { serviceOrderEscalations } from './tables.ts';
import { at, seedService } from './test-setup.ts';
import { transitionServiceOrder } from './transition-service-order.ts';

describeDb('SLA scan and escalation', (get) => {
  it('marks at-risk and breached per target, escalates by rule exactly once across runs, skips paused orders', async () => {
    const { db } = get();
    const f = await seedService(db, 'Scan');
    const admin = f.ctx.admin;
    // 24×7: first response 60 min (at risk at 48), resolution 240 min (at risk at 192).
    await createSlaPolicy(admin, { name: '标准', firstResponseMinutes: 60, resolutionMinutes: 240, calendar: '24x7', atRiskPercent: 80 });
    const raise = await createEscalationRule(admin, { name: '首响超时提级', onState: 'breached', target: 'first_response', action: 'raise_priority' });
    const notify = await createEscalationRule(admin, { name: '解决预警通知组长', onState: 'at_risk', target: 'resolution', action: 'notify', targetUserId: f.userIds.supervisor });
    const reassign = await createEscalationRule(admin, { name: '解决超时转专家组', onState: 'breached', target: 'resolution', action: 'reassign_team', targetTeamId: f.complaintsTeam });

    const a = await createServiceOrder(admin, { type: 'repair', customerId: f.gdCustomerId, title: 'A' });
    let b = await createServiceOrder(admin, { type: 'repair', customerId: f.gdCustomerId, title: 'B', assigneeUserId: f.userIds.agent });
    let c = await createServiceOrder(admin, { type: 'repair', customerId: f.gdCustomerId, title: 'C', assigneeUserId: f.userIds.agent });
    f.set(at(5));
    b = await transitionServiceOrder(admin, b.id, { to: 'in_progress', version: b.version });
    c = await transitionServiceOrder(admin, c.id, { to: 'waiting_on_customer', version: c.version });

    const scan = (minutes: number) => scanSla(admin, { now: new Date(at(minutes)) });
    expect(await scan(47)).toEqual({ atRisk: 0, breached: 0, escalations: 0, actionsApplied: 0 });
    expect(await scan(50)).toEqual({ atRisk: 1, breached: 0, escalations: 0, actionsApplied: 0 });
    expect(await getServiceOrder(admin, a.id)).toMatchObject({ firstResponseSlaState: 'at_risk', slaState: 'at_risk', priority: 'normal' });
    expect((await listServiceOrders(admin, { view: 'at-risk' })).items.map((o) => o.title)).toEqual(['A']);

    expect(await scan(61)).toEqual({ atRisk: 0, breached: 1, escalations: 1, actionsApplied: 1 });
    expect(await getServiceOrder(admin, a.id)).toMatchObject({ firstResponseSlaState: 'breached', slaState: 'breached', priority: 'high', version: 2 });
    expect(await scan(61)).toEqual({ atRisk: 0, breached: 0, escalations: 0, actionsApplied: 0 });
    expect((await listServiceOrders(admin, { view: 'breached' })).items.map((o) => o.title)).toEqual(['A']);

    // Resolution at risk (192) for A and B; C is waiting on the customer: its clock stands still.
    expect(await scan(200)).toEqual({ atRisk: 2, breached: 0, escalations: 2, actionsApplied: 0 });
    const notifications = await db.select().from(serviceOrderEscalations).where(and(eq(serviceOrderEscalations.orgId, f.orgId), eq(serviceOrderEscalations.ruleId, notify.id)));
    expect(notifications.map((n) => [n.targetUserId, n.notifiedAt])).toEqual([[f.userIds.supervisor, null], [f.userIds.supervisor, null]]);
    const pending = (await listPendingEscalationNotifications(db)).filter((p) => p.orgId === f.orgId);
    expect(pending.map((p) => [p.serviceOrderNumber, p.reason, p.target]).sort()).toEqual([
      [a.number, 'at_risk', 'resolution'],
      [b.number, 'at_risk', 'resolution'],
    ]);
    const ids = pending.map((p) => p.escalationId);
    expect((await markEscalationsNotified(db, ids, new Date(at(201)))).sort()).toEqual([...ids].sort());
    expect(await markEscalationsNotified(db, ids, new Date(at(202)))).toEqual([]);
    expect((await listPendingEscalationNotifications(db)).filter((p) => p.orgId === f.orgId)).toEqual([]);

    // Breached at 240: both go to the specialist team, the person assignee cleared.
    expect(await scan(241)).toEqual({ atRisk: 0, breached: 2, escalations: 2, actionsApplied: 2 });
    expect(await getServiceOrder(admin, b.id)).toMatchObject({ resolutionSlaState: 'breached', assigneeTeamId: f.complaintsTeam, assigneeUserId: null, status: 'in_progress' });
    expect(await getServiceOrder(admin, a.id)).toMatchObject({ assigneeTeamId: f.complaintsTeam, status: 'assigned', priority: 'high' });
    expect(await scan(300)).toEqual({ atRisk: 0, breached: 0, escalations: 0, actionsApplied: 0 });
    expect(await getServiceOrder(admin, c.id)).toMatchObject({ slaState: 'ok', resolutionSlaState: 'ok', pausedSince: at(5) });

    const kinds = (await listServiceOrderEvents(admin, a.id)).map((e) => e.kind);
    expect(kinds).toEqual(['created', 'sla_at_risk', 'sla_breached', 'escalated', 'updated', 'sla_at_risk', 'escalated', 'sla_breached', 'escalated', 'assigned']);
    const all = await db.select().from(serviceOrderEscalations).where(eq(serviceOrderEscalations.orgId, f.orgId));
    expect(all.map((e) => `${e.serviceOrderId === a.id ? 'A' : 'B'}:${e.ruleId === raise.id ? 'raise' : e.ruleId === notify.id ? 'notify' : e.ruleId === reassign.id ? 'reassign' : '?'}`).sort()).toEqual([
      'A:notify',
      'A:raise',
      'A:reassign',
      'B:notify',
      'B:reassign',
    ]);
  });

  it('a crashed run leaves nothing behind and the next run does it all; a rule added later still fires once', async () => {
    const { db } = get();
    const f = await seedService(db, 'ScanCrash');
    const admin = f.ctx.admin;
    await createSlaPolicy(admin, { name: '标准', firstResponseMinutes: 60, resolutionMinutes: 240, calendar: '24x7' });
    await createEscalationRule(admin, { name: '提级', onState: 'breached', target: 'first_response', action: 'raise_priority' });
    const o = await createServiceOrder(admin, { type: 'repair', customerId: f.gdCustomerId, title: 'X' });

    const crash = await db
      .transaction(async (tx) => {
        await scanSla({ ...admin, db: tx }, { now: new Date(at(61)) });
        throw new Error('process died');
      })
      .catch((e: unknown) => e);
    expect((crash as Error).message).toBe('process died');
    expect(await getServiceOrder(admin, o.id)).toMatchObject({ slaState: 'ok', priority: 'normal', version: 1 });

    expect(await scanSla(admin, { now: new Date(at(61)) })).toEqual({ atRisk: 0, breached: 1, escalations: 1, actionsApplied: 1 });
    expect(await getServiceOrder(admin, o.id)).toMatchObject({ slaState: 'breached', priority: 'high' });

    // A rule created after the breach applies to the order's current state, once.
    await createEscalationRule(admin, { name: '通知', onState: 'breached', target: 'first_response', action: 'notify', targetTeamId: f.teamA });
    expect(await scanSla(admin, { now: new Date(at(70)) })).toEqual({ atRisk: 0, breached: 0, escalations: 1, actionsApplied: 0 });
    expect(await scanSla(admin, { now: new Date(at(80)) })).toEqual({ atRisk: 0, breached: 0, escalations: 0, actionsApplied: 0 });

    // The job scans every organization as a system actor; people cannot ask for that.
    const system = makeCtx(db, systemActor(f.orgId));
    expect(await scanSla(system, { now: new Date(at(90)), allOrganizations: true })).toMatchObject({ escalations: 0 });
    // The job's entry point: every organization, once.
    const o2 = await createServiceOrder(admin, { type: 'repair', customerId: f.gdCustomerId, title: 'Y' }); // created at T0 (the fixture clock)
    // Both rules of this organization match it: raise_priority and the notify rule added above.
    expect(await runSlaScanJob(db, { now: new Date(at(61)) })).toMatchObject({ breached: 1, escalations: 2, actionsApplied: 1 });
    expect((await getServiceOrder(admin, o2.id)).priority).toBe('high');
    await expect(scanSla(admin, { allOrganizations: true })).rejects.toBeInstanceOf(Forbidden);
    await expect(scanSla(f.ctx.agent, {})).rejects.toBeInstanceOf(Forbidden);
  });
});
