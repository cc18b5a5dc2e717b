// The orders contract: zod schemas shared by use cases, routes (and so the OpenAPI document) and the web UI.
// Money is always integer minor units (分) with an ISO 4217 currency code.
import { z } from 'zod';
import { orderStages } from './tables.ts';

export const currencySchema = z.string().trim().toUpperCase().regex(/^[A-Z]{3}$/, { message: 'invalid_currency' });
const minor = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const uuid = z.string().uuid();
const datetime = z.string().datetime({ offset: true });
const boolQuery = z.union([z.boolean(), z.enum(['true', 'false'])]).transform((s) => s === true || s === 'true');

export const createProductInput = z.object({
  sku: z.string().trim().min(1).max(64),
  name: z.string().trim().min(1).max(200),
  category: z.string().trim().min(1).max(100).optional(),
  currency: currencySchema.default('CNY'),
  priceMinor: minor,
  costMinor: minor.optional(),
  /** Days one unit lasts (consumables), for replenishment reminders. */
  consumptionCycleDays: z.number().int().min(1).max(3650).optional(),
});
export type CreateProductInput = z.input<typeof createProductInput>;

export const productOutput = z.object({
  id: z.string(),
  sku: z.string(),
  name: z.string(),
  category: z.string().nullable(),
  currency: z.string(),
  priceMinor: z.number(),
  costMinor: z.number().nullable(),
  consumptionCycleDays: z.number().nullable(),
  active: z.boolean(),
  version: z.number(),
});
export type ProductOutput = z.infer<typeof productOutput>;

export const listProductsQuery = z.object({
  q: z.string().trim().max(100).optional(),
  category: z.string().trim().max(100).optional(),
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export const productPage = z.object({ items: z.array(productOutput), nextCursor: z.string().nullable() });

export const orderLineInput = z
  .object({
    productId: uuid.optional(),
    sku: z.string().trim().min(1).max(64).optional(),
    quantity: z.number().int().min(1).max(1_000_000),
    /** Defaults to the product's price. */
    unitPriceMinor: minor.optional(),
    /** Defaults to unit price × quantity (e.g. give it for a discounted line). */
    amountMinor: minor.optional(),
  })
  .refine((l) => Boolean(l.productId) !== Boolean(l.sku), { message: 'product_or_sku', path: ['productId'] });

export const createOrderInput = z.object({
  customerId: uuid,
  orderNo: z.string().trim().min(1).max(64).optional(),
  /** Defaults to the customer's owner. */
  ownerId: uuid.nullable().optional(),
  channel: z.string().trim().min(1).max(32).default('store'),
  /** Defaults to the products' currency. */
  currency: currencySchema.optional(),
  orderedAt: datetime.optional(),
  note: z.string().trim().max(2000).optional(),
  lines: z.array(orderLineInput).min(1).max(500),
});
export type CreateOrderInput = z.input<typeof createOrderInput>;

export const orderLineOutput = z.object({
  id: z.string(),
  lineNo: z.number(),
  productId: z.string(),
  sku: z.string(),
  name: z.string(),
  category: z.string().nullable(),
  quantity: z.number(),
  unitPriceMinor: z.number(),
  amountMinor: z.number(),
  /** Returned or exchanged so far, requests waiting to be settled included (rejected ones not). */
  returnedQuantity: z.number(),
  returnedMinor: z.number(),
  /** What a new return or exchange of this line may still take: quantity less returnedQuantity. */
  returnableQuantity: z.number(),
  /** What is left to refund on this line: amount less returnedMinor. */
  refundableMinor: z.number(),
});
export type OrderLineOutput = z.infer<typeof orderLineOutput>;

export const stageEventOutput = z.object({
  id: z.string(),
  stage: z.enum(orderStages),
  fromStage: z.enum(orderStages).nullable(),
  at: z.string(),
  actorId: z.string().nullable(),
  actorName: z.string().nullable(),
  note: z.string().nullable(),
  correction: z.boolean(),
});

export const returnOutput = z.object({
  id: z.string(),
  orderId: z.string(),
  orderLineId: z.string(),
  kind: z.enum(['return', 'exchange']),
  quantity: z.number(),
  amountMinor: z.number(),
  reason: z.string(),
  note: z.string().nullable(),
  outcome: z.string().nullable(),
  status: z.enum(['requested', 'completed', 'rejected']),
  actorId: z.string().nullable(),
  at: z.string(),
  /** Send it back when settling a requested return (409 when it moved). */
  version: z.number(),
});
export type ReturnOutput = z.infer<typeof returnOutput>;

const orderBase = {
  id: z.string(),
  orderNo: z.string().nullable(),
  customerId: z.string(),
  customerName: z.string(),
  ownerId: z.string().nullable(),
  ownerName: z.string().nullable(),
  channel: z.string(),
  currency: z.string(),
  totalMinor: z.number(),
  status: z.enum(['open', 'completed']),
  stage: z.enum(orderStages),
  stageAt: z.string(),
  orderedAt: z.string(),
  /** Minutes past the current stage's target (negative: time left); null without a target. */
  overdueMinutes: z.number().nullable(),
  late: z.boolean(),
  version: z.number(),
};

export const orderListItem = z.object(orderBase);
export type OrderListItem = z.infer<typeof orderListItem>;
export const orderOutput = z.object({
  ...orderBase,
  note: z.string().nullable(),
  lines: z.array(orderLineOutput),
  events: z.array(stageEventOutput),
  returns: z.array(returnOutput),
});
export type OrderOutput = z.infer<typeof orderOutput>;

export const listOrdersQuery = z.object({
  customerId: uuid.optional(),
  stage: z.enum(orderStages).optional(),
  late: boolQuery.optional(),
  ownerId: uuid.optional(),
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type ListOrdersQuery = z.input<typeof listOrdersQuery>;
export const orderPage = z.object({ items: z.array(orderListItem), nextCursor: z.string().nullable() });

export const addStageEventInput = z.object({
  stage: z.enum(orderStages),
  /** The order version you read; 409 with the current order when it moved. */
  version: z.number().int().min(1),
  /** When it happened (defaults to now); not in the future. */
  at: datetime.optional(),
  note: z.string().trim().max(2000).optional(),
  /** Needed (with a note) to move the order back to an earlier stage. */
  correction: z.boolean().default(false),
});
export type AddStageEventInput = z.input<typeof addStageEventInput>;

export const recordReturnInput = z.object({
  orderLineId: uuid,
  kind: z.enum(['return', 'exchange']),
  quantity: z.number().int().min(1).max(1_000_000),
  /** Refund; defaults to the line's amount for this quantity for a return, 0 for an exchange. */
  amountMinor: minor.optional(),
  reason: z.string().trim().min(1).max(500),
  /** For whoever settles a requested return (pickup, packaging, what the customer said). */
  note: z.string().trim().max(2000).optional(),
  outcome: z.string().trim().max(500).optional(),
  status: z.enum(['requested', 'completed', 'rejected']).default('completed'),
  at: datetime.optional(),
  /** When given, the order version you read (409 when it moved). */
  version: z.number().int().min(1).optional(),
});
export type RecordReturnInput = z.input<typeof recordReturnInput>;

/** Settles a requested return: completed (the refund happens now) or rejected (the quantity is free again). */
export const settleReturnInput = z.object({
  status: z.enum(['completed', 'rejected']),
  /** The final refund when it differs from the requested amount (returns only). */
  amountMinor: minor.optional(),
  outcome: z.string().trim().max(500).optional(),
  version: z.number().int().min(1),
});
export type SettleReturnInput = z.input<typeof settleReturnInput>;

export const boardOutput = z.object({
  stages: z.array(z.object({ stage: z.enum(orderStages), targetMinutes: z.number().nullable(), open: z.number(), late: z.number() })),
  /** Open orders, the latest first (most minutes past target), then the rest by time left. */
  orders: z.array(orderListItem),
});
export const boardQuery = z.object({
  stage: z.enum(orderStages).optional(),
  ownerId: uuid.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const purchasesSummaryOutput = z.object({
  customerId: z.string(),
  years: z.array(
    z.object({
      year: z.number(),
      currency: z.string(),
      orders: z.number(),
      purchasedMinor: z.number(),
      returns: z.number(),
      returnedMinor: z.number(),
      /** Purchases of the year less what was refunded on them. */
      netMinor: z.number(),
    }),
  ),
  totals: z.array(z.object({ currency: z.string(), orders: z.number(), purchasedMinor: z.number(), returnedMinor: z.number(), netMinor: z.number() })),
  lastOrderedAt: z.string().nullable(),
});
export type PurchasesSummary = z.infer<typeof purchasesSummaryOutput>;

export const stageTargetsOutput = z.object({
  items: z.array(z.object({ stage: z.enum(orderStages), targetMinutes: z.number().nullable(), isDefault: z.boolean() })),
});
export const setStageTargetsInput = z.object({
  items: z.array(z.object({ stage: z.enum(orderStages), targetMinutes: z.number().int().min(1).max(525_600) })).min(1),
});
