import { audit } from '../platform/audit.ts';
import { assertCan, type Ctx } from '../platform/context.ts';
import { newId } from '../platform/ids.ts';
import { findCustomerInScope } from './get-customer.ts';
import { presentContact, type ContactOutput } from './list-contacts.ts';
import { mustMask } from './present-customer.ts';
import { createContactInput, type CreateContactInput } from './schemas.ts';
import { contactLogs } from './tables.ts';
import { users } from '../platform/tables.ts';
import { eq } from 'drizzle-orm';

/** Records one interaction with a customer (联系记录) by the acting staff member. */
export async function addContact(ctx: Ctx, customerId: string, raw: CreateContactInput): Promise<ContactOutput> {
  assertCan(ctx.actor, 'contact.write');
  const input = createContactInput.parse(raw);
  return ctx.db.transaction(async (tx) => {
    await findCustomerInScope(ctx, customerId, { db: tx });
    const [row] = await tx
      .insert(contactLogs)
      .values({
        id: newId(),
        orgId: ctx.actor.orgId,
        customerId,
        channel: input.channel,
        direction: input.direction,
        staffId: ctx.actor.userId,
        summary: input.summary,
        occurredAt: input.occurredAt ? new Date(input.occurredAt) : ctx.now(),
        createdAt: ctx.now(),
      })
      .returning();
    await audit(ctx, {
      action: 'contact.create',
      entityType: 'customer',
      entityId: customerId,
      data: { contactId: row.id, channel: input.channel, direction: input.direction },
    }, tx);
    const [staff] = ctx.actor.userId ? await tx.select({ name: users.name }).from(users).where(eq(users.id, ctx.actor.userId)) : [];
    return presentContact({ ...row, staffName: staff?.name ?? null }, mustMask(ctx.actor));
  });
}
