import { and, eq } from 'drizzle-orm';
import { audit } from '../platform/audit.ts';
import { assertCan, type Ctx } from '../platform/context.ts';
import { Conflict, isUniqueViolation } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import './messages.ts';
import { createProductInput, type CreateProductInput, type ProductOutput } from './schemas.ts';
import { products } from './tables.ts';

type ProductRow = typeof products.$inferSelect;

export function presentProduct(p: ProductRow): ProductOutput {
  return {
    id: p.id,
    sku: p.sku,
    name: p.name,
    category: p.category,
    currency: p.currency,
    priceMinor: Number(p.priceMinor),
    costMinor: p.costMinor === null ? null : Number(p.costMinor),
    consumptionCycleDays: p.consumptionCycleDays,
    active: p.active,
    version: p.version,
  };
}

/** Adds a product to the catalogue; the SKU is unique per organization (409 otherwise). */
export async function createProduct(ctx: Ctx, raw: CreateProductInput): Promise<ProductOutput> {
  assertCan(ctx.actor, 'product.write');
  const input = createProductInput.parse(raw);
  const taken = () => new Conflict('error.sku_taken', { sku: input.sku });
  try {
    return await ctx.db.transaction(async (tx) => {
      const [existing] = await tx
        .select({ id: products.id })
        .from(products)
        .where(and(eq(products.orgId, ctx.actor.orgId), eq(products.sku, input.sku)));
      if (existing) throw taken();
      const now = ctx.now();
      const [row] = await tx
        .insert(products)
        .values({
          id: newId(),
          orgId: ctx.actor.orgId,
          sku: input.sku,
          name: input.name,
          category: input.category ?? null,
          currency: input.currency,
          priceMinor: input.priceMinor,
          costMinor: input.costMinor ?? null,
          consumptionCycleDays: input.consumptionCycleDays ?? null,
          createdAt: now,
          updatedAt: now,
        })
        .returning();
      await audit(ctx, { action: 'product.create', entityType: 'product', entityId: row.id, data: { ...input } }, tx);
      return presentProduct(row);
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw taken();
    throw err;
  }
}
