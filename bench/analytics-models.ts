// Benchmark: BG/NBD and Pareto/NBD maximum-likelihood fits on 1,000,000 simulated customers, grouped by
// (x, tx, T) in whole days as the database helper hands them over (issue 4: BG/NBD fit incl. fetch ≤ 20 s,
// Pareto/NBD ≤ 60 s; this measures the fit part, which the DB suite adds to its fetch time).
//   npx tsx bench/analytics-models.ts [--customers 1000000] [--only bgnbd,pareto-nbd] [--seed 1]
import os from 'node:os';
import { parseArgs } from 'node:util';
import { bgNbdLogLikelihood, fitBgNbd, fitParetoNbd, paretoNbdLogLikelihood, type BgNbdParams, type ParetoNbdParams, type RepeatSummary } from '../src/analytics/model/index.ts';
import { mulberry32, simulateBgNbd, simulateParetoNbd, type SimulatedCustomer } from '../src/analytics/model/simulate.ts';

const { values: args } = parseArgs({
  options: {
    customers: { type: 'string', default: '1000000' },
    only: { type: 'string', default: 'bgnbd,pareto-nbd' },
    seed: { type: 'string', default: '1' },
  },
});
const N = Number(args.customers);
const only = new Set(args.only.split(','));

/** Customers join uniformly over two years before the calibration end; purchases happen on whole days. */
function grouped(sim: (T: number) => SimulatedCustomer, seed: number): { rows: RepeatSummary[]; ms: number } {
  const rng = mulberry32(seed);
  const t0 = performance.now();
  const groups = new Map<number, RepeatSummary>();
  for (let i = 0; i < N; i++) {
    const Tdays = 1 + Math.floor(rng() * 730);
    const s = sim(Tdays / 7);
    const x = s.times.length;
    const txDays = x ? Math.min(Tdays, Math.ceil(s.times[x - 1] * 7)) : 0;
    const key = (x * 1024 + txDays) * 1024 + Tdays;
    const g = groups.get(key);
    if (g) g.count = (g.count ?? 1) + 1;
    else groups.set(key, { x, tx: txDays / 7, T: Tdays / 7, count: 1 });
  }
  return { rows: [...groups.values()], ms: performance.now() - t0 };
}

function line(label: string, seconds: number, target: number, extra: string): void {
  process.stdout.write(`${label.padEnd(34)} ${seconds.toFixed(2).padStart(8)} s   target ≤ ${String(target).padStart(3)} s   ${seconds <= target ? 'PASS' : 'FAIL'}   ${extra}\n`);
}

process.stdout.write(`analytics-models: ${N.toLocaleString('en')} simulated customers, ${os.cpus().length} CPUs, load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}\n`);
const rng = mulberry32(Number(args.seed) * 7919);
if (only.has('bgnbd')) {
  const truth: BgNbdParams = { r: 0.25, alpha: 4.4, a: 0.8, b: 2.4 };
  const { rows } = grouped((T) => simulateBgNbd(rng, truth, T), Number(args.seed));
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const fit = fitBgNbd(rows);
  const s = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(c0).user / 1e6;
  const p = fit.params;
  line('BG/NBD fit (grouped summaries)', s, 10, `CPU ${cpu.toFixed(2)} s, ${rows.length} rows, ${fit.iterations} iterations, r=${p.r.toFixed(3)} α=${p.alpha.toFixed(3)} a=${p.a.toFixed(3)} b=${p.b.toFixed(3)} (truth 0.25 4.4 0.8 2.4), LL ${fit.logLikelihood.toFixed(1)} ≥ LL(truth) ${bgNbdLogLikelihood(truth, rows).toFixed(1)}`);
}
if (only.has('pareto-nbd')) {
  const truth: ParetoNbdParams = { r: 0.55, alpha: 10.6, s: 0.6, beta: 11.7 };
  const { rows } = grouped((T) => simulateParetoNbd(rng, truth, T), Number(args.seed) + 1);
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const fit = fitParetoNbd(rows);
  const s = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(c0).user / 1e6;
  const p = fit.params;
  line('Pareto/NBD fit (grouped summaries)', s, 40, `CPU ${cpu.toFixed(2)} s, ${rows.length} rows, ${fit.iterations} iterations, r=${p.r.toFixed(3)} α=${p.alpha.toFixed(3)} s=${p.s.toFixed(3)} β=${p.beta.toFixed(3)} (truth 0.55 10.6 0.6 11.7), LL ${fit.logLikelihood.toFixed(1)} ≥ LL(truth) ${paretoNbdLogLikelihood(truth, rows).toFixed(1)}`);
}
process.stdout.write(`load after: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}\n`);
