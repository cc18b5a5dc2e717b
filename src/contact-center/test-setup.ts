// Fixtures for contact center tests: the service fixture's organization and customers (张三 13800000001,
// 李四 13800000002, 王五 13800000003 tagged vip), a front-line queue (vip → priority 10) and a complaints
// desk, and two agents: 1001 (the agent user, team A) and 2001 (complaints team).
import { expect } from 'vitest';
import type { Db } from '../db/open.ts';
import { seedService, type ServiceFixture } from '../service/test-setup.ts';
import { createAgent } from './agents.ts';
import { createQueue } from './queues.ts';
import { createSkill } from './skills.ts';
import type { CtiEvent, KpiRow } from './schemas.ts';

export interface CcFixture extends ServiceFixture {
  front: string;
  complaints: string;
  agent1001: string;
  agent2001: string;
}

export async function seedCc(db: Db, name: string): Promise<CcFixture> {
  const f = await seedService(db, name);
  const sup = f.ctx.supervisor;
  const general = await createSkill(sup, { key: 'general', name: '综合' });
  const complaintSkill = await createSkill(sup, { key: 'complaints', name: '投诉' });
  const front = await createQueue(sup, { key: 'front', name: '综合服务', kind: 'front_line', skillId: general.id, targetSeconds: 20, shortAbandonSeconds: 5, settings: { tagPriorities: { vip: 10, gold: 5 } } });
  const complaints = await createQueue(sup, { key: 'complaints', name: '投诉专席', kind: 'specialist', skillId: complaintSkill.id, targetSeconds: 30 });
  const a1 = await createAgent(sup, { userId: f.userIds.agent, extension: '1001', name: '坐席一', teamId: f.teamA, skills: [{ skillId: general.id, proficiency: 4 }] });
  const a2 = await createAgent(sup, { extension: '2001', name: '投诉专员', teamId: f.complaintsTeam, skills: [{ skillId: complaintSkill.id, proficiency: 5 }, { skillId: general.id, proficiency: 2 }] });
  return { ...f, front: front.id, complaints: complaints.id, agent1001: a1.id, agent2001: a2.id };
}

/** Seconds after T0 (2026-03-02 09:00 Asia/Shanghai) as ISO. */
export function sec(s: number): string {
  return new Date(Date.parse('2026-03-02T01:00:00.000Z') + s * 1000).toISOString();
}

let n = 0;
export function ev(callId: string, type: CtiEvent['type'], atSec: number, extra: Partial<CtiEvent> = {}): CtiEvent {
  return { eventId: `${callId}-${type}-${atSec}-${n++}`, callId, type, at: sec(atSec), ...extra };
}

/** Asserts the given fields of a KPI row: numbers to 9 decimals, the rest exactly. */
export function expectRow(row: KpiRow | undefined, expected: Partial<Record<keyof KpiRow, number | null | string>>): void {
  expect(row).toBeDefined();
  for (const [k, v] of Object.entries(expected)) {
    const got = row![k as keyof KpiRow];
    if (typeof v === 'number' && typeof got === 'number') expect(got, k).toBeCloseTo(v, 9);
    else expect(got, k).toBe(v);
  }
}
