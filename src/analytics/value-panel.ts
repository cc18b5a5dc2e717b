// The customer file's value panel (客户价值): RFM class and scores, CLV, P(alive), expected
// purchases, segments, service tier, and how they were computed. One statement over primary keys
// and the members' customer index.
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { rows } from '../db/open.ts';
import { assertCan, type Ctx } from '../platform/context.ts';
import { NotFound } from '../platform/errors.ts';
import { isUuid } from '../platform/ids.ts';
import { customerScopeCondition } from '../customers/scope.ts';
import { DEFAULT_ANALYTICS_CURRENCY } from './currency.ts';
import { rfmClassName } from './rfm.ts';
import { rfmClasses, type RfmClass } from './tables.ts';

export const valuePanelOutput = z.object({
  customerId: z.string(),
  /** The analytics currency: the amounts below are in it. */
  currency: z.string(),
  /** The customer's orders in other currencies, left out of these values (as of the last computation). */
  excludedOrders: z.number(),
  rfm: z.object({
    rfmClass: z.enum(rfmClasses), className: z.string(), rScore: z.number(), fScore: z.number(), mScore: z.number(),
    recencyDays: z.number(), frequency: z.number(), monetaryMinor: z.number(), windowDays: z.number().nullable(), computedAt: z.string().nullable(),
  }).nullable(),
  clv: z.object({
    clvMinor: z.number().nullable(), pAlive: z.number().nullable(), expectedPurchases: z.number().nullable(), computedAt: z.string().nullable(),
    model: z.string().nullable(), params: z.record(z.string(), z.number()).nullable(), logLikelihood: z.number().nullable(),
    spendParams: z.record(z.string(), z.number()).nullable(), horizonWeeks: z.number().nullable(), annualDiscountRate: z.number().nullable(),
    calibrationEnd: z.string().nullable(), fittedAt: z.string().nullable(),
  }).nullable(),
  segments: z.array(z.object({ id: z.string(), name: z.string(), priority: z.number(), enteredAt: z.string() })),
  tier: z.object({
    id: z.string(), name: z.string(), code: z.string(), segmentId: z.string(), slaPolicyId: z.string().nullable(), routingPriority: z.number(),
    managerUserId: z.string().nullable(), teamId: z.string().nullable(), surveyCapDays: z.number().nullable(),
  }).nullable(),
});
export type ValuePanel = z.output<typeof valuePanelOutput>;

interface PanelRow {
  id: string;
  recency_days: number | null; frequency: number | null; monetary_minor: string | null; r_score: number | null; f_score: number | null; m_score: number | null;
  rfm_class: RfmClass | null; rfm_window_days: number | null; rfm_computed_at: string | Date | null;
  clv_minor: string | null; p_alive: number | null; expected_purchases: number | null; clv_computed_at: string | Date | null;
  model: string | null; params: Record<string, number> | null; log_likelihood: number | null; spend_params: Record<string, number> | null;
  horizon_weeks: number | null; annual_discount_rate: number | null; calibration_end: string | Date | null; fitted_at: string | Date | null;
  class_names: Partial<Record<RfmClass, { 'zh-CN'?: string; en?: string }>> | null;
  currency: string | null;
  excluded_orders: number | null;
  segs: { id: string; name: string; priority: number; entered_at: string; tier: ValuePanel['tier'] }[] | null;
}

const iso = (d: string | Date | null) => (d === null ? null : new Date(d).toISOString());

export async function customerValuePanel(ctx: Ctx, customerId: string): Promise<ValuePanel> {
  assertCan(ctx.actor, 'customer.read');
  if (!isUuid(customerId)) throw new NotFound('customer');
  const org = ctx.actor.orgId;
  const [r] = await rows<PanelRow>(ctx.db, sql`
    SELECT customers.id, v.recency_days, v.frequency, v.monetary_minor::text, v.r_score, v.f_score, v.m_score, v.rfm_class, v.rfm_window_days, v.rfm_computed_at,
      v.clv_minor::text, v.p_alive, v.expected_purchases, v.clv_computed_at,
      f.model, f.params, f.log_likelihood, f.spend_params, f.horizon_weeks, f.annual_discount_rate, f.calibration_end, f.fitted_at,
      (SELECT json_agg(json_build_object('id', s.id, 'name', s.name, 'priority', s.priority, 'entered_at', m.entered_at,
          'tier', CASE WHEN t.id IS NULL THEN NULL ELSE json_build_object('id', t.id, 'name', t.name, 'code', t.code, 'segmentId', t.segment_id,
            'slaPolicyId', t.sla_policy_id, 'routingPriority', t.routing_priority, 'managerUserId', t.manager_user_id, 'teamId', t.team_id,
            'surveyCapDays', t.survey_cap_days) END) ORDER BY s.priority DESC, s.id)
        FROM segment_members m JOIN segments s ON s.id = m.segment_id AND s.active LEFT JOIN service_tiers t ON t.segment_id = s.id
        WHERE m.org_id = ${org}::uuid AND m.customer_id = customers.id) AS segs,
      (SELECT a.settings->'classNames' FROM analytics_settings a WHERE a.org_id = ${org}::uuid) AS class_names,
      (SELECT a.settings->>'currency' FROM analytics_settings a WHERE a.org_id = ${org}::uuid) AS currency,
      greatest(v.rfm_excluded_orders, v.clv_excluded_orders) AS excluded_orders
    FROM customers
    LEFT JOIN customer_values v ON v.org_id = customers.org_id AND v.customer_id = customers.id
    LEFT JOIN value_model_fits f ON f.id = v.model_fit_id
    WHERE ${customerScopeCondition(ctx.actor)} AND customers.id = ${customerId}::uuid`);
  if (!r) throw new NotFound('customer');
  const segs = r.segs ?? [];
  const withTier = segs.find((s) => s.tier !== null);
  const className = r.rfm_class ? rfmClassName(r.rfm_class, ctx.actor.locale, r.class_names ?? {}) : '';
  return {
    customerId: r.id,
    currency: r.currency ?? DEFAULT_ANALYTICS_CURRENCY,
    excludedOrders: r.excluded_orders ?? 0,
    rfm: r.rfm_class === null ? null : {
      rfmClass: r.rfm_class, className, rScore: r.r_score ?? 0, fScore: r.f_score ?? 0, mScore: r.m_score ?? 0,
      recencyDays: r.recency_days ?? 0, frequency: r.frequency ?? 0, monetaryMinor: Number(r.monetary_minor ?? 0),
      windowDays: r.rfm_window_days, computedAt: iso(r.rfm_computed_at),
    },
    // No P(alive): not in the last fit, or only orders in other currencies (excludedOrders says so).
    clv: r.clv_computed_at === null || r.p_alive === null ? null : {
      clvMinor: r.clv_minor === null ? null : Number(r.clv_minor), pAlive: r.p_alive, expectedPurchases: r.expected_purchases, computedAt: iso(r.clv_computed_at),
      model: r.model, params: r.params, logLikelihood: r.log_likelihood, spendParams: r.spend_params, horizonWeeks: r.horizon_weeks,
      annualDiscountRate: r.annual_discount_rate, calibrationEnd: iso(r.calibration_end), fittedAt: iso(r.fitted_at),
    },
    segments: segs.map((s) => ({ id: s.id, name: s.name, priority: s.priority, enteredAt: new Date(s.entered_at).toISOString() })),
    tier: withTier?.tier ?? null,
  };
}
