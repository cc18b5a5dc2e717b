// CTI ingestion: call records built from event sequences (answered, abandoned, transferred) in any order
// and across batches, idempotent replays, phone attach (+86 / separators) and the customer timeline,
// caller priority from customer tags.
import { and, eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { describeDb } from '../db/test-harness.ts';
import { customerTimeline } from '../customers/customer-timeline.ts';
import { ingestCtiEvents } from './ingest-cti-events.ts';
import { ccCalls, ccCtiEvents } from './tables.ts';
import { ev, seedCc } from './test-setup.ts';
import { callerPriority } from './caller-priority.ts';
import { normalizeCallerPhone } from './caller-phone.ts';
import './call-timeline.ts';
import { sql } from 'drizzle-orm';
import { rows } from '../db/open.ts';

describeDb('contact center: CTI ingestion', (get) => {
  it('builds one record per call from answered, abandoned and transferred sequences, in any order and batch split; replays change nothing', async () => {
    const { db } = get();
    const f = await seedCc(db, 'CtiIngest');
    const ctx = f.ctx.admin;
    const events = [
      // A: answered after 15 s, 180 s talk, 30 s wrap-up; caller 张三 written as the PBX sends it.
      ev('A', 'offered', 0, { queue: 'front', phone: '+86 138-0000-0001' }),
      ev('A', 'answered', 15, { queue: 'front', agent: '1001' }),
      ev('A', 'ended', 195, { agent: '1001', acwSeconds: 30 }),
      // B: abandoned after 40 s by an unknown caller.
      ev('B', 'offered', 10, { queue: 'front', phone: '13900000009' }),
      ev('B', 'abandoned', 50, { queue: 'front' }),
      // C: front line answers after 5 s, transfers to the complaints desk, a specialist answers, ends at 300 s.
      ev('C', 'offered', 20, { queue: 'front', phone: '013800000002' }),
      ev('C', 'answered', 25, { queue: 'front', agent: '1001' }),
      ev('C', 'transferred', 85, { queue: 'complaints', agent: '1001' }),
      ev('C', 'queued', 86, { queue: 'complaints' }),
      ev('C', 'answered', 100, { queue: 'complaints', agent: '2001' }),
      ev('C', 'ended', 320, { agent: '2001' }),
    ];
    // Shuffled, in two batches: the ends before the offers.
    const order = [10, 2, 4, 7, 0, 9, 3, 1, 6, 8, 5];
    const batch1 = order.slice(0, 6).map((i) => events[i]);
    const batch2 = order.slice(6).map((i) => events[i]);
    const r1 = await ingestCtiEvents(ctx, { events: batch1 });
    const r2 = await ingestCtiEvents(ctx, { events: batch2 });
    expect(r1.accepted + r2.accepted).toBe(11);
    expect(r1.duplicates + r2.duplicates).toBe(0);

    const snapshot = async () => (await db.select().from(ccCalls).where(eq(ccCalls.orgId, f.orgId))).sort((a, b) => a.callId.localeCompare(b.callId));
    const calls = await snapshot();
    expect(calls.map((c) => c.callId)).toEqual(['A', 'B', 'C']);
    const [a, b, c] = calls;
    expect(a).toMatchObject({ queueId: f.front, lastQueueId: f.front, agentId: f.agent1001, teamId: f.teamA, abandoned: false, transferred: false, waitSeconds: 15, talkSeconds: 180, acwSeconds: 30, phone: '13800000001', customerId: f.gdCustomerId });
    expect(b).toMatchObject({ queueId: f.front, agentId: null, answeredAt: null, abandoned: true, waitSeconds: 40, talkSeconds: null, phone: '13900000009', customerId: null });
    expect(c).toMatchObject({ queueId: f.front, lastQueueId: f.complaints, agentId: f.agent1001, transferred: true, abandoned: false, waitSeconds: 5, talkSeconds: 295, customerId: f.zjCustomerId });

    // Replays (a whole batch, and single events) are accepted and ignored.
    const again = await ingestCtiEvents(ctx, { events: [...batch1, ...batch2] });
    expect(again).toMatchObject({ received: 11, accepted: 0, duplicates: 11 });
    const single = await ingestCtiEvents(ctx, events[1]);
    expect(single).toMatchObject({ received: 1, accepted: 0, duplicates: 1 });
    expect(await snapshot()).toEqual(calls);
    expect((await db.select().from(ccCtiEvents).where(eq(ccCtiEvents.orgId, f.orgId))).length).toBe(11);
    // The same event id twice in one batch: stored once.
    const dup = ev('D', 'offered', 400, { queue: 'front' });
    expect(await ingestCtiEvents(ctx, { events: [dup, dup] })).toMatchObject({ received: 2, accepted: 1, duplicates: 1, calls: 1 });
  });

  it('attaches calls to customers by phone, shows them on the timeline, and raises a vip caller\'s priority', async () => {
    const { db } = get();
    const f = await seedCc(db, 'CtiAttach');
    const ctx = f.ctx.admin;
    await ingestCtiEvents(ctx, { events: [
      ev('V1', 'offered', 0, { queue: 'front', phone: '8613800000003' }),
      ev('V1', 'answered', 12, { queue: 'front', agent: '1001' }),
      ev('V1', 'ended', 72, { agent: '1001' }),
      ev('G1', 'offered', 5, { queue: 'front', phone: '138 0000 0001' }),
      ev('G1', 'abandoned', 25, { queue: 'front' }),
    ] });
    const [v1] = await db.select().from(ccCalls).where(and(eq(ccCalls.orgId, f.orgId), eq(ccCalls.callId, 'V1')));
    expect(v1.customerId).toBe(f.vipCustomerId);
    expect(v1.priority).toBe(10);
    const [g1] = await db.select().from(ccCalls).where(and(eq(ccCalls.orgId, f.orgId), eq(ccCalls.callId, 'G1')));
    expect(g1.customerId).toBe(f.gdCustomerId);
    expect(g1.priority).toBe(0);
    expect(await callerPriority(db, f.orgId, f.vipCustomerId, f.front)).toBe(10);
    expect(await callerPriority(db, f.orgId, f.vipCustomerId, f.complaints)).toBe(0);
    expect(await callerPriority(db, f.orgId, null, f.front)).toBe(0);

    const timeline = await customerTimeline(f.ctx.supervisor, f.vipCustomerId, { limit: 20 });
    const call = timeline.items.find((i) => i.kind === 'call.answered');
    expect(call?.summary).toBe('来电（综合服务），等待 12 秒，通话 60 秒');
    const en = await customerTimeline({ ...f.ctx.supervisor, actor: { ...f.ctx.supervisor.actor, locale: 'en' } }, f.gdCustomerId, { limit: 20 });
    expect(en.items.find((i) => i.kind === 'call.abandoned')?.summary).toBe('Call (综合服务) abandoned after 20 s');
    // The lookup is indexed: the plan of the ingestion's lookup uses the GIN index on customers.phones.
    // (With a realistic table: 5,000 more customers in the organization, analyzed.)
    await db.execute(sql`INSERT INTO customers (id, org_id, name, phones) SELECT gen_random_uuid(), ${f.orgId}, 'c' || i, ARRAY['139' || lpad(i::text, 8, '0')]
      FROM generate_series(1, 5000) i`);
    await db.execute(sql`ANALYZE customers`);
    const plan = await db.transaction(async (tx) => {
      return rows<Record<string, string>>(tx, sql`EXPLAIN SELECT id FROM customers WHERE org_id = ${f.orgId} AND phones @> ARRAY['13800000001'] ORDER BY created_at, id LIMIT 1`);
    });
    expect(plan.map((r) => Object.values(r)[0]).join('\n')).toContain('customers_phones_idx');
  });

  it('normalizes caller numbers like customer phones', () => {
    expect(normalizeCallerPhone('+86 138-0000-0001')).toBe('13800000001');
    expect(normalizeCallerPhone('0086 13800000001')).toBe('13800000001');
    expect(normalizeCallerPhone('013800000001')).toBe('13800000001');
    expect(normalizeCallerPhone('(010) 6552-9988')).toBe('01065529988');
    expect(normalizeCallerPhone('  ')).toBe(null);
    expect(normalizeCallerPhone(null)).toBe(null);
  });

  it('the agent role may not ingest; the org of the token scopes everything', async () => {
    const { db } = get();
    const f = await seedCc(db, 'CtiPerm');
    await expect(ingestCtiEvents(f.ctx.agent, ev('X', 'offered', 0))).rejects.toMatchObject({ code: 'forbidden' });
    await expect(ingestCtiEvents(f.ctx.analyst, ev('X', 'offered', 0))).rejects.toMatchObject({ code: 'forbidden' });
  });
});
