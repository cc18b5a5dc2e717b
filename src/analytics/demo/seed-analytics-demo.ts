// `kefu demo`: default segments and service tiers of the demo organization, then the first customer
// value refresh (RFM, value model, segment members) so the analytics pages have something to show.
// Idempotent: segments and tiers that exist (by name / code) are kept.
import { and, eq } from 'drizzle-orm';
import type { Ctx } from '../../platform/context.ts';
import { refreshCustomerValue } from '../refresh.ts';
import { createSegment } from '../segments.ts';
import type { RuleNode } from '../segment-rule.ts';
import { segments, serviceTiers } from '../tables.ts';
import { createTier } from '../tiers.ts';

interface DemoSegment {
  name: string;
  description: string;
  rule: RuleNode;
  priority: number;
  tier?: { name: string; code: string; routingPriority: number; surveyCapDays: number };
}

export const demoSegments: readonly DemoSegment[] = [
  {
    name: '重要价值客户', description: 'RFM 三项均高', priority: 100, rule: { field: 'rfmClass', op: 'eq', value: 'important_value' },
    tier: { name: '金牌服务', code: 'gold', routingPriority: 10, surveyCapDays: 90 },
  },
  {
    name: '重要发展与保持客户', description: '消费高，近度或频次有一项偏低', priority: 60,
    rule: { field: 'rfmClass', op: 'in', value: ['important_development', 'important_retain'] },
    tier: { name: '银牌服务', code: 'silver', routingPriority: 5, surveyCapDays: 60 },
  },
  {
    name: '重要挽留客户', description: '消费高但久未购买、频次低：优先挽回', priority: 80, rule: { field: 'rfmClass', op: 'eq', value: 'important_win_back' },
    tier: { name: '挽留关怀', code: 'winback', routingPriority: 8, surveyCapDays: 30 },
  },
  {
    name: '流失风险高', description: 'P(alive) 低于 0.3 且曾有消费', priority: 10,
    rule: { all: [{ field: 'pAlive', op: 'lt', value: 0.3 }, { field: 'frequency', op: 'gte', value: 1 }] },
  },
];

export async function seedAnalyticsDemo(ctx: Ctx): Promise<{ segments: number; tiers: number; scored: number; clv: string }> {
  const org = ctx.actor.orgId;
  let madeSegments = 0;
  let madeTiers = 0;
  for (const d of demoSegments) {
    let [seg] = await ctx.db.select({ id: segments.id }).from(segments).where(and(eq(segments.orgId, org), eq(segments.name, d.name)));
    if (!seg) {
      seg = await createSegment(ctx, { name: d.name, description: d.description, rule: d.rule, priority: d.priority });
      madeSegments++;
    }
    if (d.tier) {
      const [tier] = await ctx.db.select({ id: serviceTiers.id }).from(serviceTiers).where(and(eq(serviceTiers.orgId, org), eq(serviceTiers.code, d.tier.code)));
      if (!tier) {
        await createTier(ctx, { segmentId: seg.id, ...d.tier });
        madeTiers++;
      }
    }
  }
  const r = await refreshCustomerValue(ctx.db, org, ctx.now(), ctx.log);
  return { segments: madeSegments, tiers: madeTiers, scored: r.scored, clv: r.clv };
}
