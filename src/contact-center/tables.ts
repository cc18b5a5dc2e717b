// Contact center tables (呼叫中心): queues, skills, agents and their state events, IVR menu versions,
// raw CTI events from the PBX, one call record per call built from them, and the per-interval
// pre-aggregates the KPI dashboards read.
import { sql } from 'drizzle-orm';
import { boolean, date, doublePrecision, index, integer, jsonb, pgTable, primaryKey, smallint, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { organizations, teams, users } from '../platform/tables.ts';

export const queueKinds = ['front_line', 'specialist'] as const;
export type QueueKind = (typeof queueKinds)[number];
export const agentStates = ['available', 'on_call', 'after_call_work', 'break', 'offline'] as const;
export type AgentState = (typeof agentStates)[number];
export const ctiEventTypes = ['offered', 'queued', 'answered', 'transferred', 'abandoned', 'ended'] as const;
export type CtiEventType = (typeof ctiEventTypes)[number];

/** Queue settings kept as JSON: caller priority by customer tag (until service tiers exist). */
export interface QueueSettings {
  /** Customer tag → routing priority (higher first); the highest matching tag wins. */
  tagPriorities?: Record<string, number>;
}

/** A queue (技能队列): the front line or a specialist desk (complaints, key accounts, data services, devices…). */
export const ccQueues = pgTable('cc_queues', {
  id: uuid('id').primaryKey(),
  orgId: uuid('org_id').notNull().references(() => organizations.id),
  /** The name the PBX uses for the queue (Asterisk queue name, FreeSWITCH callcenter queue). */
  key: text('key').notNull(),
  name: text('name').notNull(),
  kind: text('kind').$type<QueueKind>().notNull(),
  skillId: uuid('skill_id'),
  /** Service level: answered within this many seconds. */
  targetSeconds: integer('target_seconds').notNull().default(20),
  /** Service level target as a fraction (0.8 = 80/20 with targetSeconds 20). */
  serviceLevelGoal: doublePrecision('service_level_goal').notNull().default(0.8),
  /** Calls abandoned within this many seconds are "short abandons". */
  shortAbandonSeconds: integer('short_abandon_seconds').notNull().default(5),
  /** When true, short abandons leave the service level's denominator. */
  excludeShortAbandons: boolean('exclude_short_abandons').notNull().default(true),
  overflowQueueId: uuid('overflow_queue_id'),
  overflowAfterSeconds: integer('overflow_after_seconds'),
  settings: jsonb('settings').$type<QueueSettings>().notNull().default(sql`'{}'::jsonb`),
  active: boolean('active').notNull().default(true),
  version: integer('version').notNull().default(1),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [uniqueIndex('cc_queues_org_key').on(t.orgId, t.key)]);

export const ccSkills = pgTable('cc_skills', {
  id: uuid('id').primaryKey(),
  orgId: uuid('org_id').notNull().references(() => organizations.id),
  key: text('key').notNull(),
  name: text('name').notNull(),
  version: integer('version').notNull().default(1),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [uniqueIndex('cc_skills_org_key').on(t.orgId, t.key)]);

/** An agent (坐席): a user with an extension the PBX knows, a team, skills and a current state. */
export const ccAgents = pgTable('cc_agents', {
  id: uuid('id').primaryKey(),
  orgId: uuid('org_id').notNull().references(() => organizations.id),
  userId: uuid('user_id').references(() => users.id),
  /** The PBX's name for the agent (Asterisk member interface or agent number, FreeSWITCH agent name). */
  extension: text('extension').notNull(),
  name: text('name').notNull(),
  teamId: uuid('team_id').references(() => teams.id),
  /** Skills with proficiency 1 (learning) … 5 (expert). */
  skills: jsonb('skills').$type<{ skillId: string; proficiency: number }[]>().notNull().default(sql`'[]'::jsonb`),
  state: text('state').$type<AgentState>().notNull().default('offline'),
  stateSince: timestamp('state_since', { withTimezone: true }),
  active: boolean('active').notNull().default(true),
  version: integer('version').notNull().default(1),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  uniqueIndex('cc_agents_org_extension').on(t.orgId, t.extension),
  uniqueIndex('cc_agents_org_user').on(t.orgId, t.userId),
]);

/** Every state change of an agent; the state holds until the agent's next event. */
export const ccAgentStateEvents = pgTable('cc_agent_state_events', {
  id: uuid('id').primaryKey(),
  orgId: uuid('org_id').notNull().references(() => organizations.id),
  agentId: uuid('agent_id').notNull(),
  state: text('state').$type<AgentState>().notNull(),
  reason: text('reason'),
  at: timestamp('at', { withTimezone: true }).notNull(),
  /** When Kefu stored it: the KPI job finds events stored since its last run (late ones too). */
  recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  index('cc_agent_state_events_agent_idx').on(t.orgId, t.agentId, t.at),
  index('cc_agent_state_events_org_at_idx').on(t.orgId, t.at),
  index('cc_agent_state_events_recorded_idx').on(t.orgId, t.recordedAt),
]);

/** IVR menus (语音导航), versioned per organization: publishing writes a new version, old ones stay. */
export const ccIvrVersions = pgTable('cc_ivr_versions', {
  id: uuid('id').primaryKey(),
  orgId: uuid('org_id').notNull().references(() => organizations.id),
  version: integer('version').notNull(),
  tree: jsonb('tree').$type<Record<string, unknown>>().notNull(),
  note: text('note'),
  publishedBy: uuid('published_by'),
  publishedAt: timestamp('published_at', { withTimezone: true }).notNull(),
}, (t) => [uniqueIndex('cc_ivr_versions_org_version').on(t.orgId, t.version)]);

/** Per-organization contact center settings. */
export const ccSettings = pgTable('cc_settings', {
  orgId: uuid('org_id').primaryKey().references(() => organizations.id),
  /** First-contact resolution: no repeat call from the same caller within this many hours. */
  fcrWindowHours: integer('fcr_window_hours').notNull().default(24),
  version: integer('version').notNull().default(1),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Raw CTI events as the PBX sent them; the event id makes replays harmless. */
export const ccCtiEvents = pgTable('cc_cti_events', {
  orgId: uuid('org_id').notNull().references(() => organizations.id),
  eventId: text('event_id').notNull(),
  callId: text('call_id').notNull(),
  type: text('type').$type<CtiEventType>().notNull(),
  at: timestamp('at', { withTimezone: true }).notNull(),
  queue: text('queue'),
  agent: text('agent'),
  phone: text('phone'),
  acwSeconds: integer('acw_seconds'),
  receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  primaryKey({ columns: [t.orgId, t.eventId] }),
  index('cc_cti_events_call_idx').on(t.orgId, t.callId),
]);

/** One mark of a call's agent history (see ccCalls.agentMarks). */
export interface AgentMark { k: CtiEventType; at: string; ag: string | null; tm: string | null; w: number | null }

/**
 * 通话记录: one row per call, merged from its CTI events in any order (earliest offer, first answer,
 * last end; abandoned/transferred once seen). Wait and talk seconds are derived columns.
 */
export const ccCalls = pgTable('cc_calls', {
  id: uuid('id').primaryKey(),
  orgId: uuid('org_id').notNull().references(() => organizations.id),
  callId: text('call_id').notNull(),
  offeredAt: timestamp('offered_at', { withTimezone: true }),
  /** Queue the call was first offered to; `lastQueueId` is where it ended (after transfers). */
  queueId: uuid('queue_id'),
  queueAt: timestamp('queue_at', { withTimezone: true }),
  lastQueueId: uuid('last_queue_id'),
  lastQueueAt: timestamp('last_queue_at', { withTimezone: true }),
  answeredAt: timestamp('answered_at', { withTimezone: true }),
  agentId: uuid('agent_id'),
  teamId: uuid('team_id'),
  abandonedAt: timestamp('abandoned_at', { withTimezone: true }),
  endedAt: timestamp('ended_at', { withTimezone: true }),
  abandoned: boolean('abandoned').notNull().default(false),
  transferred: boolean('transferred').notNull().default(false),
  acwSeconds: integer('acw_seconds'),
  phone: text('phone'),
  customerId: uuid('customer_id'),
  priority: smallint('priority').notNull().default(0),
  /**
   * Agents the call was presented to (rang: an offered/queued/answered/abandoned event naming the agent), and
   * agents who answered it (the first answerer is `agentId`; a specialist answering after a transfer is here too).
   * Merged as sets by ingestion, so events may arrive in any order. Agent and team KPIs count from these.
   */
  presentedAgentIds: uuid('presented_agent_ids').array().notNull().default(sql`'{}'::uuid[]`),
  answeredAgentIds: uuid('answered_agent_ids').array().notNull().default(sql`'{}'::uuid[]`),
  /**
   * The call's agent marks, from which each answering agent's segment is derived (see kpi-sql.ts): one element per
   * answered or transferred event, and per event carrying after-call work, as `{k: type, at, ag: agent id, tm: the
   * answering agent's team then, w: ACW seconds}`. Ingestion appends the marks of newly stored events only, so the
   * array is a multiset that is the same whatever the order and batching of the events.
   */
  agentMarks: jsonb('agent_marks').$type<AgentMark[]>().notNull().default(sql`'[]'::jsonb`),
  waitSeconds: doublePrecision('wait_seconds').generatedAlwaysAs(
    sql`EXTRACT(EPOCH FROM (COALESCE(answered_at, abandoned_at, ended_at) - offered_at))`,
  ),
  talkSeconds: doublePrecision('talk_seconds').generatedAlwaysAs(sql`EXTRACT(EPOCH FROM (ended_at - answered_at))`),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  uniqueIndex('cc_calls_org_call').on(t.orgId, t.callId),
  index('cc_calls_org_offered_idx').on(t.orgId, t.offeredAt),
  index('cc_calls_customer_idx').on(t.orgId, t.customerId, t.offeredAt.desc(), t.id.desc()),
  index('cc_calls_phone_idx').on(t.orgId, t.phone, t.offeredAt),
  // Wallboard: calls waiting now.
  index('cc_calls_waiting_idx').on(t.orgId, t.lastQueueId, t.offeredAt).where(sql`answered_at IS NULL AND ended_at IS NULL AND abandoned = false`),
  index('cc_calls_updated_idx').on(t.orgId, t.updatedAt),
]);

/** Per 15-minute interval (UTC instant of its start) and queue: the additive parts of every queue KPI. */
export const ccQueueIntervals = pgTable('cc_queue_intervals', {
  orgId: uuid('org_id').notNull().references(() => organizations.id),
  intervalStart: timestamp('interval_start', { withTimezone: true }).notNull(),
  queueId: uuid('queue_id').notNull(),
  offered: integer('offered').notNull(),
  answered: integer('answered').notNull(),
  abandoned: integer('abandoned').notNull(),
  shortAbandoned: integer('short_abandoned').notNull(),
  answeredInTarget: integer('answered_in_target').notNull(),
  slDenominator: integer('sl_denominator').notNull(),
  waitSecondsAnswered: doublePrecision('wait_seconds_answered').notNull(),
  handled: integer('handled').notNull(),
  handleSeconds: doublePrecision('handle_seconds').notNull(),
  transferred: integer('transferred').notNull(),
  fcrEligible: integer('fcr_eligible').notNull(),
  fcrResolved: integer('fcr_resolved').notNull(),
}, (t) => [primaryKey({ columns: [t.orgId, t.intervalStart, t.queueId] })]);

/** Per 15-minute interval and agent: handled calls and seconds in each state (occupancy). */
export const ccAgentIntervals = pgTable('cc_agent_intervals', {
  orgId: uuid('org_id').notNull().references(() => organizations.id),
  intervalStart: timestamp('interval_start', { withTimezone: true }).notNull(),
  agentId: uuid('agent_id').notNull(),
  teamId: uuid('team_id'),
  /** Calls presented to the agent, answered by them, and abandoned unanswered after ringing them (see kpi-sql.ts). */
  offered: integer('offered').notNull().default(0),
  answered: integer('answered').notNull(),
  abandoned: integer('abandoned').notNull().default(0),
  shortAbandoned: integer('short_abandoned').notNull().default(0),
  /** The same counted once per call and team (summed over a team's agents: distinct calls offered to the team). */
  teamOffered: integer('team_offered').notNull().default(0),
  teamAnswered: integer('team_answered').notNull().default(0),
  teamAbandoned: integer('team_abandoned').notNull().default(0),
  teamShortAbandoned: integer('team_short_abandoned').notNull().default(0),
  /** Calls the agent handled (a closed talk segment) and transferred, counted once per call and team. */
  teamHandled: integer('team_handled').notNull().default(0),
  teamTransferred: integer('team_transferred').notNull().default(0),
  handled: integer('handled').notNull(),
  handleSeconds: doublePrecision('handle_seconds').notNull(),
  transferred: integer('transferred').notNull(),
  fcrEligible: integer('fcr_eligible').notNull(),
  fcrResolved: integer('fcr_resolved').notNull(),
  availableSeconds: doublePrecision('available_seconds').notNull(),
  onCallSeconds: doublePrecision('on_call_seconds').notNull(),
  acwSeconds: doublePrecision('acw_seconds').notNull(),
  breakSeconds: doublePrecision('break_seconds').notNull(),
}, (t) => [
  primaryKey({ columns: [t.orgId, t.intervalStart, t.agentId] }),
  index('cc_agent_intervals_agent_idx').on(t.orgId, t.agentId, t.intervalStart),
]);

/** Per 15-minute interval: all agents' seconds per state (occupancy beside the queue figures). */
export const ccOccupancyIntervals = pgTable('cc_occupancy_intervals', {
  orgId: uuid('org_id').notNull().references(() => organizations.id),
  intervalStart: timestamp('interval_start', { withTimezone: true }).notNull(),
  availableSeconds: doublePrecision('available_seconds').notNull(),
  onCallSeconds: doublePrecision('on_call_seconds').notNull(),
  acwSeconds: doublePrecision('acw_seconds').notNull(),
  breakSeconds: doublePrecision('break_seconds').notNull(),
}, (t) => [primaryKey({ columns: [t.orgId, t.intervalStart] })]);

/** Per local day (organization's time zone) and agent: the agent intervals summed, for month-long league tables. */
export const ccAgentDays = pgTable('cc_agent_days', {
  orgId: uuid('org_id').notNull().references(() => organizations.id),
  day: date('day').notNull(),
  agentId: uuid('agent_id').notNull(),
  teamId: uuid('team_id'),
  /** Calls presented to the agent, answered by them, and abandoned unanswered after ringing them (see kpi-sql.ts). */
  offered: integer('offered').notNull().default(0),
  answered: integer('answered').notNull(),
  abandoned: integer('abandoned').notNull().default(0),
  shortAbandoned: integer('short_abandoned').notNull().default(0),
  /** The same counted once per call and team (summed over a team's agents: distinct calls offered to the team). */
  teamOffered: integer('team_offered').notNull().default(0),
  teamAnswered: integer('team_answered').notNull().default(0),
  teamAbandoned: integer('team_abandoned').notNull().default(0),
  teamShortAbandoned: integer('team_short_abandoned').notNull().default(0),
  /** Calls the agent handled (a closed talk segment) and transferred, counted once per call and team. */
  teamHandled: integer('team_handled').notNull().default(0),
  teamTransferred: integer('team_transferred').notNull().default(0),
  handled: integer('handled').notNull(),
  handleSeconds: doublePrecision('handle_seconds').notNull(),
  transferred: integer('transferred').notNull(),
  fcrEligible: integer('fcr_eligible').notNull(),
  fcrResolved: integer('fcr_resolved').notNull(),
  availableSeconds: doublePrecision('available_seconds').notNull(),
  onCallSeconds: doublePrecision('on_call_seconds').notNull(),
  acwSeconds: doublePrecision('acw_seconds').notNull(),
  breakSeconds: doublePrecision('break_seconds').notNull(),
}, (t) => [primaryKey({ columns: [t.orgId, t.day, t.agentId] })]);

/** Where the KPI job got to per organization: calls updated and state events stored up to these times are aggregated. */
export const ccKpiWatermarks = pgTable('cc_kpi_watermarks', {
  orgId: uuid('org_id').primaryKey().references(() => organizations.id),
  callsUpdatedAt: timestamp('calls_updated_at', { withTimezone: true }).notNull(),
  statesRecordedAt: timestamp('states_recorded_at', { withTimezone: true }).notNull(),
  ranAt: timestamp('ran_at', { withTimezone: true }).notNull(),
});
