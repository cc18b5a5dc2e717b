import { and, eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { describeDb } from '../db/test-harness.ts';
import { seedOrg } from '../db/test-fixtures.ts';
import { createCustomer } from '../customers/create-customer.ts';
import { Conflict, NotFound } from '../platform/errors.ts';
import { complaintRate } from './complaint-rate.ts';
import { createServiceOrder } from './create-service-order.ts';
import { COMPLAINT_ESCALATION_RULE_ID } from './escalate-complaint.ts';
import { getServiceOrder, listServiceOrderEvents } from './get-service-order.ts';
import { listCallbacks } from './list-callbacks.ts';
import { recordCallbackOutcome } from './record-callback-outcome.ts';
import { createServiceType } from './service-types.ts';
import { updateServiceSettings } from './service-settings.ts';
import { serviceOrderEscalations } from './tables.ts';
import { at, seedService } from './test-setup.ts';
import { transitionServiceOrder } from './transition-service-order.ts';
import { updateServiceOrder } from './update-service-order.ts';

describeDb('complaints and callbacks', (get) => {
  it('high-severity complaints go to the complaints team once; compensation needs a currency; complaint rate per 10,000', async () => {
    const { db } = get();
    const f = await seedService(db, 'Complaints');
    await updateServiceSettings(f.ctx.admin, { complaintTeamId: f.complaintsTeam });
    const agent = f.ctx.agent;
    const high = await createServiceOrder(agent, {
      type: 'complaint',
      customerId: f.gdCustomerId,
      title: '安装师傅态度差',
      severity: 'high',
      rootCause: 'service_attitude',
      compensationMinor: 5000,
      compensationCurrency: 'cny',
      assigneeUserId: f.userIds.agent,
    });
    expect(high).toMatchObject({ severity: 'high', rootCause: 'service_attitude', compensationMinor: 5000, compensationCurrency: 'CNY', assigneeTeamId: f.complaintsTeam, assigneeUserId: null, status: 'assigned' });
    expect((await listServiceOrderEvents(agent, high.id)).map((e) => e.kind)).toEqual(['created', 'assigned', 'escalated', 'assigned']);

    let medium = await createServiceOrder(agent, { type: 'complaint', customerId: f.zjCustomerId, title: '送货晚了', rootCause: 'delivery' });
    expect(medium).toMatchObject({ severity: 'medium', assigneeTeamId: null, status: 'new' });
    medium = await updateServiceOrder(agent, medium.id, { version: medium.version, severity: 'critical' });
    expect(medium).toMatchObject({ assigneeTeamId: f.complaintsTeam, status: 'assigned' });
    medium = await updateServiceOrder(agent, medium.id, { version: medium.version, assigneeTeamId: f.teamA });
    medium = await updateServiceOrder(agent, medium.id, { version: medium.version, severity: 'high' });
    // Escalated once: a later severity change does not pull it back to the complaints team.
    expect(medium.assigneeTeamId).toBe(f.teamA);
    const esc = await db.select().from(serviceOrderEscalations).where(and(eq(serviceOrderEscalations.orgId, f.orgId), eq(serviceOrderEscalations.ruleId, COMPLAINT_ESCALATION_RULE_ID)));
    expect(esc.length).toBe(2);

    const noCurrency = await updateServiceOrder(agent, medium.id, { version: medium.version, compensationMinor: 100, compensationCurrency: null }).catch((e: unknown) => e);
    expect((noCurrency as { fields: { path: string }[] }).fields.map((x) => x.path)).toEqual(['compensationCurrency']);

    // Three customers; two complaints in March, one in April.
    f.set('2026-04-02T00:00:00.000Z');
    await createServiceOrder(agent, { type: 'complaint', customerId: f.vipCustomerId, title: '四月投诉' });
    const march = await complaintRate(f.ctx.analyst, { from: '2026-03-01T00:00:00+08:00', to: '2026-04-01T00:00:00+08:00' });
    expect(march).toMatchObject({ complaints: 2, customers: 3, ratePer10k: 6666.67 });
    // The customer manager counts only Guangdong: two customers, one March complaint.
    expect(await complaintRate(f.ctx.customer_manager, { from: '2026-03-01T00:00:00+08:00', to: '2026-04-01T00:00:00+08:00' })).toMatchObject({ complaints: 1, customers: 2, ratePer10k: 5000 });
  });

  it('a high-severity complaint without a configured team still records its escalation', async () => {
    const { db } = get();
    const org = await seedOrg(db, 'NoTeam');
    const c = await createCustomer(org.ctx.admin, { name: '赵六' });
    const o = await createServiceOrder(org.ctx.agent, { type: 'complaint', customerId: c.id, title: '严重', severity: 'critical' });
    const [e] = await db.select().from(serviceOrderEscalations).where(eq(serviceOrderEscalations.serviceOrderId, o.id));
    expect(e).toMatchObject({ reason: 'complaint_severity', targetTeamId: null, appliedAt: null });
  });

  it('schedules a callback on resolution by type; outcomes close, retry, or reopen', async () => {
    const { db } = get();
    const f = await seedService(db, 'Callbacks');
    const agent = f.ctx.agent;
    await updateServiceSettings(f.ctx.admin, { callbackMaxAttempts: 2, callbackRetryMinutes: 60, callbackGraceMinutes: 120 });
    await createServiceType(f.ctx.admin, { key: 'inspection', labelZh: '巡检', labelEn: 'inspection', callbackDelayMinutes: 30 });

    const resolve = async (type: string, title: string) => {
      const o = await createServiceOrder(agent, { type, customerId: f.gdCustomerId, title, assigneeUserId: f.userIds.agent });
      return transitionServiceOrder(agent, o.id, { to: 'resolved', version: o.version, resolution: '已处理' });
    };
    const repair = await resolve('repair', '维修'); // due T0 + 48 h
    const inspection = await resolve('inspection', '巡检'); // due T0 + 30 min
    await resolve('inquiry', '咨询'); // no callback
    const complaint = await resolve('complaint', '投诉'); // always: T0 + 24 h

    const all = await listCallbacks(agent, {});
    expect(all.items.map((c) => [c.serviceOrderNumber, c.dueAt])).toEqual([
      [inspection.number, at(30)],
      [complaint.number, at(24 * 60)],
      [repair.number, at(48 * 60)],
    ]);
    expect(all.items.map((c) => [c.customerName, c.assigneeName])).toEqual(Array(3).fill(['张三', 'agent']));
    expect((await listCallbacks(agent, { view: 'mine' })).items.length).toBe(3);
    f.set(at(30));
    expect((await listCallbacks(agent, { view: 'due' })).items.map((c) => c.serviceOrderId)).toEqual([inspection.id]);
    expect((await listCallbacks(agent, { view: 'overdue' })).items).toEqual([]);
    f.set(at(150));
    expect((await listCallbacks(agent, { view: 'overdue' })).items.map((c) => c.serviceOrderId)).toEqual([inspection.id]);
    const page1 = await listCallbacks(agent, { limit: 2 });
    const page2 = await listCallbacks(agent, { limit: 2, cursor: page1.nextCursor! });
    expect([...page1.items, ...page2.items].map((c) => c.serviceOrderId)).toEqual([inspection.id, complaint.id, repair.id]);

    // Unreachable: a retry after 60 minutes, then (max 2 attempts) done as unreachable.
    const insp = all.items[0];
    const r1 = await recordCallbackOutcome(agent, insp.id, { outcome: 'unreachable', version: insp.version });
    expect(r1).toMatchObject({ status: 'pending', attempts: 1, dueAt: at(210) });
    const stale = await recordCallbackOutcome(agent, insp.id, { outcome: 'satisfied', version: insp.version }).catch((e: unknown) => e);
    expect(stale).toBeInstanceOf(Conflict);
    const r2 = await recordCallbackOutcome(agent, insp.id, { outcome: 'unreachable' });
    expect(r2).toMatchObject({ status: 'done', outcome: 'unreachable', attempts: 2 });
    await expect(recordCallbackOutcome(agent, insp.id, { outcome: 'satisfied' })).rejects.toBeInstanceOf(Conflict);
    expect((await getServiceOrder(agent, inspection.id)).status).toBe('resolved');

    // Satisfied: the order is closed with the customer's confirmation and rating.
    const cRepair = all.items[2];
    await recordCallbackOutcome(agent, cRepair.id, { outcome: 'satisfied', satisfaction: 5 });
    expect(await getServiceOrder(agent, repair.id)).toMatchObject({ status: 'closed', customerConfirmed: true, satisfaction: 5, closedAt: at(150) });

    // Not satisfied: the complaint is reopened; resolving it again schedules a new callback.
    const cComplaint = all.items[1];
    await recordCallbackOutcome(agent, cComplaint.id, { outcome: 'not_satisfied', satisfaction: 2, note: '问题依旧' });
    let reopened = await getServiceOrder(agent, complaint.id);
    expect(reopened).toMatchObject({ status: 'in_progress', customerConfirmed: false, satisfaction: 2, resolvedAt: null, assigneeUserId: f.userIds.agent });
    const events = (await listServiceOrderEvents(agent, complaint.id)).map((e) => e.kind);
    expect(events.slice(-2)).toEqual(['callback_outcome', 'reopened']);
    reopened = await transitionServiceOrder(agent, complaint.id, { to: 'resolved', version: reopened.version, resolution: '换新机' });
    const again = await listCallbacks(agent, { serviceOrderId: complaint.id });
    expect(again.items.map((c) => [c.status, c.outcome, c.dueAt])).toEqual([
      ['done', 'not_satisfied', at(24 * 60)],
      ['pending', null, at(150 + 24 * 60)],
    ]);

    // Out of scope and other organizations: 404.
    const zj = await createServiceOrder(agent, { type: 'repair', customerId: f.zjCustomerId, title: '浙江', assigneeUserId: f.userIds.agent });
    await transitionServiceOrder(agent, zj.id, { to: 'resolved', version: zj.version, resolution: 'ok' });
    const [zjCb] = (await listCallbacks(agent, { serviceOrderId: zj.id })).items;
    expect((await listCallbacks(f.ctx.customer_manager, { serviceOrderId: zj.id })).items).toEqual([]);
    await expect(recordCallbackOutcome(f.ctx.customer_manager, zjCb.id, { outcome: 'satisfied' })).rejects.toBeInstanceOf(NotFound);
    const other = await seedOrg(db, 'CallbacksOther');
    await expect(recordCallbackOutcome(other.ctx.admin, zjCb.id, { outcome: 'satisfied' })).rejects.toBeInstanceOf(NotFound);
  });
});
