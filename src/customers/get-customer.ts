import { and, eq, sql } from 'drizzle-orm';
import { PreparedByShape, type Db } from '../db/open.ts';
import { assertCan, type Ctx } from '../platform/context.ts';
import { NotFound } from '../platform/errors.ts';
import { isUuid } from '../platform/ids.ts';
import { users } from '../platform/tables.ts';
import { customerColumns, mustMask, presentCustomer, type CustomerRow } from './present-customer.ts';
import type { CustomerOutput } from './schemas.ts';
import { customerScopeSpec } from './scope.ts';
import { customers } from './tables.ts';

/**
 * The customer with this id if the actor may see it (organization and data scope), else NotFound:
 * another organization's customer and one outside the actor's territories look exactly alike.
 */
export async function findCustomerInScope(
  ctx: Ctx,
  id: string,
  opts: { db?: Db; forUpdate?: boolean } = {},
): Promise<{ row: CustomerRow; ownerName: string | null }> {
  if (!isUuid(id)) throw new NotFound('customer');
  const db = opts.db ?? ctx.db;
  const scope = customerScopeSpec(ctx.actor);
  // Prepared once per scope shape: every service order, contact and update reads its customer here.
  const prepared = inScope.get(db, `${scope.key}|${opts.forUpdate ? 'update' : 'read'}`, () => {
    const query = db
      .select({ c: customerColumns, ownerName: users.name })
      .from(customers)
      .leftJoin(users, eq(users.id, customers.ownerId))
      .where(and(scope.build((name) => sql.placeholder(name)), eq(customers.id, sql.placeholder('customerId'))));
    return opts.forUpdate ? query.for('update', { of: customers }) : query;
  });
  const [found] = await prepared.execute({ ...scope.values, customerId: id });
  if (!found) throw new NotFound('customer');
  return { row: found.c, ownerName: found.ownerName };
}

const inScope = new PreparedByShape<{ c: CustomerRow; ownerName: string | null }>('customer_in_scope');

export async function getCustomer(ctx: Ctx, id: string): Promise<CustomerOutput> {
  assertCan(ctx.actor, 'customer.read');
  const { row, ownerName } = await findCustomerInScope(ctx, id);
  return presentCustomer(row, ownerName, mustMask(ctx.actor));
}
