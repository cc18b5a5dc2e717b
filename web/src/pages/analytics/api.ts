// Types of the analytics API (from the server's zod schemas, type-only) and the URL filters of the drill-down list.
import type { z } from 'zod';
import { valueFilterKeys, type ValueFilterKey } from '../customers/value-filter-keys.ts';
import type { clvHistogramOutput, scatterOutput } from '../../../../src/analytics/distributions.ts';
import type { keyAccountsOutput } from '../../../../src/analytics/key-accounts.ts';
import type { migrationOutput, movementOutput } from '../../../../src/analytics/movement.ts';
import type { paretoOutput } from '../../../../src/analytics/pareto.ts';
import type { rfmSummaryOutput } from '../../../../src/analytics/rfm.ts';
import type { RuleField } from '../../../../src/analytics/segment-rule.ts';
import type { analyticsSettingsOutput, updateAnalyticsSettingsInput } from '../../../../src/analytics/settings.ts';
import type { historyOutput, previewOutput, SegmentOutput } from '../../../../src/analytics/segments.ts';
import type { RfmClass } from '../../../../src/analytics/tables.ts';
import type { TierOutput } from '../../../../src/analytics/tiers.ts';
import type { SlaPolicyOutput } from '../../../../src/service/schemas.ts';

export type Pareto = z.output<typeof paretoOutput>;
export type RfmSummary = z.output<typeof rfmSummaryOutput>;
export type ClvHistogram = z.output<typeof clvHistogramOutput>;
export type Scatter = z.output<typeof scatterOutput>;
export type KeyAccounts = z.output<typeof keyAccountsOutput>;
export type Movement = z.output<typeof movementOutput>;
export type Migration = z.output<typeof migrationOutput>;
export type Segment = SegmentOutput;
export type Tier = TierOutput;
export type SlaPolicy = SlaPolicyOutput;
export type SegmentPreview = z.output<typeof previewOutput>;
export type SegmentHistory = z.output<typeof historyOutput>;
export type { RfmClass, RuleField };
/** GET /api/analytics/settings, and the body of its PUT (the whole settings object and the version read). */
export type AnalyticsSettingsState = z.output<typeof analyticsSettingsOutput>;
export type AnalyticsSettingsInput = z.input<typeof updateAnalyticsSettingsInput>;

/** The eight classes in the order of the classic table: M high first, then (R,F) = 11, 10, 01, 00. */
export const rfmClassOrder: readonly RfmClass[] = [
  'important_value',
  'important_development',
  'important_retain',
  'important_win_back',
  'general_value',
  'general_development',
  'general_retain',
  'general_win_back',
];

export const rfmColors: Record<RfmClass, string> = {
  important_value: '#1d4ed8',
  important_development: '#0891b2',
  important_retain: '#7c3aed',
  important_win_back: '#dc2626',
  general_value: '#60a5fa',
  general_development: '#67e8f9',
  general_retain: '#c4b5fd',
  general_win_back: '#fca5a5',
};

/** The drill-down filters: value filters of the customer list (GET /api/customers), so a drill-down opens the customer list. */
export type DrillFilter = Partial<Record<ValueFilterKey, string>>;

export function drillHref(filter: DrillFilter): string {
  const p = new URLSearchParams();
  for (const k of valueFilterKeys) {
    const v = filter[k];
    if (v !== undefined && v !== '') p.set(k, v);
  }
  return `/customers?${p.toString()}`;
}

/** The currency an analysis reports its amounts in (each response says; CNY only while nothing is loaded). */
export function currencyOf(data: { currency: string } | undefined): string {
  return data?.currency ?? 'CNY';
}
