// The whole nightly refresh of one organization's customer value: RFM scores and classes, the value
// model fit with CLV/P(alive) written back, then every segment (their rules read both).
import { sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Db } from '../db/open.ts';
import { fitAndWriteClv } from './clv.ts';
import { ModelFitError } from './model/index.ts';
import { materializeRfm } from './rfm.ts';
import { loadAnalyticsSettings } from './settings.ts';
import { materializeAllSegments } from './segments.ts';

export async function refreshCustomerValue(db: Db, orgId: string, now: Date, log: Logger): Promise<{ scored: number; segments: number; clv: string }> {
  const { settings } = await loadAnalyticsSettings(db, orgId);
  const rfm = await materializeRfm(db, { orgId, asOf: now, windowDays: settings.rfmWindowDays, center: settings.rfmCenter, currency: settings.currency }, now);
  let clv = 'skipped';
  try {
    const r = await fitAndWriteClv(db, orgId, now, { ...settings.clv, currency: settings.currency });
    clv = `fitted ${r.model} on ${r.customers} customers`;
  } catch (err) {
    // No repeat buyers yet, or a fit that did not converge: keep the previous values, say why.
    if (!(err instanceof ModelFitError)) throw err;
    log.warn({ code: err.code, orgId }, 'analytics: value model not refitted');
    clv = err.code;
  }
  // The write-back just rewrote every customer's values; the segment rules read them, and planned on
  // stale statistics (a table "of 30 rows") they probe customers one by one instead of hashing.
  await db.execute(sql`ANALYZE customer_values`);
  const segs = await materializeAllSegments(db, orgId, now);
  return { scored: rfm.scored, segments: segs.length, clv };
}
