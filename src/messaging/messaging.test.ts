import pino from 'pino';
import { sql } from 'drizzle-orm';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createCustomer } from '../customers/create-customer.ts';
import { customerTimeline } from '../customers/customer-timeline.ts';
import { rows } from '../db/open.ts';
import { seedOrg, type OrgFixture } from '../db/test-fixtures.ts';
import { describeDb } from '../db/test-harness.ts';
import { buildApp } from '../http/app.ts';
import { startJobs, type JobRunner } from '../jobs/boss.ts';
import { jobHandlers } from '../jobs/queue.ts';
import { makeCtx, systemActor } from '../platform/context.ts';
import { Forbidden, Invalid, NotFound } from '../platform/errors.ts';
import { roleDefs, type Permission } from '../platform/permissions.ts';
import { smsAdapter, type ChannelAdapter, type OutgoingMessage } from './channels.ts';
import { dispatchMessages } from './dispatch-messages.ts';
import { enqueueMessage } from './enqueue-message.ts';
import './jobs.ts';
import { listOutbox } from './list-outbox.ts';
import { notifyUser } from './notify-user.ts';
import './timeline.ts';

const config = { sessionHours: 12, maxUploadBytes: 1024 * 1024, loginRatePerMinute: 100, cookieSecure: false };

/** An adapter that counts deliveries per message id (a stand-in for a provider). */
function countingAdapter(delayMs = 0): ChannelAdapter & { delivered: Map<string, number> } {
  const delivered = new Map<string, number>();
  return {
    name: 'counting',
    delivered,
    async deliver(m: OutgoingMessage) {
      if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
      delivered.set(m.id, (delivered.get(m.id) ?? 0) + 1);
      return { ok: true, externalId: `ext-${m.id}` };
    },
  };
}

/** Grants a permission to a role for one test (an organization may grant the outbox to more roles). */
function grant(role: keyof typeof roleDefs, permission: Permission): () => void {
  const before = roleDefs[role].permissions;
  roleDefs[role].permissions = [...before, permission];
  return () => {
    roleDefs[role].permissions = before;
  };
}

describe('messaging: SMS adapter sketch', () => {
  const provider = (code: string, fail = false) => {
    const calls: unknown[] = [];
    const adapter = smsAdapter({
      name: 'aliyun-sms',
      templates: { replenishment: 'SMS_100' },
      okCode: 'OK',
      retryableCodes: ['isv.BUSINESS_LIMIT_CONTROL'],
      async send(req) {
        calls.push(req);
        if (fail) throw new Error('ECONNRESET');
        return { code, messageId: 'biz-1' };
      },
    });
    return { adapter, calls };
  };
  const msg: OutgoingMessage = {
    id: 'm1', orgId: 'o', channel: 'sms', recipient: '13812341234', subject: null, body: '您好', templateKey: 'replenishment',
    templateParams: { name: '张三', days: 3 }, attempt: 1,
  };

  it('sends the mapped template with string params and the outbox id, and classifies answers', async () => {
    const ok = provider('OK');
    expect(await ok.adapter.deliver(msg)).toEqual({ ok: true, externalId: 'biz-1' });
    expect(ok.calls).toEqual([{ phone: '13812341234', templateCode: 'SMS_100', params: { name: '张三', days: '3' }, outId: 'm1' }]);
    expect(await provider('isv.BUSINESS_LIMIT_CONTROL').adapter.deliver(msg)).toEqual({ ok: false, error: 'isv.BUSINESS_LIMIT_CONTROL', retryable: true });
    expect(await provider('isv.MOBILE_NUMBER_ILLEGAL').adapter.deliver(msg)).toEqual({ ok: false, error: 'isv.MOBILE_NUMBER_ILLEGAL', retryable: false });
    expect(await provider('OK', true).adapter.deliver(msg)).toEqual({ ok: false, error: 'ECONNRESET', retryable: true });
    const none = provider('OK');
    expect(await none.adapter.deliver({ ...msg, templateKey: 'unknown' })).toEqual({ ok: false, error: 'no_template:unknown', retryable: false });
    expect(none.calls).toEqual([]);
  });
});

describeDb('messaging outbox', (get) => {
  let org: OrgFixture;
  let other: OrgFixture;
  let consenting = '';
  let refusing = '';
  let guangdong = '';
  let beijing = '';

  beforeAll(async () => {
    const { db } = get();
    org = await seedOrg(db, 'Outbox Org');
    other = await seedOrg(db, 'Outbox Other');
    const admin = org.ctx.admin;
    consenting = (await createCustomer(admin, { name: '张三', phones: ['13812341234'], emails: ['zhang.san@example.com'], consent: { sms: true, email: true } })).id;
    refusing = (await createCustomer(admin, { name: '李四', phones: ['13987654321'], consent: { sms: false } })).id;
    guangdong = (await createCustomer(admin, { name: '王五', phones: ['13700001111'], provinceCode: '440000', consent: { sms: true } })).id;
    beijing = (await createCustomer(admin, { name: '赵六', phones: ['13600002222'], provinceCode: '110000', consent: { sms: true } })).id;
  });

  it('writes a message for a consenting customer to their first phone, pending', async () => {
    const r = await enqueueMessage(org.ctx.admin, { channel: 'sms', customerId: consenting, body: '您的订单已发货', templateKey: 'shipped', templateParams: { order: 'A1' } });
    expect(r).toMatchObject({ status: 'pending', reason: null, created: true });
    const [row] = await rows<{ recipient: string; status: string }>(get().db, sql`SELECT recipient, status FROM outbox_messages WHERE id = ${r.id}`);
    expect(row).toEqual({ recipient: '13812341234', status: 'pending' });
  });

  it('suppresses, with reason no_consent, a message to a customer who refused or never answered for the channel', async () => {
    const refused = await enqueueMessage(org.ctx.admin, { channel: 'sms', customerId: refusing, body: '提醒' });
    expect(refused).toMatchObject({ status: 'suppressed', reason: 'no_consent', created: true });
    const neverAsked = await enqueueMessage(org.ctx.admin, { channel: 'wecom', customerId: consenting, body: '提醒' }); // consent.wechat unset
    expect(neverAsked).toMatchObject({ status: 'suppressed', reason: 'no_consent' });
    const noEmail = await enqueueMessage(org.ctx.admin, { channel: 'email', customerId: refusing, body: '提醒' });
    expect(noEmail).toMatchObject({ status: 'suppressed', reason: 'no_consent' });
  });

  it('suppresses with no_contact_point when consent is given but there is nowhere to send', async () => {
    const c = await createCustomer(org.ctx.admin, { name: '无邮箱', phones: ['13511112222'], consent: { email: true } });
    expect(await enqueueMessage(org.ctx.admin, { channel: 'email', customerId: c.id, body: 'x' })).toMatchObject({ status: 'suppressed', reason: 'no_contact_point' });
  });

  it('accepts an explicit recipient only among the customer own contact points', async () => {
    await expect(enqueueMessage(org.ctx.admin, { channel: 'sms', customerId: consenting, recipient: '13900000000', body: 'x' })).rejects.toBeInstanceOf(Invalid);
    const r = await enqueueMessage(org.ctx.admin, { channel: 'email', customerId: consenting, recipient: 'zhang.san@example.com', body: 'x' });
    expect(r.status).toBe('pending');
  });

  it('writes the same dedupe key once, also when two writers race, and returns the first message', async () => {
    const input = { channel: 'sms' as const, customerId: consenting, body: '补货提醒', dedupeKey: `replenishment:${consenting}:2026-11-24` };
    const first = await enqueueMessage(org.ctx.admin, input);
    const again = await enqueueMessage(org.ctx.admin, { ...input, body: 'different text' });
    expect(again).toEqual({ id: first.id, status: 'pending', reason: null, created: false });
    const raced = await Promise.all([1, 2, 3].map(() => enqueueMessage(org.ctx.admin, { ...input, dedupeKey: `race:${consenting}` })));
    expect(raced.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(raced.map((r) => r.id)).size).toBe(1);
    // Suppressed messages are deduplicated as well: a retried reminder job does not write a second one.
    const s1 = await enqueueMessage(org.ctx.admin, { channel: 'sms', customerId: refusing, body: 'x', dedupeKey: 'refused-once' });
    const s2 = await enqueueMessage(org.ctx.admin, { channel: 'sms', customerId: refusing, body: 'x', dedupeKey: 'refused-once' });
    expect(s2).toEqual({ ...s1, created: false });
    // Another organization may use the same key.
    const c = await createCustomer(other.ctx.admin, { name: '他司客户', phones: ['13812341234'], consent: { sms: true } });
    expect((await enqueueMessage(other.ctx.admin, { channel: 'sms', customerId: c.id, body: 'x', dedupeKey: 'refused-once' })).created).toBe(true);
  });

  it('writes nothing when the caller transaction rolls back', async () => {
    const ctx = org.ctx.admin;
    await expect(
      ctx.db.transaction(async (tx) => {
        await enqueueMessage(ctx, { channel: 'sms', customerId: consenting, body: 'x', dedupeKey: 'rolled-back' }, tx);
        throw new Error('the use case failed');
      }),
    ).rejects.toThrow('the use case failed');
    expect(await rows(get().db, sql`SELECT 1 FROM outbox_messages WHERE dedupe_key = 'rolled-back'`)).toEqual([]);
  });

  it('refuses another organization customer and a user of another organization', async () => {
    await expect(enqueueMessage(other.ctx.admin, { channel: 'sms', customerId: consenting, body: 'x' })).rejects.toBeInstanceOf(NotFound);
    await expect(notifyUser(other.ctx.admin, { userId: org.userIds.supervisor, body: 'x' })).rejects.toBeInstanceOf(Invalid);
  });

  it('notifies a staff member in-app, once per key', async () => {
    const ctx = makeCtx(get().db, systemActor(org.orgId));
    const n = await notifyUser(ctx, { userId: org.userIds.supervisor, subject: '工单升级', body: '工单 SO-1 已超时', dedupeKey: 'escalation:SO-1:1' });
    expect(n).toMatchObject({ status: 'pending', created: true });
    expect((await notifyUser(ctx, { userId: org.userIds.supervisor, body: 'again', dedupeKey: 'escalation:SO-1:1' })).created).toBe(false);
    const [row] = await rows<{ channel: string; recipient: string; user_id: string }>(get().db, sql`SELECT channel, recipient, user_id FROM outbox_messages WHERE id = ${n.id}`);
    expect(row).toEqual({ channel: 'in_app', recipient: org.userIds.supervisor, user_id: org.userIds.supervisor });
  });

  it('lists the outbox for admins and supervisors only, newest first, with keyset pages and filters', async () => {
    for (const role of ['agent', 'customer_manager', 'analyst'] as const) {
      await expect(listOutbox(org.ctx[role], {})).rejects.toBeInstanceOf(Forbidden);
    }
    const all = await listOutbox(org.ctx.supervisor, { limit: 200 });
    const ids = all.items.map((i) => i.id);
    expect([...ids].sort().reverse()).toEqual(ids);
    const p1 = await listOutbox(org.ctx.admin, { limit: 3 });
    const p2 = await listOutbox(org.ctx.admin, { limit: 3, cursor: p1.nextCursor! });
    expect([...p1.items, ...p2.items].map((i) => i.id)).toEqual(ids.slice(0, 6));
    const suppressed = await listOutbox(org.ctx.admin, { status: 'suppressed', customerId: refusing, limit: 200 });
    expect(suppressed.items.length).toBeGreaterThanOrEqual(2);
    expect(suppressed.items.every((i) => i.status === 'suppressed' && i.customerId === refusing && i.reason === 'no_consent')).toBe(true);
    expect(suppressed.items[0].reasonText).toBe('客户未同意通过该渠道接收消息');
    const inApp = await listOutbox(org.ctx.admin, { channel: 'in_app' });
    expect(inApp.items.map((i) => i.body)).toEqual(['工单 SO-1 已超时']);
    // Full values for roles with customer.pii.
    const first = all.items.find((i) => i.channel === 'sms' && i.customerId === consenting)!;
    expect(first.recipient).toBe('13812341234');
    expect(first.masked).toBe(false);
  });

  it('never shows another organization messages', async () => {
    const mine = await listOutbox(other.ctx.admin, { limit: 200 });
    expect(mine.items).toHaveLength(1);
    expect(mine.items[0].customerId).not.toBe(consenting);
    expect((await listOutbox(other.ctx.admin, { customerId: consenting })).items).toEqual([]);
  });

  it('masks phones, emails and numbers in the text for a role without customer.pii, and keeps to its data scope', async () => {
    await enqueueMessage(org.ctx.admin, { channel: 'sms', customerId: guangdong, body: '请回电 13700001111', templateParams: { phone: '13700001111' } });
    await enqueueMessage(org.ctx.admin, { channel: 'sms', customerId: beijing, body: '北京客户' });
    const restore = grant('customer_manager', 'outbox.read'); // territory Guangdong, no customer.pii
    try {
      const page = await listOutbox(org.ctx.customer_manager, { limit: 200 });
      const customerIds = new Set(page.items.map((i) => i.customerId));
      expect(customerIds.has(guangdong)).toBe(true);
      expect(customerIds.has(beijing)).toBe(false);
      expect(customerIds.has(consenting)).toBe(false); // no region: outside every territory
      const gd = page.items.find((i) => i.customerId === guangdong)!;
      expect(gd).toMatchObject({ recipient: '137****1111', body: '请回电 137****1111', templateParams: { phone: '137****1111' }, masked: true });
      // Internal notifications have no customer: visible, and a user id is not masked.
      expect(page.items.find((i) => i.channel === 'in_app')?.recipient).toBe(org.userIds.supervisor);
    } finally {
      restore();
    }
    const restoreAnalyst = grant('analyst', 'outbox.read');
    try {
      const page = await listOutbox(org.ctx.analyst, { channel: 'email', limit: 200 });
      expect(page.items.map((i) => i.recipient)).toContain('z***@example.com');
    } finally {
      restoreAnalyst();
    }
  });

  it('shows messages on the customer timeline, suppressed ones with their status, masked for roles without customer.pii', async () => {
    const c = await createCustomer(org.ctx.admin, { name: '时间线', phones: ['13722223333'], consent: { sms: true } });
    await enqueueMessage(org.ctx.admin, { channel: 'sms', customerId: c.id, body: '请致电 13722223333 预约' });
    await enqueueMessage(org.ctx.admin, { channel: 'email', customerId: c.id, body: '邮件提醒' });
    const asAgent = await customerTimeline(org.ctx.agent, c.id, {});
    const messages = asAgent.items.filter((i) => i.kind === 'message').map((i) => i.summary);
    expect(messages).toEqual(['邮件（未发送）：邮件提醒', '短信（待发送）：请致电 137****3333 预约']);
    const asSupervisor = await customerTimeline({ ...org.ctx.supervisor, actor: { ...org.ctx.supervisor.actor, locale: 'en' } }, c.id, {});
    expect(asSupervisor.items.filter((i) => i.kind === 'message').map((i) => i.summary)).toContain('SMS (Pending): 请致电 13722223333 预约');
  });

  it('dispatches every pending message exactly once, even with two dispatchers at once, and never suppressed ones', async () => {
    const adapter = countingAdapter(2);
    const adapters = new Map([['sms', adapter], ['email', adapter], ['in_app', adapter]] as const);
    const pendingBefore = await rows<{ id: string }>(get().db, sql`SELECT id FROM outbox_messages WHERE status = 'pending'`);
    expect(pendingBefore.length).toBeGreaterThan(5);
    const [a, b] = await Promise.all([
      dispatchMessages(get().db, { adapters, batchSize: 2 }),
      dispatchMessages(get().db, { adapters, batchSize: 2 }),
    ]);
    expect(a.sent + b.sent).toBe(pendingBefore.length);
    expect([...adapter.delivered.values()].every((n) => n === 1)).toBe(true);
    expect(new Set(adapter.delivered.keys())).toEqual(new Set(pendingBefore.map((r) => r.id)));
    const after = await rows<{ status: string; n: number }>(get().db, sql`SELECT status, count(*)::int AS n FROM outbox_messages WHERE id = ANY(${sql.param(pendingBefore.map((r) => r.id))}::uuid[]) GROUP BY status`);
    expect(after).toEqual([{ status: 'sent', n: pendingBefore.length }]);
    const ext = await rows<{ ok: boolean }>(get().db, sql`SELECT bool_and(external_id = 'ext-' || id::text AND sent_at IS NOT NULL AND attempts = 1) AS ok FROM outbox_messages WHERE status = 'sent'`);
    expect(ext[0].ok).toBe(true);
    // A second run finds nothing to do.
    expect(await dispatchMessages(get().db, { adapters })).toEqual({ sent: 0, failed: 0, deferred: 0 });
    const suppressed = await rows<{ status: string }>(get().db, sql`SELECT DISTINCT status FROM outbox_messages WHERE reason = 'no_consent'`);
    expect(suppressed).toEqual([{ status: 'suppressed' }]);
  });

  it('defers a retryable failure with back-off, fails it after the last attempt, and fails a permanent refusal at once', async () => {
    const t0 = new Date('2030-01-01T00:00:00Z');
    let clock = t0;
    const now = () => clock;
    const flaky: ChannelAdapter = { name: 'flaky', deliver: async (m) => (m.body === 'permanent' ? { ok: false, error: 'isv.MOBILE_NUMBER_ILLEGAL', retryable: false } : { ok: false, error: 'timeout', retryable: true }) };
    const adapters = new Map([['sms', flaky]] as const);
    const retry = await enqueueMessage(org.ctx.admin, { channel: 'sms', customerId: consenting, body: 'retryable' });
    const perm = await enqueueMessage(org.ctx.admin, { channel: 'sms', customerId: consenting, body: 'permanent' });
    expect(await dispatchMessages(get().db, { adapters, now, maxAttempts: 2 })).toEqual({ sent: 0, failed: 1, deferred: 1 });
    // Backed off for a minute: a run 30 s later does not touch it.
    clock = new Date(t0.getTime() + 30_000);
    expect(await dispatchMessages(get().db, { adapters, now, maxAttempts: 2 })).toEqual({ sent: 0, failed: 0, deferred: 0 });
    clock = new Date(t0.getTime() + 61_000);
    expect(await dispatchMessages(get().db, { adapters, now, maxAttempts: 2 })).toEqual({ sent: 0, failed: 1, deferred: 0 });
    const st = await rows<{ id: string; status: string; reason: string; attempts: number }>(
      get().db,
      sql`SELECT id, status, reason, attempts FROM outbox_messages WHERE id IN (${retry.id}, ${perm.id}) ORDER BY body DESC`,
    );
    expect(st).toEqual([
      { id: retry.id, status: 'failed', reason: 'timeout', attempts: 2 },
      { id: perm.id, status: 'failed', reason: 'isv.MOBILE_NUMBER_ILLEGAL', attempts: 1 },
    ]);
  });

  it('takes over the messages of a dispatcher that died after claiming them, once its lease ran out', async () => {
    const m = await enqueueMessage(org.ctx.admin, { channel: 'sms', customerId: consenting, body: 'lease' });
    const t0 = new Date('2031-01-01T00:00:00Z');
    const dying: ChannelAdapter = { name: 'dying', deliver: () => new Promise(() => {}) }; // never answers
    void dispatchMessages(get().db, { adapters: new Map([['sms', dying]]), now: () => t0, leaseSeconds: 300 });
    await new Promise((r) => setTimeout(r, 200));
    const adapter = countingAdapter();
    const adapters = new Map([['sms', adapter]] as const);
    expect((await dispatchMessages(get().db, { adapters, now: () => new Date(t0.getTime() + 60_000) })).sent).toBe(0);
    expect((await dispatchMessages(get().db, { adapters, now: () => new Date(t0.getTime() + 301_000) })).sent).toBe(1);
    expect(adapter.delivered.get(m.id)).toBe(1);
  });

  it('serves GET /api/outbox to a supervisor and refuses an agent', async () => {
    const { database } = get();
    const app = await buildApp({ database, config, log: pino({ level: 'silent' }), webDir: null });
    const login = async (email: string) =>
      (await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password: org.password } })).json().token as string;
    const sup = await login(org.emails.supervisor);
    const res = await app.inject({ method: 'GET', url: '/api/outbox?channel=in_app', headers: { authorization: `Bearer ${sup}`, 'accept-language': 'en' } });
    expect(res.statusCode).toBe(200);
    expect(res.json().items.map((i: { body: string }) => i.body)).toEqual(['工单 SO-1 已超时']);
    const sup2 = await app.inject({ method: 'GET', url: `/api/outbox?status=suppressed&customerId=${refusing}&limit=1`, headers: { authorization: `Bearer ${sup}`, 'accept-language': 'en' } });
    expect(sup2.json().items[0].reasonText).toBe('The customer has not consented to this channel');
    const bad = await app.inject({ method: 'GET', url: '/api/outbox?status=bogus', headers: { authorization: `Bearer ${sup}` } });
    expect(bad.statusCode).toBe(400);
    const agent = await login(org.emails.agent);
    const denied = await app.inject({ method: 'GET', url: '/api/outbox', headers: { authorization: `Bearer ${agent}` } });
    expect(denied.statusCode).toBe(403);
    await app.close();
  });

  describe('the messaging.dispatch job', () => {
    let jobs: JobRunner | undefined;
    afterEach(async () => {
      await jobs?.stop({ graceful: false });
    });

    it('delivers pending messages when the job runs', async () => {
      const m = await enqueueMessage(org.ctx.admin, { channel: 'sms', customerId: consenting, body: 'via job' });
      const handler = jobHandlers.get('messaging.dispatch')!;
      jobs = await startJobs(get().database, { handlers: new Map([['messaging.dispatch', handler]]), schedules: new Map(), pollingIntervalSeconds: 0.5, maintenance: false });
      await jobs.send('messaging.dispatch', {});
      const until = Date.now() + 20_000;
      let status = '';
      while (Date.now() < until) {
        status = (await rows<{ status: string }>(get().db, sql`SELECT status FROM outbox_messages WHERE id = ${m.id}`))[0].status;
        if (status === 'sent') break;
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(status).toBe('sent');
    });
  });
});
