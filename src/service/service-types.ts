// Service types: the built-in five plus the organization's own (service.manage), each with its
// callback delay. A row with a built-in key overrides that type's labels and callback delay.
import { asc, eq } from 'drizzle-orm';
import { t } from '../i18n/messages.ts';
import { audit } from '../platform/audit.ts';
import { assertCan, type Ctx } from '../platform/context.ts';
import { Conflict, isUniqueViolation } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import { defaultCallbackDelayMinutes } from './schedule-callback.ts';
import { createServiceTypeInput, type CreateServiceTypeInput, type ServiceTypeOutput } from './schemas.ts';
import { builtinServiceTypes, serviceTypes } from './tables.ts';
import './messages.ts';

export async function createServiceType(ctx: Ctx, raw: CreateServiceTypeInput): Promise<ServiceTypeOutput> {
  assertCan(ctx.actor, 'service.manage');
  const input = createServiceTypeInput.parse(raw);
  return ctx.db.transaction(async (tx) => {
    try {
      await tx.insert(serviceTypes).values({ id: newId(), orgId: ctx.actor.orgId, ...input, createdAt: ctx.now() });
    } catch (err) {
      if (isUniqueViolation(err)) throw new Conflict('error.service_type_exists', { key: input.key });
      throw err;
    }
    await audit(ctx, { action: 'service_type.create', entityType: 'service_type', data: { ...input } }, tx);
    return { ...input, builtin: (builtinServiceTypes as readonly string[]).includes(input.key), active: true, version: 1 };
  });
}

/** `includeInactive`: also the organization's deactivated types (the admin screen lists them to reactivate). */
export async function listServiceTypes(ctx: Ctx, opts: { includeInactive?: boolean } = {}): Promise<ServiceTypeOutput[]> {
  assertCan(ctx.actor, 'service.read');
  const custom = await ctx.db.select().from(serviceTypes).where(eq(serviceTypes.orgId, ctx.actor.orgId)).orderBy(asc(serviceTypes.createdAt));
  const byKey = new Map(custom.map((r) => [r.key, r]));
  const out: ServiceTypeOutput[] = builtinServiceTypes.map((key) => {
    const r = byKey.get(key);
    return r
      ? { key, labelZh: r.labelZh, labelEn: r.labelEn, callbackDelayMinutes: r.callbackDelayMinutes, builtin: true, active: true, version: r.version }
      : { key, labelZh: t('zh-CN', `service_type.${key}`), labelEn: t('en', `service_type.${key}`), callbackDelayMinutes: defaultCallbackDelayMinutes[key] ?? null, builtin: true, active: true, version: 0 };
  });
  for (const r of custom) {
    if ((!r.active && !opts.includeInactive) || (builtinServiceTypes as readonly string[]).includes(r.key)) continue;
    out.push({ key: r.key, labelZh: r.labelZh, labelEn: r.labelEn, callbackDelayMinutes: r.callbackDelayMinutes, builtin: false, active: r.active, version: r.version });
  }
  return out;
}
