// Service marketing (服务营销) REST API: latent needs, opportunities, commissions, rules, settings, KPIs.
// Thin routes, zod in and out, one use case per route.
import { z } from 'zod';
import type { App, RouteDeps } from '../http/app.ts';
import { createCommissionRule, listCommissionRules, updateCommissionRule } from './commission-rules.ts';
import { getOpportunity } from './get-opportunity.ts';
import { registerOpportunityHooks } from './hooks.ts';
import { listCommissions } from './list-commissions.ts';
import { listOpportunities } from './list-opportunities.ts';
import { opportunityBoard } from './opportunity-board.ts';
import { opportunityKpis } from './opportunity-kpis.ts';
import { getPipelineSettings, updatePipelineSettings } from './pipeline-settings.ts';
import { recordLatentNeed, recordNeedOnServiceOrder } from './record-latent-need.ts';
import {
  boardOutput,
  boardQuery,
  commissionRuleInput,
  commissionRuleOutput,
  commissionsOutput,
  commissionsQuery,
  kpiOutput,
  kpiQuery,
  listOpportunitiesQuery,
  opportunityDetail,
  opportunityOutput,
  opportunityPage,
  recordNeedInput,
  settingsInput,
  settingsOutput,
  updateCommissionRuleInput,
  updateOpportunityInput,
} from './schemas.ts';
import { updateOpportunity } from './update-opportunity.ts';

const idParams = z.object({ id: z.string() });
const errorSchema = z.object({ code: z.string(), message: z.string() }).passthrough();
const errors = { 400: errorSchema, 403: errorSchema, 404: errorSchema };
const tags = ['opportunities'];

export async function opportunityRoutes(app: App, deps: RouteDeps) {
  registerOpportunityHooks();

  app.post('/api/service-orders/:id/needs', {
    schema: {
      tags,
      summary: 'Record a latent need found on a service order',
      description: 'Returns the opportunity it created (owner: the customer manager, else the sales team, else the finder team).',
      params: idParams,
      body: recordNeedInput,
      response: { 201: opportunityOutput, ...errors },
    },
  }, async (req, reply) => reply.code(201).send(await recordNeedOnServiceOrder(deps.ctxOf(req), req.params.id, req.body)));

  app.post('/api/customers/:id/needs', {
    schema: { tags, summary: 'Record a latent need found outside a service order', params: idParams, body: recordNeedInput, response: { 201: opportunityOutput, ...errors } },
  }, async (req, reply) => reply.code(201).send(await recordLatentNeed(deps.ctxOf(req), { customerId: req.params.id }, req.body)));

  app.get('/api/opportunities', {
    schema: { tags, summary: 'Opportunity work list', querystring: listOpportunitiesQuery, response: { 200: opportunityPage, ...errors } },
  }, async (req) => listOpportunities(deps.ctxOf(req), req.query));

  app.get('/api/opportunities/board', {
    schema: { tags, summary: 'Pipeline board: counts and expected value per stage', querystring: boardQuery, response: { 200: boardOutput, ...errors } },
  }, async (req) => opportunityBoard(deps.ctxOf(req), req.query));

  app.get('/api/opportunities/kpis', {
    schema: { tags, summary: 'Needs found per staff member, conversion, commissions per month', querystring: kpiQuery, response: { 200: kpiOutput, ...errors } },
  }, async (req) => opportunityKpis(deps.ctxOf(req), req.query));

  app.get('/api/opportunities/:id', {
    schema: { tags, params: idParams, response: { 200: opportunityDetail, ...errors } },
  }, async (req) => getOpportunity(deps.ctxOf(req), req.params.id));

  app.patch('/api/opportunities/:id', {
    schema: {
      tags,
      description: 'Send the `version` you read; 409 with `current` when it moved. Stage `won` takes `orderId` (an order of the same customer); `lost` takes `lostReason`.',
      params: idParams,
      body: updateOpportunityInput,
      response: { 200: opportunityOutput, ...errors, 409: errorSchema },
    },
  }, async (req) => updateOpportunity(deps.ctxOf(req), req.params.id, req.body));

  app.get('/api/commissions', {
    schema: { tags, summary: "A staff member's commission ledger for a month (YYYY-MM, organization time zone)", querystring: commissionsQuery, response: { 200: commissionsOutput, ...errors } },
  }, async (req) => listCommissions(deps.ctxOf(req), req.query));

  app.get('/api/commission-rules', {
    schema: { tags, response: { 200: z.object({ items: z.array(commissionRuleOutput) }), ...errors } },
  }, async (req) => ({ items: await listCommissionRules(deps.ctxOf(req)) }));

  app.post('/api/commission-rules', {
    schema: { tags, body: commissionRuleInput, response: { 201: commissionRuleOutput, ...errors } },
  }, async (req, reply) => reply.code(201).send(await createCommissionRule(deps.ctxOf(req), req.body)));

  app.patch('/api/commission-rules/:id', {
    schema: { tags, params: idParams, body: updateCommissionRuleInput, response: { 200: commissionRuleOutput, ...errors, 409: errorSchema } },
  }, async (req) => updateCommissionRule(deps.ctxOf(req), req.params.id, req.body));

  app.get('/api/opportunity-settings', {
    schema: { tags, response: { 200: settingsOutput, ...errors } },
  }, async (req) => getPipelineSettings(deps.ctxOf(req)));

  app.put('/api/opportunity-settings', {
    schema: { tags, body: settingsInput, response: { 200: settingsOutput, ...errors, 409: errorSchema } },
  }, async (req) => updatePipelineSettings(deps.ctxOf(req), req.body));
}
