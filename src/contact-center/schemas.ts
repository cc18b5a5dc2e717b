// The contact center contract: zod schemas shared by use cases, routes (the OpenAPI document) and the web UI.
import { z } from 'zod';
import { agentStates, ctiEventTypes, queueKinds } from './tables.ts';

const key = z.string().trim().regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,59}$/, { message: 'invalid_key' });
const name = z.string().trim().min(1).max(100);
const uuid = z.string().uuid();
const iso = z.string().datetime({ offset: true });

export const queueSettingsSchema = z.object({
  /** Customer tag → routing priority (0–100, higher first). */
  tagPriorities: z.record(z.string().min(1).max(40), z.number().int().min(0).max(100)).optional(),
}).strict();

const queueFields = {
  name,
  kind: z.enum(queueKinds),
  skillId: uuid.nullable().optional(),
  targetSeconds: z.number().int().min(1).max(3600).default(20),
  serviceLevelGoal: z.number().min(0).max(1).default(0.8),
  shortAbandonSeconds: z.number().int().min(0).max(600).default(5),
  excludeShortAbandons: z.boolean().default(true),
  overflowQueueId: uuid.nullable().optional(),
  overflowAfterSeconds: z.number().int().min(1).max(86_400).nullable().optional(),
  settings: queueSettingsSchema.default({}),
  active: z.boolean().default(true),
};

export const createQueueInput = z.object({ key, ...queueFields }).strict();
export type CreateQueueInput = z.input<typeof createQueueInput>;

export const updateQueueInput = z.object({
  version: z.number().int().min(1),
  name: queueFields.name.optional(),
  kind: queueFields.kind.optional(),
  skillId: queueFields.skillId,
  targetSeconds: z.number().int().min(1).max(3600).optional(),
  serviceLevelGoal: z.number().min(0).max(1).optional(),
  shortAbandonSeconds: z.number().int().min(0).max(600).optional(),
  excludeShortAbandons: z.boolean().optional(),
  overflowQueueId: queueFields.overflowQueueId,
  overflowAfterSeconds: queueFields.overflowAfterSeconds,
  settings: queueSettingsSchema.optional(),
  active: z.boolean().optional(),
}).strict();
export type UpdateQueueInput = z.input<typeof updateQueueInput>;

export const queueOutput = z.object({
  id: z.string(),
  key: z.string(),
  name: z.string(),
  kind: z.enum(queueKinds),
  skillId: z.string().nullable(),
  targetSeconds: z.number(),
  serviceLevelGoal: z.number(),
  shortAbandonSeconds: z.number(),
  excludeShortAbandons: z.boolean(),
  overflowQueueId: z.string().nullable(),
  overflowAfterSeconds: z.number().nullable(),
  settings: queueSettingsSchema,
  active: z.boolean(),
  version: z.number(),
});
export type QueueOutput = z.infer<typeof queueOutput>;

export const createSkillInput = z.object({ key, name }).strict();
export const updateSkillInput = z.object({ version: z.number().int().min(1), name }).strict();
export const skillOutput = z.object({ id: z.string(), key: z.string(), name: z.string(), version: z.number() });
export type SkillOutput = z.infer<typeof skillOutput>;

export const agentSkill = z.object({ skillId: uuid, proficiency: z.number().int().min(1).max(5) }).strict();

export const createAgentInput = z.object({
  userId: uuid.nullable().optional(),
  extension: key,
  name,
  teamId: uuid.nullable().optional(),
  skills: z.array(agentSkill).max(50).default([]),
  active: z.boolean().default(true),
}).strict();
export type CreateAgentInput = z.input<typeof createAgentInput>;

export const updateAgentInput = z.object({
  version: z.number().int().min(1),
  userId: uuid.nullable().optional(),
  extension: key.optional(),
  name: name.optional(),
  teamId: uuid.nullable().optional(),
  skills: z.array(agentSkill).max(50).optional(),
  active: z.boolean().optional(),
}).strict();
export type UpdateAgentInput = z.input<typeof updateAgentInput>;

export const agentOutput = z.object({
  id: z.string(),
  userId: z.string().nullable(),
  extension: z.string(),
  name: z.string(),
  teamId: z.string().nullable(),
  skills: z.array(z.object({ skillId: z.string(), proficiency: z.number() })),
  state: z.enum(agentStates),
  stateSince: z.string().nullable(),
  active: z.boolean(),
  version: z.number(),
});
export type AgentOutput = z.infer<typeof agentOutput>;

export const agentStateInput = z.object({
  state: z.enum(agentStates),
  reason: z.string().trim().max(100).nullable().optional(),
  /** When the state began (default: now); an older time than the agent's last event is recorded as history only. */
  at: iso.optional(),
}).strict();

export const agentStateBatchInput = z.object({
  events: z.array(z.object({ agent: key, state: z.enum(agentStates), reason: z.string().max(100).nullable().optional(), at: iso }).strict()).min(1).max(5000),
}).strict();

export const agentStateEventOutput = z.object({ id: z.string(), agentId: z.string(), state: z.enum(agentStates), reason: z.string().nullable(), at: z.string() });

// IVR menus (语音导航).
const digit = z.string().regex(/^[0-9*#]$/, { message: 'invalid_digit' });
const ivrTarget = z.discriminatedUnion('type', [
  z.object({ type: z.literal('menu'), menu: z.string().min(1).max(60) }).strict(),
  z.object({ type: z.literal('queue'), queue: key }).strict(),
]);
export const ivrNode = z.object({
  id: z.string().trim().min(1).max(60),
  prompt: z.object({ zh: z.string().trim().min(1).max(1000), en: z.string().trim().min(1).max(1000) }).strict(),
  options: z.array(z.object({ digit, target: ivrTarget }).strict()).max(12),
}).strict();
export const ivrTree = z.object({ root: z.string().min(1).max(60), nodes: z.array(ivrNode).min(1).max(500) }).strict();
export type IvrTree = z.infer<typeof ivrTree>;

export const publishIvrInput = z.object({
  /** The version you edited (0 when none was published yet); 409 when another was published since. */
  baseVersion: z.number().int().min(0),
  tree: ivrTree,
  note: z.string().trim().max(500).nullable().optional(),
}).strict();
export type PublishIvrInput = z.input<typeof publishIvrInput>;

export const ivrVersionOutput = z.object({
  version: z.number(),
  tree: ivrTree,
  note: z.string().nullable(),
  publishedBy: z.string().nullable(),
  publishedAt: z.string(),
});
export const ivrVersionSummary = ivrVersionOutput.omit({ tree: true });

export const ivrValidationOutput = z.object({
  valid: z.boolean(),
  errors: z.array(z.object({ path: z.string(), code: z.string(), message: z.string() })),
});

// CTI ingestion.
export const ctiEvent = z.object({
  eventId: z.string().min(1).max(120),
  callId: z.string().min(1).max(120),
  type: z.enum(ctiEventTypes),
  at: iso,
  queue: key.nullable().optional(),
  agent: key.nullable().optional(),
  /** Caller number as the PBX saw it (CLID); normalized like customer phones. */
  phone: z.string().max(40).nullable().optional(),
  /** After-call work (wrap-up) seconds, on `ended` when the PBX knows them. */
  acwSeconds: z.number().int().min(0).max(86_400).nullable().optional(),
}).strict();
export type CtiEvent = z.infer<typeof ctiEvent>;

export const ctiIngestInput = z.union([ctiEvent, z.object({ events: z.array(ctiEvent).min(1).max(5000) }).strict()]);
export const ctiIngestOutput = z.object({ received: z.number(), accepted: z.number(), duplicates: z.number(), calls: z.number() });

export const callOutput = z.object({
  id: z.string(),
  callId: z.string(),
  offeredAt: z.string().nullable(),
  queueId: z.string().nullable(),
  lastQueueId: z.string().nullable(),
  answeredAt: z.string().nullable(),
  /** The first answerer; `answeredAgentIds` holds every agent who answered (after a transfer too). */
  agentId: z.string().nullable(),
  answeredAgentIds: z.array(z.string()),
  teamId: z.string().nullable(),
  endedAt: z.string().nullable(),
  abandoned: z.boolean(),
  transferred: z.boolean(),
  waitSeconds: z.number().nullable(),
  talkSeconds: z.number().nullable(),
  acwSeconds: z.number().nullable(),
  phone: z.string().nullable(),
  customerId: z.string().nullable(),
  priority: z.number(),
});
export type CallOutput = z.infer<typeof callOutput>;

export const listCallsQuery = z.object({
  from: iso.optional(),
  to: iso.optional(),
  queueId: uuid.optional(),
  agentId: uuid.optional(),
  customerId: uuid.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  /** Keyset cursor: the `nextCursor` of the previous page. */
  cursor: z.string().max(200).optional(),
});
export const callPage = z.object({ items: z.array(callOutput), nextCursor: z.string().nullable() });

export const ccSettingsInput = z.object({ version: z.number().int().min(0), fcrWindowHours: z.number().int().min(1).max(24 * 30) }).strict();
export const ccSettingsOutput = z.object({ fcrWindowHours: z.number(), version: z.number() });

// KPIs.
export const orgCalendarOutput = z.object({ timezone: z.string(), today: z.string(), weekStart: z.string() });

export const kpiGroupBys = ['interval', 'queue', 'team', 'agent', 'day'] as const;
/** An instant (ISO with offset) or a day in the organization's time zone (YYYY-MM-DD; as `to`, inclusive). */
export const instantOrDay = z.union([iso, z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'invalid_date' })]);
export const kpiQuery = z.object({
  from: instantOrDay,
  to: instantOrDay,
  intervalMinutes: z.coerce.number().refine((n) => n === 15 || n === 30 || n === 60, { message: 'interval_15_30_60' }).default(60),
  groupBy: z.enum(kpiGroupBys).default('interval'),
  queueId: uuid.optional(),
  teamId: uuid.optional(),
  agentId: uuid.optional(),
  /** `aggregate` reads the per-interval table (the job keeps it current); `raw` computes from the call records. */
  source: z.enum(['aggregate', 'raw']).default('aggregate'),
});
export type KpiQuery = z.input<typeof kpiQuery>;

const rate = z.number().nullable();
export const kpiRow = z.object({
  /** Interval start (ISO), local date (day), queue/team/agent id. */
  key: z.string().nullable(),
  label: z.string().nullable(),
  offered: z.number(),
  answered: z.number(),
  abandoned: z.number(),
  shortAbandoned: z.number(),
  answerRate: rate,
  abandonRate: rate,
  serviceLevel: rate,
  asaSeconds: rate,
  ahtSeconds: rate,
  transferRate: rate,
  fcrRate: rate,
  occupancy: rate,
});
export type KpiRow = z.infer<typeof kpiRow>;
export const kpiOutput = z.object({
  timezone: z.string(),
  /** The range as UTC instants (days resolved in the organization's time zone). */
  from: z.string(),
  to: z.string(),
  intervalMinutes: z.number(),
  groupBy: z.enum(kpiGroupBys),
  source: z.enum(['aggregate', 'raw']),
  rows: z.array(kpiRow),
  total: kpiRow,
});

export const wallboardQueue = z.object({
  queueId: z.string(),
  key: z.string(),
  name: z.string(),
  waiting: z.number(),
  longestWaitSeconds: z.number().nullable(),
  offeredToday: z.number(),
  answeredToday: z.number(),
  abandonedToday: z.number(),
  serviceLevelToday: rate,
});
export const wallboardOutput = z.object({
  at: z.string(),
  queues: z.array(wallboardQueue),
  agents: z.record(z.enum(agentStates), z.number()),
});
export type Wallboard = z.infer<typeof wallboardOutput>;
