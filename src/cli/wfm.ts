// `kefu wfm …`: workforce-management commands. (Minimal group from the wfm-shifts branch; the lead
// reconciles it with the full group — erlang, forecast, simulate — from the other WFM branches.)
import type { Command } from 'commander';
import { registerWfmShifts } from './wfm-shifts.ts';
import { registerWfmRoster } from './wfm-roster.ts';

export function registerWfm(program: Command): void {
  const wfm = program.command('wfm').description('劳动力管理 / workforce management');
  registerWfmShifts(wfm);
  registerWfmRoster(wfm);
}
