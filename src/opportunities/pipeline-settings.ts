// Pipeline settings per organization: the sales team that owns opportunities of customers without a
// manager, and the days until the first follow-up per grade.
import { sql } from 'drizzle-orm';
import type { Db } from '../db/open.ts';
import { audit } from '../platform/audit.ts';
import { assertCan, type Ctx } from '../platform/context.ts';
import { Conflict, Invalid } from '../platform/errors.ts';
import { checkOwner, loadPipelineSettings } from './opportunity-store.ts';
import { settingsInput, type SettingsInput, type SettingsOutput } from './schemas.ts';
import { opportunitySettings } from './tables.ts';

export async function getPipelineSettings(ctx: Ctx): Promise<SettingsOutput> {
  assertCan(ctx.actor, 'opportunity.read');
  return loadPipelineSettings(ctx.db, ctx.actor.orgId);
}

/** Replaces the settings; `version` (0 before the first save) guards against overwriting someone else's change. */
export async function updatePipelineSettings(ctx: Ctx, raw: SettingsInput): Promise<SettingsOutput> {
  assertCan(ctx.actor, 'commission.manage');
  const input = settingsInput.parse(raw);
  return ctx.db.transaction(async (txRaw) => {
    const tx = txRaw as unknown as Db;
    await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext(${`opportunity_settings:${ctx.actor.orgId}`}))`);
    const before = await loadPipelineSettings(tx, ctx.actor.orgId);
    if (input.version !== undefined && input.version !== before.version) throw new Conflict('error.stale_version', {}, before);
    const errors = await checkOwner(tx, ctx.actor.orgId, { teamId: input.defaultTeamId });
    if (errors.length) throw new Invalid(errors.map((e) => ({ ...e, path: 'defaultTeamId' })));
    const now = ctx.now();
    await tx
      .insert(opportunitySettings)
      .values({ orgId: ctx.actor.orgId, defaultTeamId: input.defaultTeamId, followUpDays: input.followUpDays, version: 1, updatedAt: now })
      .onConflictDoUpdate({
        target: opportunitySettings.orgId,
        set: { defaultTeamId: input.defaultTeamId, followUpDays: input.followUpDays, version: sql`${opportunitySettings.version} + 1`, updatedAt: now },
      });
    await audit(ctx, { action: 'opportunity.settings.update', entityType: 'opportunity_settings', data: { before: { defaultTeamId: before.defaultTeamId, followUpDays: before.followUpDays }, after: { defaultTeamId: input.defaultTeamId, followUpDays: input.followUpDays } } }, tx);
    return loadPipelineSettings(tx, ctx.actor.orgId);
  });
}
