// `kefu wfm erlang` / `kefu wfm forecast` as a user runs them: a real `kefu` child process.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

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
