// `kefu wfm shifts --input FILE.json [--json] [--time-limit S] [--gap G]`: minimum-cost shifts covering
// interval requirements (set covering on HiGHS, src/wfm/model/shifts.ts).
import { InvalidArgumentError, type Command } from 'commander';
import { parseShiftProblem, solveShifts, type ShiftPlan } from '../wfm/model/shifts.ts';
import { readJsonInput, runWfmCommand } from './wfm-io.ts';

function positive(v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('expected a number ≥ 0');
  return n;
}

function summary(p: ShiftPlan): string {
  const lines = [
    `状态 / status: ${p.status}`,
    `班次 / shifts used: ${p.shiftsUsed}   成本 / cost: ${p.cost}   下界 / lower bound: ${p.lowerBound}   差距 / gap: ${(p.gap * 100).toFixed(2)}%`,
  ];
  for (const a of p.assignments) lines.push(`  ${a.template} @ ${a.start} × ${a.count}${a.breaks ? ` (breaks ${a.breaks.join(', ')})` : ''}`);
  return lines.join('\n');
}

export function registerWfmShifts(wfm: Command): void {
  wfm
    .command('shifts')
    .description('最小成本班次覆盖 / minimum-cost shifts covering interval requirements (HiGHS)')
    .requiredOption('--input <file>', 'JSON: {intervalMinutes, cyclic, requirements, shiftTemplates}')
    .option('--json', 'print one JSON object')
    .option('--time-limit <seconds>', 'solver time limit', positive, 30)
    .option('--gap <ratio>', 'stop at this relative gap (e.g. 0.01)', positive)
    .action(async (opts: { input: string; json?: boolean; timeLimit: number; gap?: number }) => {
      await runWfmCommand(
        opts.json,
        () => solveShifts(parseShiftProblem(readJsonInput(opts.input)), { timeLimitSeconds: opts.timeLimit, mipRelGap: opts.gap }),
        summary,
      );
    });
}
