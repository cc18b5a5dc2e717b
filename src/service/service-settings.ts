// Per-organization service desk settings: the complaints team and the callback retry rules.
import { eq, sql } from 'drizzle-orm';
import type { Db } from '../db/open.ts';
import { audit } from '../platform/audit.ts';
import { assertCan, type Ctx } from '../platform/context.ts';
import { Invalid } from '../platform/errors.ts';
import { checkAssignees } from './service-order-store.ts';
import { serviceSettingsInput, type ServiceSettingsInput, type ServiceSettingsOutput } from './schemas.ts';
import { serviceSettings } from './tables.ts';

export const defaultServiceSettings: ServiceSettingsOutput = {
  complaintTeamId: null,
  callbackMaxAttempts: 3,
  callbackRetryMinutes: 120,
  callbackGraceMinutes: 1440,
};

/** The organization's settings, or the defaults when it never saved any. */
export async function loadServiceSettings(db: Db, orgId: string): Promise<ServiceSettingsOutput> {
  const [row] = await db.select().from(serviceSettings).where(eq(serviceSettings.orgId, orgId));
  if (!row) return defaultServiceSettings;
  return {
    complaintTeamId: row.complaintTeamId,
    callbackMaxAttempts: row.callbackMaxAttempts,
    callbackRetryMinutes: row.callbackRetryMinutes,
    callbackGraceMinutes: row.callbackGraceMinutes,
  };
}

export async function getServiceSettings(ctx: Ctx): Promise<ServiceSettingsOutput> {
  assertCan(ctx.actor, 'service.read');
  return loadServiceSettings(ctx.db, ctx.actor.orgId);
}

export async function updateServiceSettings(ctx: Ctx, raw: ServiceSettingsInput): Promise<ServiceSettingsOutput> {
  assertCan(ctx.actor, 'service.manage');
  const input = serviceSettingsInput.parse(raw);
  return ctx.db.transaction(async (tx) => {
    const errors = await checkAssignees(tx, ctx.actor.orgId, { teamId: input.complaintTeamId });
    if (errors.length) throw new Invalid(errors.map((e) => ({ ...e, path: 'complaintTeamId' })));
    const next = { ...(await loadServiceSettings(tx, ctx.actor.orgId)), ...input };
    await tx
      .insert(serviceSettings)
      .values({ orgId: ctx.actor.orgId, ...next, updatedAt: ctx.now() })
      .onConflictDoUpdate({ target: serviceSettings.orgId, set: { ...next, version: sql`${serviceSettings.version} + 1`, updatedAt: ctx.now() } });
    await audit(ctx, { action: 'service.settings.update', entityType: 'service_settings', data: { ...input } }, tx);
    return next;
  });
}
