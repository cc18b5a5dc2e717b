// Service marketing (服务营销) tables: latent needs staff record on service orders, the opportunities
// they become (with their event history), per-organization commission rules, the commission ledger,
// and per-organization settings (owner team, follow-up days per grade).
import { sql } from 'drizzle-orm';
import { bigint, boolean, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { customers } from '../customers/tables.ts';
import { organizations, teams, users } from '../platform/tables.ts';

export const needGrades = ['A', 'B', 'C'] as const;
/** A = urgent / high value, C = someday. */
export type NeedGrade = (typeof needGrades)[number];
export const opportunityStages = ['new', 'contacted', 'proposal', 'won', 'lost'] as const;
export type OpportunityStage = (typeof opportunityStages)[number];
export const commissionKinds = ['percent', 'fixed'] as const;
export type CommissionKind = (typeof commissionKinds)[number];
export type LedgerKind = 'earned' | 'reversed';

/** 潜在需求: what a staff member learned on a service visit or call that the customer may buy. */
export const latentNeeds = pgTable('latent_needs', {
  id: uuid('id').primaryKey(),
  orgId: uuid('org_id').notNull().references(() => organizations.id),
  customerId: uuid('customer_id').notNull().references(() => customers.id),
  // Service orders belong to another domain: referenced by id only.
  serviceOrderId: uuid('service_order_id'),
  foundBy: uuid('found_by').references(() => users.id),
  /** What the customer has now (e.g. the current configuration). */
  currentSituation: text('current_situation').notNull().default(''),
  need: text('need').notNull(),
  grade: text('grade').$type<NeedGrade>().notNull(),
  productCategory: text('product_category'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
}, (t) => [
  index('latent_needs_customer_idx').on(t.orgId, t.customerId, t.createdAt.desc(), t.id.desc()),
  index('latent_needs_found_by_idx').on(t.orgId, t.foundBy, t.createdAt),
  index('latent_needs_org_created_idx').on(t.orgId, t.createdAt),
]);

/** 销售机会: one per latent need, followed by a sales owner through the pipeline. */
export const opportunities = pgTable('opportunities', {
  id: uuid('id').primaryKey(),
  orgId: uuid('org_id').notNull().references(() => organizations.id),
  customerId: uuid('customer_id').notNull().references(() => customers.id),
  needId: uuid('need_id').notNull().references(() => latentNeeds.id),
  ownerUserId: uuid('owner_user_id').references(() => users.id),
  ownerTeamId: uuid('owner_team_id').references(() => teams.id),
  stage: text('stage').$type<OpportunityStage>().notNull().default('new'),
  expectedValueMinor: bigint('expected_value_minor', { mode: 'number' }),
  currency: text('currency').notNull().default('CNY'),
  nextStep: text('next_step'),
  followUpDueAt: timestamp('follow_up_due_at', { withTimezone: true }).notNull(),
  // Orders belong to another domain: referenced by id only.
  wonOrderId: uuid('won_order_id'),
  lostReason: text('lost_reason'),
  closedAt: timestamp('closed_at', { withTimezone: true }),
  version: integer('version').notNull().default(1),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
}, (t) => [
  uniqueIndex('opportunities_need_key').on(t.needId),
  // One order pays one opportunity: two needs cannot both claim the same sale.
  uniqueIndex('opportunities_won_order_key').on(t.orgId, t.wonOrderId).where(sql`${t.wonOrderId} IS NOT NULL`),
  // Work lists: by owner or team, soonest follow-up first (keyset on due, id).
  index('opportunities_owner_due_idx').on(t.orgId, t.ownerUserId, t.followUpDueAt, t.id),
  index('opportunities_team_due_idx').on(t.orgId, t.ownerTeamId, t.followUpDueAt, t.id),
  index('opportunities_org_due_idx').on(t.orgId, t.followUpDueAt, t.id),
  index('opportunities_customer_idx').on(t.orgId, t.customerId),
]);

/** Every change of an opportunity (created, stage, owner, value, next step…), for history and timeline. */
export const opportunityEvents = pgTable('opportunity_events', {
  id: uuid('id').primaryKey(),
  orgId: uuid('org_id').notNull().references(() => organizations.id),
  opportunityId: uuid('opportunity_id').notNull().references(() => opportunities.id),
  customerId: uuid('customer_id').notNull(),
  kind: text('kind').notNull(), // created | stage | update
  fromStage: text('from_stage').$type<OpportunityStage>(),
  toStage: text('to_stage').$type<OpportunityStage>(),
  actorId: uuid('actor_id'),
  data: jsonb('data').$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
  at: timestamp('at', { withTimezone: true }).notNull(),
}, (t) => [
  index('opportunity_events_opp_idx').on(t.orgId, t.opportunityId, t.at, t.id),
  // The customer timeline shows stage changes only.
  index('opportunity_events_customer_idx').on(t.orgId, t.customerId, t.at.desc(), t.id.desc()).where(sql`${t.kind} = 'stage'`),
]);

/** 提成规则: per product category (null = any category), a percentage or a fixed amount. */
export const commissionRules = pgTable('commission_rules', {
  id: uuid('id').primaryKey(),
  orgId: uuid('org_id').notNull().references(() => organizations.id),
  name: text('name').notNull(),
  productCategory: text('product_category'),
  kind: text('kind').$type<CommissionKind>().notNull(),
  /** percent: basis points of the line amount (150 = 1.5 %). */
  basisPoints: integer('basis_points'),
  /** fixed: amount per won order, in `currency`. */
  fixedMinor: bigint('fixed_minor', { mode: 'number' }),
  currency: text('currency'),
  priority: integer('priority').notNull().default(0),
  active: boolean('active').notNull().default(true),
  version: integer('version').notNull().default(1),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
}, (t) => [index('commission_rules_org_idx').on(t.orgId, t.active)]);

/**
 * 提成台账: what a staff member earned (positive) or lost again through a return (negative), by
 * month in the organization's time zone. Unique keys make paying twice impossible: an opportunity
 * earns once per order line, a return reverses once.
 */
export const commissionLedger = pgTable('commission_ledger', {
  id: uuid('id').primaryKey(),
  orgId: uuid('org_id').notNull().references(() => organizations.id),
  staffId: uuid('staff_id').notNull().references(() => users.id),
  opportunityId: uuid('opportunity_id').notNull().references(() => opportunities.id),
  orderId: uuid('order_id').notNull(),
  orderLineId: uuid('order_line_id'),
  returnId: uuid('return_id'),
  ruleId: uuid('rule_id'),
  kind: text('kind').$type<LedgerKind>().notNull(),
  /** 'YYYY-MM' in the organization's time zone. */
  month: text('month').notNull(),
  /** The amount the commission was computed on: the line's net amount (earned) or the refund (reversed). */
  baseMinor: bigint('base_minor', { mode: 'number' }).notNull(),
  amountMinor: bigint('amount_minor', { mode: 'number' }).notNull(),
  currency: text('currency').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
}, (t) => [
  uniqueIndex('commission_ledger_earned_key').on(t.opportunityId, t.orderLineId).where(sql`${t.kind} = 'earned'`),
  uniqueIndex('commission_ledger_reversed_key').on(t.opportunityId, t.orderLineId, t.returnId).where(sql`${t.kind} = 'reversed'`),
  index('commission_ledger_staff_month_idx').on(t.orgId, t.staffId, t.month, t.id),
  index('commission_ledger_org_month_idx').on(t.orgId, t.month),
  index('commission_ledger_line_idx').on(t.orgId, t.orderLineId),
]);

/** Per-organization settings of the pipeline; organizations without a row use the defaults. */
export const opportunitySettings = pgTable('opportunity_settings', {
  orgId: uuid('org_id').primaryKey().references(() => organizations.id),
  /** Owner team when the customer has no manager (else the finder's team). */
  defaultTeamId: uuid('default_team_id').references(() => teams.id),
  /** Days until the first follow-up is due, per grade. */
  followUpDays: jsonb('follow_up_days').$type<Record<NeedGrade, number>>().notNull(),
  version: integer('version').notNull().default(1),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
});
