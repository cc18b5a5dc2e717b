// `kefu wfm simulate --input FILE.json [--json]`: discrete-event simulation of queues, skills and schedules
// (src/wfm/model/simulation.ts). Registered on the `wfm` command group by src/cli/wfm.ts.
import fs from 'node:fs';
import type { Command } from 'commander';
import { t } from '../i18n/messages.ts';
import '../wfm/simulate-messages.ts';
import { simulationInputSchema } from '../wfm/simulate-schema.ts';
import { simulate, SimulationInputError, type SimulationResult } from '../wfm/model/simulation.ts';

export class WfmSimulateInputError extends Error {}

const both = (key: string, params: Record<string, string | number> = {}) => `${t('zh-CN', key, params)} / ${t('en', key, params)}`;

/** Parses and validates the JSON text of an input file, then runs the simulation. */
export function runWfmSimulate(text: string, file = 'input'): SimulationResult {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new WfmSimulateInputError(both('wfm.simulate.read_failed', { file, reason: err instanceof Error ? err.message : String(err) }));
  }
  const parsed = simulationInputSchema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new WfmSimulateInputError([both('wfm.simulate.invalid'), ...lines].join('\n'));
  }
  try {
    return simulate(parsed.data);
  } catch (err) {
    if (err instanceof SimulationInputError) throw new WfmSimulateInputError(`${both('wfm.simulate.invalid')}\n  ${err.message}`);
    throw err;
  }
}

const pct = (x: number) => (Number.isFinite(x) ? `${(100 * x).toFixed(1)}%` : '-');
const ci = (c: [number, number] | null) => (c ? `[${pct(c[0])}, ${pct(c[1])}]` : '');

export function formatSimulation(r: SimulationResult): string {
  const lines = [both('wfm.simulate.header', { replications: r.replications, minutes: r.durationMinutes, warmup: r.warmupMinutes }), t('zh-CN', 'wfm.simulate.columns'), t('en', 'wfm.simulate.columns')];
  for (const q of r.queues) {
    lines.push(`${q.id} | ${q.offered.toFixed(1)} | ${pct(q.serviceLevel)} ${ci(q.serviceLevelCi95)} | ${q.asa.toFixed(1)} | ${pct(q.pAbandon)} | ${pct(q.occupancy)}`);
    for (const c of q.byPriority ?? [])
      lines.push(`  ${q.id} P${c.priority} | ${c.offered.toFixed(1)} | ${pct(c.serviceLevel)} ${ci(c.serviceLevelCi95)} | ${c.asa.toFixed(1)} | ${pct(c.pAbandon)} |`);
    if (q.callbacks) {
      const cb = q.callbacks;
      const params = { queue: q.id, offered: cb.offered.toFixed(1), accepted: cb.accepted.toFixed(1), answered: cb.answered.toFixed(1), serviceLevel: pct(cb.serviceLevel), asa: Number.isFinite(cb.asa) ? cb.asa.toFixed(1) : '-' };
      lines.push(t('zh-CN', 'wfm.simulate.callbacks', params), t('en', 'wfm.simulate.callbacks', params));
    }
  }
  lines.push(both('wfm.simulate.overall', { occupancy: pct(r.overall.occupancy) }));
  return `${lines.join('\n')}\n`;
}

export function registerWfmSimulate(wfm: Command): void {
  wfm
    .command('simulate')
    .description('discrete-event simulation of queues, skills and schedules / 排班仿真')
    .requiredOption('--input <file>', 'FILE.json: {durationMinutes, replications, seed, queues, agents}')
    .option('--json', 'print one JSON object')
    .action((o: { input: string; json?: boolean }) => {
      let text: string;
      try {
        text = fs.readFileSync(o.input, 'utf8');
      } catch (err) {
        throw new WfmSimulateInputError(both('wfm.simulate.read_failed', { file: o.input, reason: err instanceof Error ? err.message : String(err) }));
      }
      const result = runWfmSimulate(text.replace(/^\uFEFF/, ''), o.input);
      process.stdout.write(o.json ? `${JSON.stringify(result)}\n` : formatSimulation(result));
    });
}
