// Input and output shapes of the roster model (roster.ts) and its checker (roster-check.ts), and validation.
import { Invalid, type FieldError } from '../../platform/errors.ts';

/** A shift type: starts `startMinute` after midnight of its day (may run past midnight). */
export interface RosterShift {
  id: string;
  name?: string;
  startMinute: number;
  lengthMinutes: number;
  /** Paid minutes counted towards weekly hours (default: lengthMinutes). */
  paidMinutes?: number;
  /** The organization's humane shift types, e.g. 'happy_hour' (short evening peak) or 'family' (school hours). */
  kind?: string;
}

export interface RosterPreferences {
  /** Shift ids or kinds the agent prefers; working any other shift counts as unmet. */
  preferredShifts?: string[];
  /** Shift ids or kinds the agent does not want. */
  unwantedShifts?: string[];
  /** Specific days (0-based) the agent would like off. */
  preferredDaysOff?: number[];
  /** Weekdays (0 = Monday … 6 = Sunday) the agent would like off. */
  preferredWeekdaysOff?: number[];
}

export interface RosterAgent {
  id: string;
  name: string;
  skills?: string[];
  /** Contract maximum hours per week (the tighter of this and the rule applies). */
  maxHoursPerWeek?: number;
  /** Contract minimum hours per week: soft (penalised per missing hour, reported in `contractShortfall`). */
  minHoursPerWeek?: number;
  /** Days (0-based) the agent cannot work (leave, training): hard. */
  unavailableDays?: number[];
  /** Per-day restriction: on `day` the agent can work only `shifts` (empty: not at all). Hard. */
  availability?: { day: number; shifts: string[] }[];
  /** Shift ids the agent may work at all (e.g. a part-timer on family shifts only). Hard. */
  allowedShifts?: string[];
  preferences?: RosterPreferences;
}

export interface RosterRules {
  maxHoursPerWeek: number;
  minRestHours: number;
  maxConsecutiveDays: number;
  minDaysOffPerWeek: number;
}

/** Agents required on `day` for `shift`, optionally holding `skill`. Rows for one (day, shift) add up. */
export interface RosterDemand {
  day: number;
  shift: string;
  count: number;
  skill?: string;
}

export interface RosterWeights {
  /** Penalty per paid hour of unmet demand (default 100). */
  shortfallPerHour?: number;
  /** Cost per paid hour worked (default 1): avoids rostering people nobody needs. */
  costPerHour?: number;
  /** Penalty for a shift outside an agent's preferred shifts (default 4). */
  nonPreferredShift?: number;
  /** Penalty for an unwanted shift (default 10). */
  unwantedShift?: number;
  /** Penalty for working a preferred day off (default 8). */
  preferredDayOff?: number;
  /** Penalty per hour below an agent's contract minimum hours in a week (default 20). */
  underMinHoursPerHour?: number;
}

export interface RosterProblem {
  /** Horizon in days, a whole number of weeks (7 to 42). Day 0 is a Monday unless `startWeekday` says otherwise. */
  days: number;
  /** Weekday of day 0 (0 = Monday … 6 = Sunday), for `preferredWeekdaysOff`. */
  startWeekday?: number;
  shifts: RosterShift[];
  agents: RosterAgent[];
  rules: RosterRules;
  demand: RosterDemand[];
  weights?: RosterWeights;
}

export interface RosterAssignment {
  agentId: string;
  day: number;
  shift: string;
  /** The demand skill this agent covers on that shift, when demand names skills. */
  skill?: string;
}

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isStrArr = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string');
const isIntArr = (v: unknown): v is number[] => Array.isArray(v) && v.every(isInt);

/** Validates a roster problem (e.g. parsed JSON); throws `Invalid` with field errors. */
export function parseRosterProblem(input: unknown): RosterProblem {
  const errors: FieldError[] = [];
  const fail = (path: string, code: string, message: string) => errors.push({ path, code, message });
  if (typeof input !== 'object' || input === null) throw new Invalid([{ path: '', code: 'invalid_type', message: 'expected an object' }]);
  const o = input as Record<string, unknown>;
  const days = o.days;
  if (!isInt(days) || days < 7 || days > 42 || days % 7 !== 0) fail('days', 'invalid', 'days must be a whole number of weeks between 7 and 42');
  if (o.startWeekday !== undefined && (!isInt(o.startWeekday) || o.startWeekday < 0 || o.startWeekday > 6)) fail('startWeekday', 'invalid', 'startWeekday must be 0 (Monday) … 6 (Sunday)');
  const shiftIds = new Set<string>();
  if (!Array.isArray(o.shifts) || o.shifts.length === 0) fail('shifts', 'empty', 'at least one shift is required');
  else
    o.shifts.forEach((s: unknown, i) => {
      const p = `shifts.${i}`;
      const ss = (typeof s === 'object' && s !== null ? s : {}) as Record<string, unknown>;
      if (typeof ss.id !== 'string' || ss.id === '') fail(`${p}.id`, 'invalid', 'id is required');
      else if (shiftIds.has(ss.id)) fail(`${p}.id`, 'duplicate', `duplicate shift id ${ss.id}`);
      else shiftIds.add(ss.id);
      if (!isNum(ss.startMinute) || ss.startMinute < 0 || ss.startMinute >= 1440) fail(`${p}.startMinute`, 'invalid', 'startMinute must be in [0, 1440)');
      if (!isNum(ss.lengthMinutes) || ss.lengthMinutes <= 0 || ss.lengthMinutes > 1440) fail(`${p}.lengthMinutes`, 'invalid', 'lengthMinutes must be in (0, 1440]');
      if (ss.paidMinutes !== undefined && (!isNum(ss.paidMinutes) || ss.paidMinutes < 0)) fail(`${p}.paidMinutes`, 'invalid', 'paidMinutes must be ≥ 0');
    });
  const rules = (typeof o.rules === 'object' && o.rules !== null ? o.rules : undefined) as Record<string, unknown> | undefined;
  if (!rules) fail('rules', 'required', 'rules are required');
  else {
    if (!isNum(rules.maxHoursPerWeek) || rules.maxHoursPerWeek < 0) fail('rules.maxHoursPerWeek', 'invalid', 'maxHoursPerWeek must be ≥ 0');
    if (!isNum(rules.minRestHours) || rules.minRestHours < 0) fail('rules.minRestHours', 'invalid', 'minRestHours must be ≥ 0');
    if (!isInt(rules.maxConsecutiveDays) || rules.maxConsecutiveDays < 1) fail('rules.maxConsecutiveDays', 'invalid', 'maxConsecutiveDays must be an integer ≥ 1');
    if (!isInt(rules.minDaysOffPerWeek) || rules.minDaysOffPerWeek < 0 || rules.minDaysOffPerWeek > 7) fail('rules.minDaysOffPerWeek', 'invalid', 'minDaysOffPerWeek must be an integer in [0, 7]');
  }
  const agentIds = new Set<string>();
  if (!Array.isArray(o.agents) || o.agents.length === 0) fail('agents', 'empty', 'at least one agent is required');
  else
    o.agents.forEach((a: unknown, i) => {
      const p = `agents.${i}`;
      const aa = (typeof a === 'object' && a !== null ? a : {}) as Record<string, unknown>;
      if (typeof aa.id !== 'string' || aa.id === '') fail(`${p}.id`, 'invalid', 'id is required');
      else if (agentIds.has(aa.id)) fail(`${p}.id`, 'duplicate', `duplicate agent id ${aa.id}`);
      else agentIds.add(aa.id);
      if (typeof aa.name !== 'string') fail(`${p}.name`, 'invalid', 'name is required');
      if (aa.skills !== undefined && !isStrArr(aa.skills)) fail(`${p}.skills`, 'invalid', 'skills must be strings');
      if (aa.maxHoursPerWeek !== undefined && (!isNum(aa.maxHoursPerWeek) || aa.maxHoursPerWeek < 0)) fail(`${p}.maxHoursPerWeek`, 'invalid', 'maxHoursPerWeek must be ≥ 0');
      if (aa.minHoursPerWeek !== undefined && (!isNum(aa.minHoursPerWeek) || aa.minHoursPerWeek < 0)) fail(`${p}.minHoursPerWeek`, 'invalid', 'minHoursPerWeek must be ≥ 0');
      if (aa.unavailableDays !== undefined && !isIntArr(aa.unavailableDays)) fail(`${p}.unavailableDays`, 'invalid', 'unavailableDays must be day numbers');
      if (aa.allowedShifts !== undefined && (!isStrArr(aa.allowedShifts) || aa.allowedShifts.some((s) => !shiftIds.has(s)))) fail(`${p}.allowedShifts`, 'unknown_shift', 'allowedShifts must name known shifts');
      if (aa.availability !== undefined) {
        if (!Array.isArray(aa.availability)) fail(`${p}.availability`, 'invalid', 'availability must be an array of {day, shifts}');
        else
          aa.availability.forEach((x: unknown, k) => {
            const xx = (typeof x === 'object' && x !== null ? x : {}) as Record<string, unknown>;
            if (!isInt(xx.day) || !isStrArr(xx.shifts) || xx.shifts.some((s) => !shiftIds.has(s))) fail(`${p}.availability.${k}`, 'invalid', 'availability entries need a day and known shift ids');
          });
      }
      if (aa.preferences !== undefined) {
        const pr = (typeof aa.preferences === 'object' && aa.preferences !== null ? aa.preferences : {}) as Record<string, unknown>;
        if (pr.preferredShifts !== undefined && !isStrArr(pr.preferredShifts)) fail(`${p}.preferences.preferredShifts`, 'invalid', 'shift ids or kinds');
        if (pr.unwantedShifts !== undefined && !isStrArr(pr.unwantedShifts)) fail(`${p}.preferences.unwantedShifts`, 'invalid', 'shift ids or kinds');
        if (pr.preferredDaysOff !== undefined && !isIntArr(pr.preferredDaysOff)) fail(`${p}.preferences.preferredDaysOff`, 'invalid', 'day numbers');
        if (pr.preferredWeekdaysOff !== undefined && (!isIntArr(pr.preferredWeekdaysOff) || pr.preferredWeekdaysOff.some((d) => d < 0 || d > 6))) fail(`${p}.preferences.preferredWeekdaysOff`, 'invalid', 'weekdays 0 (Monday) … 6 (Sunday)');
      }
    });
  if (!Array.isArray(o.demand)) fail('demand', 'invalid', 'demand must be an array of {day, shift, count, skill?}');
  else
    o.demand.forEach((d: unknown, i) => {
      const p = `demand.${i}`;
      const dd = (typeof d === 'object' && d !== null ? d : {}) as Record<string, unknown>;
      if (!isInt(dd.day) || (isInt(days) && (dd.day < 0 || dd.day >= days))) fail(`${p}.day`, 'out_of_range', 'day outside the horizon');
      if (typeof dd.shift !== 'string' || !shiftIds.has(dd.shift)) fail(`${p}.shift`, 'unknown_shift', `unknown shift ${String(dd.shift)}`);
      if (!isInt(dd.count) || dd.count < 0) fail(`${p}.count`, 'invalid', 'count must be an integer ≥ 0');
      if (dd.skill !== undefined && typeof dd.skill !== 'string') fail(`${p}.skill`, 'invalid', 'skill must be a string');
    });
  if (errors.length) throw new Invalid(errors);
  return input as RosterProblem;
}
