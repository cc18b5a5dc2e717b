import { and, asc, eq, sql, type SQL } from 'drizzle-orm';
import type { z } from 'zod';
import { assertCan, type Ctx } from '../platform/context.ts';
import { Invalid, fieldError } from '../platform/errors.ts';
import { isUuid } from '../platform/ids.ts';
import { decodeCursor, encodeCursor } from '../customers/cursor.ts';
import { escapeLike } from '../customers/list-customers.ts';
import { presentProduct } from './create-product.ts';
import { listProductsQuery, type ProductOutput } from './schemas.ts';
import { products } from './tables.ts';

/** The catalogue by name (keyset paging on name, id); `q` matches SKU or name fragments. */
export async function listProducts(ctx: Ctx, raw: z.input<typeof listProductsQuery>): Promise<{ items: ProductOutput[]; nextCursor: string | null }> {
  assertCan(ctx.actor, 'order.read');
  const q = listProductsQuery.parse(raw);
  const conds: SQL[] = [eq(products.orgId, ctx.actor.orgId)];
  if (q.q) conds.push(sql`(${products.sku} ILIKE ${`%${escapeLike(q.q)}%`} OR ${products.name} ILIKE ${`%${escapeLike(q.q)}%`})`);
  if (q.category) conds.push(eq(products.category, q.category));
  if (q.cursor) {
    const [name, id] = decodeCursor(q.cursor, 2);
    if (!isUuid(id)) throw new Invalid([fieldError('cursor', 'bad_cursor', 'field.bad_cursor')], 'error.bad_cursor');
    conds.push(sql`(${products.name}, ${products.id}) > (${name}, ${id}::uuid)`);
  }
  const found = await ctx.db.select().from(products).where(and(...conds)).orderBy(asc(products.name), asc(products.id)).limit(q.limit + 1);
  const page = found.slice(0, q.limit);
  const last = page[page.length - 1];
  return { items: page.map(presentProduct), nextCursor: found.length > q.limit && last ? encodeCursor([last.name, last.id]) : null };
}
