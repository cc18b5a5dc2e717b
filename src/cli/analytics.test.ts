// `kefu analytics clv|pareto` as a user runs them: a real `kefu` process on the shared CDNOW sample.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { sharedDataFile } from '../analytics/test-data.ts';

const bin = fileURLToPath(new URL('../../bin/kefu.js', import.meta.url));

function kefu(...args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('kefu analytics (CLI)', () => {
  it('clv --model bgnbd on cdnow_sample reproduces Fader, Hardie & Lee (2005) and predicts customer 0001', () => {
    const sample = sharedDataFile('cdnow_sample.txt');
    const r = kefu('analytics', 'clv', '--transactions', sample, '--format', 'cdnow', '--calibration-end', '1997-09-30', '--predict-customer', '0001', '--horizon', '39', '--json');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as {
      model: string;
      params: Record<string, number>;
      logLikelihood: number;
      customers: number;
      repeatTransactions: number;
      prediction: { expectedPurchases: number; pAlive: number };
    };
    expect(Object.keys(out)).toEqual(['model', 'params', 'logLikelihood', 'customers', 'repeatTransactions', 'prediction']);
    expect(out.model).toBe('bgnbd');
    expect(Object.keys(out.params)).toEqual(['r', 'alpha', 'a', 'b']);
    const published: Record<string, number> = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
    for (const k of Object.keys(published)) expect(Math.abs(out.params[k] / published[k] - 1)).toBeLessThan(0.005);
    expect(Math.abs(out.logLikelihood / -9582.4 - 1)).toBeLessThan(0.005);
    expect(out.customers).toBe(2357);
    expect(out.repeatTransactions).toBe(2457);
    // customer 0001 is the paper's worked example (x = 2, tx = 30.43, T = 38.86): 1.226 purchases in the next 39 weeks
    expect(Math.abs(out.prediction.expectedPurchases - 1.226)).toBeLessThan(0.002);
    expect(out.prediction.pAlive).toBeGreaterThan(0);
    expect(out.prediction.pAlive).toBeLessThan(1);
  }, 120_000);

  it('clv --model gamma-gamma prints p, q, gamma and expectedSpend; pareto prints topShare and the curve; bad input exits 1', () => {
    const sample = sharedDataFile('cdnow_sample.txt');
    const gg = kefu('analytics', 'clv', '--transactions', sample, '--format', 'cdnow', '--calibration-end', '1997-09-30', '--model', 'gamma-gamma', '--predict-customer', '0001', '--json');
    expect(gg.code).toBe(0);
    const g = JSON.parse(gg.stdout) as { params: Record<string, number>; prediction: { expectedSpend: number } };
    expect(Object.keys(g.params)).toEqual(['p', 'q', 'gamma']);
    expect(Object.keys(g.prediction)).toEqual(['expectedSpend']);
    const pareto = kefu('analytics', 'pareto', '--transactions', sample, '--format', 'cdnow', '--json');
    expect(pareto.code).toBe(0);
    const p = JSON.parse(pareto.stdout) as { topShare: number; curve: { customerShare: number; revenueShare: number }[] };
    expect(p.topShare).toBeGreaterThan(0.2);
    expect(p.curve.length).toBe(101);
    const bad = kefu('analytics', 'clv', '--transactions', sample, '--format', 'cdnow', '--calibration-end', '1997-02-30', '--json');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/YYYY-MM-DD/);
    const missing = kefu('analytics', 'clv', '--transactions', '/nonexistent/file.txt', '--format', 'cdnow', '--calibration-end', '1997-09-30');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/cannot read/);
    const noHorizon = kefu('analytics', 'clv', '--transactions', sample, '--format', 'cdnow', '--calibration-end', '1997-09-30', '--predict-customer', '0001');
    expect(noHorizon.code).toBe(1);
    expect(noHorizon.stderr).toMatch(/--horizon/);
  }, 240_000);
});
