// `kefu wfm roster --input FILE.json [--json] [--time-limit S] [--decomposition auto|none|weekly]`: assigns
// named agents to shifts over weeks under labour rules and preferences (src/wfm/model/roster.ts).
import { InvalidArgumentError, type Command } from 'commander';
import { parseRosterProblem, solveRoster, type RosterResult } from '../wfm/model/roster.ts';
import { readJsonInput, runWfmCommand } from './wfm-io.ts';

function positive(v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('expected a number > 0');
  return n;
}

function decomposition(v: string): 'auto' | 'none' | 'weekly' {
  if (v !== 'auto' && v !== 'none' && v !== 'weekly') throw new InvalidArgumentError('expected auto, none or weekly');
  return v;
}

function summary(r: RosterResult): string {
  const lines = [
    `状态 / status: ${r.status} (${r.method})   目标 / objective: ${r.objective}`,
    `违规 / hard-rule violations: ${r.violations.length}   缺员 / understaffed person-shifts: ${r.shortfall}   偏好满足 / preferences met: ${(r.preferenceSatisfaction.overall * 100).toFixed(1)}%`,
  ];
  for (const c of r.skillCoverage)
    lines.push(`  技能 / skill ${c.skill ?? '(any)'}: ${c.coveredHours}/${c.requiredHours} h covered, short ${c.shortfallHours} h`);
  for (const v of r.violations) lines.push(`  ! ${v.rule} ${v.agentId}: ${v.detail}`);
  for (const row of r.roster) lines.push(`  ${row.agentId} ${row.name}: ${row.days.map((s) => s ?? '-').join(' ')}`);
  return lines.join('\n');
}

export function registerWfmRoster(wfm: Command): void {
  wfm
    .command('roster')
    .description('排班 / assign agents to shifts over weeks (labour rules, skills, preferences; HiGHS)')
    .requiredOption('--input <file>', 'JSON: {days, shifts, agents, rules, demand | intervalDemand}')
    .option('--json', 'print one JSON object')
    .option('--time-limit <seconds>', 'total solver time limit', positive, 45)
    .option('--decomposition <mode>', 'auto | none | weekly', decomposition, 'auto')
    .action(async (opts: { input: string; json?: boolean; timeLimit: number; decomposition: 'auto' | 'none' | 'weekly' }) => {
      await runWfmCommand(
        opts.json,
        () => solveRoster(parseRosterProblem(readJsonInput(opts.input)), { timeLimitSeconds: opts.timeLimit, decomposition: opts.decomposition }),
        summary,
      );
    });
}
