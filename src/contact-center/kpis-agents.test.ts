// Agent and team KPI rows count the calls presented to the agent (ring with no answer, transfer-ins), not only
// the answered ones: a hand computation on five calls, raw and pre-aggregated (intervals and whole days).
import { expect, it } from 'vitest';
import { describeDb } from '../db/test-harness.ts';
import { createAgent } from './agents.ts';
import { aggregateRange } from './aggregate-intervals.ts';
import { ingestCtiEvents } from './ingest-cti-events.ts';
import { contactCenterKpis } from './kpis.ts';
import { ev, expectRow, seedCc } from './test-setup.ts';

const FROM = '2026-03-02T01:00:00.000Z'; // 09:00 Asia/Shanghai
const TO = '2026-03-02T02:00:00.000Z';
const DAY_FROM = '2026-03-01T16:00:00.000Z'; // 2026-03-02 00:00 Asia/Shanghai
const DAY_TO = '2026-03-02T16:00:00.000Z';

describeDb('contact center: agent and team KPIs count offered calls', (get) => {
  it('ring-no-answer, abandon while ringing and transfer-in count as offered to the agent; a team counts each call once', async () => {
    const { db } = get();
    const f = await seedCc(db, 'CcKpiLegs');
    const sup = f.ctx.supervisor;
    const a1002 = await createAgent(sup, { extension: '1002', name: '坐席二', teamId: f.teamA });
    f.set('2026-03-02T03:00:00.000Z');
    await ingestCtiEvents(f.ctx.admin, { events: [
      // A1: rings 1002 (no answer), then 1001, who answers and talks 100 s.
      ev('A1', 'offered', 0, { queue: 'front' }), ev('A1', 'offered', 5, { queue: 'front', agent: '1002' }), ev('A1', 'offered', 20, { queue: 'front', agent: '1001' }),
      ev('A1', 'answered', 25, { queue: 'front', agent: '1001' }), ev('A1', 'ended', 125, { agent: '1001' }),
      // A2: rings 1001, the caller hangs up after 10 s.
      ev('A2', 'offered', 60, { queue: 'front' }), ev('A2', 'offered', 62, { queue: 'front', agent: '1001' }), ev('A2', 'abandoned', 70, { queue: 'front' }),
      // A3: rings 1001 and 1002 at once, the caller hangs up after 3 s (a short abandon).
      ev('A3', 'offered', 120, { queue: 'front' }), ev('A3', 'offered', 121, { queue: 'front', agent: '1001' }), ev('A3', 'offered', 121, { queue: 'front', agent: '1002' }),
      ev('A3', 'abandoned', 123, { queue: 'front' }),
      // A5: abandoned in the queue before ringing anyone: no agent's, no team's.
      ev('A5', 'offered', 300, { queue: 'front' }), ev('A5', 'abandoned', 330, { queue: 'front' }),
    ] });
    // A4: 1001 answers, transfers to the complaints desk where 2001 answers; events arrive last-first in two batches.
    await ingestCtiEvents(f.ctx.admin, { events: [
      ev('A4', 'answered', 260, { queue: 'complaints', agent: '2001' }), ev('A4', 'ended', 400, { agent: '2001' }),
    ] });
    await ingestCtiEvents(f.ctx.admin, { events: [
      ev('A4', 'offered', 180, { queue: 'front' }), ev('A4', 'answered', 190, { queue: 'front', agent: '1001' }),
      ev('A4', 'transferred', 250, { queue: 'complaints', agent: '1001' }),
    ] });

    // By hand:
    // 1001: offered A1 A2 A3 A4 = 4, answered A1 A4 = 2, abandoned A2 A3 = 2 (A3 short), handled A1 (100 s) and A4 (its own
    //       segment, answer 190 → transfer 250 = 60 s): AHT 80, transferred A4.
    // 1002: offered A1 A3 = 2, answered 0, abandoned A3 (short).
    // 2001: offered A4 (transfer-in) = 1, answered 1, handled A4 (answer 260 → end 400 = 140 s), transferred none.
    // Team A (1001, 1002): calls A1 A2 A3 A4 = 4 once each (A1 and A3 rang both), answered A1 A4, abandoned A2 A3 (A3 short).
    // Complaints team (2001): A4.
    const agent1001 = { offered: 4, answered: 2, abandoned: 2, shortAbandoned: 1, answerRate: 0.5, abandonRate: 0.5, ahtSeconds: 80, transferRate: 0.5, serviceLevel: null, asaSeconds: null };
    const agent1002 = { offered: 2, answered: 0, abandoned: 1, shortAbandoned: 1, answerRate: 0, abandonRate: 0.5, ahtSeconds: null, transferRate: null };
    const agent2001 = { offered: 1, answered: 1, abandoned: 0, shortAbandoned: 0, answerRate: 1, abandonRate: 0, ahtSeconds: 140, transferRate: 0 };
    const teamA = { label: '售后一组', offered: 4, answered: 2, abandoned: 2, shortAbandoned: 1, answerRate: 0.5, abandonRate: 0.5, ahtSeconds: 80, transferRate: 0.5, serviceLevel: null };
    const teamC = { label: '投诉专员组', offered: 1, answered: 1, abandoned: 0, answerRate: 1, ahtSeconds: 140, transferRate: 0 };

    const check = async (source: 'raw' | 'aggregate', from: string, to: string) => {
      const byAgent = await contactCenterKpis(sup, { from, to, groupBy: 'agent', source });
      const a = new Map(byAgent.rows.map((r) => [r.key, r]));
      expectRow(a.get(f.agent1001), agent1001);
      expectRow(a.get(a1002.id), agent1002);
      expectRow(a.get(f.agent2001), agent2001);
      const byTeam = await contactCenterKpis(sup, { from, to, groupBy: 'team', source });
      const t = new Map(byTeam.rows.map((r) => [r.key, r]));
      expectRow(t.get(f.teamA), teamA);
      expectRow(t.get(f.complaintsTeam), teamC);
      expect(byTeam.rows).toHaveLength(2);
      expectRow(byTeam.total, { offered: 5, answered: 3, abandoned: 2 });
      // One team's intervals count each call once too.
      const teamHours = await contactCenterKpis(sup, { from, to, groupBy: 'interval', intervalMinutes: 60, teamId: f.teamA, source });
      expect(teamHours.rows.map((r) => [r.key, r.offered, r.answered, r.abandoned])).toEqual([['2026-03-02T01:00:00Z', 4, 2, 2]]);
      // The queue still counts every call, A5 included.
      const byQueue = await contactCenterKpis(sup, { from, to, groupBy: 'queue', source });
      expectRow(byQueue.rows.find((r) => r.key === f.front), { offered: 5, answered: 2, abandoned: 3, shortAbandoned: 1 });
      // An agent's own figures are the same as the supervisor sees.
      const own = await contactCenterKpis(f.ctx.agent, { from, to, groupBy: 'agent', source });
      expect(own.rows).toHaveLength(1);
      expectRow(own.rows[0], agent1001);
    };
    await check('raw', FROM, TO);
    await check('raw', DAY_FROM, DAY_TO);
    await aggregateRange(db, f.orgId, new Date(FROM), new Date(TO), f.clock.now);
    await check('aggregate', FROM, TO);
    await check('aggregate', DAY_FROM, DAY_TO); // whole local day: the per-day agent table
  });
});
