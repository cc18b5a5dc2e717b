import { and, eq, inArray, or, type SQL } from 'drizzle-orm';
import type { Db } from '../db/open.ts';
import { audit } from '../platform/audit.ts';
import { assertCan, type Ctx } from '../platform/context.ts';
import { Conflict, Invalid, isUniqueViolation, type KeyedFieldError, fieldError } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import { checkOwner } from '../customers/customer-rules.ts';
import { findCustomerInScope } from '../customers/get-customer.ts';
import { loadOrder } from './get-order.ts';
import './messages.ts';
import { createOrderInput, type CreateOrderInput, type OrderOutput } from './schemas.ts';
import { orderLines, orders, orderStageEvents, products } from './tables.ts';

/** Clock skew tolerated for an order time sent by a till or a shop. */
const FUTURE_SKEW_MS = 5 * 60_000;

/**
 * 下单: an order of a customer the actor may see. Lines are priced from the product unless a unit
 * price or amount is given; all amounts are integer minor units in one currency. The order, its
 * lines, its first stage event (received) and the audit entry are written in one transaction.
 */
export async function createOrder(ctx: Ctx, raw: CreateOrderInput): Promise<OrderOutput> {
  assertCan(ctx.actor, 'order.write');
  const input = createOrderInput.parse(raw);
  const now = ctx.now();
  const orderedAt = input.orderedAt ? new Date(input.orderedAt) : now;
  const errors: KeyedFieldError[] = [];
  if (orderedAt.getTime() > now.getTime() + FUTURE_SKEW_MS) errors.push(fieldError('orderedAt', 'in_future', 'field.orders.order_in_future'));
  const orderNoTaken = () => new Conflict('error.order_no_taken', { orderNo: input.orderNo ?? '' });
  try {
    return await ctx.db.transaction(async (txRaw) => {
      const tx = txRaw as unknown as Db;
      const { row: customer } = await findCustomerInScope(ctx, input.customerId, { db: tx });
      const ids = input.lines.flatMap((l) => (l.productId ? [l.productId] : []));
      const skus = input.lines.flatMap((l) => (l.sku ? [l.sku] : []));
      const match: SQL[] = [];
      if (ids.length) match.push(inArray(products.id, ids));
      if (skus.length) match.push(inArray(products.sku, skus));
      const found = await tx.select().from(products).where(and(eq(products.orgId, ctx.actor.orgId), or(...match)));
      const byId = new Map(found.map((p) => [p.id, p]));
      const bySku = new Map(found.map((p) => [p.sku, p]));

      const currency = input.currency ?? (input.lines[0].productId ? byId.get(input.lines[0].productId) : bySku.get(input.lines[0].sku!))?.currency ?? 'CNY';
      let total = 0;
      const lines = input.lines.map((l, i) => {
        const p = l.productId ? byId.get(l.productId) : bySku.get(l.sku!);
        if (!p) {
          errors.push(fieldError(`lines.${i}.${l.productId ? 'productId' : 'sku'}`, 'unknown_product', 'field.orders.unknown_product'));
          return null;
        }
        if (!p.active) errors.push(fieldError(`lines.${i}.productId`, 'inactive_product', 'field.orders.inactive_product'));
        if (p.currency !== currency) errors.push(fieldError(`lines.${i}.productId`, 'currency_mismatch', 'field.orders.currency_mismatch', { productCurrency: p.currency, orderCurrency: currency }));
        const unit = l.unitPriceMinor ?? Number(p.priceMinor);
        const amount = l.amountMinor ?? unit * l.quantity;
        if (!Number.isSafeInteger(amount)) errors.push(fieldError(`lines.${i}.amountMinor`, 'too_large', 'field.orders.amount_too_large'));
        total += amount;
        return { product: p, quantity: l.quantity, unit, amount };
      });
      if (!Number.isSafeInteger(total)) errors.push(fieldError('lines', 'too_large', 'field.orders.total_too_large'));
      const ownerId = input.ownerId !== undefined ? input.ownerId : customer.ownerId;
      if (input.ownerId) errors.push(...(await checkOwner(tx, ctx.actor.orgId, input.ownerId)));
      if (errors.length) throw new Invalid(errors);
      if (input.orderNo) {
        const [dup] = await tx.select({ id: orders.id }).from(orders).where(and(eq(orders.orgId, ctx.actor.orgId), eq(orders.orderNo, input.orderNo)));
        if (dup) throw orderNoTaken();
      }

      const id = newId();
      await tx.insert(orders).values({
        id,
        orgId: ctx.actor.orgId,
        orderNo: input.orderNo ?? null,
        customerId: customer.id,
        ownerId: ownerId ?? null,
        channel: input.channel,
        currency,
        totalMinor: total,
        status: 'open',
        stage: 'received',
        stageAt: orderedAt,
        orderedAt,
        note: input.note ?? null,
        version: 1,
        createdBy: ctx.actor.userId,
        createdAt: now,
        updatedAt: now,
      });
      await tx.insert(orderLines).values(
        lines.map((l, i) => ({
          id: newId(),
          orgId: ctx.actor.orgId,
          orderId: id,
          lineNo: i + 1,
          productId: l!.product.id,
          sku: l!.product.sku,
          name: l!.product.name,
          category: l!.product.category,
          quantity: l!.quantity,
          unitPriceMinor: l!.unit,
          amountMinor: l!.amount,
        })),
      );
      await tx.insert(orderStageEvents).values({
        id: newId(),
        orgId: ctx.actor.orgId,
        orderId: id,
        customerId: customer.id,
        stage: 'received',
        fromStage: null,
        at: orderedAt,
        actorId: ctx.actor.userId,
        note: null,
        correction: false,
        createdAt: now,
      });
      await audit(ctx, {
        action: 'order.create',
        entityType: 'order',
        entityId: id,
        data: { customerId: customer.id, orderNo: input.orderNo ?? null, currency, totalMinor: total, lines: lines.map((l) => ({ sku: l!.product.sku, quantity: l!.quantity, amountMinor: l!.amount })) },
      }, tx);
      return loadOrder(ctx, id, tx);
    });
  } catch (err) {
    if (isUniqueViolation(err) && input.orderNo) throw orderNoTaken();
    throw err;
  }
}
