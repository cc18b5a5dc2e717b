// Analytics domain tables: per-customer value (RFM, CLV, P(alive)) materialized by set-based SQL,
// the model fits behind it, wallet estimates (share of wallet), segments with membership history,
// and the service tiers attached to segments (差异化服务).
import { sql } from 'drizzle-orm';
import { bigint, boolean, doublePrecision, index, integer, jsonb, pgTable, primaryKey, real, smallint, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { customers } from '../customers/tables.ts';
import { organizations } from '../platform/tables.ts';

export { rfmClasses, type RfmClass } from './rfm-classes.ts';
import type { RfmClass } from './rfm-classes.ts';

export type ValueModel = 'bgnbd' | 'pareto-nbd';

/** Per-organization analytics settings (RFM window, class centre, naming, thresholds). */
export const analyticsSettings = pgTable('analytics_settings', {
  orgId: uuid('org_id').primaryKey().references(() => organizations.id),
  settings: jsonb('settings').$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
  version: integer('version').notNull().default(1),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** One fit of a repeat-purchase model (and Gamma-Gamma for spend) on an organization's orders. */
export const valueModelFits = pgTable('value_model_fits', {
  id: uuid('id').primaryKey(),
  orgId: uuid('org_id').notNull().references(() => organizations.id),
  model: text('model').$type<ValueModel>().notNull(),
  params: jsonb('params').$type<Record<string, number>>().notNull(),
  logLikelihood: doublePrecision('log_likelihood').notNull(),
  converged: boolean('converged').notNull(),
  spendParams: jsonb('spend_params').$type<Record<string, number> | null>(),
  spendLogLikelihood: doublePrecision('spend_log_likelihood'),
  customers: integer('customers').notNull(),
  groups: integer('groups').notNull(),
  calibrationEnd: timestamp('calibration_end', { withTimezone: true }).notNull(),
  horizonWeeks: integer('horizon_weeks').notNull(),
  annualDiscountRate: real('annual_discount_rate').notNull(),
  fittedAt: timestamp('fitted_at', { withTimezone: true }).notNull(),
}, (t) => [index('value_model_fits_org_idx').on(t.orgId, t.fittedAt.desc())]);

/** 客户价值: one row per customer with orders, written by set-based INSERT … SELECT / UPDATE. */
export const customerValues = pgTable('customer_values', {
  orgId: uuid('org_id').notNull().references(() => organizations.id),
  customerId: uuid('customer_id').notNull().references(() => customers.id),
  recencyDays: integer('recency_days'),
  frequency: integer('frequency'),
  monetaryMinor: bigint('monetary_minor', { mode: 'number' }),
  rScore: smallint('r_score'),
  fScore: smallint('f_score'),
  mScore: smallint('m_score'),
  rfmClass: text('rfm_class').$type<RfmClass>(),
  rfmWindowDays: integer('rfm_window_days'),
  rfmComputedAt: timestamp('rfm_computed_at', { withTimezone: true }),
  /** The run that wrote the scores: rows of earlier runs not rescored are cleared. */
  rfmRun: uuid('rfm_run'),
  /** Orders in the RFM window in other currencies than the analytics currency (not scored); rows with only those have no class. */
  rfmExcludedOrders: integer('rfm_excluded_orders'),
  clvMinor: bigint('clv_minor', { mode: 'number' }),
  pAlive: doublePrecision('p_alive'),
  expectedPurchases: doublePrecision('expected_purchases'),
  modelFitId: uuid('model_fit_id'),
  clvComputedAt: timestamp('clv_computed_at', { withTimezone: true }),
  /** Orders up to the fit in other currencies than the analytics currency (left out of the fit and the CLV). */
  clvExcludedOrders: integer('clv_excluded_orders'),
}, (t) => [
  primaryKey({ columns: [t.orgId, t.customerId] }),
  index('customer_values_class_idx').on(t.orgId, t.rfmClass),
  // The customer list's value filters (CLV bucket, P(alive) band drill-downs).
  index('customer_values_clv_idx').on(t.orgId, t.clvMinor),
  index('customer_values_p_alive_idx').on(t.orgId, t.pAlive),
]);

/** 钱包份额: what the customer buys in a category in a year from everyone (recorded by the organization). */
export const walletEstimates = pgTable('wallet_estimates', {
  orgId: uuid('org_id').notNull().references(() => organizations.id),
  customerId: uuid('customer_id').notNull().references(() => customers.id),
  category: text('category').notNull(),
  year: integer('year').notNull(),
  totalMinor: bigint('total_minor', { mode: 'number' }).notNull(),
  version: integer('version').notNull().default(1),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [primaryKey({ columns: [t.orgId, t.customerId, t.category, t.year] })]);

/** 客户分群: a rule over value measures and customer fields (see model/segment-rule.ts). */
export const segments = pgTable('segments', {
  id: uuid('id').primaryKey(),
  orgId: uuid('org_id').notNull().references(() => organizations.id),
  name: text('name').notNull(),
  description: text('description'),
  rule: jsonb('rule').$type<Record<string, unknown>>().notNull(),
  /** Higher wins when a customer is in several segments with tiers. */
  priority: integer('priority').notNull().default(0),
  active: boolean('active').notNull().default(true),
  memberCount: integer('member_count').notNull().default(0),
  materializedAt: timestamp('materialized_at', { withTimezone: true }),
  version: integer('version').notNull().default(1),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [uniqueIndex('segments_org_name_key').on(t.orgId, t.name)]);

// Members and their history are written in bulk (2.5 million rows for ten segments at 1M customers) and
// always from their segment's own organization: their org_id carries no foreign key, whose per-row check
// took a quarter of a first materialization; a member's segment (cascading) is still checked.
export const segmentMembers = pgTable('segment_members', {
  orgId: uuid('org_id').notNull(), // no foreign key: see above
  segmentId: uuid('segment_id').notNull().references(() => segments.id, { onDelete: 'cascade' }),
  customerId: uuid('customer_id').notNull(),
  enteredAt: timestamp('entered_at', { withTimezone: true }).notNull(),
}, (t) => [
  primaryKey({ columns: [t.segmentId, t.customerId] }),
  index('segment_members_customer_idx').on(t.orgId, t.customerId),
]);

/** Membership history: a row each time a customer enters or leaves a segment. */
export const segmentMembershipEvents = pgTable('segment_membership_events', {
  orgId: uuid('org_id').notNull(), // no foreign key: see segmentMembers
  segmentId: uuid('segment_id').notNull(),
  customerId: uuid('customer_id').notNull(),
  kind: text('kind').$type<'entered' | 'left'>().notNull(),
  at: timestamp('at', { withTimezone: true }).notNull(),
}, (t) => [
  index('segment_membership_events_segment_idx').on(t.orgId, t.segmentId, t.at.desc()),
  index('segment_membership_events_customer_idx').on(t.orgId, t.customerId, t.at.desc()),
]);

/** 服务等级: how the customers of one segment are served. */
export const serviceTiers = pgTable('service_tiers', {
  id: uuid('id').primaryKey(),
  orgId: uuid('org_id').notNull().references(() => organizations.id),
  segmentId: uuid('segment_id').notNull().references(() => segments.id),
  name: text('name').notNull(),
  /** Matched against sla_policies.tier when no explicit SLA policy is given. */
  code: text('code').notNull(),
  slaPolicyId: uuid('sla_policy_id'),
  routingPriority: integer('routing_priority').notNull().default(0),
  managerUserId: uuid('manager_user_id'),
  teamId: uuid('team_id'),
  surveyCapDays: integer('survey_cap_days'),
  version: integer('version').notNull().default(1),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  uniqueIndex('service_tiers_segment_key').on(t.segmentId),
  uniqueIndex('service_tiers_org_code_key').on(t.orgId, t.code),
]);
