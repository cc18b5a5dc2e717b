// Transferred calls: each agent who answered is credited with their own segment (answer → their transfer, or the
// next answer, or the call's end), in handle time, handled calls and transfers per agent and per team, raw and
// pre-aggregated; the result does not depend on the order or batching of the events; the call list for an agent
// shows every call they answered, first or after a transfer.
import { readdirSync, readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { rows, type Db } from '../db/open.ts';
import { describeDb } from '../db/test-harness.ts';
import { createAgent } from './agents.ts';
import { aggregateRange } from './aggregate-intervals.ts';
import { ingestCtiEvents } from './ingest-cti-events.ts';
import { agentSegmentsSql } from './kpi-sql.ts';
import { contactCenterKpis } from './kpis.ts';
import { listCalls } from './list-calls.ts';
import type { CtiEvent } from './schemas.ts';
import { ev, expectRow, seedCc, type CcFixture } from './test-setup.ts';

const FROM = '2026-03-02T01:00:00.000Z'; // 09:00 Asia/Shanghai
const TO = '2026-03-02T02:00:00.000Z';
const DAY_FROM = '2026-03-01T16:00:00.000Z';
const DAY_TO = '2026-03-02T16:00:00.000Z';

// Agents: 1001 and 1002 in team A (front line), 2001 in the complaints team.
const EVENTS: CtiEvent[] = [
  // T1: 1001 answers at 10, transfers to complaints at 70 (ACW 15 on the transfer); 2001 answers at 100, ends at 400 (ACW 30).
  ev('T1', 'offered', 0, { queue: 'front', phone: '13800000001' }), ev('T1', 'answered', 10, { queue: 'front', agent: '1001' }),
  ev('T1', 'transferred', 70, { queue: 'complaints', agent: '1001', acwSeconds: 15 }), ev('T1', 'queued', 71, { queue: 'complaints' }),
  ev('T1', 'answered', 100, { queue: 'complaints', agent: '2001' }), ev('T1', 'ended', 400, { agent: '2001', acwSeconds: 30 }),
  // T2: within team A: 1001 answers at 505, transfers at 565; 1002 answers at 580, ends at 700.
  ev('T2', 'offered', 500, { queue: 'front' }), ev('T2', 'answered', 505, { queue: 'front', agent: '1001' }),
  ev('T2', 'transferred', 565, { queue: 'front', agent: '1001' }), ev('T2', 'answered', 580, { queue: 'front', agent: '1002' }),
  ev('T2', 'ended', 700, { agent: '1002' }),
  // T3: 1002 → complaints (2001) → back to 1002; ended without an agent, ACW 20 (the last answerer's).
  ev('T3', 'offered', 1000, { queue: 'front' }), ev('T3', 'answered', 1010, { queue: 'front', agent: '1002' }),
  ev('T3', 'transferred', 1040, { queue: 'complaints', agent: '1002' }), ev('T3', 'answered', 1050, { queue: 'complaints', agent: '2001' }),
  ev('T3', 'transferred', 1110, { queue: 'front', agent: '2001' }), ev('T3', 'answered', 1120, { queue: 'front', agent: '1002' }),
  ev('T3', 'ended', 1200, { acwSeconds: 20 }),
  // T4: an ordinary call of 2001, 60 s.
  ev('T4', 'offered', 1300, { queue: 'complaints' }), ev('T4', 'answered', 1305, { queue: 'complaints', agent: '2001' }), ev('T4', 'ended', 1365, { agent: '2001' }),
  // T5: 1001 answers at 1410, transfers at 1450; 2001 answers at 1460 and is still talking.
  ev('T5', 'offered', 1400, { queue: 'front' }), ev('T5', 'answered', 1410, { queue: 'front', agent: '1001' }),
  ev('T5', 'transferred', 1450, { queue: 'complaints', agent: '1001' }), ev('T5', 'answered', 1460, { queue: 'complaints', agent: '2001' }),
  // T6: 2001 answers at 1505, transfers at 1530; 1001 answers second at 1540, ends at 1600.
  ev('T6', 'offered', 1500, { queue: 'complaints' }), ev('T6', 'answered', 1505, { queue: 'complaints', agent: '2001' }),
  ev('T6', 'transferred', 1530, { queue: 'front', agent: '2001' }), ev('T6', 'answered', 1540, { queue: 'front', agent: '1001' }),
  ev('T6', 'ended', 1600, { agent: '1001' }),
];

/** Deterministic shuffle (a small LCG), so a failure is reproducible. */
function shuffled<T>(xs: T[], seed: number): T[] {
  const out = [...xs];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2147483648;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** Per call and agent who answered it: [call, extension, handled, handle seconds, transferred]. */
async function segments(db: Db, orgId: string): Promise<[string, string, number, number, number][]> {
  const found = await rows<{ call_id: string; extension: string; handled: number; handle_seconds: number; transferred: number }>(db, sql`
    SELECT c.call_id, ag.extension, s.handled, s.handle_seconds, s.transferred
    FROM cc_calls c CROSS JOIN LATERAL (${agentSegmentsSql('c')}) s JOIN cc_agents ag ON ag.id = s.agent_id
    WHERE c.org_id = ${orgId} ORDER BY c.call_id, ag.extension`);
  return found.map((r) => [r.call_id, r.extension, Number(r.handled), Number(r.handle_seconds), Number(r.transferred)]);
}

async function seed(db: Db, name: string): Promise<CcFixture & { agent1002: string }> {
  const f = await seedCc(db, name);
  const a1002 = await createAgent(f.ctx.supervisor, { extension: '1002', name: '坐席二', teamId: f.teamA });
  f.set('2026-03-02T01:40:00.000Z');
  return { ...f, agent1002: a1002.id };
}

describeDb('contact center: transferred calls credit each agent with their own segment', (get) => {
  it('talk, handle time, handled and transfers per agent and team; any order and batching gives the same; the agent call list', async () => {
    const { db } = get();
    // The same events: in order in one batch, and shuffled in four batches (two of them concurrently) plus a replay.
    const inOrder = await seed(db, 'CcXferOrdered');
    await ingestCtiEvents(inOrder.ctx.admin, { events: EVENTS });
    const split = await seed(db, 'CcXferShuffled');
    const mixed = shuffled(EVENTS, 20260302);
    const q = Math.ceil(mixed.length / 4);
    const batches = [mixed.slice(0, q), mixed.slice(q, 2 * q), mixed.slice(2 * q, 3 * q), mixed.slice(3 * q)];
    await ingestCtiEvents(split.ctx.admin, { events: batches[3] });
    await Promise.all([ingestCtiEvents(split.ctx.admin, { events: batches[1] }), ingestCtiEvents(split.ctx.admin, { events: batches[0] })]);
    await ingestCtiEvents(split.ctx.admin, { events: batches[2] });
    expect(await ingestCtiEvents(split.ctx.admin, { events: [...batches[1], ...batches[3]] })).toMatchObject({ accepted: 0 });

    // By hand (handle seconds = talk of the agent's segments + their ACW):
    const expected: [string, string, number, number, number][] = [
      ['T1', '1001', 1, 60 + 15, 1], ['T1', '2001', 1, 300 + 30, 0],
      ['T2', '1001', 1, 60, 1], ['T2', '1002', 1, 120, 0],
      ['T3', '1002', 1, 30 + 80 + 20, 1], ['T3', '2001', 1, 60, 1],
      ['T4', '2001', 1, 60, 0],
      ['T5', '1001', 1, 40, 1], ['T5', '2001', 0, 0, 0], // 2001's segment is still open
      ['T6', '1001', 1, 60, 0], ['T6', '2001', 1, 25, 1],
    ];
    expect(await segments(db, inOrder.orgId)).toEqual(expected);
    expect(await segments(db, split.orgId)).toEqual(expected);

    // 1001: answered T1 T2 T5 T6, handled all four: 75 + 60 + 40 + 60 = 235 s, transferred T1 T2 T5.
    // 1002: answered T2 T3, handled both: 120 + 130 = 250 s, transferred T3.
    // 2001: answered T1 T3 T4 T5 T6, handled T1 T3 T4 T6: 330 + 60 + 60 + 25 = 475 s, transferred T3 T6.
    // Team A (1001, 1002): answered T1 T2 T3 T5 T6, handled each once: 75 + (60 + 120) + 130 + 40 + 60 = 485 s; transferred T1 T2 T3 T5.
    // Complaints team (2001): as 2001.
    // All calls: 6 answered, handled T1–T4 and T6 (T5 has not ended): 405 + 180 + 190 + 60 + 85 = 920 s; transferred 5 of 6 (T3 once).
    const a1001 = { answered: 4, ahtSeconds: 235 / 4, transferRate: 3 / 4 };
    const a1002 = { answered: 2, ahtSeconds: 125, transferRate: 1 / 2 };
    const a2001 = { answered: 5, ahtSeconds: 475 / 4, transferRate: 2 / 5 };
    const teamA = { answered: 5, ahtSeconds: 485 / 5, transferRate: 4 / 5 };
    const teamC = { answered: 5, ahtSeconds: 475 / 4, transferRate: 2 / 5 };
    const total = { offered: 6, answered: 6, ahtSeconds: 920 / 5, transferRate: 5 / 6 };

    const check = async (f: CcFixture & { agent1002: string }, source: 'raw' | 'aggregate', from: string, to: string) => {
      const sup = f.ctx.supervisor;
      const byAgent = new Map((await contactCenterKpis(sup, { from, to, groupBy: 'agent', source })).rows.map((r) => [r.key, r]));
      expectRow(byAgent.get(f.agent1001), a1001);
      expectRow(byAgent.get(f.agent1002), a1002);
      expectRow(byAgent.get(f.agent2001), a2001);
      const byTeam = new Map((await contactCenterKpis(sup, { from, to, groupBy: 'team', source })).rows.map((r) => [r.key, r]));
      expectRow(byTeam.get(f.teamA), teamA);
      expectRow(byTeam.get(f.complaintsTeam), teamC);
      // One team's intervals: the same team figures.
      const teamDay = await contactCenterKpis(sup, { from, to, groupBy: 'day', teamId: f.teamA, source });
      expectRow(teamDay.total, teamA);
      const byDay = await contactCenterKpis(sup, { from, to, groupBy: 'day', source });
      expectRow(byDay.total, total);
      // The agent's own figures.
      const own = await contactCenterKpis(f.ctx.agent, { from, to, groupBy: 'agent', source });
      expectRow(own.total, a1001);
    };
    for (const f of [inOrder, split]) {
      await check(f, 'raw', FROM, TO);
      await aggregateRange(db, f.orgId, new Date(FROM), new Date(TO), f.clock.now);
      await check(f, 'aggregate', FROM, TO);
      await check(f, 'aggregate', DAY_FROM, DAY_TO); // whole day: the per-day agent table
    }

    // The call list for an agent: every call they answered, also after a transfer; the agent's own list likewise.
    const f = split;
    const callIds = async (items: { callId: string }[]) => items.map((c) => c.callId).sort();
    expect(await callIds((await listCalls(f.ctx.supervisor, { agentId: f.agent2001 })).items)).toEqual(['T1', 'T3', 'T4', 'T5', 'T6']);
    expect(await callIds((await listCalls(f.ctx.supervisor, { agentId: f.agent1002 })).items)).toEqual(['T2', 'T3']);
    const t1 = (await listCalls(f.ctx.supervisor, { agentId: f.agent2001 })).items.find((c) => c.callId === 'T1');
    expect(t1).toMatchObject({ agentId: f.agent1001, transferred: true });
    expect([...t1!.answeredAgentIds].sort()).toEqual([f.agent1001, f.agent2001].sort());
    expect(await callIds((await listCalls(f.ctx.agent, {})).items)).toEqual(['T1', 'T2', 'T5', 'T6']);
    // Paging through an agent's calls keeps the filter.
    const page1 = await listCalls(f.ctx.supervisor, { agentId: f.agent2001, limit: 3 });
    const page2 = await listCalls(f.ctx.supervisor, { agentId: f.agent2001, limit: 3, cursor: page1.nextCursor! });
    expect([...page1.items, ...page2.items].map((c) => c.callId)).toEqual(['T6', 'T5', 'T4', 'T3', 'T1']);
    expect(page2.nextCursor).toBe(null);
  });

  it('the migration backfills the marks of recorded calls from their CTI events and marks the transferred ones for the KPI job', async () => {
    const { db } = get();
    const f = await seed(db, 'CcXferBackfill');
    await ingestCtiEvents(f.ctx.admin, { events: shuffled(EVENTS, 7) });
    const before = await segments(db, f.orgId);
    expect(before).toHaveLength(11);
    // Calls recorded before the marks existed: no marks, an old update time.
    await db.execute(sql`UPDATE cc_calls SET agent_marks = '[]'::jsonb, updated_at = '2026-03-02T01:30:00Z' WHERE org_id = ${f.orgId}`);
    expect(await segments(db, f.orgId)).not.toEqual(before);
    // Found by name, not number: migrations are renumbered when branches merge.
    const drizzleDir = new URL('../../drizzle/', import.meta.url);
    const file = readdirSync(drizzleDir).find((f) => /^\d{4}_transfer-segments\.sql$/.test(f));
    expect(file).toBeDefined();
    const migration = readFileSync(new URL(file!, drizzleDir), 'utf8');
    const handWritten = migration.slice(migration.indexOf('-- Hand-written')).split('--> statement-breakpoint');
    expect(handWritten.length).toBe(4);
    for (const statement of handWritten) await db.execute(sql.raw(statement));
    expect(await segments(db, f.orgId)).toEqual(before);
    const touched = await rows<{ call_id: string }>(db, sql`SELECT call_id FROM cc_calls WHERE org_id = ${f.orgId} AND updated_at > '2026-03-02T01:30:00Z' ORDER BY call_id`);
    expect(touched.map((r) => r.call_id)).toEqual(['T1', 'T2', 'T3', 'T5', 'T6']);
  });
});
