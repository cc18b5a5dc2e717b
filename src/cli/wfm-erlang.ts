// `kefu wfm erlang --calls N --interval-minutes M --aht-seconds S --target-seconds T --service-level X
//   [--max-occupancy O] [--shrinkage H] [--patience-seconds P] [--agents K] [--json]`
// Without --agents: the fewest agents meeting the service level (and the occupancy cap); with it: evaluates K.
import type { Command } from 'commander';
import { evaluateErlang } from '../wfm/model/erlang.ts';
import { scheduledFromAgents, staffInterval, type StaffingResult } from '../wfm/model/staffing.ts';
import { intOption, jsonNumber, numberOption } from './wfm-options.ts';

type ErlangOpts = {
  calls: number;
  intervalMinutes: number;
  ahtSeconds: number;
  targetSeconds: number;
  serviceLevel: number;
  maxOccupancy?: number;
  shrinkage?: number;
  patienceSeconds?: number;
  asaSeconds?: number;
  agents?: number;
  json?: boolean;
};

export type WfmErlangOutput = {
  model: 'erlang-c' | 'erlang-a';
  load: number;
  agents: number;
  scheduledAgents: number;
  serviceLevel: number;
  pWait: number;
  asa: number | null;
  occupancy: number;
  pAbandon?: number;
  meetsTarget: boolean;
};

export function runWfmErlang(o: ErlangOpts): WfmErlangOutput {
  const patience = o.patienceSeconds ?? null;
  let r: StaffingResult;
  let meetsTarget: boolean;
  if (o.agents != null) {
    const e = evaluateErlang({ calls: o.calls, intervalMinutes: o.intervalMinutes, ahtSeconds: o.ahtSeconds, agents: o.agents, targetSeconds: o.targetSeconds, patienceSeconds: patience });
    r = { ...e, scheduledAgents: scheduledFromAgents(e.agents, o.shrinkage), feasible: true };
    meetsTarget =
      e.stable &&
      e.serviceLevel >= o.serviceLevel - 1e-12 &&
      (o.maxOccupancy == null || e.occupancy <= o.maxOccupancy + 1e-12) &&
      (o.asaSeconds == null || e.asa <= o.asaSeconds + 1e-12);
  } else {
    r = staffInterval(
      { calls: o.calls, intervalMinutes: o.intervalMinutes, ahtSeconds: o.ahtSeconds },
      { targetSeconds: o.targetSeconds, serviceLevel: o.serviceLevel, maxOccupancy: o.maxOccupancy, shrinkage: o.shrinkage, patienceSeconds: patience, asaSeconds: o.asaSeconds },
    );
    meetsTarget = r.feasible;
  }
  const out: WfmErlangOutput = {
    model: r.model,
    load: r.load,
    agents: r.agents,
    scheduledAgents: r.scheduledAgents,
    serviceLevel: r.serviceLevel,
    pWait: r.pWait,
    asa: jsonNumber(r.asa),
    occupancy: r.occupancy,
    meetsTarget,
  };
  if (patience != null) out.pAbandon = r.pAbandon;
  return out;
}

function formatText(r: WfmErlangOutput): string {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const lines = [
    `  模型 / model: ${r.model}, 话务量 / load: ${r.load.toFixed(2)} Erlang`,
    `  坐席 / agents: ${r.agents}, 排班人数（含缺勤率）/ scheduled agents: ${r.scheduledAgents}`,
    `  服务水平 / service level: ${pct(r.serviceLevel)}, 等待概率 / P(wait): ${pct(r.pWait)}`,
    `  平均应答时间 / ASA: ${r.asa == null ? '∞' : `${r.asa.toFixed(1)} s`}, 占用率 / occupancy: ${pct(r.occupancy)}`,
  ];
  if (r.pAbandon != null) lines.push(`  放弃率 / P(abandon): ${pct(r.pAbandon)}`);
  if (!r.meetsTarget) lines.push('  未达到目标 / target not met');
  return lines.join('\n') + '\n';
}

export function registerWfmErlang(wfm: Command): void {
  wfm
    .command('erlang')
    .description('Erlang C / Erlang A staffing for one interval / Erlang C/A 人员需求计算')
    .requiredOption('--calls <n>', 'calls offered in the interval / 时段来电量', numberOption('--calls', 0))
    .requiredOption('--interval-minutes <m>', 'interval length in minutes / 时段长度（分钟）', numberOption('--interval-minutes', 1e-9))
    .requiredOption('--aht-seconds <s>', 'average handle time (s) / 平均处理时长（秒）', numberOption('--aht-seconds', 1e-9))
    .requiredOption('--target-seconds <t>', 'service-level threshold T (s) / 服务水平目标时间（秒）', numberOption('--target-seconds', 0))
    .requiredOption('--service-level <x>', 'fraction answered within T, e.g. 0.8 / 目标服务水平', numberOption('--service-level', 0, 0.999999))
    .option('--max-occupancy <o>', 'maximum occupancy, e.g. 0.85 / 最高占用率', numberOption('--max-occupancy', 1e-9, 1))
    .option('--shrinkage <h>', 'shrinkage, e.g. 0.3 / 缺勤率（培训、休息等）', numberOption('--shrinkage', 0, 0.999999))
    .option('--patience-seconds <p>', 'mean caller patience (s) → Erlang A / 平均耐心时长（秒），启用 Erlang A', numberOption('--patience-seconds', 1e-9))
    .option('--asa-seconds <a>', 'ASA target (s) / 平均应答时间目标（秒）', numberOption('--asa-seconds', 1e-9))
    .option('--agents <k>', 'evaluate K agents instead of searching / 评估指定坐席数', intOption('--agents', 1))
    .option('--json', 'print the result as JSON')
    .action((o: ErlangOpts) => {
      const r = runWfmErlang(o);
      process.stdout.write(o.json ? `${JSON.stringify(r)}\n` : formatText(r));
    });
}
