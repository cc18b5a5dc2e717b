import { expect, it } from 'vitest';
import { describeDb } from '../db/test-harness.ts';
import { seedOrg } from '../db/test-fixtures.ts';
import { Conflict, Forbidden, NotFound } from '../platform/errors.ts';
import { createCustomer } from '../customers/create-customer.ts';
import { rows } from '../db/open.ts';
import { sql } from 'drizzle-orm';
import { completeReminder } from './complete-reminder.ts';
import { createOrder } from './create-order.ts';
import { createProduct } from './create-product.ts';
import { deliverReplenishmentMessages, type ReplenishmentMessage } from './deliver-replenishment.ts';
import { listReminders } from './list-reminders.ts';
import { runReplenishment } from './run-replenishment.ts';

const failure = async (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e);

describeDb('orders: replenishment reminders (主动提醒补货)', (get) => {
  it('computes due dates from the median interval or the consumption cycle, once per due date, with channel and assignee', async () => {
    const { db } = get();
    const org = await seedOrg(db, 'Replenish', { now: () => new Date('2025-03-20T00:00:00Z') });
    const admin = org.ctx.admin;
    const filter = await createProduct(admin, { sku: 'FILTER', name: '净水滤芯', priceMinor: 9_900, consumptionCycleDays: 60 });
    const tv = await createProduct(admin, { sku: 'TV', name: '电视机', priceMinor: 399_900 });
    const a = await createCustomer(admin, { name: '甲', districtCode: '440305', ownerId: org.userIds.customer_manager });
    const b = await createCustomer(admin, { name: '乙', ownerId: org.userIds.agent, consent: { sms: true, email: true } });
    const c = await createCustomer(admin, { name: '丙', ownerId: org.userIds.agent });
    const d = await createCustomer(admin, { name: '丁' });
    const buy = (customerId: string, at: string, productId = filter.id, quantity = 1) =>
      createOrder(admin, { customerId, orderedAt: at, lines: [{ productId, quantity }] });

    // 甲: one purchase on 2025-01-01 (Shanghai) → cycle 60 days → due 2025-03-02. The TV has no cycle: no reminder.
    await buy(a.id, '2025-01-01T02:00:00Z');
    await buy(a.id, '2025-01-01T03:00:00Z', tv.id);
    // 乙: three purchases, gaps 20 and 40 days → median 30 → 2025-01-30 + 30 = 2025-03-01 (the cycle would say 03-31).
    await buy(b.id, '2024-12-01T04:00:00Z');
    await buy(b.id, '2024-12-21T04:00:00Z', filter.id, 2);
    await buy(b.id, '2025-01-30T04:00:00Z');
    // 丙: two purchases only → cycle: 2025-01-20 + 60 = 2025-03-21, outside the first window.
    await buy(c.id, '2025-01-10T04:00:00Z');
    await buy(c.id, '2025-01-20T04:00:00Z');
    // 丁: 2025-01-01 17:00 UTC is 2025-01-02 01:00 in Shanghai → due 2025-03-03; no owner, no consent.
    await buy(d.id, '2025-01-01T17:00:00Z');

    // Today is 2025-02-27 in Shanghai; window 7 days → due up to 2025-03-06.
    // In ranges of one customer, two at a time: the same reminders as one statement over everyone.
    const first = await runReplenishment(admin, { asOf: new Date('2025-02-27T04:00:00Z'), windowDays: 7, batchCustomers: 1, parallel: 2 });
    expect(first).toEqual({ created: 3, byChannel: { task: 2, sms: 1 }, asOfDate: '2025-02-27' });
    const all = await rows<{ name: string; due: string; basis: string; interval_days: number; channel: string; assignee_id: string | null; delivery_status: string }>(
      db,
      sql`SELECT c.name, r.due_date::text AS due, r.basis, r.interval_days, r.channel, r.assignee_id, r.delivery_status
        FROM replenishment_reminders r JOIN customers c ON c.id = r.customer_id WHERE r.org_id = ${org.orgId} ORDER BY r.due_date`,
    );
    expect(all).toEqual([
      { name: '乙', due: '2025-03-01', basis: 'median', interval_days: 30, channel: 'sms', assignee_id: org.userIds.agent, delivery_status: 'pending' },
      { name: '甲', due: '2025-03-02', basis: 'cycle', interval_days: 60, channel: 'task', assignee_id: org.userIds.customer_manager, delivery_status: 'none' },
      { name: '丁', due: '2025-03-03', basis: 'cycle', interval_days: 60, channel: 'task', assignee_id: null, delivery_status: 'none' },
    ]);

    // Running again (or after a restart) creates nothing twice.
    expect((await runReplenishment(admin, { asOf: new Date('2025-02-27T04:00:00Z'), windowDays: 7 })).created).toBe(0);
    // Two weeks later 丙 falls due (03-21 within 03-15 … 03-22); the others are not reminded again.
    expect(await runReplenishment(admin, { asOf: new Date('2025-03-15T04:00:00Z'), windowDays: 7 })).toEqual({ created: 1, byChannel: { task: 1 }, asOfDate: '2025-03-15' });
    // 甲 reorders: the next due date is a new reminder (2025-03-05 + 60 = 2025-05-04).
    await buy(a.id, '2025-03-05T02:00:00Z');
    expect((await runReplenishment(admin, { asOf: new Date('2025-05-01T04:00:00Z'), windowDays: 7 })).created).toBe(1);
    expect(await failure(runReplenishment(org.ctx.agent, { asOf: new Date() }))).toBeInstanceOf(Forbidden);

    // The owner's own open reminders, due soonest first; marking one done checks its version.
    const mine = await listReminders(org.ctx.customer_manager, {});
    expect(mine.items.map((r) => [r.customerName, r.dueDate, r.title])).toEqual([['甲', '2025-03-02', '提醒客户补货：净水滤芯'], ['甲', '2025-05-04', '提醒客户补货：净水滤芯']]);
    const agentOpen = await listReminders(org.ctx.agent, {});
    expect(agentOpen.items.map((r) => [r.customerName, r.channel])).toEqual([['乙', 'sms'], ['丙', 'task']]);
    const done = await completeReminder(org.ctx.customer_manager, mine.items[0].id, { version: 1 });
    expect(done).toMatchObject({ status: 'done', version: 2 });
    expect(await failure(completeReminder(org.ctx.customer_manager, mine.items[0].id, { version: 1 }))).toBeInstanceOf(Conflict);
    expect((await listReminders(org.ctx.customer_manager, {})).items.map((r) => r.dueDate)).toEqual(['2025-05-04']);
    expect((await listReminders(org.ctx.customer_manager, { status: 'done' })).items.map((r) => r.dueDate)).toEqual(['2025-03-02']);
    // Outside the manager's territory (乙 has no region): not found.
    expect(await failure(completeReminder(org.ctx.customer_manager, agentOpen.items[0].id, { version: 1 }))).toBeInstanceOf(NotFound);

    // Delivery: the consented-channel reminder is handed over exactly once.
    const sent: ReplenishmentMessage[] = [];
    expect(await deliverReplenishmentMessages(admin, async (batch) => {
      sent.push(...batch);
    })).toEqual({ queued: 1 });
    expect(sent).toMatchObject([{ customerId: b.id, channel: 'sms', productName: '净水滤芯', sku: 'FILTER', dueDate: '2025-03-01' }]);
    expect(await deliverReplenishmentMessages(admin, async (batch) => {
      sent.push(...batch);
    })).toEqual({ queued: 0 });
    expect(sent).toHaveLength(1);
  });
});
