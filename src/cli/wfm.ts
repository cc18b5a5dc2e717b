// `kefu wfm …`: workforce-management command group. Each subcommand lives in its own file and registers onto the group.
import type { Command } from 'commander';
import { registerWfmErlang } from './wfm-erlang.ts';
import { registerWfmForecast } from './wfm-forecast.ts';
import { registerWfmRoster } from './wfm-roster.ts';
import { registerWfmShifts } from './wfm-shifts.ts';
import { registerWfmSimulate } from './wfm-simulate.ts';

/** Creates the `wfm` group on the program and registers its subcommands; returns the group. */
export function registerWfm(program: Command): Command {
  const wfm = program.command('wfm').description('workforce management: staffing, forecasting, shifts, rosters, simulation / 排班管理');
  registerWfmErlang(wfm);
  registerWfmForecast(wfm);
  registerWfmShifts(wfm);
  registerWfmRoster(wfm);
  registerWfmSimulate(wfm);
  return wfm;
}
