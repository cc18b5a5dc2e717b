// Per-organization analytics settings: RFM window and class centre, the organization's own names for
// the eight classes, key-account (大客户) thresholds, winning/losing thresholds and the CLV set-up.
import { eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db/open.ts';
import { audit } from '../platform/audit.ts';
import { assertCan, type Ctx } from '../platform/context.ts';
import { Conflict } from '../platform/errors.ts';
import { localDate } from '../jobs/model/local-time.ts';
import { organizations } from '../platform/tables.ts';
import { currencyCode, DEFAULT_ANALYTICS_CURRENCY } from './currency.ts';
import { analyticsSettings, rfmClasses } from './tables.ts';

const className = z.object({ 'zh-CN': z.string().trim().min(1).max(40).optional(), en: z.string().trim().min(1).max(60).optional() });

export const analyticsSettingsSchema = z.object({
  /** 分析币种: the analyses read only orders in this ISO 4217 currency and report how many they left out. */
  currency: currencyCode.default(DEFAULT_ANALYTICS_CURRENCY),
  /** RFM looks at orders in the last N days. */
  rfmWindowDays: z.number().int().min(7).max(3650).default(365),
  /** High/low on R, F and M against the mean or the median of the scored customers. */
  rfmCenter: z.enum(['mean', 'median']).default('mean'),
  /** 组织自定义的类别名称. */
  classNames: z.partialRecord(z.enum(rfmClasses), className).default({}),
  keyAccounts: z.object({
    /** A key account is in the top share of customers by volume. */
    topShare: z.number().gt(0).max(1).default(0.2),
    /** 假大户: a key account whose margin rate is below this … */
    minMarginRate: z.number().min(-1).max(1).default(0.1),
    /** … or whose share of wallet (where recorded) is below this. */
    minWalletShare: z.number().min(0).max(1).default(0.3),
  }).default({ topShare: 0.2, minMarginRate: 0.1, minWalletShare: 0.3 }),
  movement: z.object({
    /** Spend this period ÷ last period at or above: growing; at or below `declineRatio`: declining. */
    growthRatio: z.number().gt(1).max(100).default(1.2),
    declineRatio: z.number().gt(0).lt(1).default(0.8),
    /** P(alive) below this: declining even when spend held; below `lostPAlive` with no purchase this period: lost. */
    decliningPAlive: z.number().min(0).max(1).default(0.5),
    lostPAlive: z.number().min(0).max(1).default(0.2),
  }).default({ growthRatio: 1.2, declineRatio: 0.8, decliningPAlive: 0.5, lostPAlive: 0.2 }),
  clv: z.object({
    model: z.enum(['bgnbd', 'pareto-nbd']).default('bgnbd'),
    horizonWeeks: z.number().int().min(1).max(520).default(52),
    annualDiscountRate: z.number().min(0).max(1).default(0.1),
    /** tx and T are rounded to this many days before grouping (1 = days; 7 = weeks: far fewer groups, faster fits). */
    resolutionDays: z.number().int().min(1).max(28).default(1),
  }).default({ model: 'bgnbd', horizonWeeks: 52, annualDiscountRate: 0.1, resolutionDays: 1 }),
});
export type AnalyticsSettings = z.output<typeof analyticsSettingsSchema>;

export const analyticsSettingsOutput = z.object({ settings: analyticsSettingsSchema, version: z.number() });
export const updateAnalyticsSettingsInput = z.object({ settings: analyticsSettingsSchema, version: z.number().int().min(0) });

export async function loadAnalyticsSettings(db: Db, orgId: string): Promise<{ settings: AnalyticsSettings; version: number }> {
  const [row] = await db.select().from(analyticsSettings).where(eq(analyticsSettings.orgId, orgId));
  const parsed = analyticsSettingsSchema.safeParse(row?.settings ?? {});
  return { settings: parsed.success ? parsed.data : analyticsSettingsSchema.parse({}), version: row?.version ?? 0 };
}

export async function getAnalyticsSettings(ctx: Ctx): Promise<{ settings: AnalyticsSettings; version: number }> {
  assertCan(ctx.actor, 'analytics.read');
  return loadAnalyticsSettings(ctx.db, ctx.actor.orgId);
}

/** Version 0 means "never saved". 409 when another writer moved it. */
export async function updateAnalyticsSettings(ctx: Ctx, raw: z.input<typeof updateAnalyticsSettingsInput>): Promise<{ settings: AnalyticsSettings; version: number }> {
  assertCan(ctx.actor, 'analytics.manage');
  const input = updateAnalyticsSettingsInput.parse(raw);
  return ctx.db.transaction(async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext(${`analytics_settings:${ctx.actor.orgId}`}))`);
    const current = await loadAnalyticsSettings(tx, ctx.actor.orgId);
    if (current.version !== input.version) throw new Conflict('error.stale_version', {}, current);
    const version = current.version + 1;
    await tx
      .insert(analyticsSettings)
      .values({ orgId: ctx.actor.orgId, settings: input.settings, version, updatedAt: ctx.now() })
      .onConflictDoUpdate({ target: analyticsSettings.orgId, set: { settings: input.settings, version, updatedAt: ctx.now() } });
    if (input.settings.currency !== current.settings.currency && ctx.jobs) {
      // The materialized values (RFM classes, CLV, segments) were computed in the old currency:
      // recompute them now rather than at night. The live analyses follow the setting at once.
      const [org] = await tx.select({ timezone: organizations.timezone }).from(organizations).where(eq(organizations.id, ctx.actor.orgId));
      await ctx.jobs.send('analytics.nightly', { orgId: ctx.actor.orgId, localDate: localDate(ctx.now(), org?.timezone ?? 'Asia/Shanghai') },
        { tx, singletonKey: `${ctx.actor.orgId}:currency:${version}` });
    }
    await audit(ctx, { action: 'analytics_settings.update', entityType: 'analytics_settings', entityId: ctx.actor.orgId, data: { ...input.settings } }, tx);
    return { settings: input.settings, version };
  });
}
