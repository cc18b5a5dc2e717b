import { audit } from '../platform/audit.ts';
import { assertCan, type Ctx } from '../platform/context.ts';
import { findCustomerInScope } from './get-customer.ts';
import type { revealOutput } from './schemas.ts';
import type { z } from 'zod';

/**
 * 查看完整号码: the full phones and emails of one customer, for a caller who may otherwise see
 * them masked. Always audited as `customer.reveal` (who, when, from where), even for roles that
 * see full values anyway, because an explicit reveal is what auditors look for.
 */
export async function revealCustomer(ctx: Ctx, id: string): Promise<z.infer<typeof revealOutput>> {
  assertCan(ctx.actor, 'customer.reveal');
  return ctx.db.transaction(async (tx) => {
    const { row } = await findCustomerInScope(ctx, id, { db: tx });
    await audit(ctx, { action: 'customer.reveal', entityType: 'customer', entityId: id, data: { fields: ['phones', 'emails'] } }, tx);
    return { id: row.id, phones: row.phones, emails: row.emails };
  });
}
