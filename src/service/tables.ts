// Service desk tables: service orders (售后服务单) with their events, types, SLA policies, escalation
// rules and the escalations that fired, callbacks (回访), idempotency keys of creates, and per-org settings.
import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { organizations } from '../platform/tables.ts';

export const builtinServiceTypes = ['repair', 'maintenance', 'installation', 'inquiry', 'complaint'] as const;
export const serviceStatuses = ['new', 'assigned', 'in_progress', 'waiting_on_customer', 'resolved', 'closed'] as const;
export type ServiceStatus = (typeof serviceStatuses)[number];
/** Statuses in which the SLA clock can run and the work views list the order. */
export const openStatuses = ['new', 'assigned', 'in_progress', 'waiting_on_customer'] as const satisfies readonly ServiceStatus[];
export const priorities = ['low', 'normal', 'high', 'urgent'] as const;
export type Priority = (typeof priorities)[number];
export const slaStates = ['ok', 'at_risk', 'breached'] as const;
export type SlaState = (typeof slaStates)[number];
export const serviceChannels = ['phone', 'sms', 'email', 'visit', 'counter', 'wechat', 'web', 'app'] as const;
export const complaintSeverities = ['low', 'medium', 'high', 'critical'] as const;
export type ComplaintSeverity = (typeof complaintSeverities)[number];
export const rootCauses = ['product_quality', 'delivery', 'installation', 'service_attitude', 'billing', 'policy', 'other'] as const;
export const callbackOutcomes = ['satisfied', 'not_satisfied', 'unreachable', 'reopen'] as const;
export type CallbackOutcome = (typeof callbackOutcomes)[number];
export const escalationActions = ['notify', 'raise_priority', 'reassign_team'] as const;
export type EscalationAction = (typeof escalationActions)[number];

/** SQL text of the open statuses for partial indexes (must match the predicates queries use). */
const OPEN_SQL = sql.raw(`status IN ('new','assigned','in_progress','waiting_on_customer')`);

/** 售后服务单: one model for repair, maintenance, installation, inquiry, complaint and custom types. */
export const serviceOrders = pgTable('service_orders', {
  id: uuid('id').primaryKey(),
  orgId: uuid('org_id').notNull().references(() => organizations.id),
  number: text('number').notNull(), // SO-2026-000123, per organization
  type: text('type').notNull(),
  customerId: uuid('customer_id').notNull(),
  // Orders belong to another domain: referenced by id only.
  orderId: uuid('order_id'),
  orderLineId: uuid('order_line_id'),
  productId: uuid('product_id'),
  channel: text('channel').notNull(),
  category: text('category'),
  priority: text('priority').$type<Priority>().notNull(),
  title: text('title').notNull(),
  description: text('description').notNull().default(''),
  assigneeUserId: uuid('assignee_user_id'),
  assigneeTeamId: uuid('assignee_team_id'),
  queue: text('queue'),
  status: text('status').$type<ServiceStatus>().notNull(),
  slaPolicyId: uuid('sla_policy_id'),
  firstResponseDueAt: timestamp('first_response_due_at', { withTimezone: true }),
  firstResponseAtRiskAt: timestamp('first_response_at_risk_at', { withTimezone: true }),
  resolutionDueAt: timestamp('resolution_due_at', { withTimezone: true }),
  resolutionAtRiskAt: timestamp('resolution_at_risk_at', { withTimezone: true }),
  firstRespondedAt: timestamp('first_responded_at', { withTimezone: true }),
  resolvedAt: timestamp('resolved_at', { withTimezone: true }),
  closedAt: timestamp('closed_at', { withTimezone: true }),
  firstResponseSlaState: text('first_response_sla_state').$type<SlaState>().notNull().default('ok'),
  resolutionSlaState: text('resolution_sla_state').$type<SlaState>().notNull().default('ok'),
  /** The worse of the two targets' states: what the at-risk and breached views filter on. */
  slaState: text('sla_state').$type<SlaState>().notNull().default('ok'),
  /** The earliest due time not met yet (null while paused or without SLA): the work views sort by it. */
  nextDueAt: timestamp('next_due_at', { withTimezone: true }),
  pausedSince: timestamp('paused_since', { withTimezone: true }),
  pausedMinutes: integer('paused_minutes').notNull().default(0),
  /** Every pause of the SLA clock (waiting on customer, resolved until reopened), ISO strings. */
  pauses: jsonb('pauses').$type<{ from: string; to: string | null }[]>().notNull().default(sql`'[]'::jsonb`),
  resolution: text('resolution'),
  firstContactResolved: boolean('first_contact_resolved').notNull().default(false),
  customerConfirmed: boolean('customer_confirmed'),
  satisfaction: integer('satisfaction'),
  // 投诉 (complaint) fields.
  severity: text('severity').$type<ComplaintSeverity>(),
  rootCause: text('root_cause'),
  compensationMinor: integer('compensation_minor'),
  compensationCurrency: text('compensation_currency'),
  version: integer('version').notNull().default(1),
  createdBy: uuid('created_by'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  uniqueIndex('service_orders_org_number_key').on(t.orgId, t.number),
  index('service_orders_org_created_idx').on(t.orgId, t.createdAt.desc(), t.id.desc()),
  index('service_orders_customer_idx').on(t.orgId, t.customerId, t.createdAt.desc(), t.id.desc()),
  // Work views, sorted by the next due time (NULLS LAST), on open orders only.
  index('service_orders_mine_idx').on(t.orgId, t.assigneeUserId, t.nextDueAt, t.id).where(OPEN_SQL),
  index('service_orders_team_idx').on(t.orgId, t.assigneeTeamId, t.nextDueAt, t.id).where(OPEN_SQL),
  index('service_orders_unassigned_idx').on(t.orgId, t.nextDueAt, t.id).where(sql`${OPEN_SQL} AND assignee_user_id IS NULL`),
  // Also the escalation step of the SLA scan (open orders not ok).
  index('service_orders_sla_view_idx').on(t.orgId, t.slaState, t.nextDueAt, t.id).where(sql`${OPEN_SQL} AND sla_state <> 'ok'`),
  // The SLA scan: rows that may cross a threshold, per target and state (all orgs at once).
  index('service_orders_scan_fr_ok_idx').on(t.firstResponseAtRiskAt).where(sql`${OPEN_SQL} AND first_responded_at IS NULL AND first_response_sla_state = 'ok'`),
  index('service_orders_scan_fr_risk_idx').on(t.firstResponseDueAt).where(sql`${OPEN_SQL} AND first_responded_at IS NULL AND first_response_sla_state = 'at_risk'`),
  index('service_orders_scan_res_ok_idx').on(t.resolutionAtRiskAt).where(sql`${OPEN_SQL} AND resolution_sla_state = 'ok'`),
  index('service_orders_scan_res_risk_idx').on(t.resolutionDueAt).where(sql`${OPEN_SQL} AND resolution_sla_state = 'at_risk'`),
  index('service_orders_complaints_idx').on(t.orgId, t.createdAt).where(sql`type = 'complaint'`),
]);

/** Per organization and year: the last service order number handed out. */
export const serviceOrderCounters = pgTable('service_order_counters', {
  orgId: uuid('org_id').notNull().references(() => organizations.id),
  year: integer('year').notNull(),
  last: integer('last').notNull(),
}, (t) => [primaryKey({ columns: [t.orgId, t.year] })]);

/** Everything that happened to a service order; also a source of the customer's timeline. */
export const serviceOrderEvents = pgTable('service_order_events', {
  id: uuid('id').primaryKey(),
  orgId: uuid('org_id').notNull().references(() => organizations.id),
  serviceOrderId: uuid('service_order_id').notNull(),
  customerId: uuid('customer_id').notNull(),
  // created | assigned | transition | reopened | updated | sla_at_risk | sla_breached | escalated | comment | callback
  kind: text('kind').notNull(),
  actorId: uuid('actor_id'),
  data: jsonb('data').$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
  at: timestamp('at', { withTimezone: true }).notNull(),
}, (t) => [
  index('service_order_events_order_idx').on(t.orgId, t.serviceOrderId, t.at, t.id),
  index('service_order_events_customer_idx').on(t.orgId, t.customerId, t.at.desc(), t.id.desc()),
]);

/** Custom service types of an organization, and overrides of the built-in ones (labels, callback delay). */
export const serviceTypes = pgTable('service_types', {
  id: uuid('id').primaryKey(),
  orgId: uuid('org_id').notNull().references(() => organizations.id),
  key: text('key').notNull(),
  labelZh: text('label_zh').notNull(),
  labelEn: text('label_en').notNull(),
  /** Minutes after resolution a callback is due; null: no callback (complaints always get one). */
  callbackDelayMinutes: integer('callback_delay_minutes'),
  active: boolean('active').notNull().default(true),
  version: integer('version').notNull().default(1),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [uniqueIndex('service_types_org_key').on(t.orgId, t.key)]);

/** SLA policy: targets for first response and resolution, chosen by rule (see model/sla-policy.ts). */
export const slaPolicies = pgTable('sla_policies', {
  id: uuid('id').primaryKey(),
  orgId: uuid('org_id').notNull().references(() => organizations.id),
  name: text('name').notNull(),
  types: text('types').array().notNull().default(sql`'{}'::text[]`),
  priorities: text('priorities').array().notNull().default(sql`'{}'::text[]`),
  /** Customer tags (any of them) until service tiers exist. */
  tags: text('tags').array().notNull().default(sql`'{}'::text[]`),
  tier: text('tier'),
  rank: integer('rank').notNull().default(100),
  firstResponseMinutes: integer('first_response_minutes').notNull(),
  resolutionMinutes: integer('resolution_minutes').notNull(),
  calendar: text('calendar').$type<'business' | '24x7'>().notNull().default('business'),
  calendarId: uuid('calendar_id'),
  atRiskPercent: integer('at_risk_percent').notNull().default(80),
  active: boolean('active').notNull().default(true),
  version: integer('version').notNull().default(1),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [uniqueIndex('sla_policies_org_name_key').on(t.orgId, t.name)]);

/** What happens when an order's SLA target becomes at risk or breached. */
export const escalationRules = pgTable('escalation_rules', {
  id: uuid('id').primaryKey(),
  orgId: uuid('org_id').notNull().references(() => organizations.id),
  name: text('name').notNull(),
  onState: text('on_state').$type<'at_risk' | 'breached'>().notNull(),
  target: text('target').$type<'first_response' | 'resolution'>().notNull(),
  policyId: uuid('policy_id'),
  types: text('types').array().notNull().default(sql`'{}'::text[]`),
  priorities: text('priorities').array().notNull().default(sql`'{}'::text[]`),
  action: text('action').$type<EscalationAction>().notNull(),
  targetUserId: uuid('target_user_id'),
  targetTeamId: uuid('target_team_id'),
  level: integer('level').notNull().default(1),
  active: boolean('active').notNull().default(true),
  version: integer('version').notNull().default(1),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [index('escalation_rules_org_idx').on(t.orgId)]);

/**
 * Escalations that fired: at most one per (order, rule, level), also across scan runs and restarts.
 * `rule_id` is the rule's id, or a fixed id for built-in escalations (see model/escalation.ts).
 */
export const serviceOrderEscalations = pgTable('service_order_escalations', {
  id: uuid('id').primaryKey(),
  orgId: uuid('org_id').notNull().references(() => organizations.id),
  serviceOrderId: uuid('service_order_id').notNull(),
  ruleId: uuid('rule_id').notNull(),
  level: integer('level').notNull(),
  reason: text('reason').notNull(), // at_risk | breached | complaint_severity
  target: text('target'), // first_response | resolution
  action: text('action').$type<EscalationAction>().notNull(),
  targetUserId: uuid('target_user_id'),
  targetTeamId: uuid('target_team_id'),
  /** raise_priority / reassign_team applied to the order; notify: sent by messaging (null until then). */
  appliedAt: timestamp('applied_at', { withTimezone: true }),
  notifiedAt: timestamp('notified_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
}, (t) => [
  uniqueIndex('service_order_escalations_once_key').on(t.serviceOrderId, t.ruleId, t.level),
  index('service_order_escalations_pending_notify_idx').on(t.createdAt).where(sql`action = 'notify' AND notified_at IS NULL`),
]);

/** 回访: a call back to the customer after resolution, with its outcome. */
export const callbacks = pgTable('callbacks', {
  id: uuid('id').primaryKey(),
  orgId: uuid('org_id').notNull().references(() => organizations.id),
  serviceOrderId: uuid('service_order_id').notNull(),
  customerId: uuid('customer_id').notNull(),
  dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
  assigneeUserId: uuid('assignee_user_id'),
  status: text('status').$type<'pending' | 'done' | 'cancelled'>().notNull().default('pending'),
  outcome: text('outcome').$type<CallbackOutcome>(),
  note: text('note'),
  attempts: integer('attempts').notNull().default(0),
  version: integer('version').notNull().default(1),
  completedAt: timestamp('completed_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
}, (t) => [
  uniqueIndex('callbacks_one_pending_key').on(t.serviceOrderId).where(sql`status = 'pending'`),
  index('callbacks_pending_due_idx').on(t.orgId, t.dueAt, t.id).where(sql`status = 'pending'`),
  index('callbacks_mine_idx').on(t.orgId, t.assigneeUserId, t.dueAt, t.id).where(sql`status = 'pending'`),
]);

/** Idempotency-Key of creates: the same key and body answer the stored response, without a second row. */
export const idempotencyKeys = pgTable('idempotency_keys', {
  orgId: uuid('org_id').notNull().references(() => organizations.id),
  key: text('key').notNull(),
  requestHash: text('request_hash').notNull(),
  response: jsonb('response').$type<Record<string, unknown>>(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
}, (t) => [primaryKey({ columns: [t.orgId, t.key] }), index('idempotency_keys_created_idx').on(t.createdAt)]);

/** Per-organization service desk settings. */
export const serviceSettings = pgTable('service_settings', {
  orgId: uuid('org_id').primaryKey().references(() => organizations.id),
  /** 投诉专员组: high-severity complaints are escalated to this team. */
  complaintTeamId: uuid('complaint_team_id'),
  callbackMaxAttempts: integer('callback_max_attempts').notNull().default(3),
  callbackRetryMinutes: integer('callback_retry_minutes').notNull().default(120),
  /** A pending callback this long past due counts as overdue. */
  callbackGraceMinutes: integer('callback_grace_minutes').notNull().default(1440),
  version: integer('version').notNull().default(1),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
