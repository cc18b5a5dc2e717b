// `kefu wfm erlang` / `kefu wfm forecast` as a user runs them: a real `kefu` child process.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { sharedDataDir } from '../wfm/bank-calls.ts';

const bin = fileURLToPath(new URL('../../bin/kefu.js', import.meta.url));

function kefu(...args: string[]) {
  const env: NodeJS.ProcessEnv = { ...process.env, KEFU_LOG_LEVEL: 'warn' };
  const r = spawnSync(process.execPath, [bin, ...args], { env, encoding: 'utf8', timeout: 300_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('kefu wfm erlang (CLI)', () => {
  it('the issue reference: 100 calls / 30 min, AHT 180 s, 80/20, 85% occupancy, 30% shrinkage', () => {
    const r = kefu('wfm', 'erlang', '--calls', '100', '--interval-minutes', '30', '--aht-seconds', '180', '--target-seconds', '20', '--service-level', '0.8', '--max-occupancy', '0.85', '--shrinkage', '0.3', '--json');
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout) as Record<string, number>;
    expect(j.agents).toBe(14);
    expect(j.scheduledAgents).toBe(20);
    expect(j.serviceLevel).toBeCloseTo(0.888, 3);
    expect(j.occupancy).toBeCloseTo(0.714, 3);
    expect(j.pWait).toBeCloseTo(0.174, 3);
    expect(j.asa).toBeCloseTo(7.84, 2);
    expect(j.pAbandon).toBeUndefined();
  }, 60_000);

  it('--agents evaluates K; --patience-seconds gives Erlang A with pAbandon; bad input exits non-zero', () => {
    const r = kefu('wfm', 'erlang', '--calls', '100', '--interval-minutes', '30', '--aht-seconds', '180', '--target-seconds', '20', '--service-level', '0.8', '--agents', '12', '--patience-seconds', '120', '--json');
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout) as Record<string, number | boolean>;
    expect(j.agents).toBe(12);
    expect(j.model).toBe('erlang-a');
    expect(j.pAbandon).toBeGreaterThan(0.03);
    expect(j.pAbandon).toBeLessThan(0.1);
    expect(j.meetsTarget).toBe(true);
    const text = kefu('wfm', 'erlang', '--calls', '100', '--interval-minutes', '30', '--aht-seconds', '180', '--target-seconds', '20', '--service-level', '0.8');
    expect(text.stdout).toContain('agents: 14');
    const bad = kefu('wfm', 'erlang', '--calls', '-1', '--interval-minutes', '30', '--aht-seconds', '180', '--target-seconds', '20', '--service-level', '0.8');
    expect(bad.code).not.toBe(0);
  }, 60_000);
});

const dataDir = sharedDataDir(fileURLToPath(new URL('../..', import.meta.url)));
const bankFile = dataDir ? path.join(dataDir, 'bank_calls.csv') : undefined;

describe.skipIf(!bankFile || !fs.existsSync(bankFile))('kefu wfm forecast (CLI, bank_calls)', () => {
  it('holds out the last 5 days by default; beats the weekly seasonal naive (≈15.5%) and reaches ≤ 12.2%', () => {
    const r = kefu('wfm', 'forecast', '--input', bankFile!, '--format', 'bank-calls', '--json');
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout) as {
      method: string;
      intervalMinutes: number;
      holdoutStart: string;
      holdoutEnd: string;
      accuracy: { mape: number; mae: number; rmse: number };
      baselines: { seasonalNaiveWeekly: { mape: number; mae: number; rmse: number } };
    };
    expect(j.intervalMinutes).toBe(5);
    expect([j.holdoutStart, j.holdoutEnd]).toEqual(['2003-10-20', '2003-10-24']);
    expect(j.baselines.seasonalNaiveWeekly.mape).toBeCloseTo(0.155, 3);
    expect(j.accuracy.mape).toBeLessThanOrEqual(0.122);
    expect(j.accuracy.rmse).toBeLessThan(j.baselines.seasonalNaiveWeekly.rmse);
    const r2 = kefu('wfm', 'forecast', '--input', bankFile!, '--holdout-days', '3', '--holdout-end', '2003-10-17', '--interval-minutes', '15', '--json');
    expect(r2.code, r2.stderr).toBe(0);
    const j2 = JSON.parse(r2.stdout) as { intervalMinutes: number; holdoutStart: string; holdoutEnd: string };
    expect([j2.intervalMinutes, j2.holdoutStart, j2.holdoutEnd]).toEqual([15, '2003-10-15', '2003-10-17']);
    expect(kefu('wfm', 'forecast', '--input', bankFile!, '--holdout-end', '2003-10-18').code).not.toBe(0);
    const r3 = kefu('wfm', 'forecast', '--input', bankFile!, '--interval-minutes', '15', '--horizon-days', '2', '--json');
    expect(r3.code, r3.stderr).toBe(0);
    const j3 = JSON.parse(r3.stdout) as { forecast: { days: { date: string; mean: number[]; lower: number[]; upper: number[] }[] } };
    expect(j3.forecast.days.map((d) => d.date)).toEqual(['2003-10-27', '2003-10-28']);
    expect(j3.forecast.days[0].mean).toHaveLength(57); // 169 five-minute intervals → 56 full quarter hours + 21:00–21:05
    const d0 = j3.forecast.days[0];
    expect(d0.mean.every((m, i) => d0.lower[i] <= m + 1 && m <= d0.upper[i] + 1)).toBe(true);
  }, 120_000);
});
