import { and, eq, sql } from 'drizzle-orm';
import { audit } from '../platform/audit.ts';
import { assertCan, type Ctx } from '../platform/context.ts';
import { Conflict, Invalid, NotFound, type KeyedFieldError } from '../platform/errors.ts';
import { assertValidCustom } from './custom-fields.ts';
import { checkOwner, dedupe, normalizeRegion, outOfScope } from './customer-rules.ts';
import { findCustomerInScope } from './get-customer.ts';
import { searchKeys } from './model/search-keys.ts';
import { mustMask, presentCustomer, type CustomerRow } from './present-customer.ts';
import { updateCustomerInput, type CustomerOutput, type UpdateCustomerInput } from './schemas.ts';
import { customers } from './tables.ts';

type Editable = Pick<
  CustomerRow,
  'kind' | 'name' | 'phones' | 'emails' | 'provinceCode' | 'cityCode' | 'districtCode' | 'street' | 'tags' | 'custom' | 'ownerId' | 'source' | 'consent'
>;
const editableKeys = ['kind', 'name', 'phones', 'emails', 'provinceCode', 'cityCode', 'districtCode', 'street', 'tags', 'custom', 'ownerId', 'source', 'consent'] as const;

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * PATCH semantics: absent fields stay as they are. The three region codes are one value: sending
 * any of them replaces all three (missing ancestors are derived from the lowest code). `custom`
 * merges key by key; a null value removes a key. The caller's `version` must still be current,
 * else 409 with the current record (masked as this caller must see it).
 */
export async function updateCustomer(ctx: Ctx, id: string, raw: UpdateCustomerInput): Promise<CustomerOutput> {
  assertCan(ctx.actor, 'customer.write');
  const input = updateCustomerInput.parse(raw);
  const masked = mustMask(ctx.actor);
  return ctx.db.transaction(async (tx) => {
    const { row: before, ownerName } = await findCustomerInScope(ctx, id, { db: tx, forUpdate: true });
    if (before.version !== input.version) {
      throw new Conflict('error.stale_version', {}, presentCustomer(before, ownerName, masked));
    }
    const next: Editable = {
      kind: input.kind ?? before.kind,
      name: input.name ?? before.name,
      phones: input.phones ? dedupe(input.phones) : before.phones,
      emails: input.emails ? dedupe(input.emails) : before.emails,
      provinceCode: before.provinceCode,
      cityCode: before.cityCode,
      districtCode: before.districtCode,
      street: input.street !== undefined ? input.street : before.street,
      tags: input.tags ? dedupe(input.tags) : before.tags,
      custom: before.custom,
      ownerId: input.ownerId !== undefined ? input.ownerId : before.ownerId,
      source: input.source !== undefined ? input.source : before.source,
      consent: input.consent ? { ...before.consent, ...input.consent } : before.consent,
    };
    const errors: KeyedFieldError[] = [];
    if (input.provinceCode !== undefined || input.cityCode !== undefined || input.districtCode !== undefined) {
      const region = normalizeRegion({
        provinceCode: input.provinceCode ?? null,
        cityCode: input.cityCode ?? null,
        districtCode: input.districtCode ?? null,
      });
      errors.push(...region.errors);
      Object.assign(next, region.value);
    }
    if (input.ownerId !== undefined && input.ownerId !== before.ownerId) errors.push(...(await checkOwner(tx, ctx.actor.orgId, input.ownerId)));
    if (errors.length) throw new Invalid(errors);
    if (input.custom) {
      const merged: Record<string, unknown> = { ...before.custom };
      for (const [k, v] of Object.entries(input.custom)) {
        if (v === null) delete merged[k];
        else merged[k] = v;
      }
      next.custom = await assertValidCustom(tx, ctx.actor.orgId, merged);
    }

    const changes: Record<string, { before: unknown; after: unknown }> = {};
    for (const k of editableKeys) if (!same(before[k], next[k])) changes[k] = { before: before[k], after: next[k] };
    if (Object.keys(changes).length === 0) return presentCustomer(before, ownerName, masked);

    const kind = next.kind === 'company' ? 'company' : 'person';
    const updated = await tx
      .update(customers)
      .set({
        ...next,
        ...searchKeys({ name: next.name, kind, phones: next.phones, emails: next.emails }),
        version: sql`${customers.version} + 1`,
        updatedAt: ctx.now(),
      })
      .where(and(eq(customers.id, id), eq(customers.orgId, ctx.actor.orgId), eq(customers.version, input.version)))
      .returning({ id: customers.id });
    if (updated.length !== 1) throw new NotFound('customer');
    // A territory-scoped actor may not move a customer out of their own territories.
    const after = await findCustomerInScope(ctx, id, { db: tx }).catch((err: unknown) => {
      if (err instanceof NotFound) throw new Invalid([outOfScope]);
      throw err;
    });
    await audit(ctx, { action: 'customer.update', entityType: 'customer', entityId: id, data: { version: after.row.version, changes } }, tx);
    return presentCustomer(after.row, after.ownerName, masked);
  });
}
