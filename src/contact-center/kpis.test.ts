// KPIs against a hand computation on a small fixed event set (five calls, two agents' states), from the
// raw query and from the per-interval tables (range backfill and the incremental job), which must agree.
import { expect, it } from 'vitest';
import { describeDb } from '../db/test-harness.ts';
import { recordAgentStates } from './agents.ts';
import { aggregateIncremental, aggregateRange } from './aggregate-intervals.ts';
import { ingestCtiEvents } from './ingest-cti-events.ts';
import { contactCenterKpis } from './kpis.ts';
import { updateQueue } from './queues.ts';
import type { KpiRow } from './schemas.ts';
import { ev, sec, seedCc } from './test-setup.ts';

const FROM = '2026-03-02T01:00:00.000Z'; // 09:00 Asia/Shanghai
const TO = '2026-03-02T03:00:00.000Z';

function approx(row: KpiRow, expected: Partial<Record<keyof KpiRow, number | null | string>>): void {
  for (const [k, v] of Object.entries(expected)) {
    const got = row[k as keyof KpiRow];
    if (typeof v === 'number' && typeof got === 'number') expect(got, k).toBeCloseTo(v, 9);
    else expect(got, k).toBe(v);
  }
}

describeDb('contact center: KPIs', (get) => {
  it('per interval, queue and agent: offered … occupancy equal the hand computation, raw and pre-aggregated alike', async () => {
    const { db } = get();
    const f = await seedCc(db, 'CcKpis');
    const admin = f.ctx.admin;
    f.set('2026-03-02T03:30:00.000Z');
    await ingestCtiEvents(admin, { events: [
      ev('K1', 'offered', 0, { queue: 'front', phone: '13800000001' }), ev('K1', 'answered', 10, { queue: 'front', agent: '1001' }), ev('K1', 'ended', 110, { agent: '1001', acwSeconds: 20 }),
      ev('K2', 'offered', 60, { queue: 'front', phone: '13800000002' }), ev('K2', 'answered', 90, { queue: 'front', agent: '2001' }), ev('K2', 'ended', 290, { agent: '2001' }),
      ev('K3', 'offered', 120, { queue: 'front', phone: '13900000009' }), ev('K3', 'abandoned', 123, { queue: 'front' }),
      ev('K4', 'offered', 180, { queue: 'front', phone: '13900000008' }), ev('K4', 'abandoned', 240, { queue: 'front' }),
      ev('K5', 'offered', 3600, { queue: 'front', phone: '13800000001' }), ev('K5', 'answered', 3620, { queue: 'front', agent: '1001' }),
      ev('K5', 'transferred', 3650, { queue: 'complaints', agent: '1001' }), ev('K5', 'ended', 3680, { agent: '1001' }),
    ] });
    const st = (agent: string, state: 'available' | 'on_call' | 'after_call_work' | 'break' | 'offline', s: number) => ({ agent, state, at: sec(s) });
    await recordAgentStates(admin, { events: [
      st('1001', 'available', 0), st('1001', 'on_call', 10), st('1001', 'after_call_work', 110), st('1001', 'available', 130), st('1001', 'break', 1800),
      st('1001', 'available', 3600), st('1001', 'on_call', 3620), st('1001', 'available', 3680), st('1001', 'offline', 4500),
      st('2001', 'available', 0), st('2001', 'on_call', 90), st('2001', 'available', 290), st('2001', 'offline', 1200),
    ] });

    // Hand computation (front queue: target 20 s, short abandon < 5 s excluded from the SL denominator; FCR window 24 h):
    // 09:00–10:00: K1 (wait 10, talk 100 + ACW 20; repeated by K5 → not FCR), K2 (wait 30, talk 200), K3 (short abandon), K4 (abandon 60 s).
    // 10:00–11:00: K5 (wait 20 = target, transferred): 1001 talks from the answer to the transfer, 30 s (its handle time;
    //         the caller's last 30 s waiting in the complaints queue are nobody's handle time).
    // States 09:00–10:00: 1001 available 1680, on call 100, ACW 20 (break 1800); 2001 available 1000, on call 200.
    //         10:00–11:00: 1001 available 840, on call 60.
    const h9 = { key: '2026-03-02T01:00:00Z', offered: 4, answered: 2, abandoned: 2, shortAbandoned: 1, answerRate: 0.5, abandonRate: 0.5, serviceLevel: 1 / 3,
      asaSeconds: 20, ahtSeconds: 160, transferRate: 0, fcrRate: 0.5, occupancy: 320 / 3000 };
    const h10 = { key: '2026-03-02T02:00:00Z', offered: 1, answered: 1, abandoned: 0, shortAbandoned: 0, answerRate: 1, serviceLevel: 1, asaSeconds: 20, ahtSeconds: 30,
      transferRate: 1, fcrRate: 1, occupancy: 60 / 900 };
    const total = { offered: 5, answered: 3, abandoned: 2, shortAbandoned: 1, answerRate: 0.6, serviceLevel: 0.5, asaSeconds: 20, ahtSeconds: 350 / 3,
      transferRate: 1 / 3, fcrRate: 2 / 3, occupancy: 380 / 3900 };
    const agent1001 = { key: f.agent1001, label: '坐席一', answered: 2, ahtSeconds: 75, transferRate: 0.5, fcrRate: 0.5, occupancy: 180 / 2700, serviceLevel: null, asaSeconds: null };
    const agent2001 = { key: f.agent2001, label: '投诉专员', answered: 1, ahtSeconds: 200, transferRate: 0, fcrRate: 1, occupancy: 200 / 1200 };

    const check = async (source: 'raw' | 'aggregate') => {
      const byHour = await contactCenterKpis(f.ctx.supervisor, { from: FROM, to: TO, intervalMinutes: 60, groupBy: 'interval', source });
      expect(byHour.rows.map((r) => r.key)).toEqual([h9.key, h10.key]);
      approx(byHour.rows[0], h9);
      approx(byHour.rows[1], h10);
      approx(byHour.total, total);
      const by15 = await contactCenterKpis(f.ctx.supervisor, { from: FROM, to: TO, intervalMinutes: 15, groupBy: 'interval', source });
      expect(by15.rows.map((r) => [r.key, r.offered])).toEqual([['2026-03-02T01:00:00Z', 4], ['2026-03-02T02:00:00Z', 1]]);
      const byDay = await contactCenterKpis(f.ctx.supervisor, { from: FROM, to: TO, groupBy: 'day', source });
      approx(byDay.rows[0], { key: '2026-03-02', ...total });
      const byQueue = await contactCenterKpis(f.ctx.supervisor, { from: FROM, to: TO, groupBy: 'queue', source });
      expect(byQueue.rows.map((r) => [r.label, r.offered])).toEqual([['综合服务', 5]]);
      approx(byQueue.rows[0], { serviceLevel: 0.5, occupancy: null });
      const byAgent = await contactCenterKpis(f.ctx.supervisor, { from: FROM, to: TO, groupBy: 'agent', source });
      const a = new Map(byAgent.rows.map((r) => [r.key, r]));
      approx(a.get(f.agent1001)!, agent1001);
      approx(a.get(f.agent2001)!, agent2001);
      // A whole local day (aggregate: the per-day agent table) gives the same agent figures.
      const dayAgents = await contactCenterKpis(f.ctx.supervisor, { from: '2026-03-01T16:00:00.000Z', to: '2026-03-02T16:00:00.000Z', groupBy: 'agent', source });
      const d = new Map(dayAgents.rows.map((r) => [r.key, r]));
      approx(d.get(f.agent1001)!, agent1001);
      approx(d.get(f.agent2001)!, agent2001);
      const dayTotal = await contactCenterKpis(f.ctx.supervisor, { from: '2026-03-01T16:00:00.000Z', to: '2026-03-02T16:00:00.000Z', groupBy: 'day', source });
      approx(dayTotal.rows[0], { key: '2026-03-02', ...total });
      const byTeam = await contactCenterKpis(f.ctx.supervisor, { from: FROM, to: TO, groupBy: 'team', source });
      approx(byTeam.rows.find((r) => r.key === f.teamA)!, { label: '售后一组', answered: 2, ahtSeconds: 75 });
      // The agent sees only their own figures.
      const own = await contactCenterKpis(f.ctx.agent, { from: FROM, to: TO, groupBy: 'agent', source });
      expect(own.rows.map((r) => r.key)).toEqual([f.agent1001]);
    };

    await check('raw');
    await aggregateRange(db, f.orgId, new Date(FROM), new Date(TO), f.clock.now);
    await check('aggregate');

    // Short abandons counted in the denominator when the queue says so.
    const { version } = (await updateQueue(f.ctx.supervisor, f.front, { version: 1, excludeShortAbandons: false }));
    expect(version).toBe(2);
    const sl = await contactCenterKpis(f.ctx.supervisor, { from: FROM, to: TO, intervalMinutes: 60, source: 'raw' });
    expect(sl.rows[0].serviceLevel).toBeCloseTo(1 / 4, 12);
    expect(sl.total.serviceLevel).toBeCloseTo(2 / 5, 12);
    await updateQueue(f.ctx.supervisor, f.front, { version: 2, excludeShortAbandons: true });
  });

  it('the incremental job: first run aggregates everything, a repeat call later flips the earlier call\'s FCR in its own interval', async () => {
    const { db } = get();
    const f = await seedCc(db, 'CcKpiJob');
    const admin = f.ctx.admin;
    f.set('2026-03-02T03:00:00.000Z');
    await ingestCtiEvents(admin, { events: [
      ev('J1', 'offered', 0, { queue: 'front', phone: '13800000002' }), ev('J1', 'answered', 5, { queue: 'front', agent: '1001' }), ev('J1', 'ended', 65, { agent: '1001' }),
    ] });
    const first = await aggregateIncremental(db, f.orgId, new Date('2026-03-02T03:10:00.000Z'));
    expect(first.queueBins).toBe(1);
    let k = await contactCenterKpis(f.ctx.supervisor, { from: FROM, to: TO, intervalMinutes: 60 });
    expect(k.rows.map((r) => [r.key, r.offered, r.fcrRate])).toEqual([['2026-03-02T01:00:00Z', 1, 1]]);
    // Nothing new: nothing recomputed for calls.
    expect((await aggregateIncremental(db, f.orgId, new Date('2026-03-02T03:20:00.000Z'))).queueBins).toBe(0);

    f.set('2026-03-02T03:25:00.000Z');
    await ingestCtiEvents(admin, { events: [
      ev('J2', 'offered', 5400, { queue: 'front', phone: '13800000002' }), ev('J2', 'answered', 5410, { queue: 'front', agent: '1001' }), ev('J2', 'ended', 5500, { agent: '1001' }),
    ] });
    const second = await aggregateIncremental(db, f.orgId, new Date('2026-03-02T03:30:00.000Z'));
    expect(second.queueBins).toBe(2); // J2's interval and J1's (its FCR changed)
    k = await contactCenterKpis(f.ctx.supervisor, { from: FROM, to: TO, intervalMinutes: 60 });
    expect(k.rows.map((r) => [r.key, r.offered, r.fcrRate])).toEqual([['2026-03-02T01:00:00Z', 1, 0], ['2026-03-02T02:00:00Z', 1, 1]]);
    const raw = await contactCenterKpis(f.ctx.supervisor, { from: FROM, to: TO, intervalMinutes: 60, source: 'raw' });
    expect(raw.rows).toEqual(k.rows);
  });

  it('permissions and input: analysts read, agents only their own, customer managers not at all; queue filter with agent figures is 400', async () => {
    const { db } = get();
    const f = await seedCc(db, 'CcKpiPerm');
    await expect(contactCenterKpis(f.ctx.analyst, { from: FROM, to: TO })).resolves.toMatchObject({ groupBy: 'interval' });
    await expect(contactCenterKpis(f.ctx.customer_manager, { from: FROM, to: TO })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(contactCenterKpis(f.ctx.agent, { from: FROM, to: TO, groupBy: 'queue' })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(contactCenterKpis(f.ctx.agent, { from: FROM, to: TO, agentId: f.agent2001 })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(contactCenterKpis(f.ctx.supervisor, { from: FROM, to: TO, groupBy: 'agent', queueId: f.front })).rejects.toMatchObject({ code: 'invalid' });
  });
});
