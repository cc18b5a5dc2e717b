// Input and output shapes of the roster model (roster.ts) and its checker (roster-check.ts), and validation.
import { Invalid, type KeyedFieldError, fieldError } from '../../platform/errors.ts';

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

/**
 * Agents required per interval and per skill (queue), e.g. from Erlang staffing per queue. `values[t]` is the
 * requirement in interval t counted from 00:00 of day 0; a list shorter than the horizon (one day, one week)
 * repeats. A requirement without `skill` can be met by any agent. Used instead of `demand` (not with it).
 */
export interface RosterIntervalDemand {
  intervalMinutes: number;
  requirements: { skill?: string; values: number[] }[];
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
  /** Per-skill interval requirements (see RosterIntervalDemand); when given, `demand` must be empty. */
  intervalDemand?: RosterIntervalDemand;
  weights?: RosterWeights;
}

/** Which skill an agent serves during a part of a shift (interval demand); minutes from 00:00 of the shift's day. */
export interface RosterSkillSegment {
  fromMinute: number;
  toMinute: number;
  skill: string | null;
}

export interface RosterAssignment {
  agentId: string;
  day: number;
  shift: string;
  /** The demand skill this agent covers on that shift, when demand names skills. */
  skill?: string;
  /** With interval demand: the skill served in each part of the shift (one skill at a time; null = any-agent requirement). */
  skillPlan?: RosterSkillSegment[];
}

/** Agents required and assigned for one skill in one interval (interval demand). */
export interface RosterIntervalCoverage {
  day: number;
  /** Start of the interval, minutes from 00:00 of `day`. */
  minute: number;
  skill: string | null;
  required: number;
  covered: number;
}

/** Per-skill totals: required and covered (capped at required) agent-hours, and the shortfall. */
export interface RosterSkillCoverage {
  skill: string | null;
  requiredHours: number;
  coveredHours: number;
  shortfallHours: number;
}

/** Expands interval requirements over the horizon: one array per requirement row, days × (1440 / interval) long. */
export function expandIntervalDemand(days: number, demand: RosterIntervalDemand): number[][] {
  const perDay = 1440 / demand.intervalMinutes;
  const T = days * perDay;
  return demand.requirements.map((r) => Array.from({ length: T }, (_, t) => r.values[t % r.values.length]));
}

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isStrArr = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string');
const isIntArr = (v: unknown): v is number[] => Array.isArray(v) && v.every(isInt);

/** Validates a roster problem (e.g. parsed JSON); throws `Invalid` with field errors. */
export function parseRosterProblem(input: unknown): RosterProblem {
  const errors: KeyedFieldError[] = [];
  const fail = (path: string, code: string, slug: string, params: Record<string, string | number> = {}) => errors.push(fieldError(path, code, `field.wfm.input.${slug}`, params));
  if (typeof input !== 'object' || input === null) throw new Invalid([fieldError('', 'invalid_type', 'field.wfm.input.expected_object')]);
  const o = input as Record<string, unknown>;
  const days = o.days;
  if (!isInt(days) || days < 7 || days > 42 || days % 7 !== 0) fail('days', 'invalid', 'days_whole_weeks');
  if (o.startWeekday !== undefined && (!isInt(o.startWeekday) || o.startWeekday < 0 || o.startWeekday > 6)) fail('startWeekday', 'invalid', 'start_weekday');
  const shiftIds = new Set<string>();
  if (!Array.isArray(o.shifts) || o.shifts.length === 0) fail('shifts', 'empty', 'shift_required');
  else
    o.shifts.forEach((s: unknown, i) => {
      const p = `shifts.${i}`;
      const ss = (typeof s === 'object' && s !== null ? s : {}) as Record<string, unknown>;
      if (typeof ss.id !== 'string' || ss.id === '') fail(`${p}.id`, 'invalid', 'id_required');
      else if (shiftIds.has(ss.id)) fail(`${p}.id`, 'duplicate', 'duplicate_shift', { id: ss.id });
      else shiftIds.add(ss.id);
      if (!isNum(ss.startMinute) || ss.startMinute < 0 || ss.startMinute >= 1440) fail(`${p}.startMinute`, 'invalid', 'start_minute');
      if (!isNum(ss.lengthMinutes) || ss.lengthMinutes <= 0 || ss.lengthMinutes > 1440) fail(`${p}.lengthMinutes`, 'invalid', 'length_minutes');
      if (ss.paidMinutes !== undefined && (!isNum(ss.paidMinutes) || ss.paidMinutes < 0)) fail(`${p}.paidMinutes`, 'invalid', 'paid_minutes');
    });
  const rules = (typeof o.rules === 'object' && o.rules !== null ? o.rules : undefined) as Record<string, unknown> | undefined;
  if (!rules) fail('rules', 'required', 'rules_required');
  else {
    if (!isNum(rules.maxHoursPerWeek) || rules.maxHoursPerWeek < 0) fail('rules.maxHoursPerWeek', 'invalid', 'max_hours_per_week');
    if (!isNum(rules.minRestHours) || rules.minRestHours < 0) fail('rules.minRestHours', 'invalid', 'min_rest_hours');
    if (!isInt(rules.maxConsecutiveDays) || rules.maxConsecutiveDays < 1) fail('rules.maxConsecutiveDays', 'invalid', 'max_consecutive_days');
    if (!isInt(rules.minDaysOffPerWeek) || rules.minDaysOffPerWeek < 0 || rules.minDaysOffPerWeek > 7) fail('rules.minDaysOffPerWeek', 'invalid', 'min_days_off');
  }
  const agentIds = new Set<string>();
  if (!Array.isArray(o.agents) || o.agents.length === 0) fail('agents', 'empty', 'agent_required');
  else
    o.agents.forEach((a: unknown, i) => {
      const p = `agents.${i}`;
      const aa = (typeof a === 'object' && a !== null ? a : {}) as Record<string, unknown>;
      if (typeof aa.id !== 'string' || aa.id === '') fail(`${p}.id`, 'invalid', 'id_required');
      else if (agentIds.has(aa.id)) fail(`${p}.id`, 'duplicate', 'duplicate_agent', { id: aa.id });
      else agentIds.add(aa.id);
      if (typeof aa.name !== 'string') fail(`${p}.name`, 'invalid', 'name_required');
      if (aa.skills !== undefined && !isStrArr(aa.skills)) fail(`${p}.skills`, 'invalid', 'skills_strings');
      if (aa.maxHoursPerWeek !== undefined && (!isNum(aa.maxHoursPerWeek) || aa.maxHoursPerWeek < 0)) fail(`${p}.maxHoursPerWeek`, 'invalid', 'max_hours_per_week');
      if (aa.minHoursPerWeek !== undefined && (!isNum(aa.minHoursPerWeek) || aa.minHoursPerWeek < 0)) fail(`${p}.minHoursPerWeek`, 'invalid', 'min_hours_per_week');
      if (aa.unavailableDays !== undefined && !isIntArr(aa.unavailableDays)) fail(`${p}.unavailableDays`, 'invalid', 'unavailable_days');
      if (aa.allowedShifts !== undefined && (!isStrArr(aa.allowedShifts) || aa.allowedShifts.some((s) => !shiftIds.has(s)))) fail(`${p}.allowedShifts`, 'unknown_shift', 'allowed_shifts');
      if (aa.availability !== undefined) {
        if (!Array.isArray(aa.availability)) fail(`${p}.availability`, 'invalid', 'availability_array');
        else
          aa.availability.forEach((x: unknown, k) => {
            const xx = (typeof x === 'object' && x !== null ? x : {}) as Record<string, unknown>;
            if (!isInt(xx.day) || !isStrArr(xx.shifts) || xx.shifts.some((s) => !shiftIds.has(s))) fail(`${p}.availability.${k}`, 'invalid', 'availability_entry');
          });
      }
      if (aa.preferences !== undefined) {
        const pr = (typeof aa.preferences === 'object' && aa.preferences !== null ? aa.preferences : {}) as Record<string, unknown>;
        if (pr.preferredShifts !== undefined && !isStrArr(pr.preferredShifts)) fail(`${p}.preferences.preferredShifts`, 'invalid', 'shift_ids_or_kinds');
        if (pr.unwantedShifts !== undefined && !isStrArr(pr.unwantedShifts)) fail(`${p}.preferences.unwantedShifts`, 'invalid', 'shift_ids_or_kinds');
        if (pr.preferredDaysOff !== undefined && !isIntArr(pr.preferredDaysOff)) fail(`${p}.preferences.preferredDaysOff`, 'invalid', 'day_numbers');
        if (pr.preferredWeekdaysOff !== undefined && (!isIntArr(pr.preferredWeekdaysOff) || pr.preferredWeekdaysOff.some((d) => d < 0 || d > 6))) fail(`${p}.preferences.preferredWeekdaysOff`, 'invalid', 'weekdays');
      }
    });
  if (!Array.isArray(o.demand)) fail('demand', 'invalid', 'demand_array');
  else
    o.demand.forEach((d: unknown, i) => {
      const p = `demand.${i}`;
      const dd = (typeof d === 'object' && d !== null ? d : {}) as Record<string, unknown>;
      if (!isInt(dd.day) || (isInt(days) && (dd.day < 0 || dd.day >= days))) fail(`${p}.day`, 'out_of_range', 'day_outside_horizon');
      if (typeof dd.shift !== 'string' || !shiftIds.has(dd.shift)) fail(`${p}.shift`, 'unknown_shift', 'unknown_shift', { shift: String(dd.shift) });
      if (!isInt(dd.count) || dd.count < 0) fail(`${p}.count`, 'invalid', 'count_non_negative');
      if (dd.skill !== undefined && typeof dd.skill !== 'string') fail(`${p}.skill`, 'invalid', 'skill_string');
    });
  if (o.intervalDemand !== undefined) {
    const idm = (typeof o.intervalDemand === 'object' && o.intervalDemand !== null ? o.intervalDemand : {}) as Record<string, unknown>;
    const im = idm.intervalMinutes;
    if (!isInt(im) || im <= 0 || 1440 % im !== 0) fail('intervalDemand.intervalMinutes', 'invalid', 'interval_divides_day');
    if (Array.isArray(o.demand) && o.demand.length > 0) fail('demand', 'conflict', 'demand_or_interval_demand');
    if (!Array.isArray(idm.requirements) || idm.requirements.length === 0) fail('intervalDemand.requirements', 'empty', 'requirement_row');
    else {
      const seen = new Set<string>();
      idm.requirements.forEach((r: unknown, i) => {
        const p = `intervalDemand.requirements.${i}`;
        const rr = (typeof r === 'object' && r !== null ? r : {}) as Record<string, unknown>;
        if (rr.skill !== undefined && (typeof rr.skill !== 'string' || rr.skill === '')) fail(`${p}.skill`, 'invalid', 'skill_non_empty');
        const key = typeof rr.skill === 'string' ? rr.skill : '';
        if (seen.has(key)) fail(`${p}.skill`, 'duplicate', 'duplicate_skill', { skill: key || '(any)' });
        seen.add(key);
        const v = rr.values;
        if (!isIntArr(v) || v.length === 0 || v.some((x) => x < 0)) fail(`${p}.values`, 'invalid', 'values_non_negative');
        else if (isInt(im) && im > 0 && 1440 % im === 0 && isInt(days)) {
          const perDay = 1440 / im;
          if (v.length % perDay !== 0 || (days * perDay) % v.length !== 0) fail(`${p}.values`, 'invalid', 'values_whole_days', { perDay });
        }
      });
    }
  }
  if (errors.length) throw new Invalid(errors);
  return input as RosterProblem;
}
