// `npx tsx bench/wfm-models.ts [--repeat R]`: WFM model figures.
//  - Erlang C staffing for 50 queues × 7 days × 96 intervals (target ≤ 200 ms), and the same with Erlang A (no target).
//  - Forecast fit + rolling-origin backtest on bank_calls (8 held-out weeks, each with its own inner selection).
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { staffIntervals, type IntervalLoad } from '../src/wfm/model/staffing.ts';
import { readArrivals, sharedDataDir } from '../src/wfm/bank-calls.ts';
import { evaluateHoldout } from '../src/wfm/model/forecast.ts';

const { values: args } = parseArgs({ options: { repeat: { type: 'string', default: '5' } } });
const repeat = Math.max(1, Number(args.repeat));
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const out = (line: string) => process.stdout.write(`${line}\n`);
const verdict = (ok: boolean) => (ok ? 'PASS' : 'FAIL');

/** 50 queues of different sizes (peak 20–2,000 calls per 15 min), a two-peak intraday curve, weekend dip. */
function workload(): IntervalLoad[] {
  const loads: IntervalLoad[] = [];
  for (let q = 0; q < 50; q++) {
    const peak = 20 * Math.pow(100, q / 49);
    const aht = 180 + ((q * 37) % 240);
    for (let d = 0; d < 7; d++) {
      const day = d >= 5 ? 0.55 : 1 - 0.04 * d;
      for (let i = 0; i < 96; i++) {
        const h = i / 4;
        const shape = h < 7 || h >= 23 ? 0.05 : 0.35 + 0.65 * Math.max(Math.exp(-((h - 10.5) ** 2) / 4), 0.85 * Math.exp(-((h - 15) ** 2) / 5));
        loads.push({ calls: Math.round(peak * day * shape), intervalMinutes: 15, ahtSeconds: aht });
      }
    }
  }
  return loads;
}

function best(fn: () => void): number {
  let min = Number.POSITIVE_INFINITY;
  for (let r = 0; r < repeat; r++) {
    const t = performance.now();
    fn();
    min = Math.min(min, performance.now() - t);
  }
  return min;
}

out(`wfm-models bench — ${os.cpus().length} CPUs, load average ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}, best of ${repeat}`);
const loads = workload();
let agents = 0;
const msC = best(() => {
  agents = staffIntervals(loads, { targetSeconds: 20, serviceLevel: 0.8, maxOccupancy: 0.9, shrinkage: 0.3 }).reduce((s, r) => s + r.agents, 0);
});
out(`Erlang C staffing, ${loads.length.toLocaleString('en-US')} intervals (50 queues × 7 days × 96): ${msC.toFixed(1)} ms (target ≤ 200 ms) ${verdict(msC <= 200)}  [Σ agents ${agents.toLocaleString('en-US')}]`);
const msA = best(() => {
  agents = staffIntervals(loads, { targetSeconds: 20, serviceLevel: 0.8, maxOccupancy: 0.9, shrinkage: 0.3, patienceSeconds: 120 }).reduce((s, r) => s + r.agents, 0);
});
out(`Erlang A staffing (patience 120 s), same intervals: ${msA.toFixed(1)} ms (no target)  [Σ agents ${agents.toLocaleString('en-US')}]`);

const dataDir = sharedDataDir(root);
if (!dataDir) {
  out('bank_calls.csv not found (set KEFU_SHARED_DATA): forecast figures skipped');
} else {
  const t0 = performance.now();
  const series = readArrivals(path.join(dataDir, 'bank_calls.csv'), 'bank-calls');
  const tRead = performance.now() - t0;
  const mapes: number[] = [];
  const naive: number[] = [];
  const t1 = performance.now();
  for (let k = 8; k >= 1; k--) {
    const r = evaluateHoldout(series, { holdoutDays: 5, holdoutEnd: series.days[series.days.length - 1 - 5 * (k - 1)].date });
    mapes.push(r.accuracy.mape);
    naive.push(r.baselines.seasonalNaiveWeekly.mape);
  }
  const tFit = performance.now() - t1;
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  out(`bank_calls read+parse (27,716 intervals): ${tRead.toFixed(0)} ms`);
  out(`forecast fit + selection + 8-week rolling-origin backtest: ${tFit.toFixed(0)} ms (${(tFit / 8).toFixed(0)} ms per held-out week)`);
  out(`  last week MAPE ${pct(mapes[7])} (target ≤ 12.2%, seasonal naive ${pct(naive[7])}) ${verdict(mapes[7] <= 0.122)}`);
  out(`  8-week mean MAPE ${pct(mean(mapes))} vs seasonal naive ${pct(mean(naive))} ${verdict(mean(mapes) < mean(naive))}`);
}
