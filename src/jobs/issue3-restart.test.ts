// Issue 3's jobs through pg-boss, on both databases: the SLA scan with escalation notifications, the
// daily replenishment with its outbox messages and owner tasks, due callbacks and opportunity
// follow-ups. Each is crashed mid-run (a throw inside a batch's transaction, as a killed process
// leaves an open transaction rolled back, after earlier batches committed; or a throw after the
// effects committed, before pg-boss heard), its runner stopped without grace, and a new runner
// started: the counts of escalations, notifications, reminders and outbox rows are exact — nothing
// twice, nothing lost.
import { sql } from 'drizzle-orm';
import { afterEach, expect, it } from 'vitest';
import { createCustomer } from '../customers/create-customer.ts';
import { updateCustomer } from '../customers/update-customer.ts';
import { rows } from '../db/open.ts';
import { describeDb } from '../db/test-harness.ts';
import { seedOrg } from '../db/test-fixtures.ts';
import { recordLatentNeed } from '../opportunities/record-latent-need.ts';
import { createOrder } from '../orders/create-order.ts';
import { createProduct } from '../orders/create-product.ts';
import { runReplenishmentJob } from '../orders/jobs.ts';
import { createServiceOrder } from '../service/create-service-order.ts';
import { createEscalationRule } from '../service/escalation-rules.ts';
import { deliverEscalationNotifications, runDueCallbacksJob, runSlaScanJob } from '../service/jobs.ts';
import { serviceOrderEscalations } from '../service/tables.ts';
import { makeCtx, systemActor } from '../platform/context.ts';
import { newId } from '../platform/ids.ts';
import { users } from '../platform/tables.ts';
import { eq } from 'drizzle-orm';
import { createSlaPolicy } from '../service/sla-policies.ts';
import { at, seedService } from '../service/test-setup.ts';
import { transitionServiceOrder } from '../service/transition-service-order.ts';
import { runFollowUpJob } from '../opportunities/jobs.ts';
import { startJobs, type JobRunner } from './boss.ts';
import { dailyJobs, startDueDailyJobs, type DailyJobData } from './daily.ts';
import './handlers.ts';
import type { JobName } from './names.ts';
import { jobHandlers, type JobHandler, type RegisteredHandler } from './queue.ts';

async function waitFor<T>(probe: () => Promise<T | null | undefined | false>, what: string, timeoutMs = 60_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function only<D extends Record<string, unknown>>(name: JobName, handler: JobHandler<D>): Map<JobName, RegisteredHandler> {
  return new Map([[name, { name, handler: handler as unknown as JobHandler, concurrency: 1 }]]);
}

/** The handler the composition root runs (registered by importing src/jobs/handlers.ts). */
function registered(...names: JobName[]): Map<JobName, RegisteredHandler> {
  return new Map(names.map((n) => [n, jobHandlers.get(n)!]));
}

describeDb('issue 3 jobs: crash mid-run, restart, exact counts', (get) => {
  const running: JobRunner[] = [];
  const start = async (handlers: Map<JobName, RegisteredHandler>, now: () => Date) => {
    const r = await startJobs(get().database, { handlers, schedules: new Map(), pollingIntervalSeconds: 0.5, maintenance: false, now });
    running.push(r);
    return r;
  };
  const stop = async (r: JobRunner) => {
    running.splice(running.indexOf(r), 1);
    await r.stop({ graceful: false });
  };
  const settled = (r: JobRunner, name: JobName, id: string, state: 'completed' | 'retry' | 'failed') =>
    waitFor(async () => (await r.getJob(name, id))?.state === state, `${name} ${state}`);
  const count = async (q: ReturnType<typeof sql>) => (await rows<{ n: number }>(get().db, q))[0].n;

  afterEach(async () => {
    for (const r of running.splice(0)) await r.stop({ graceful: false });
  });

  it('SLA scan: escalations and their notifications once each, after a crash between notification batches and a restart', async () => {
    const f = await seedService(get().db, 'Restart SLA');
    const admin = f.ctx.admin;
    const org = f.orgId;
    await createSlaPolicy(admin, { name: '标准', firstResponseMinutes: 60, resolutionMinutes: 240, calendar: '24x7', atRiskPercent: 80 });
    // Breached first response → the supervisor; first response at risk → team A (its only member: the agent).
    await createEscalationRule(admin, { name: '首响超时通知组长', onState: 'breached', target: 'first_response', action: 'notify', targetUserId: f.userIds.supervisor });
    await createEscalationRule(admin, { name: '首响预警通知一组', onState: 'at_risk', target: 'first_response', action: 'notify', targetTeamId: f.teamA });
    for (const title of ['A', 'B', 'C']) await createServiceOrder(admin, { type: 'repair', customerId: f.gdCustomerId, title });
    f.set(at(61)); // every first response breached: 3 orders × 2 rules = 6 escalations, one notification each

    const escalations = () => count(sql`SELECT count(*)::int AS n FROM service_order_escalations WHERE org_id = ${org}`);
    const notified = () => count(sql`SELECT count(*)::int AS n FROM service_order_escalations WHERE org_id = ${org} AND notified_at IS NOT NULL`);
    const notifications = (userId?: string) =>
      count(sql`SELECT count(*)::int AS n FROM outbox_messages WHERE org_id = ${org} AND channel = 'in_app' AND dedupe_key LIKE 'escalation:%'
        ${userId ? sql`AND user_id = ${userId}` : sql``}`);

    // The first process commits the scan and the first batch of two notifications, then dies inside the second batch.
    const a = await start(
      only('sla.scan', async (_job, env) => {
        await runSlaScanJob(env, {
          batchSize: 2,
          inBatch: async (n) => {
            if (n === 1) throw new Error('process killed inside the second batch');
          },
        });
      }),
      () => f.clock.now,
    );
    const first = await a.send('sla.scan', {});
    await settled(a, 'sla.scan', first!, 'retry');
    await stop(a);
    expect(await escalations()).toBe(6);
    expect(await notified()).toBe(2);
    expect(await notifications()).toBe(2);

    // A new process with the real handler; the next minute's tick runs the scan again.
    const b = await start(registered('sla.scan'), () => f.clock.now);
    const second = await b.send('sla.scan', {});
    await settled(b, 'sla.scan', second!, 'completed');
    expect(await escalations()).toBe(6);
    expect(await notified()).toBe(6);
    expect(await notifications()).toBe(6);
    expect(await notifications(f.userIds.supervisor)).toBe(3);
    expect(await notifications(f.userIds.agent)).toBe(3);
    const [sample] = await rows<{ body: string; status: string }>(
      get().db,
      sql`SELECT body, status FROM outbox_messages WHERE org_id = ${org} AND user_id = ${f.userIds.supervisor} ORDER BY created_at, id LIMIT 1`,
    );
    expect(sample.status).toBe('pending');
    expect(sample.body).toMatch(/^服务单 .+「[ABC]」的首次响应已超时，请立即处理$/);

    // Later ticks change nothing.
    f.set(at(62));
    const third = await b.send('sla.scan', {});
    await settled(b, 'sla.scan', third!, 'completed');
    expect([await escalations(), await notified(), await notifications()]).toEqual([6, 6, 6]);
  });

  it('SLA notify escalations naming no user or team go to the customer owner, else the supervisors, in their language', async () => {
    const f = await seedService(get().db, 'Escalation fallback');
    const db = get().db;
    await updateCustomer(f.ctx.admin, f.gdCustomerId, { version: 1, ownerId: f.userIds.customer_manager });
    await db.update(users).set({ locale: 'en' }).where(eq(users.id, f.userIds.supervisor));
    const owned = await createServiceOrder(f.ctx.admin, { type: 'repair', customerId: f.gdCustomerId, title: '有负责人' });
    const unowned = await createServiceOrder(f.ctx.admin, { type: 'repair', customerId: f.zjCustomerId, title: 'No owner' });
    const ruleId = newId();
    for (const so of [owned, unowned]) {
      await db.insert(serviceOrderEscalations).values({
        id: newId(), orgId: f.orgId, serviceOrderId: so.id, ruleId, level: 1, reason: 'breached', target: 'resolution', action: 'notify', createdAt: f.clock.now,
      });
    }
    const ctx = makeCtx(db, systemActor(f.orgId), { now: () => f.clock.now });
    expect(await deliverEscalationNotifications(ctx)).toEqual({ escalations: 2, notifications: 2 });
    expect(await deliverEscalationNotifications(ctx)).toEqual({ escalations: 0, notifications: 0 });
    const sent = await rows<{ user_id: string; body: string }>(db, sql`SELECT user_id, body FROM outbox_messages WHERE org_id = ${f.orgId} ORDER BY body COLLATE "C"`);
    expect(sent).toEqual([
      { user_id: f.userIds.supervisor, body: `Service order ${unowned.number} "No owner": the resolution SLA is breached; please act now` },
      { user_id: f.userIds.customer_manager, body: `服务单 ${owned.number}「有负责人」的解决已超时，请立即处理` },
    ]);
  });

  it('replenishment: reminders, outbox messages and owner notifications once each, after a crash mid-delivery and a restart', async () => {
    const clock = { now: new Date('2025-02-27T04:00:00Z') }; // 12:00 in Shanghai: the 09:00 daily job is due
    const o = await seedOrg(get().db, 'Restart Replenish', { now: () => clock.now });
    const admin = o.ctx.admin;
    const org = o.orgId;
    const filter = await createProduct(admin, { sku: 'FILTER', name: '净水滤芯', priceMinor: 9_900, consumptionCycleDays: 60 });
    // Bought 2025-01-01 (Shanghai): due 2025-03-02, inside the 7-day window.
    const buyer = async (name: string, extra: Omit<Parameters<typeof createCustomer>[1], 'name'>) => {
      const c = await createCustomer(admin, { ...extra, name });
      await createOrder(admin, { customerId: c.id, orderedAt: '2025-01-01T02:00:00Z', lines: [{ productId: filter.id, quantity: 1 }] });
      return c;
    };
    // Five consented to SMS (messages); two have only an owner (tasks → the owner is notified); one has neither (a task nobody is notified of).
    for (let i = 1; i <= 5; i++) await buyer(`短信${i}`, { phones: [`1390000000${i}`], consent: { sms: true } });
    await buyer('任务甲', { ownerId: o.userIds.agent });
    await buyer('任务乙', { ownerId: o.userIds.customer_manager, districtCode: '440305' });
    await buyer('无人', {});

    const reminders = () => count(sql`SELECT count(*)::int AS n FROM replenishment_reminders WHERE org_id = ${org}`);
    const queued = () => count(sql`SELECT count(*)::int AS n FROM replenishment_reminders WHERE org_id = ${org} AND delivery_status = 'queued'`);
    const smsRows = () => count(sql`SELECT count(*)::int AS n FROM outbox_messages WHERE org_id = ${org} AND channel = 'sms' AND dedupe_key LIKE 'replenishment:%'`);
    const taskRows = () => count(sql`SELECT count(*)::int AS n FROM outbox_messages WHERE org_id = ${org} AND channel = 'in_app' AND dedupe_key LIKE 'replenishment-task:%'`);
    const outboxRows = () => count(sql`SELECT count(*)::int AS n FROM outbox_messages WHERE org_id = ${org}`);

    // The first process: the daily tick sends the job; the run creates the reminders, commits the first
    // delivery batch (two messages) and dies inside the second.
    const a = await start(
      only<DailyJobData>('orders.replenishment', async (job, env) => {
        await runReplenishmentJob(env, job.data, {
          batchSize: 2,
          inBatch: async (n) => {
            if (n === 1) throw new Error('process killed inside the second delivery batch');
          },
        });
      }),
      () => clock.now,
    );
    const sent = await startDueDailyJobs({ db: get().db, now: () => clock.now, jobs: a }, new Map([['orders.replenishment', dailyJobs.get('orders.replenishment')!]]));
    expect(sent.filter((s) => s.orgId === org)).toEqual([{ name: 'orders.replenishment', orgId: org, localDate: '2025-02-27' }]);
    const jobs = await rows<{ id: string }>(get().db, sql`SELECT id::text AS id FROM pgboss.job WHERE name = 'orders.replenishment' AND data->>'orgId' = ${org}`);
    expect(jobs.length).toBe(1);
    await settled(a, 'orders.replenishment', jobs[0].id, 'retry');
    await stop(a);
    expect(await reminders()).toBe(8);
    expect(await queued()).toBe(2);
    expect(await smsRows()).toBe(2);
    expect(await taskRows()).toBe(0);

    // A new process with the real handler reruns the day's job (as pg-boss's retry does).
    const b = await start(registered('orders.replenishment'), () => clock.now);
    const rerun = await b.send('orders.replenishment', { orgId: org, localDate: '2025-02-27' });
    await settled(b, 'orders.replenishment', rerun!, 'completed');
    expect(await reminders()).toBe(8);
    expect(await queued()).toBe(5);
    expect(await smsRows()).toBe(5);
    expect(await taskRows()).toBe(2);
    expect(await outboxRows()).toBe(7);
    // Each reminder points at its own message; each owner got one notification.
    expect(
      await count(sql`SELECT count(DISTINCT r.delivery_ref)::int AS n FROM replenishment_reminders r
        JOIN outbox_messages m ON m.id::text = r.delivery_ref AND m.customer_id = r.customer_id WHERE r.org_id = ${org}`),
    ).toBe(5);
    const owners = await rows<{ user_id: string; n: number }>(
      get().db,
      sql`SELECT user_id, count(*)::int AS n FROM outbox_messages WHERE org_id = ${org} AND channel = 'in_app' GROUP BY user_id ORDER BY user_id`,
    );
    expect(owners).toEqual([{ user_id: o.userIds.agent, n: 1 }, { user_id: o.userIds.customer_manager, n: 1 }].sort((x, y) => x.user_id.localeCompare(y.user_id)));

    // The daily tick again the same day sends nothing; a manual rerun adds nothing.
    expect((await startDueDailyJobs({ db: get().db, now: () => clock.now, jobs: b }, new Map([['orders.replenishment', dailyJobs.get('orders.replenishment')!]]))).filter((s) => s.orgId === org)).toEqual([]);
    const again = await b.send('orders.replenishment', { orgId: org, localDate: '2025-02-27' });
    await settled(b, 'orders.replenishment', again!, 'completed');
    expect([await reminders(), await queued(), await outboxRows()]).toEqual([8, 5, 7]);
  });

  it('due callbacks and opportunity follow-ups notify once, after a crash past the commit and a restart; a later due time notifies again', async () => {
    const f = await seedService(get().db, 'Restart callbacks');
    const agent = f.ctx.agent;
    const org = f.orgId;
    // Two resolved complaints: callbacks due T0 + 24 h, assigned to the agent.
    for (const title of ['投诉一', '投诉二']) {
      const so = await createServiceOrder(agent, { type: 'complaint', customerId: f.gdCustomerId, title, assigneeUserId: f.userIds.agent });
      await transitionServiceOrder(agent, so.id, { to: 'resolved', version: so.version, resolution: '已处理' });
    }
    // A latent need with the customer manager as owner: grade A, follow-up due T0 + 1 day.
    await updateCustomer(f.ctx.admin, f.gdCustomerId, { version: 1, ownerId: f.userIds.customer_manager });
    await recordLatentNeed(agent, { customerId: f.gdCustomerId }, { need: '加装净水器', grade: 'A' });

    const callbackRows = () => count(sql`SELECT count(*)::int AS n FROM outbox_messages WHERE org_id = ${org} AND dedupe_key LIKE 'callback-due:%' AND user_id = ${f.userIds.agent}`);
    const followUpRows = () =>
      count(sql`SELECT count(*)::int AS n FROM outbox_messages WHERE org_id = ${org} AND dedupe_key LIKE 'opportunity-follow-up:%' AND user_id = ${f.userIds.customer_manager}`);

    f.set(at(23 * 60)); // nothing due yet
    const a = await start(
      new Map([
        ...only('callbacks.due', async (_job, env) => {
          await runDueCallbacksJob(env);
          throw new Error('process killed after the commit, before pg-boss heard of it');
        }),
        ...only('opportunities.follow_up', async (_job, env) => {
          await runFollowUpJob(env);
          throw new Error('process killed after the commit, before pg-boss heard of it');
        }),
      ]),
      () => f.clock.now,
    );
    const early = await a.send('callbacks.due', {});
    await settled(a, 'callbacks.due', early!, 'retry');
    expect(await callbackRows()).toBe(0);

    f.set(at(24 * 60 + 1));
    const c1 = await a.send('callbacks.due', {});
    const o1 = await a.send('opportunities.follow_up', {});
    await settled(a, 'callbacks.due', c1!, 'retry');
    await settled(a, 'opportunities.follow_up', o1!, 'retry');
    await stop(a);
    expect(await callbackRows()).toBe(2);
    expect(await followUpRows()).toBe(1);

    const b = await start(registered('callbacks.due', 'opportunities.follow_up'), () => f.clock.now);
    const c2 = await b.send('callbacks.due', {});
    const o2 = await b.send('opportunities.follow_up', {});
    await settled(b, 'callbacks.due', c2!, 'completed');
    await settled(b, 'opportunities.follow_up', o2!, 'completed');
    expect(await callbackRows()).toBe(2);
    expect(await followUpRows()).toBe(1);

    // The follow-up moved two days later falls due again: one more notification, once.
    await get().db.execute(sql`UPDATE opportunities SET follow_up_due_at = follow_up_due_at + interval '2 days' WHERE org_id = ${org}`);
    f.set(at(3 * 24 * 60 + 1));
    for (let i = 0; i < 2; i++) {
      const id = await b.send('opportunities.follow_up', {});
      await settled(b, 'opportunities.follow_up', id!, 'completed');
    }
    expect(await followUpRows()).toBe(2);
    expect(await callbackRows()).toBe(2);
  });
});
