// Orders domain tables: products, orders and their lines, fulfilment stage events, returns and
// exchanges, per-organization stage targets and replenishment reminders (主动提醒补货).
import { sql } from 'drizzle-orm';
import { boolean, date, index, integer, bigint, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { customers } from '../customers/tables.ts';
import { organizations, users } from '../platform/tables.ts';

/** Fulfilment stages in their order (订单执行): received → … → customer feedback. */
export const orderStages = ['received', 'allocated', 'in_production', 'dispatched', 'delivered', 'settled', 'feedback'] as const;
export type OrderStage = (typeof orderStages)[number];
export type OrderStatus = 'open' | 'completed';
export type ReturnKind = 'return' | 'exchange';
export type ReturnStatus = 'requested' | 'completed' | 'rejected';
export type ReminderChannel = 'task' | 'sms' | 'email' | 'wechat';

/** 商品: what the organization sells; consumption cycle for consumables (replenishment reminders). */
export const products = pgTable('products', {
  id: uuid('id').primaryKey(),
  orgId: uuid('org_id').notNull().references(() => organizations.id),
  sku: text('sku').notNull(),
  name: text('name').notNull(),
  category: text('category'),
  currency: text('currency').notNull().default('CNY'),
  priceMinor: bigint('price_minor', { mode: 'number' }).notNull(),
  costMinor: bigint('cost_minor', { mode: 'number' }),
  /** Days a unit typically lasts (耗材周期); null for durable goods. */
  consumptionCycleDays: integer('consumption_cycle_days'),
  active: boolean('active').notNull().default(true),
  version: integer('version').notNull().default(1),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  uniqueIndex('products_org_sku_key').on(t.orgId, t.sku),
  index('products_org_name_idx').on(t.orgId, t.name, t.id),
]);

/** 订单: one purchase by a customer; `stage`/`stage_at` mirror the latest stage event for the board. */
export const orders = pgTable('orders', {
  id: uuid('id').primaryKey(),
  orgId: uuid('org_id').notNull().references(() => organizations.id),
  /** The organization's own order number (from the shop or ERP); unique per organization when given. */
  orderNo: text('order_no'),
  customerId: uuid('customer_id').notNull().references(() => customers.id),
  ownerId: uuid('owner_id').references(() => users.id),
  channel: text('channel').notNull(),
  currency: text('currency').notNull().default('CNY'),
  totalMinor: bigint('total_minor', { mode: 'number' }).notNull(),
  status: text('status').$type<OrderStatus>().notNull().default('open'),
  stage: text('stage').$type<OrderStage>().notNull().default('received'),
  stageAt: timestamp('stage_at', { withTimezone: true }).notNull(),
  orderedAt: timestamp('ordered_at', { withTimezone: true }).notNull(),
  note: text('note'),
  version: integer('version').notNull().default(1),
  createdBy: uuid('created_by'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  uniqueIndex('orders_org_no_key').on(t.orgId, t.orderNo).where(sql`${t.orderNo} IS NOT NULL`),
  // Time-range scans per customer (purchase history, summaries, timeline, replenishment). The amount and
  // currency ride along at the end so the value analyses (Pareto, RFM) aggregate per customer from an
  // index-only scan in customer order, without hashing a million groups (measured at 10M orders: 12.4 s → 6.1 s).
  index('orders_customer_idx').on(t.orgId, t.customerId, t.orderedAt.desc(), t.id.desc(), t.totalMinor, t.currency),
  index('orders_org_ordered_idx').on(t.orgId, t.orderedAt.desc(), t.id.desc()),
  index('orders_org_owner_idx').on(t.orgId, t.ownerId, t.orderedAt.desc(), t.id.desc()),
  // The stage board: open orders by stage, oldest in stage first.
  index('orders_board_idx').on(t.orgId, t.stage, t.stageAt).where(sql`${t.status} = 'open'`),
]);

export const orderLines = pgTable('order_lines', {
  id: uuid('id').primaryKey(),
  orgId: uuid('org_id').notNull().references(() => organizations.id),
  orderId: uuid('order_id').notNull().references(() => orders.id),
  lineNo: integer('line_no').notNull(),
  productId: uuid('product_id').notNull().references(() => products.id),
  // Snapshot of the product at the time of the order.
  sku: text('sku').notNull(),
  name: text('name').notNull(),
  category: text('category'),
  quantity: integer('quantity').notNull(),
  unitPriceMinor: bigint('unit_price_minor', { mode: 'number' }).notNull(),
  amountMinor: bigint('amount_minor', { mode: 'number' }).notNull(),
}, (t) => [
  uniqueIndex('order_lines_order_key').on(t.orderId, t.lineNo),
  index('order_lines_org_product_idx').on(t.orgId, t.productId),
]);

/** One fulfilment step (履约节点): who moved the order to which stage, and when. */
export const orderStageEvents = pgTable('order_stage_events', {
  id: uuid('id').primaryKey(),
  orgId: uuid('org_id').notNull().references(() => organizations.id),
  orderId: uuid('order_id').notNull().references(() => orders.id),
  customerId: uuid('customer_id').notNull(),
  stage: text('stage').$type<OrderStage>().notNull(),
  fromStage: text('from_stage').$type<OrderStage>(),
  at: timestamp('at', { withTimezone: true }).notNull(),
  actorId: uuid('actor_id'),
  note: text('note'),
  /** An explicit correction moving the order back to an earlier stage. */
  correction: boolean('correction').notNull().default(false),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  index('order_stage_events_order_idx').on(t.orgId, t.orderId, t.at, t.id),
  index('order_stage_events_customer_idx').on(t.orgId, t.customerId, t.at.desc(), t.id.desc()),
]);

/** 退换货: a return or an exchange of part of an order line, with its reason and outcome. */
export const orderReturns = pgTable('order_returns', {
  id: uuid('id').primaryKey(),
  orgId: uuid('org_id').notNull().references(() => organizations.id),
  orderId: uuid('order_id').notNull().references(() => orders.id),
  orderLineId: uuid('order_line_id').notNull().references(() => orderLines.id),
  customerId: uuid('customer_id').notNull(),
  kind: text('kind').$type<ReturnKind>().notNull(),
  quantity: integer('quantity').notNull(),
  /** Refunded to the customer (0 for a like-for-like exchange). */
  amountMinor: bigint('amount_minor', { mode: 'number' }).notNull(),
  reason: text('reason').notNull(),
  /** What the person who recorded the request wants the settler to know (pickup, packaging, …). */
  note: text('note'),
  outcome: text('outcome'),
  status: text('status').$type<ReturnStatus>().notNull().default('completed'),
  actorId: uuid('actor_id'),
  at: timestamp('at', { withTimezone: true }).notNull(),
  version: integer('version').notNull().default(1),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  index('order_returns_line_idx').on(t.orgId, t.orderLineId),
  index('order_returns_order_idx').on(t.orgId, t.orderId),
  index('order_returns_customer_idx').on(t.orgId, t.customerId, t.at.desc(), t.id.desc()),
]);

/** Target time in each stage per organization; stages without a row use the defaults in stage-targets.ts. */
export const orderStageTargets = pgTable('order_stage_targets', {
  orgId: uuid('org_id').notNull().references(() => organizations.id),
  stage: text('stage').$type<OrderStage>().notNull(),
  targetMinutes: integer('target_minutes').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [primaryKey({ columns: [t.orgId, t.stage] })]);

/** 补货提醒: one per customer, product and due date, created by the daily replenishment job. */
export const replenishmentReminders = pgTable('replenishment_reminders', {
  id: uuid('id').primaryKey(),
  orgId: uuid('org_id').notNull().references(() => organizations.id),
  customerId: uuid('customer_id').notNull().references(() => customers.id),
  productId: uuid('product_id').notNull().references(() => products.id),
  dueDate: date('due_date', { mode: 'string' }).notNull(),
  lastPurchaseAt: timestamp('last_purchase_at', { withTimezone: true }).notNull(),
  /** 'median': the customer's own median interval; 'cycle': the product's consumption cycle. */
  basis: text('basis').$type<'median' | 'cycle'>().notNull(),
  intervalDays: integer('interval_days').notNull(),
  assigneeId: uuid('assignee_id'),
  channel: text('channel').$type<ReminderChannel>().notNull(),
  status: text('status').$type<'open' | 'done'>().notNull().default('open'),
  /** Messages only: pending until the delivery step hands it to the messaging outbox. */
  deliveryStatus: text('delivery_status').$type<'none' | 'pending' | 'queued'>().notNull(),
  deliveryRef: text('delivery_ref'),
  data: jsonb('data').$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  doneAt: timestamp('done_at', { withTimezone: true }),
  doneBy: uuid('done_by'),
  version: integer('version').notNull().default(1),
}, (t) => [
  uniqueIndex('replenishment_reminders_key').on(t.orgId, t.customerId, t.productId, t.dueDate),
  index('replenishment_reminders_assignee_idx').on(t.orgId, t.assigneeId, t.status, t.dueDate, t.id),
  index('replenishment_reminders_delivery_idx').on(t.orgId, t.id).where(sql`${t.deliveryStatus} = 'pending'`),
]);
