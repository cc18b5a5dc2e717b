// Contact center settings per organization: the first-contact-resolution window.
import { eq } from 'drizzle-orm';
import type { z } from 'zod';
import type { Db } from '../db/open.ts';
import { audit } from '../platform/audit.ts';
import { assertCan, type Ctx } from '../platform/context.ts';
import { Conflict } from '../platform/errors.ts';
import './messages.ts';
import { assertCcRead } from './queues.ts';
import { ccSettingsInput } from './schemas.ts';
import { ccSettings } from './tables.ts';

export interface CcSettings { fcrWindowHours: number; version: number }

export const defaultCcSettings: CcSettings = { fcrWindowHours: 24, version: 0 };

export async function loadCcSettings(db: Db, orgId: string): Promise<CcSettings> {
  const [row] = await db.select().from(ccSettings).where(eq(ccSettings.orgId, orgId));
  return row ? { fcrWindowHours: row.fcrWindowHours, version: row.version } : defaultCcSettings;
}

export async function getCcSettings(ctx: Ctx): Promise<CcSettings> {
  assertCcRead(ctx);
  return loadCcSettings(ctx.db, ctx.actor.orgId);
}

/** `version` 0 when the organization never saved settings; 409 when it moved. */
export async function updateCcSettings(ctx: Ctx, raw: z.input<typeof ccSettingsInput>): Promise<CcSettings> {
  assertCan(ctx.actor, 'contact_center.manage');
  const input = ccSettingsInput.parse(raw);
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx.select().from(ccSettings).where(eq(ccSettings.orgId, ctx.actor.orgId)).for('update');
    const current = row ? { fcrWindowHours: row.fcrWindowHours, version: row.version } : defaultCcSettings;
    if (current.version !== input.version) throw new Conflict('error.stale_version', {}, current);
    const next = { fcrWindowHours: input.fcrWindowHours, version: current.version + 1 };
    await tx.insert(ccSettings).values({ orgId: ctx.actor.orgId, ...next, updatedAt: ctx.now() })
      .onConflictDoUpdate({ target: ccSettings.orgId, set: { ...next, updatedAt: ctx.now() } });
    await audit(ctx, { action: 'cc_settings.update', entityType: 'cc_settings', data: { fcrWindowHours: input.fcrWindowHours, version: next.version } }, tx);
    return next;
  });
}
