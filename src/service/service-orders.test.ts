import { and, eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { customerTimeline } from '../customers/customer-timeline.ts';
import { rows } from '../db/open.ts';
import { describeDb } from '../db/test-harness.ts';
import { Conflict, Forbidden, Invalid, NotFound } from '../platform/errors.ts';
import { seedOrg } from '../db/test-fixtures.ts';
import { auditLog } from '../platform/tables.ts';
import { createServiceOrder, nextServiceOrderNumber } from './create-service-order.ts';
import { getServiceOrder, listServiceOrderEvents } from './get-service-order.ts';
import { listServiceOrders } from './list-service-orders.ts';
import { allowedTransitions, canTransition, transitions } from './model/workflow.ts';
import { choosePolicy, type PolicyRule } from './model/sla-policy.ts';
import type { ServiceOrderOutput } from './schemas.ts';
import './service-timeline.ts';
import { createSlaPolicy } from './sla-policies.ts';
import { serviceOrders, serviceStatuses, type ServiceStatus } from './tables.ts';
import { at, seedService, type ServiceFixture } from './test-setup.ts';
import { InvalidTransition, transitionServiceOrder } from './transition-service-order.ts';
import { updateServiceOrder } from './update-service-order.ts';

describe('workflow model', () => {
  it('allows exactly the documented transitions', () => {
    expect(transitions).toEqual({
      new: ['assigned', 'in_progress', 'resolved'],
      assigned: ['in_progress', 'waiting_on_customer', 'resolved'],
      in_progress: ['waiting_on_customer', 'resolved'],
      waiting_on_customer: ['in_progress', 'resolved'],
      resolved: ['closed', 'in_progress'],
      closed: ['in_progress'],
    });
    expect(canTransition('closed', 'resolved')).toBe(false);
    expect(canTransition('resolved', 'in_progress')).toBe(true);
  });

  it('chooses the lowest rank, then the most specific, then the oldest policy', () => {
    const p = (id: string, rank: number, extra: Partial<PolicyRule> = {}, created = 0): PolicyRule => ({
      id,
      types: [],
      priorities: [],
      tags: [],
      tier: null,
      rank,
      createdAt: new Date(created),
      ...extra,
    });
    const policies = [p('default', 100), p('repair', 100, { types: ['repair'] }), p('vip', 10, { tags: ['vip'] }), p('urgent-repair', 100, { types: ['repair'], priorities: ['urgent'] })];
    const facts = { type: 'repair', priority: 'urgent', customerTags: [], customerTier: null };
    expect(choosePolicy(policies, facts)?.id).toBe('urgent-repair');
    expect(choosePolicy(policies, { ...facts, priority: 'normal' })?.id).toBe('repair');
    expect(choosePolicy(policies, { ...facts, customerTags: ['vip'] })?.id).toBe('vip');
    expect(choosePolicy(policies, { ...facts, type: 'inquiry', priority: 'low' })?.id).toBe('default');
    expect(choosePolicy([p('b', 1, {}, 2), p('a', 1, {}, 1)], facts)?.id).toBe('a');
    expect(choosePolicy([p('tier', 1, { tier: 'gold' })], facts)).toBeNull();
  });
});

/** A 24×7 default policy (FR 60 min, resolution 240 min, at risk at 80%) and a VIP one (FR 15, resolution 60). */
async function policies(f: ServiceFixture) {
  const base = await createSlaPolicy(f.ctx.admin, { name: '标准', firstResponseMinutes: 60, resolutionMinutes: 240, calendar: '24x7', atRiskPercent: 80 });
  const vip = await createSlaPolicy(f.ctx.admin, { name: 'VIP', tags: ['vip'], rank: 10, firstResponseMinutes: 15, resolutionMinutes: 60, calendar: '24x7' });
  const urgent = await createSlaPolicy(f.ctx.admin, { name: '紧急', priorities: ['urgent'], rank: 50, firstResponseMinutes: 10, resolutionMinutes: 120, calendar: '24x7' });
  return { base, vip, urgent };
}

async function reach(f: ServiceFixture, status: ServiceStatus): Promise<ServiceOrderOutput> {
  const admin = f.ctx.admin;
  let o = await createServiceOrder(admin, {
    type: 'repair',
    customerId: f.gdCustomerId,
    title: `to ${status}`,
    assigneeUserId: status === 'new' ? null : f.userIds.agent,
  });
  const go = async (to: ServiceStatus, extra: { resolution?: string } = {}) => {
    o = await transitionServiceOrder(admin, o.id, { to, version: o.version, ...extra });
  };
  if (status === 'new' || status === 'assigned') return o;
  await go('in_progress');
  if (status === 'in_progress') return o;
  if (status === 'waiting_on_customer') {
    await go('waiting_on_customer');
    return o;
  }
  await go('resolved', { resolution: '更换主板' });
  if (status === 'closed') await go('closed');
  return o;
}

describeDb('service orders', (get) => {
  it('creates with a number, the chosen policy and 24×7 due times; events, audit and timeline follow', async () => {
    const f = await seedService(get().db, 'SoCreate');
    const { base, vip } = await policies(f);
    const o = await createServiceOrder(f.ctx.agent, { type: 'repair', customerId: f.gdCustomerId, title: '空调不制冷', channel: 'phone', priority: 'normal' });
    expect(o).toMatchObject({
      number: 'SO-2026-000001',
      status: 'new',
      slaPolicyId: base.id,
      firstResponseDueAt: at(60),
      resolutionDueAt: at(240),
      nextDueAt: at(60),
      slaState: 'ok',
      allowedTransitions: ['assigned', 'in_progress', 'resolved'],
      version: 1,
    });
    const o2 = await createServiceOrder(f.ctx.agent, { type: 'inquiry', customerId: f.vipCustomerId, title: '咨询保修', assigneeTeamId: f.teamA });
    expect(o2).toMatchObject({ number: 'SO-2026-000002', status: 'assigned', slaPolicyId: vip.id, firstResponseDueAt: at(15), resolutionDueAt: at(60) });

    const events = await listServiceOrderEvents(f.ctx.agent, o2.id);
    expect(events.map((e) => e.kind)).toEqual(['created', 'assigned']);
    const [auditRow] = await get().db.select().from(auditLog).where(and(eq(auditLog.entityId, o.id), eq(auditLog.action, 'service_order.create')));
    expect(auditRow.data).toMatchObject({ number: 'SO-2026-000001', slaPolicyId: base.id });

    // The customer's timeline shows service order events with bilingual summaries.
    const tl = await customerTimeline(f.ctx.admin, f.vipCustomerId, {});
    const summaries = tl.items.filter((i) => i.kind.startsWith('service.')).map((i) => i.summary);
    expect(summaries).toEqual(['服务单 SO-2026-000002 已分派', '创建服务单 SO-2026-000002：咨询保修']);
    const en = await customerTimeline({ ...f.ctx.admin, actor: { ...f.ctx.admin.actor, locale: 'en' } }, f.vipCustomerId, {});
    expect(en.items.filter((i) => i.kind === 'service.created').map((i) => i.summary)).toEqual(['Opened service order SO-2026-000002: 咨询保修']);

    // Validation: unknown type, another organization's team, complaint fields on a repair.
    const bad = await createServiceOrder(f.ctx.agent, { type: 'teleport', customerId: f.gdCustomerId, title: 'x', assigneeTeamId: '01900000-0000-7000-8000-000000000000', severity: 'high' }).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(Invalid);
    expect((bad as Invalid).fields.map((x) => `${x.path}:${x.code}`).sort()).toEqual(['assigneeTeamId:unknown_team', 'severity:complaint_only', 'type:unknown_type']);
  });

  it('numbers concurrent creates one apart with no number twice, and leaves every connection committing durably', async () => {
    const f = await seedService(get().db, 'SoNumbers');
    await policies(f);
    const made = await Promise.all(
      Array.from({ length: 30 }, (_, i) => createServiceOrder(f.ctx.agent, { type: 'repair', customerId: f.gdCustomerId, title: `并发 ${i}` })),
    );
    expect(made.map((o) => o.number).sort()).toEqual(Array.from({ length: 30 }, (_, i) => `SO-2026-${String(i + 1).padStart(6, '0')}`));
    // The counter's own commit does not wait for the disk; that must not outlive its statement: every
    // pooled connection, and a transaction that takes a number, still commit synchronously.
    const settings = await Promise.all(
      Array.from({ length: 30 }, () => rows<{ s: string }>(get().db, sql`SELECT current_setting('synchronous_commit') AS s, pg_sleep(0.01)`)),
    );
    expect(new Set(settings.map(([r]) => r.s))).toEqual(new Set(['on']));
    const inTx = await get().db.transaction(async (tx) => {
      const n = await nextServiceOrderNumber(tx, f.orgId, 2026);
      const [r] = await rows<{ s: string }>(tx, sql`SELECT current_setting('synchronous_commit') AS s`);
      return { n, s: r.s };
    });
    expect(inTx).toEqual({ n: 'SO-2026-000031', s: 'on' });
  });

  it('Idempotency-Key: the same key and body answer the same order; a different body is a 409', async () => {
    const f = await seedService(get().db, 'SoIdem');
    const body = { type: 'repair', customerId: f.gdCustomerId, title: '洗衣机漏水' } as const;
    const a = await createServiceOrder(f.ctx.agent, body, { idempotencyKey: 'k-1' });
    const b = await createServiceOrder(f.ctx.agent, body, { idempotencyKey: 'k-1' });
    expect(b).toEqual(a);
    const c = await createServiceOrder(f.ctx.agent, { ...body, title: '别的' }, { idempotencyKey: 'k-1' }).catch((e: unknown) => e);
    expect(c).toBeInstanceOf(Conflict);
    expect((c as Conflict).messageKey).toBe('error.idempotency_key_reused');
    const n = await get().db.select().from(serviceOrders).where(eq(serviceOrders.orgId, f.orgId));
    expect(n.length).toBe(1);
    // A different key is a different order.
    expect((await createServiceOrder(f.ctx.agent, body, { idempotencyKey: 'k-2' })).id).not.toBe(a.id);
  });

  it('refuses every transition outside the workflow with the allowed list', async () => {
    const f = await seedService(get().db, 'SoMatrix');
    for (const from of serviceStatuses) {
      const o = await reach(f, from);
      expect(o.status).toBe(from);
      for (const to of serviceStatuses) {
        if (canTransition(from, to)) continue;
        const err = await transitionServiceOrder(f.ctx.agent, o.id, { to, version: o.version }).catch((e: unknown) => e);
        expect(err, `${from} → ${to}`).toBeInstanceOf(InvalidTransition);
        const e = err as InvalidTransition;
        expect(e.fields[0].code).toBe('invalid_transition');
        expect(e.current).toEqual({ status: from, allowedTransitions: [...allowedTransitions(from)] });
      }
      // Nothing moved.
      expect((await getServiceOrder(f.ctx.agent, o.id)).version).toBe(o.version);
    }
  });

  it('stamps the first response, pauses the 24×7 clock while waiting on the customer, reopens and answers 409 on a stale version', async () => {
    const f = await seedService(get().db, 'SoPause');
    await policies(f);
    const agent = f.ctx.agent;
    let o = await createServiceOrder(agent, { type: 'repair', customerId: f.gdCustomerId, title: '热水器', assigneeUserId: f.userIds.agent });
    f.set(at(20));
    o = await transitionServiceOrder(agent, o.id, { to: 'in_progress', version: o.version });
    expect(o.firstRespondedAt).toBe(at(20));
    expect(o.nextDueAt).toBe(at(240)); // first response met: resolution is next
    f.set(at(30));
    o = await transitionServiceOrder(agent, o.id, { to: 'waiting_on_customer', version: o.version, note: '等客户寄回配件' });
    expect(o.pausedSince).toBe(at(30));
    expect(o.nextDueAt).toBeNull();
    f.set(at(130)); // 100 minutes waiting
    o = await transitionServiceOrder(agent, o.id, { to: 'in_progress', version: o.version });
    expect(o).toMatchObject({ pausedSince: null, pausedMinutes: 100, resolutionDueAt: at(340), nextDueAt: at(340), firstResponseDueAt: at(60) });

    const stale = await transitionServiceOrder(f.ctx.supervisor, o.id, { to: 'resolved', version: o.version - 1, resolution: 'x' }).catch((e: unknown) => e);
    expect(stale).toBeInstanceOf(Conflict);
    expect((stale as Conflict).current).toMatchObject({ status: 'in_progress', version: o.version });

    const noResolution = await transitionServiceOrder(agent, o.id, { to: 'resolved', version: o.version }).catch((e: unknown) => e);
    expect((noResolution as Invalid).fields[0]).toMatchObject({ path: 'resolution', code: 'required' });
    f.set(at(200));
    o = await transitionServiceOrder(agent, o.id, { to: 'resolved', version: o.version, resolution: '更换温控器' });
    expect(o).toMatchObject({ status: 'resolved', resolvedAt: at(200), resolution: '更换温控器', firstContactResolved: false, resolutionSlaState: 'ok' });
    f.set(at(260));
    o = await transitionServiceOrder(agent, o.id, { to: 'in_progress', version: o.version, note: '客户反馈仍漏水' });
    // Resolved for 60 minutes: the clock stood still then too.
    expect(o).toMatchObject({ status: 'in_progress', resolvedAt: null, pausedMinutes: 160, resolutionDueAt: at(400) });
    const kinds = (await listServiceOrderEvents(agent, o.id)).map((e) => e.kind);
    expect(kinds).toEqual(['created', 'assigned', 'transition', 'transition', 'transition', 'transition', 'callback_scheduled', 'reopened']);
  });

  it('resolving late marks the resolution breached; resolving straight from new is first-contact resolution', async () => {
    const f = await seedService(get().db, 'SoLate');
    await policies(f);
    let o = await createServiceOrder(f.ctx.agent, { type: 'inquiry', customerId: f.gdCustomerId, title: '问价格' });
    f.set(at(5));
    o = await transitionServiceOrder(f.ctx.agent, o.id, { to: 'resolved', version: o.version, resolution: '已告知' });
    expect(o).toMatchObject({ firstContactResolved: true, firstRespondedAt: at(5), resolutionSlaState: 'ok' });
    let late = await createServiceOrder(f.ctx.agent, { type: 'repair', customerId: f.gdCustomerId, title: '慢', assigneeUserId: f.userIds.agent });
    f.set(at(5 + 241));
    late = await transitionServiceOrder(f.ctx.agent, late.id, { to: 'resolved', version: late.version, resolution: '修好了' });
    expect(late).toMatchObject({ firstResponseSlaState: 'breached', resolutionSlaState: 'breached', firstContactResolved: false });
  });

  it('PATCH: a priority change re-chooses the policy and the due times; assignment makes a new order assigned', async () => {
    const f = await seedService(get().db, 'SoPatch');
    const { base, urgent } = await policies(f);
    let o = await createServiceOrder(f.ctx.agent, { type: 'repair', customerId: f.gdCustomerId, title: '冰箱' });
    f.set(at(5));
    o = await updateServiceOrder(f.ctx.agent, o.id, { version: 1, priority: 'urgent', assigneeUserId: f.userIds.agent });
    expect(o).toMatchObject({ priority: 'urgent', slaPolicyId: urgent.id, firstResponseDueAt: at(10), resolutionDueAt: at(120), status: 'assigned', version: 2 });
    const events = await listServiceOrderEvents(f.ctx.agent, o.id);
    expect(events.slice(1).map((e) => e.kind)).toEqual(['assigned', 'updated']);
    expect(events[2].data).toMatchObject({ changes: { priority: { before: 'normal', after: 'urgent' }, slaPolicyId: { before: base.id, after: urgent.id } } });
    // Nothing changed: same version.
    expect((await updateServiceOrder(f.ctx.agent, o.id, { version: 2, priority: 'urgent' })).version).toBe(2);
    const stale = await updateServiceOrder(f.ctx.agent, o.id, { version: 1, title: '旧' }).catch((e: unknown) => e);
    expect(stale).toBeInstanceOf(Conflict);
  });

  it('views: mine, team, unassigned; filters and keyset paging; scope for customer managers; other org 404', async () => {
    const { db } = get();
    const f = await seedService(db, 'SoViews');
    await policies(f);
    const admin = f.ctx.admin;
    const mk = async (title: string, extra: Record<string, unknown>, minutesLater: number) => {
      f.set(at(minutesLater));
      return createServiceOrder(admin, { type: 'repair', customerId: f.gdCustomerId, title, ...extra });
    };
    const m1 = await mk('m1', { assigneeUserId: f.userIds.agent }, 0); // FR due at(60)
    const m2 = await mk('m2', { assigneeUserId: f.userIds.agent, priority: 'urgent' }, 1); // FR due at(11)
    const t1 = await mk('t1', { assigneeTeamId: f.teamA }, 2);
    const u1 = await mk('u1', { customerId: f.zjCustomerId }, 3);
    const doneMine = await mk('done', { assigneeUserId: f.userIds.agent }, 4);
    await transitionServiceOrder(admin, doneMine.id, { to: 'resolved', version: doneMine.version, resolution: 'ok' });

    const ids = (p: { items: ServiceOrderOutput[] }) => p.items.map((o) => o.title);
    expect(ids(await listServiceOrders(f.ctx.agent, { view: 'mine' }))).toEqual(['m2', 'm1']);
    // Lists and the detail carry the names a person reads beside the ids.
    const [named] = (await listServiceOrders(f.ctx.agent, { view: 'mine' })).items;
    expect(named).toMatchObject({ customerName: '张三', assigneeName: 'agent' });
    expect((await listServiceOrders(f.ctx.agent, { view: 'unassigned' })).items.map((o) => [o.customerName, o.assigneeName])).toEqual([['张三', null], ['李四', null]]);
    expect(await getServiceOrder(f.ctx.agent, m1.id)).toMatchObject({ customerName: '张三', assigneeName: 'agent' });
    // The list's JSON is written by the database, the detail by presentServiceOrder: the same order field
    // for field, times with microseconds (written by SQL, not by Node's millisecond clock) included.
    await get().db.execute(sql`UPDATE service_orders SET created_at = created_at + interval '0.000789 second',
      next_due_at = next_due_at + interval '0.999123 second', first_response_due_at = first_response_due_at + interval '0.000001 second' WHERE id = ${m1.id}`);
    for (const view of [undefined, 'mine', 'unassigned'] as const) {
      const page = await listServiceOrders(f.ctx.agent, view ? { view } : {});
      expect(page.items.length).toBeGreaterThan(0);
      for (const item of page.items) expect(item).toEqual(await getServiceOrder(f.ctx.agent, item.id));
    }
    expect(ids(await listServiceOrders(f.ctx.agent, { view: 'team' }))).toEqual(['t1']);
    expect(ids(await listServiceOrders(f.ctx.agent, { view: 'unassigned' }))).toEqual(['t1', 'u1']);
    expect(ids(await listServiceOrders(f.ctx.agent, { status: 'resolved' }))).toEqual(['done']);
    expect(ids(await listServiceOrders(f.ctx.agent, { priority: 'urgent' }))).toEqual(['m2']);
    expect(ids(await listServiceOrders(f.ctx.agent, { createdFrom: at(1), createdTo: at(3) }))).toEqual(['t1', 'm2']);

    // Paging one by one walks newest first without repeats.
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await listServiceOrders(f.ctx.agent, { limit: 2, cursor });
      seen.push(...ids(page));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(['done', 'u1', 't1', 'm2', 'm1']);
    const due: string[] = [];
    cursor = undefined;
    do {
      const page = await listServiceOrders(f.ctx.agent, { view: 'unassigned', limit: 1, cursor });
      due.push(...ids(page));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(due).toEqual(['t1', 'u1']);

    // The customer manager (Guangdong) sees no order of the Zhejiang customer.
    const cm = f.ctx.customer_manager;
    expect(ids(await listServiceOrders(cm, {})).sort()).toEqual(['done', 'm1', 'm2', 't1']);
    await expect(getServiceOrder(cm, u1.id)).rejects.toBeInstanceOf(NotFound);
    await expect(createServiceOrder(cm, { type: 'repair', customerId: f.zjCustomerId, title: 'x' })).rejects.toBeInstanceOf(NotFound);
    await expect(updateServiceOrder(cm, u1.id, { version: 1, title: 'x' })).rejects.toBeInstanceOf(NotFound);
    expect((await getServiceOrder(cm, m1.id)).id).toBe(m1.id);
    // Analysts read, never write.
    await expect(createServiceOrder(f.ctx.analyst, { type: 'repair', customerId: f.gdCustomerId, title: 'x' })).rejects.toBeInstanceOf(Forbidden);
    expect((await getServiceOrder(f.ctx.analyst, t1.id)).id).toBe(t1.id);

    const other = await seedOrg(db, 'SoViewsOther');
    await expect(getServiceOrder(other.ctx.admin, m1.id)).rejects.toBeInstanceOf(NotFound);
    await expect(transitionServiceOrder(other.ctx.admin, m1.id, { to: 'in_progress', version: 1 })).rejects.toBeInstanceOf(NotFound);
    expect((await listServiceOrders(other.ctx.admin, {})).items).toEqual([]);
  });
});
