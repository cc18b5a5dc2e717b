import { audit } from '../platform/audit.ts';
import { assertCan, type Ctx } from '../platform/context.ts';
import { Invalid, NotFound } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import { assertValidCustom } from './custom-fields.ts';
import { checkOwner, dedupe, normalizeRegion, outOfScope } from './customer-rules.ts';
import { findCustomerInScope } from './get-customer.ts';
import { searchKeys } from './model/search-keys.ts';
import { mustMask, presentCustomer } from './present-customer.ts';
import { createCustomerInput, type CreateCustomerInput, type CustomerOutput } from './schemas.ts';
import { customers } from './tables.ts';

export async function createCustomer(ctx: Ctx, raw: CreateCustomerInput): Promise<CustomerOutput> {
  assertCan(ctx.actor, 'customer.write');
  const input = createCustomerInput.parse(raw);
  const phones = dedupe(input.phones);
  const emails = dedupe(input.emails);
  const region = normalizeRegion({
    provinceCode: input.provinceCode ?? null,
    cityCode: input.cityCode ?? null,
    districtCode: input.districtCode ?? null,
  });
  return ctx.db.transaction(async (tx) => {
    const errors = [...region.errors, ...(await checkOwner(tx, ctx.actor.orgId, input.ownerId))];
    if (errors.length) throw new Invalid(errors);
    const custom = await assertValidCustom(tx, ctx.actor.orgId, input.custom);
    const id = newId();
    const now = ctx.now();
    await tx.insert(customers).values({
      id,
      orgId: ctx.actor.orgId,
      kind: input.kind,
      name: input.name,
      phones,
      emails,
      ...region.value,
      street: input.street ?? null,
      tags: dedupe(input.tags),
      custom,
      ownerId: input.ownerId ?? null,
      source: input.source ?? null,
      consent: input.consent,
      ...searchKeys({ name: input.name, kind: input.kind, phones, emails }),
      version: 1,
      createdBy: ctx.actor.userId,
      createdAt: now,
      updatedAt: now,
    });
    // A territory-scoped actor may only create customers they can see afterwards.
    const found = await findCustomerInScope(ctx, id, { db: tx }).catch((err: unknown) => {
      if (err instanceof NotFound) throw new Invalid([outOfScope]);
      throw err;
    });
    await audit(ctx, {
      action: 'customer.create',
      entityType: 'customer',
      entityId: id,
      data: { name: input.name, kind: input.kind, phones, emails, ...region.value, tags: input.tags, ownerId: input.ownerId ?? null, source: input.source ?? null },
    }, tx);
    return presentCustomer(found.row, found.ownerName, mustMask(ctx.actor));
  });
}

