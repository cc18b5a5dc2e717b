// Timeline sources of the service marketing domain: latent needs found and opportunity stage changes
// appear on the customer's timeline (客户时间线).
import { sql } from 'drizzle-orm';
import { beforeCondition, type TimelineSource } from '../customers/customer-timeline.ts';
import { t } from '../i18n/messages.ts';
import './messages.ts';

export const latentNeedSource: TimelineSource = {
  name: 'latent_needs',
  query: (p) => sql`SELECT id, 'latent_need'::text AS kind, created_at AS occurred_at, found_by AS actor_id, ''::text AS summary,
      jsonb_build_object('grade', grade, 'need', need, 'currentSituation', current_situation, 'productCategory', product_category, 'serviceOrderId', service_order_id) AS data
    FROM latent_needs
    WHERE org_id = ${p.orgId} AND customer_id = ${p.customerId} AND ${beforeCondition(sql`created_at`, sql`id`, p.before)}
    ORDER BY created_at DESC NULLS LAST, id DESC NULLS LAST LIMIT ${p.limit}`,
  summarize: (row, locale) => t(locale, 'timeline.latent_need', { grade: String(row.data.grade ?? ''), need: String(row.data.need ?? '') }),
};

export const opportunityStageSource: TimelineSource = {
  name: 'opportunity_stages',
  query: (p) => sql`SELECT id, 'opportunity.stage'::text AS kind, at AS occurred_at, actor_id, ''::text AS summary,
      jsonb_build_object('opportunityId', opportunity_id, 'from', from_stage, 'to', to_stage) || data AS data
    FROM opportunity_events
    WHERE org_id = ${p.orgId} AND customer_id = ${p.customerId} AND kind = 'stage' AND ${beforeCondition(sql`at`, sql`id`, p.before)}
    ORDER BY at DESC NULLS LAST, id DESC NULLS LAST LIMIT ${p.limit}`,
  summarize: (row, locale) =>
    t(locale, 'timeline.opportunity.stage', { from: t(locale, `stage.${String(row.data.from)}`), to: t(locale, `stage.${String(row.data.to)}`) }),
};
