// Analytics REST API (客户价值): thin routes, zod in and out, one use case per route.
import { z } from 'zod';
import type { App, RouteDeps } from '../http/app.ts';
import { assertCan } from '../platform/context.ts';
import { clvHistogram, clvHistogramOutput, clvHistogramQuery, pAliveScatter, scatterOutput, scatterQuery } from './distributions.ts';
import { keyAccounts, keyAccountsOutput, keyAccountsQuery, recordWalletEstimates, walletEstimatesInput } from './key-accounts.ts';
import './messages.ts';
import { migrationMatrix, migrationOutput, movementOutput, movementQuery, winningLosing } from './movement.ts';
import { paretoAnalysis, paretoOutput, paretoQuery } from './pareto.ts';
import { recomputeRfm, recomputeRfmInput, recomputeRfmOutput, rfmSummary, rfmSummaryOutput } from './rfm.ts';
import {
  createSegment, deleteSegment, getSegment, historyOutput, historyQuery, listSegments, materializeAllSegments, materializeSegment,
  previewInput, previewOutput, previewSegment, segmentHistory, segmentInput, segmentOutput, updateSegment, updateSegmentInput,
} from './segments.ts';
import { analyticsSettingsOutput, getAnalyticsSettings, updateAnalyticsSettings, updateAnalyticsSettingsInput } from './settings.ts';
import { createTier, deleteTier, listTiers, tierInput, tierOutput, updateTier, updateTierInput } from './tiers.ts';
import { customerValuePanel, valuePanelOutput } from './value-panel.ts';
import { audit } from '../platform/audit.ts';
import { refitClv, refitInput, refitOutput } from './clv.ts';

const idParams = z.object({ id: z.string() });
const versionQuery = z.object({ version: z.coerce.number().int().min(1) });
const errorSchema = z.object({ code: z.string(), message: z.string() }).passthrough();
const errors = { 400: errorSchema, 403: errorSchema, 404: errorSchema };
const tags = ['analytics'];

const materializeInput = z.object({ segmentId: z.string().uuid().optional(), wait: z.boolean().default(false) });
const materializeOutput = z.object({
  queued: z.boolean(),
  jobId: z.string().nullable(),
  results: z.array(z.object({ segmentId: z.string(), members: z.number(), entered: z.number(), left: z.number() })),
});

export async function analyticsRoutes(app: App, deps: RouteDeps) {
  app.get('/api/analytics/settings', { schema: { tags, response: { 200: analyticsSettingsOutput, ...errors } } }, async (req) => getAnalyticsSettings(deps.ctxOf(req)));
  app.put('/api/analytics/settings', {
    schema: { tags, description: 'Send the `version` you read (0 when never saved); 409 when it moved.', body: updateAnalyticsSettingsInput, response: { 200: analyticsSettingsOutput, ...errors, 409: errorSchema } },
  }, async (req) => updateAnalyticsSettings(deps.ctxOf(req), req.body));

  app.get('/api/analytics/pareto', {
    schema: { tags, summary: 'Pareto curve (二八分析): cumulative revenue (and margin) share vs customer share, top-20% share', querystring: paretoQuery, response: { 200: paretoOutput, ...errors } },
  }, async (req) => paretoAnalysis(deps.ctxOf(req), req.query));

  app.get('/api/analytics/rfm', {
    schema: { tags, summary: 'RFM classes (八类客户) with counts and revenue, and the R×F grid', response: { 200: rfmSummaryOutput, ...errors } },
  }, async (req) => rfmSummary(deps.ctxOf(req)));
  app.post('/api/analytics/rfm/recompute', {
    schema: { tags, summary: 'Rescore RFM for every customer now (set-based)', body: recomputeRfmInput, response: { 200: recomputeRfmOutput, ...errors } },
  }, async (req) => recomputeRfm(deps.ctxOf(req), req.body));

  app.post('/api/analytics/clv/refit', {
    schema: { tags, summary: 'Fit the value model (BG/NBD or Pareto/NBD + Gamma-Gamma) now and write CLV/P(alive) back', body: refitInput, response: { 200: refitOutput, ...errors } },
  }, async (req) => refitClv(deps.ctxOf(req), req.body));
  app.get('/api/analytics/clv/histogram', { schema: { tags, summary: 'CLV distribution', querystring: clvHistogramQuery, response: { 200: clvHistogramOutput, ...errors } } },
    async (req) => clvHistogram(deps.ctxOf(req), req.query));
  app.get('/api/analytics/clv/scatter', { schema: { tags, summary: 'P(alive) vs value, sampled', querystring: scatterQuery, response: { 200: scatterOutput, ...errors } } },
    async (req) => pAliveScatter(deps.ctxOf(req), req.query));

  app.get('/api/analytics/key-accounts', {
    schema: { tags, summary: 'Key accounts (大客户) by volume, margin and share of wallet; 假大户 flagged', querystring: keyAccountsQuery, response: { 200: keyAccountsOutput, ...errors } },
  }, async (req) => keyAccounts(deps.ctxOf(req), req.query));
  app.put('/api/analytics/wallet-estimates', {
    schema: { tags, summary: 'Record customers\' total purchases per category and year (share of wallet)', body: walletEstimatesInput, response: { 200: z.object({ saved: z.number() }), ...errors } },
  }, async (req) => recordWalletEstimates(deps.ctxOf(req), req.body));

  app.get('/api/analytics/movement', {
    schema: { tags, summary: 'Winning and losing: new, growing, stable, declining, lost per period', querystring: movementQuery, response: { 200: movementOutput, ...errors } },
  }, async (req) => winningLosing(deps.ctxOf(req), req.query));
  app.get('/api/analytics/migration', {
    schema: { tags, summary: 'RFM class migration matrix, previous period vs this one', querystring: movementQuery, response: { 200: migrationOutput, ...errors } },
  }, async (req) => migrationMatrix(deps.ctxOf(req), req.query));

  app.get('/api/analytics/segments', { schema: { tags, response: { 200: z.object({ items: z.array(segmentOutput) }), ...errors } } },
    async (req) => ({ items: await listSegments(deps.ctxOf(req)) }));
  app.post('/api/analytics/segments', {
    schema: { tags, description: 'Rule: {all|any: [...]} / {not: rule} / {field, op, value}; see docs/analytics.md.', body: segmentInput, response: { 201: segmentOutput, ...errors, 409: errorSchema } },
  }, async (req, reply) => reply.code(201).send(await createSegment(deps.ctxOf(req), req.body)));
  app.post('/api/analytics/segments/preview', {
    schema: { tags, summary: 'Live member count and a sample for a rule (nothing saved)', body: previewInput, response: { 200: previewOutput, ...errors } },
  }, async (req) => previewSegment(deps.ctxOf(req), req.body));
  app.post('/api/analytics/segments/materialize', {
    schema: {
      tags,
      description: 'Materialize one segment (`segmentId`) or all. Queued as a job when jobs run, unless `wait`.',
      body: materializeInput,
      response: { 200: materializeOutput, 202: materializeOutput, ...errors },
    },
  }, async (req, reply) => {
    const ctx = deps.ctxOf(req);
    assertCan(ctx.actor, 'analytics.manage');
    const { segmentId, wait } = req.body;
    if (segmentId) await getSegment(ctx, segmentId);
    if (ctx.jobs && !wait) {
      const jobId = await ctx.jobs.send('analytics.materialize', { orgId: ctx.actor.orgId, ...(segmentId ? { segmentId } : {}) });
      await audit(ctx, { action: 'segment.materialize', entityType: 'segment', entityId: segmentId ?? null, data: { queued: true } });
      return reply.code(202).send({ queued: true, jobId, results: [] });
    }
    const results = segmentId ? [await materializeSegment(ctx.db, ctx.actor.orgId, segmentId, ctx.now())] : await materializeAllSegments(ctx.db, ctx.actor.orgId, ctx.now());
    await audit(ctx, { action: 'segment.materialize', entityType: 'segment', entityId: segmentId ?? null, data: { queued: false, segments: results.length } });
    return reply.code(200).send({ queued: false, jobId: null, results });
  });
  app.get('/api/analytics/segments/:id', { schema: { tags, params: idParams, response: { 200: segmentOutput, ...errors } } },
    async (req) => getSegment(deps.ctxOf(req), req.params.id));
  app.patch('/api/analytics/segments/:id', {
    schema: { tags, description: 'Send the `version` you read; 409 with `current` when it moved.', params: idParams, body: updateSegmentInput, response: { 200: segmentOutput, ...errors, 409: errorSchema } },
  }, async (req) => updateSegment(deps.ctxOf(req), req.params.id, req.body));
  app.delete('/api/analytics/segments/:id', {
    schema: { tags, params: idParams, querystring: versionQuery, response: { 204: z.null(), ...errors, 409: errorSchema } },
  }, async (req, reply) => {
    await deleteSegment(deps.ctxOf(req), req.params.id, req.query.version);
    return reply.code(204).send(null);
  });
  app.get('/api/analytics/segments/:id/history', {
    schema: { tags, summary: 'Membership history: entered/left rows, newest first', params: idParams, querystring: historyQuery, response: { 200: historyOutput, ...errors } },
  }, async (req) => segmentHistory(deps.ctxOf(req), req.params.id, req.query));

  app.get('/api/analytics/tiers', { schema: { tags, response: { 200: z.object({ items: z.array(tierOutput) }), ...errors } } },
    async (req) => ({ items: await listTiers(deps.ctxOf(req)) }));
  app.post('/api/analytics/tiers', {
    schema: { tags, summary: 'A service tier (服务等级) for a segment', body: tierInput, response: { 201: tierOutput, ...errors, 409: errorSchema } },
  }, async (req, reply) => reply.code(201).send(await createTier(deps.ctxOf(req), req.body)));
  app.patch('/api/analytics/tiers/:id', {
    schema: { tags, params: idParams, body: updateTierInput, response: { 200: tierOutput, ...errors, 409: errorSchema } },
  }, async (req) => updateTier(deps.ctxOf(req), req.params.id, req.body));
  app.delete('/api/analytics/tiers/:id', {
    schema: { tags, params: idParams, querystring: versionQuery, response: { 204: z.null(), ...errors, 409: errorSchema } },
  }, async (req, reply) => {
    await deleteTier(deps.ctxOf(req), req.params.id, req.query.version);
    return reply.code(204).send(null);
  });

  app.get('/api/customers/:id/value', {
    schema: { tags, summary: 'The customer file\'s value panel: RFM, CLV, P(alive), segments, tier, and how they were computed', params: idParams, response: { 200: valuePanelOutput, ...errors } },
  }, async (req) => customerValuePanel(deps.ctxOf(req), req.params.id));
}
