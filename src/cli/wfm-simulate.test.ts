// `kefu wfm simulate` in-process: the `wfm` group is built here (src/cli/wfm.ts registers the real one).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { registerWfmSimulate, runWfmSimulate, WfmSimulateInputError } from './wfm-simulate.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kefu-wfm-sim-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

async function kefu(...args: string[]): Promise<string> {
  const program = new Command().exitOverride();
  registerWfmSimulate(program.command('wfm'));
  let out = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => {
    out += String(s);
    return true;
  });
  await program.parseAsync(['node', 'kefu', 'wfm', ...args]);
  vi.restoreAllMocks();
  return out;
}

const input = {
  durationMinutes: 540,
  warmupMinutes: 60,
  replications: 10,
  seed: 11,
  queues: [
    { id: 'front', arrivalsPerHour: 200, ahtSeconds: 180, patienceSeconds: null, targetSeconds: 20 },
    { id: 'complaints', arrivalsPerHour: 20, ahtSeconds: 300, patienceSeconds: 120, targetSeconds: 30 },
  ],
  agents: [
    { count: 14, skills: ['front'] },
    { count: 3, skills: [{ skill: 'complaints', proficiency: 5 }] },
  ],
};

describe('kefu wfm simulate', () => {
  it('--json prints one object with the contract fields per queue', async () => {
    const file = path.join(dir, 'in.json');
    fs.writeFileSync(file, JSON.stringify(input));
    const out = await kefu('simulate', '--input', file, '--json');
    expect(out.trim().split('\n')).toHaveLength(1);
    const r = JSON.parse(out);
    expect(r.queues.map((q: { id: string }) => q.id)).toEqual(['front', 'complaints']);
    for (const q of r.queues) {
      for (const k of ['serviceLevel', 'asa', 'pAbandon', 'occupancy', 'offered']) expect(typeof q[k]).toBe('number');
      expect(q.serviceLevelCi95[0]).toBeLessThanOrEqual(q.serviceLevel);
      expect(q.serviceLevelCi95[1]).toBeGreaterThanOrEqual(q.serviceLevel);
    }
    // front: 200/h for 8 measured hours
    expect(r.queues[0].offered).toBeGreaterThan(1500);
    expect(r.queues[0].offered).toBeLessThan(1700);
    expect(r.queues[0].pAbandon).toBe(0);
    expect(r.queues[1].pAbandon).toBeGreaterThan(0);
    // the same file gives the same figures
    expect(await kefu('simulate', '--input', file, '--json')).toBe(out);
  });

  it('prints a table in both languages without --json', async () => {
    const file = path.join(dir, 'in2.json');
    fs.writeFileSync(file, `\uFEFF${JSON.stringify({ ...input, replications: 2 })}`);
    const out = await kefu('simulate', '--input', file);
    expect(out).toContain('服务水平');
    expect(out).toContain('service level');
    expect(out).toMatch(/^front \| \d+\.\d \| \d+\.\d% \[/m);
  });

  it('reports invalid fields by path', () => {
    const bad = { ...input, replications: 0, queues: [{ ...input.queues[0], ahtSeconds: -1 }] };
    expect(() => runWfmSimulate(JSON.stringify(bad))).toThrow(WfmSimulateInputError);
    try {
      runWfmSimulate(JSON.stringify(bad));
    } catch (e) {
      expect(String(e)).toContain('replications:');
      expect(String(e)).toContain('queues.0.ahtSeconds:');
    }
    expect(() => runWfmSimulate('{not json')).toThrow(/输入文件|input file/);
    expect(() => runWfmSimulate(JSON.stringify({ ...input, queues: [{ ...input.queues[0], transfers: [{ to: 'x', probability: 0.5 }] }] }))).toThrow(/unknown queue x/);
  });

  it('takes an optional callback setting per queue and reports callbacks beside the unchanged fields', async () => {
    const file = path.join(dir, 'in-cb.json');
    const cbInput = { ...input, queues: [{ ...input.queues[0], arrivalsPerHour: 260, patienceSeconds: 120, callback: { offerWhenExpectedWaitSeconds: 60, acceptProbability: 0.6 } }, input.queues[1]] };
    fs.writeFileSync(file, JSON.stringify(cbInput));
    const r = JSON.parse(await kefu('simulate', '--input', file, '--json'));
    const [front, complaints] = r.queues;
    expect(complaints.callbacks).toBeUndefined();
    expect(front.callbacks.offered).toBeGreaterThan(0);
    expect(front.callbacks.accepted).toBeGreaterThan(0);
    expect(front.offered).toBeCloseTo(front.answered + front.abandoned + front.callbacks.accepted, 6);
    for (const k of ['serviceLevel', 'asa', 'offerRate', 'meanEstimatedWait']) expect(typeof front.callbacks[k]).toBe('number');
    const text = await kefu('simulate', '--input', file);
    expect(text).toContain('front 回呼');
    expect(text).toContain('front callbacks: offered');
    expect(() => runWfmSimulate(JSON.stringify({ ...input, queues: [{ ...input.queues[0], callback: { offerWhenExpectedWaitSeconds: 60, acceptProbability: 1.5 } }] }))).toThrow(/queues\.0\.callback\.acceptProbability/);
  });
});
