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
import { t } from '../i18n/messages.ts';
import { recordingJobQueue } from '../jobs/queue.ts';
import { silentLogger } from '../platform/context.ts';
import { runReplenishmentJob, type ReplenishmentJobOptions } from './jobs.ts';

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

  it('set-based job: a run interrupted after one batch (of customers, of messages or of owner notifications) and rerun leaves exactly the rows of one uninterrupted run', async () => {
    const { db } = get();
    const now = new Date('2025-02-27T04:00:00Z'); // 12:00 in Shanghai
    const org = await seedOrg(db, 'Replenish batches', { now: () => now });
    const admin = org.ctx.admin;
    const filter = await createProduct(admin, { sku: 'FILTER', name: '净水滤芯', priceMinor: 9_900, consumptionCycleDays: 60 });
    const soap = await createProduct(admin, { sku: 'SOAP', name: '洗衣液', priceMinor: 3_900, consumptionCycleDays: 30 });
    // The agent reads English; the supervisor's account is disabled (their notification is kept, suppressed).
    await db.execute(sql`UPDATE users SET locale = 'en' WHERE id = ${org.userIds.agent}`);
    const people: [string, Omit<Parameters<typeof createCustomer>[1], 'name'>][] = [
      ['短信一', { phones: ['13900000001'], consent: { sms: true } }],
      ['短信二', { phones: ['13900000002'], consent: { sms: true, email: true }, emails: ['b@example.com'] }],
      ['短信无号', { consent: { sms: true } }],
      ['邮件', { emails: ['c@example.com'], consent: { email: true }, ownerId: org.userIds.agent }],
      ['微信', { consent: { wechat: true } }],
      ['任务英文', { ownerId: org.userIds.agent, consent: { sms: false } }],
      ['任务中文', { ownerId: org.userIds.customer_manager, districtCode: '440305' }],
      ['任务停用', { ownerId: org.userIds.supervisor }],
      ['无人', {}],
    ];
    for (const [name, extra] of people) {
      const c = await createCustomer(admin, { ...extra, name });
      // Bought 2025-01-01 (Shanghai): the filter is due 2025-03-02; the soap, bought 2025-02-01, due 2025-03-03.
      await createOrder(admin, { customerId: c.id, orderedAt: '2025-01-01T02:00:00Z', lines: [{ productId: filter.id, quantity: 1 }] });
      await createOrder(admin, { customerId: c.id, orderedAt: '2025-02-01T02:00:00Z', lines: [{ productId: soap.id, quantity: 1 }] });
    }
    await db.execute(sql`UPDATE users SET active = false WHERE id = ${org.userIds.supervisor}`);
    const env = { db, log: silentLogger, now: () => now, jobs: recordingJobQueue() };
    const small: ReplenishmentJobOptions = { batchCustomers: 2, batchSize: 3, parallel: 2 };
    const run = (opts: ReplenishmentJobOptions = {}) => runReplenishmentJob(env, { orgId: org.orgId, localDate: '2025-02-27' }, { ...small, ...opts });
    const crash = (at: number) => async (n: number) => {
      if (n === at) throw new Error('process killed');
    };

    // Everything the job writes, with generated ids replaced by what they stand for.
    const snapshot = async () => ({
      reminders: await rows(db, sql`SELECT c.name, p.sku, r.due_date::text AS due, r.basis, r.interval_days, r.channel, r.assignee_id, r.status, r.delivery_status,
          (SELECT m.dedupe_key = 'replenishment:' || r.id FROM outbox_messages m WHERE m.id::text = r.delivery_ref) AS ref_ok
        FROM replenishment_reminders r JOIN customers c ON c.id = r.customer_id JOIN products p ON p.id = r.product_id
        WHERE r.org_id = ${org.orgId} ORDER BY c.name, p.sku, r.due_date`),
      messages: await rows(db, sql`SELECT c.name, p.sku, r.due_date::text AS due, split_part(m.dedupe_key, ':', 1) AS kind, m.channel, m.recipient, m.customer_id, m.user_id,
          m.subject, m.body, m.template_key, m.template_params - 'reminderId' AS params, m.template_params ->> 'reminderId' = r.id::text AS params_ok, m.status, m.reason,
          (SELECT COUNT(*) FROM audit_log a WHERE a.org_id = m.org_id AND a.action = 'message.enqueue' AND a.entity_id = m.id)::int AS audits
        FROM outbox_messages m JOIN replenishment_reminders r ON m.dedupe_key IN ('replenishment:' || r.id, 'replenishment-task:' || r.id)
        JOIN customers c ON c.id = r.customer_id JOIN products p ON p.id = r.product_id
        WHERE m.org_id = ${org.orgId} ORDER BY c.name, p.sku, kind`),
      outbox: (await rows<{ n: number }>(db, sql`SELECT COUNT(*)::int AS n FROM outbox_messages WHERE org_id = ${org.orgId}`))[0].n,
      audits: (await rows<{ n: number }>(db, sql`SELECT COUNT(*)::int AS n FROM audit_log WHERE org_id = ${org.orgId} AND action = 'message.enqueue'`))[0].n,
    });
    const forget = async () => {
      await db.execute(sql`DELETE FROM audit_log WHERE org_id = ${org.orgId} AND action = 'message.enqueue'`);
      await db.execute(sql`DELETE FROM outbox_messages WHERE org_id = ${org.orgId}`);
      await db.execute(sql`DELETE FROM replenishment_reminders WHERE org_id = ${org.orgId}`);
    };

    // One uninterrupted run: 18 reminders (9 customers × 2 products).
    const once = await run();
    expect(once).toMatchObject({ run: { created: 18, byChannel: { sms: 6, email: 2, wechat: 2, task: 8 } }, queued: 10, notified: 6 });
    const expected = await snapshot();
    expect(expected.reminders).toHaveLength(18);
    expect(expected.reminders.every((r) => (r as { delivery_status: string }).delivery_status !== 'pending')).toBe(true);
    // 10 customer messages + 6 owner notifications (the customer without an owner has none), one audit row each.
    expect(expected.outbox).toBe(16);
    expect(expected.audits).toBe(16);
    type Msg = { name: string; sku: string; due: string; kind: string; channel: string; recipient: string; user_id: string | null; subject: string; body: string; status: string; reason: string | null; params_ok: boolean; audits: number };
    const msgs = expected.messages as Msg[];
    expect(msgs.every((m) => m.params_ok && m.audits === 1)).toBe(true);
    const find = (name: string, sku: string, kind: string) => msgs.find((m) => m.name === name && m.sku === sku && m.kind === kind);
    // The texts are the server's messages as t() renders them, in the recipient's language.
    expect(find('短信一', 'FILTER', 'replenishment')).toMatchObject({
      channel: 'sms', recipient: '13900000001', status: 'pending', reason: null,
      subject: t('zh-CN', 'replenishment.message.subject'), body: t('zh-CN', 'replenishment.message.body', { product: '净水滤芯', dueDate: '2025-03-02' }),
    });
    expect(find('短信无号', 'SOAP', 'replenishment')).toMatchObject({ channel: 'sms', recipient: '', status: 'suppressed', reason: 'no_contact_point' });
    expect(find('邮件', 'SOAP', 'replenishment')).toMatchObject({ channel: 'email', recipient: 'c@example.com', status: 'pending' });
    expect(find('微信', 'FILTER', 'replenishment')).toMatchObject({ channel: 'wecom', status: 'suppressed', reason: 'no_contact_point' });
    expect(find('任务英文', 'SOAP', 'replenishment-task')).toMatchObject({
      channel: 'in_app', user_id: org.userIds.agent, recipient: org.userIds.agent, status: 'pending',
      subject: t('en', 'replenishment.task.subject'), body: t('en', 'replenishment.task.body', { customer: '任务英文', product: '洗衣液', dueDate: '2025-03-03' }),
    });
    expect(find('任务中文', 'FILTER', 'replenishment-task')).toMatchObject({
      user_id: org.userIds.customer_manager, body: t('zh-CN', 'replenishment.task.body', { customer: '任务中文', product: '净水滤芯', dueDate: '2025-03-02' }),
    });
    expect(find('任务停用', 'FILTER', 'replenishment-task')).toMatchObject({ status: 'suppressed', reason: 'user_inactive' });
    expect(find('无人', 'FILTER', 'replenishment-task')).toBeUndefined();
    // A second run writes nothing.
    expect(await run()).toMatchObject({ run: { created: 0 }, queued: 0, notified: 0 });
    expect(await snapshot()).toEqual(expected);

    // Killed after the first range of customers, inside the second batch of messages, or inside the
    // first batch of owner notifications; then run again: the same rows, none twice, none missing.
    const crashes: [string, ReplenishmentJobOptions][] = [
      ['after one range of customers', { afterRange: crash(0) }],
      ['inside the second batch of messages', { inBatch: crash(1) }],
      ['inside the first batch of notifications', { inTaskBatch: crash(0) }],
    ];
    for (const [label, opts] of crashes) {
      await forget();
      expect(await failure(run(opts)), label).toBeInstanceOf(Error);
      const partial = await snapshot();
      expect(partial, label).not.toEqual(expected);
      await run();
      expect(await snapshot(), label).toEqual(expected);
    }
  });
});
