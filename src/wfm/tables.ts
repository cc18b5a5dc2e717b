// WFM planner tables (排班): interval history (imported or demo), forecasts, staffing requirements, shift
// templates, shift plans, rosters with one row per rostered shift (the agent's own schedule, adherence and swaps
// read those), and swap requests. Grids (day × interval) are JSON: they are read whole, never aggregated.
import { sql } from 'drizzle-orm';
import { date, doublePrecision, index, integer, jsonb, pgTable, primaryKey, smallint, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { organizations, users } from '../platform/tables.ts';

export const shiftKinds = ['standard', 'happy_hour', 'family', 'part_time', 'night'] as const;
export type ShiftKind = (typeof shiftKinds)[number];
/** 'queued' until the job (or in-process run) starts, 'running' while it solves; the rest are final. */
export const solveStatuses = ['queued', 'running', 'optimal', 'feasible', 'failed'] as const;
export type SolveStatus = (typeof solveStatuses)[number];
export const forecastStatuses = ['queued', 'running', 'done', 'failed'] as const;
export type ForecastStatus = (typeof forecastStatuses)[number];
/** What a forecast run was asked for (the job reads it; a resumed run asks the same). */
export interface ForecastParams { horizonDays: number; holdoutDays: number; locale: 'zh-CN' | 'en' }
export const swapStatuses = ['pending', 'accepted', 'approved', 'declined', 'rejected', 'cancelled'] as const;
export type SwapStatus = (typeof swapStatuses)[number];

/** Interval volumes not from the contact center's own calls: uploaded files (bank-calls CSV) and the demo. */
export const wfmIntervalHistory = pgTable('wfm_interval_history', {
  orgId: uuid('org_id').notNull().references(() => organizations.id),
  /** Series name: a queue key, or the name given to an upload. */
  series: text('series').notNull(),
  intervalStart: timestamp('interval_start', { withTimezone: true }).notNull(),
  intervalMinutes: smallint('interval_minutes').notNull(),
  calls: integer('calls').notNull(),
  /** Total handle seconds of the interval's calls (AHT = handle seconds / calls), when known. */
  handleSeconds: doublePrecision('handle_seconds'),
}, (t) => [primaryKey({ columns: [t.orgId, t.series, t.intervalStart] })]);

export const wfmForecasts = pgTable('wfm_forecasts', {
  id: uuid('id').primaryKey(),
  orgId: uuid('org_id').notNull().references(() => organizations.id),
  series: text('series').notNull(),
  source: text('source').$type<'calls' | 'history'>().notNull(),
  intervalMinutes: smallint('interval_minutes').notNull(),
  /** Forecasts run as a job (wfm.forecast): queued → running → done | failed (with `error`). */
  status: text('status').$type<ForecastStatus>().notNull().default('done'),
  /** 0–1, the stages done (series loaded, backtest, forecast, AHT). */
  progress: doublePrecision('progress').notNull().default(1),
  params: jsonb('params').$type<ForecastParams | null>(),
  error: text('error'),
  /** The pg-boss job running it; null when run in-process (no job runner: CLI, tests). */
  jobId: uuid('job_id'),
  method: text('method').notNull().default(''),
  /** Held-out accuracy of the chosen method {mape, mae, rmse} and of the weekly seasonal naive. */
  accuracy: jsonb('accuracy').$type<{ mape: number; mae: number; rmse: number } | null>(),
  baseline: jsonb('baseline').$type<{ mape: number; mae: number; rmse: number } | null>(),
  /** Held-out days: actual volumes and the forecast made without them (forecast vs actual). */
  holdout: jsonb('holdout').$type<{ dates: string[]; actual: number[][]; forecast: number[][] } | null>(),
  dates: jsonb('dates').$type<string[]>().notNull().default(sql`'[]'::jsonb`),
  mean: jsonb('mean').$type<number[][]>().notNull().default(sql`'[]'::jsonb`),
  lower: jsonb('lower').$type<number[][]>().notNull().default(sql`'[]'::jsonb`),
  upper: jsonb('upper').$type<number[][]>().notNull().default(sql`'[]'::jsonb`),
  ahtSeconds: jsonb('aht_seconds').$type<number[][]>().notNull().default(sql`'[]'::jsonb`),
  coverage: doublePrecision('coverage').notNull(),
  createdBy: uuid('created_by').references(() => users.id),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  finishedAt: timestamp('finished_at', { withTimezone: true }),
}, (t) => [index('wfm_forecasts_org_idx').on(t.orgId, t.createdAt)]);

export const wfmRequirements = pgTable('wfm_requirements', {
  id: uuid('id').primaryKey(),
  orgId: uuid('org_id').notNull().references(() => organizations.id),
  forecastId: uuid('forecast_id').notNull(),
  intervalMinutes: smallint('interval_minutes').notNull(),
  target: jsonb('target').$type<{ targetSeconds: number; serviceLevel?: number; asaSeconds?: number; maxOccupancy?: number; shrinkage?: number; patienceSeconds?: number | null }>().notNull(),
  dates: jsonb('dates').$type<string[]>().notNull(),
  /** Agents on the phones per day and interval (Erlang C/A). */
  agents: jsonb('agents').$type<number[][]>().notNull(),
  /** After shrinkage: what the shift plan must cover. */
  scheduled: jsonb('scheduled').$type<number[][]>().notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [index('wfm_requirements_org_idx').on(t.orgId, t.createdAt)]);

export const wfmShiftTemplates = pgTable('wfm_shift_templates', {
  id: uuid('id').primaryKey(),
  orgId: uuid('org_id').notNull().references(() => organizations.id),
  name: text('name').notNull(),
  kind: text('kind').$type<ShiftKind>().notNull().default('standard'),
  lengthMinutes: integer('length_minutes').notNull(),
  /** Paid cost of one shift (e.g. paid hours × 100). */
  cost: doublePrecision('cost').notNull(),
  /** Allowed start times (minutes after midnight); null: any interval. */
  startMinutes: jsonb('start_minutes').$type<number[] | null>(),
  /** One break: earliest/latest start after the shift start and its length, in minutes. */
  breakRule: jsonb('break_rule').$type<{ earliestMinute: number; latestMinute: number; lengthMinutes: number } | null>(),
  maxPerDay: integer('max_per_day'),
  active: integer('active').notNull().default(1),
  version: integer('version').notNull().default(1),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [index('wfm_shift_templates_org_idx').on(t.orgId)]);

export const wfmShiftPlans = pgTable('wfm_shift_plans', {
  id: uuid('id').primaryKey(),
  orgId: uuid('org_id').notNull().references(() => organizations.id),
  requirementId: uuid('requirement_id').notNull(),
  status: text('status').$type<SolveStatus>().notNull(),
  intervalMinutes: smallint('interval_minutes').notNull(),
  startDate: date('start_date', { mode: 'string' }).notNull(),
  /** The shift problem as solved (requirements over the horizon, templates). */
  problem: jsonb('problem').$type<unknown>().notNull(),
  shiftsUsed: integer('shifts_used'),
  cost: doublePrecision('cost'),
  lowerBound: doublePrecision('lower_bound'),
  gap: doublePrecision('gap'),
  result: jsonb('result').$type<{ coverage: number[]; requirements: number[]; assignments: { start: number; template: string; count: number; breaks?: number[] }[]; solveSeconds: number } | null>(),
  error: text('error'),
  /** The pg-boss job solving it; null when solved in-process (no job runner: CLI, tests). */
  jobId: uuid('job_id'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  finishedAt: timestamp('finished_at', { withTimezone: true }),
}, (t) => [index('wfm_shift_plans_org_idx').on(t.orgId, t.createdAt)]);

export const wfmRosters = pgTable('wfm_rosters', {
  id: uuid('id').primaryKey(),
  orgId: uuid('org_id').notNull().references(() => organizations.id),
  shiftPlanId: uuid('shift_plan_id').notNull(),
  status: text('status').$type<SolveStatus>().notNull(),
  startDate: date('start_date', { mode: 'string' }).notNull(),
  days: integer('days').notNull(),
  /** The roster problem (agents are contact-center agent ids), kept so swaps are re-checked against it. */
  problem: jsonb('problem').$type<unknown>().notNull(),
  objective: doublePrecision('objective'),
  result: jsonb('result').$type<unknown>(),
  error: text('error'),
  /** The pg-boss job solving it; null when solved in-process (no job runner: CLI, tests). */
  jobId: uuid('job_id'),
  /** Break placements of the shift plan per "day|shift id": minutes after the shift start, one per planned shift. */
  breaks: jsonb('breaks').$type<RosterBreaks | null>(),
  version: integer('version').notNull().default(1),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  finishedAt: timestamp('finished_at', { withTimezone: true }),
}, (t) => [index('wfm_rosters_org_idx').on(t.orgId, t.createdAt)]);

export type RosterBreaks = Record<string, { offsets: number[]; lengthMinutes: number }>;

/**
 * An agent's scheduling preferences (排班偏好), edited by the agent or a planner; rosters use them unless the
 * roster request gives its own. Shift entries are shift kinds (happy_hour, family…), template names or shift ids.
 */
export const wfmAgentPreferences = pgTable('wfm_agent_preferences', {
  orgId: uuid('org_id').notNull().references(() => organizations.id),
  /** Contact-center agent id. */
  agentId: uuid('agent_id').notNull(),
  preferredShifts: jsonb('preferred_shifts').$type<string[]>().notNull().default(sql`'[]'::jsonb`),
  unwantedShifts: jsonb('unwanted_shifts').$type<string[]>().notNull().default(sql`'[]'::jsonb`),
  /** 0 = Monday … 6 = Sunday. */
  preferredWeekdaysOff: jsonb('preferred_weekdays_off').$type<number[]>().notNull().default(sql`'[]'::jsonb`),
  maxHoursPerWeek: doublePrecision('max_hours_per_week'),
  note: text('note'),
  version: integer('version').notNull().default(1),
  updatedBy: uuid('updated_by').references(() => users.id),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [primaryKey({ columns: [t.orgId, t.agentId] })]);

/** One rostered shift of one agent: the agent's own schedule, adherence and swaps read these. */
export const wfmRosterShifts = pgTable('wfm_roster_shifts', {
  id: uuid('id').primaryKey(),
  orgId: uuid('org_id').notNull().references(() => organizations.id),
  rosterId: uuid('roster_id').notNull(),
  /** Contact-center agent id. */
  agentId: uuid('agent_id').notNull(),
  day: integer('day').notNull(),
  shiftId: text('shift_id').notNull(),
  startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
  endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
  /** The scheduled break (from the shift plan's break placement), when the shift's template has one. */
  breakStartsAt: timestamp('break_starts_at', { withTimezone: true }),
  breakEndsAt: timestamp('break_ends_at', { withTimezone: true }),
  /**
   * With per-skill interval demand: the skill (key) served in each part of the shift, minutes from 00:00 of its
   * day. Kept on the shift so that it moves with a swap and the swap is re-checked against the new agent's skills.
   */
  skills: jsonb('skills').$type<{ fromMinute: number; toMinute: number; skill: string | null }[] | null>(),
  version: integer('version').notNull().default(1),
}, (t) => [
  index('wfm_roster_shifts_roster_idx').on(t.orgId, t.rosterId, t.agentId),
  index('wfm_roster_shifts_agent_idx').on(t.orgId, t.agentId, t.startsAt),
]);

/** 换班: agent A offers a rostered shift to B in exchange for one of B's (or for none); B accepts; a planner approves. */
export const wfmSwapRequests = pgTable('wfm_swap_requests', {
  id: uuid('id').primaryKey(),
  orgId: uuid('org_id').notNull().references(() => organizations.id),
  rosterId: uuid('roster_id').notNull(),
  fromAgentId: uuid('from_agent_id').notNull(),
  fromShiftId: uuid('from_shift_id').notNull(),
  toAgentId: uuid('to_agent_id').notNull(),
  toShiftId: uuid('to_shift_id'),
  status: text('status').$type<SwapStatus>().notNull().default('pending'),
  note: text('note'),
  violations: jsonb('violations').$type<unknown[]>().notNull().default(sql`'[]'::jsonb`),
  version: integer('version').notNull().default(1),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [index('wfm_swap_requests_org_idx').on(t.orgId, t.rosterId)]);
