// The WFM planner's API contract (zod, in and out).
import { z } from 'zod';
import { forecastStatuses, shiftKinds, solveStatuses, swapStatuses } from './tables.ts';

const grid = z.array(z.array(z.number()));
const acc = z.object({ mape: z.number(), mae: z.number(), rmse: z.number() });
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

export const seriesOutput = z.object({ series: z.string(), source: z.enum(['calls', 'history']), days: z.number(), firstDate: z.string().nullable(), lastDate: z.string().nullable(), intervalMinutes: z.number() });
export type SeriesOutput = z.infer<typeof seriesOutput>;

export const importHistoryInput = z.object({
  series: z.string().trim().min(1).max(60),
  format: z.literal('bank-calls').default('bank-calls'),
  /** The file's text (CSV). */
  content: z.string().min(1).max(20_000_000),
  /** AHT to assume when the file has none (seconds). */
  ahtSeconds: z.number().positive().max(7200).default(240),
});
export type ImportHistoryInput = z.input<typeof importHistoryInput>;

export const createForecastInput = z.object({
  series: z.string().trim().min(1).max(60),
  source: z.enum(['calls', 'history']).default('history'),
  intervalMinutes: z.union([z.literal(15), z.literal(30), z.literal(60)]).default(30),
  horizonDays: z.number().int().min(1).max(28).default(7),
  holdoutDays: z.number().int().min(1).max(14).default(7),
  coverage: z.number().min(0.5).max(0.99).default(0.8),
});
export type CreateForecastInput = z.input<typeof createForecastInput>;

export const forecastOutput = z.object({
  id: z.string(), status: z.enum(forecastStatuses), progress: z.number(), error: z.string().nullable(), finishedAt: z.string().nullable(), series: z.string(), source: z.enum(['calls', 'history']), intervalMinutes: z.number(), method: z.string(),
  accuracy: acc.nullable(), baseline: acc.nullable(),
  holdout: z.object({ dates: z.array(z.string()), actual: grid, forecast: grid }).nullable(),
  dates: z.array(z.string()), mean: grid, lower: grid, upper: grid, ahtSeconds: grid, coverage: z.number(), createdAt: z.string(),
});
export type ForecastOutput = z.infer<typeof forecastOutput>;
export const forecastSummary = forecastOutput.pick({ id: true, status: true, series: true, source: true, intervalMinutes: true, method: true, accuracy: true, dates: true, createdAt: true });

export const staffingTargetInput = z.object({
  targetSeconds: z.number().min(0).max(3600).default(20),
  serviceLevel: z.number().gt(0).lt(1).optional(),
  asaSeconds: z.number().positive().optional(),
  maxOccupancy: z.number().gt(0).max(1).optional(),
  shrinkage: z.number().min(0).lt(1).optional(),
  patienceSeconds: z.number().positive().nullable().optional(),
});
export const createRequirementInput = z.object({ forecastId: z.string().uuid(), target: staffingTargetInput.default({ targetSeconds: 20, serviceLevel: 0.8, maxOccupancy: 0.85, shrinkage: 0.3 }) });
export type CreateRequirementInput = z.input<typeof createRequirementInput>;
export const requirementOutput = z.object({
  id: z.string(), forecastId: z.string(), intervalMinutes: z.number(), target: staffingTargetInput, dates: z.array(z.string()), agents: grid, scheduled: grid, createdAt: z.string(),
});
export type RequirementOutput = z.infer<typeof requirementOutput>;
/** A requirement in a list: its queue (the forecast's series) and days, to add other queues' demand to a roster. */
export const requirementSummary = z.object({ id: z.string(), forecastId: z.string(), series: z.string(), intervalMinutes: z.number(), dates: z.array(z.string()), createdAt: z.string() });
export type RequirementSummary = z.infer<typeof requirementSummary>;

const breakRule = z.object({ earliestMinute: z.number().int().min(0), latestMinute: z.number().int().min(0), lengthMinutes: z.number().int().positive() });
export const createShiftTemplateInput = z.object({
  name: z.string().trim().min(1).max(40),
  kind: z.enum(shiftKinds).default('standard'),
  lengthMinutes: z.number().int().min(15).max(16 * 60),
  cost: z.number().positive(),
  startMinutes: z.array(z.number().int().min(0).max(1439)).min(1).max(96).nullable().default(null),
  breakRule: breakRule.nullable().default(null),
  maxPerDay: z.number().int().positive().nullable().default(null),
}).refine((v) => !v.breakRule || (v.breakRule.earliestMinute <= v.breakRule.latestMinute && v.breakRule.latestMinute + v.breakRule.lengthMinutes <= v.lengthMinutes), { path: ['breakRule'], message: 'break_outside_shift' });
export type CreateShiftTemplateInput = z.input<typeof createShiftTemplateInput>;
export const updateShiftTemplateInput = z.object({
  version: z.number().int().positive(),
  name: z.string().trim().min(1).max(40).optional(),
  cost: z.number().positive().optional(),
  startMinutes: z.array(z.number().int().min(0).max(1439)).min(1).max(96).nullable().optional(),
  maxPerDay: z.number().int().positive().nullable().optional(),
  active: z.boolean().optional(),
});
export type UpdateShiftTemplateInput = z.input<typeof updateShiftTemplateInput>;
export const shiftTemplateOutput = z.object({
  id: z.string(), name: z.string(), kind: z.enum(shiftKinds), lengthMinutes: z.number(), cost: z.number(), startMinutes: z.array(z.number()).nullable(),
  breakRule: breakRule.nullable(), maxPerDay: z.number().nullable(), active: z.boolean(), version: z.number(),
});
export type ShiftTemplateOutput = z.infer<typeof shiftTemplateOutput>;

export const createShiftPlanInput = z.object({
  requirementId: z.string().uuid(),
  templateIds: z.array(z.string().uuid()).min(1).optional(),
  timeLimitSeconds: z.number().min(1).max(300).default(30),
});
export type CreateShiftPlanInput = z.input<typeof createShiftPlanInput>;
export const shiftPlanOutput = z.object({
  id: z.string(), requirementId: z.string(), status: z.enum(solveStatuses), intervalMinutes: z.number(), startDate: z.string(), days: z.number(),
  shiftsUsed: z.number().nullable(), cost: z.number().nullable(), lowerBound: z.number().nullable(), gap: z.number().nullable(),
  requirements: z.array(z.number()), coverage: z.array(z.number()),
  assignments: z.array(z.object({ start: z.number(), template: z.string(), count: z.number(), day: z.number(), startMinute: z.number(), lengthMinutes: z.number(), kind: z.string() })),
  solveSeconds: z.number().nullable(), error: z.string().nullable(), createdAt: z.string(), finishedAt: z.string().nullable(),
});
export type ShiftPlanOutput = z.infer<typeof shiftPlanOutput>;

const preferences = z.object({
  preferredShifts: z.array(z.string()).optional(), unwantedShifts: z.array(z.string()).optional(),
  preferredDaysOff: z.array(z.number().int().min(0)).optional(), preferredWeekdaysOff: z.array(z.number().int().min(0).max(6)).optional(),
});
export const createRosterInput = z.object({
  shiftPlanId: z.string().uuid(),
  /** Contact-center agent ids; default: every active agent. */
  agentIds: z.array(z.string().uuid()).min(1).optional(),
  rules: z.object({ maxHoursPerWeek: z.number().positive().max(84), minRestHours: z.number().min(0).max(24), maxConsecutiveDays: z.number().int().min(1).max(14), minDaysOffPerWeek: z.number().int().min(0).max(6) })
    .default({ maxHoursPerWeek: 40, minRestHours: 11, maxConsecutiveDays: 6, minDaysOffPerWeek: 2 }),
  preferences: z.array(z.object({ agentId: z.string().uuid(), maxHoursPerWeek: z.number().positive().optional(), allowedKinds: z.array(z.enum(shiftKinds)).optional() }).merge(preferences)).default([]),
  timeLimitSeconds: z.number().min(1).max(300).default(45),
  /**
   * Other queues' staffing requirements for the same days and interval: with the plan's own requirement they
   * become per-skill interval demand (each queue counts against its skill).
   */
  requirementIds: z.array(z.string().uuid()).max(20).optional(),
});
export type CreateRosterInput = z.input<typeof createRosterInput>;
const violation = z.object({ rule: z.string(), agentId: z.string(), day: z.number().optional(), week: z.number().optional(), detail: z.string() });
export const rosterShiftOutput = z.object({
  id: z.string(), rosterId: z.string(), agentId: z.string(), agentName: z.string(), day: z.number(), shiftId: z.string(), startsAt: z.string(), endsAt: z.string(),
  /** The scheduled break, when the shift's template has one. */
  breakStartsAt: z.string().nullable(), breakEndsAt: z.string().nullable(), version: z.number(),
  /** With per-skill interval demand: the skill (key) served in each part of the shift, minutes from 00:00 of its day. */
  skills: z.array(z.object({ fromMinute: z.number(), toMinute: z.number(), skill: z.string().nullable() })).optional(),
});
export type RosterShiftOutput = z.infer<typeof rosterShiftOutput>;
export const rosterOutput = z.object({
  id: z.string(), shiftPlanId: z.string(), status: z.enum(solveStatuses), startDate: z.string(), days: z.number(), objective: z.number().nullable(), version: z.number(),
  agents: z.array(z.object({ id: z.string(), name: z.string(), hoursPerWeek: z.array(z.number()), preference: z.number().nullable() })),
  shiftTypes: z.array(z.object({ id: z.string(), startMinute: z.number(), lengthMinutes: z.number(), kind: z.string().nullable() })),
  shifts: z.array(rosterShiftOutput),
  violations: z.array(violation), shortfall: z.number().nullable(),
  preferenceSatisfaction: z.number().nullable(), understaffing: z.array(z.object({ day: z.number(), shift: z.string(), required: z.number(), assigned: z.number() })),
  /** 'interval': per-skill demand per interval (the planner's rosters since skills); 'shift': per-shift counts (older rosters). */
  demandMode: z.enum(['shift', 'interval']),
  /** Per skill (null: any agent): required, covered and missing agent-hours. Empty for rosters solved before skills. */
  skillCoverage: z.array(z.object({ skill: z.string().nullable(), skillName: z.string().nullable(), requiredHours: z.number(), coveredHours: z.number(), shortfallHours: z.number() })),
  /** Interval demand: runs of consecutive intervals on a day where a skill is under-covered (same required and covered). */
  underCoverage: z.array(z.object({ day: z.number(), fromMinute: z.number(), toMinute: z.number(), skill: z.string().nullable(), required: z.number(), covered: z.number() })),
  error: z.string().nullable(), createdAt: z.string(), finishedAt: z.string().nullable(),
});
export type RosterOutput = z.infer<typeof rosterOutput>;
export const rosterSummary = rosterOutput.pick({ id: true, shiftPlanId: true, status: true, startDate: true, days: true, objective: true, createdAt: true });

export const createSwapInput = z.object({ fromShiftId: z.string().uuid(), toAgentId: z.string().uuid(), toShiftId: z.string().uuid().nullable().default(null), note: z.string().max(500).optional() });
export type CreateSwapInput = z.input<typeof createSwapInput>;
export const decideSwapInput = z.object({ version: z.number().int().positive(), decision: z.enum(['accept', 'decline', 'approve', 'reject', 'cancel']) });
export type DecideSwapInput = z.input<typeof decideSwapInput>;
export const swapOutput = z.object({
  id: z.string(), rosterId: z.string(), fromAgentId: z.string(), fromAgentName: z.string(), fromShift: rosterShiftOutput, toAgentId: z.string(), toAgentName: z.string(), toShift: rosterShiftOutput.nullable(),
  status: z.enum(swapStatuses), note: z.string().nullable(), violations: z.array(violation), version: z.number(), createdAt: z.string(),
});
export type SwapOutput = z.infer<typeof swapOutput>;

export const scheduleQuery = z.object({ from: isoDate.optional(), to: isoDate.optional() });
export const myScheduleOutput = z.object({ agentId: z.string(), agentName: z.string(), shifts: z.array(rosterShiftOutput), swaps: z.array(swapOutput), colleagues: z.array(z.object({ id: z.string(), name: z.string() })) });
export type MyScheduleOutput = z.infer<typeof myScheduleOutput>;

export const adherenceQuery = z.object({ rosterId: z.string().uuid() });
export const adherenceOutput = z.object({
  items: z.array(z.object({ agentId: z.string(), agentName: z.string(), date: z.string(), scheduledSeconds: z.number(), scheduledBreakSeconds: z.number(), inAdherenceSeconds: z.number(), adherence: z.number().nullable() })),
});
export type AdherenceOutput = z.infer<typeof adherenceOutput>;

const shiftRef = z.string().trim().min(1).max(60);
export const saveAgentPreferencesInput = z.object({
  /** The version read (0: the agent has none yet). */
  version: z.number().int().min(0),
  /** Shift kinds (happy_hour, family…), template names or shift ids the agent prefers / does not want. */
  preferredShifts: z.array(shiftRef).max(30).default([]),
  unwantedShifts: z.array(shiftRef).max(30).default([]),
  /** 0 = Monday … 6 = Sunday. */
  preferredWeekdaysOff: z.array(z.number().int().min(0).max(6)).max(7).default([]),
  maxHoursPerWeek: z.number().min(4).max(84).nullable().default(null),
  note: z.string().trim().max(500).nullable().default(null),
});
export type SaveAgentPreferencesInput = z.input<typeof saveAgentPreferencesInput>;
export const agentPreferencesOutput = z.object({
  agentId: z.string(), agentName: z.string(), preferredShifts: z.array(z.string()), unwantedShifts: z.array(z.string()), preferredWeekdaysOff: z.array(z.number()),
  maxHoursPerWeek: z.number().nullable(), note: z.string().nullable(), version: z.number(), updatedAt: z.string().nullable(),
  /** What the form offers: shift kinds and the active templates. */
  options: z.object({ kinds: z.array(z.enum(shiftKinds)), templates: z.array(z.object({ name: z.string(), kind: z.enum(shiftKinds) })) }),
});
export type AgentPreferencesOutput = z.infer<typeof agentPreferencesOutput>;

export const adherenceTimelineQuery = z.object({ agentId: z.string().uuid(), date: isoDate });
export const adherenceTimelineOutput = z.object({
  agentId: z.string(), agentName: z.string(), date: z.string(),
  /** Scheduled activity: work or break segments of the agent's shifts that day. */
  schedule: z.array(z.object({ activity: z.enum(['work', 'break']), from: z.string(), to: z.string() })),
  /** Agent states over the same span (a state holds until the next event). */
  states: z.array(z.object({ state: z.string(), from: z.string(), to: z.string() })),
  scheduledSeconds: z.number(), inAdherenceSeconds: z.number(), adherence: z.number().nullable(),
});
export type AdherenceTimelineOutput = z.infer<typeof adherenceTimelineOutput>;
