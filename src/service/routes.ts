// Service desk REST API (售后服务单, 投诉, 回访): thin routes, zod in and out, one use case per route.
import { z } from 'zod';
import type { App, RouteDeps } from '../http/app.ts';
import { addCommentInput, addServiceOrderComment } from './add-service-order-comment.ts';
import { complaintRate } from './complaint-rate.ts';
import { createServiceOrder } from './create-service-order.ts';
import { createEscalationRule, listEscalationRules } from './escalation-rules.ts';
import { getServiceOrder, listServiceOrderEvents } from './get-service-order.ts';
import { listCallbacks } from './list-callbacks.ts';
import { listServiceOrdersJson } from './list-service-orders.ts';
import { recordCallbackOutcome } from './record-callback-outcome.ts';
import { scanSla } from './scan-sla.ts';
import {
  callbackOutcomeInput,
  callbackOutput,
  callbackPage,
  complaintRateOutput,
  complaintRateQuery,
  createEscalationRuleInput,
  createServiceOrderInput,
  createServiceTypeInput,
  createSlaPolicyInput,
  escalationRuleOutput,
  listCallbacksQuery,
  listServiceOrdersQuery,
  serviceOrderEventOutput,
  serviceOrderOutput,
  serviceOrderPage,
  serviceSettingsInput,
  serviceSettingsOutput,
  serviceTypeOutput,
  slaPolicyOutput,
  transitionInput,
  updateServiceOrderInput,
} from './schemas.ts';
import { getServiceSettings, updateServiceSettings } from './service-settings.ts';
import './service-timeline.ts';
import { createServiceType, listServiceTypes } from './service-types.ts';
import { createSlaPolicy, listSlaPolicies } from './sla-policies.ts';
import { transitionServiceOrder } from './transition-service-order.ts';
import { updateServiceOrder } from './update-service-order.ts';
import { updateEscalationRule, updateEscalationRuleInput } from './update-escalation-rule.ts';
import { updateServiceType, updateServiceTypeInput } from './update-service-type.ts';
import { updateSlaPolicy, updateSlaPolicyInput } from './update-sla-policy.ts';

const idParams = z.object({ id: z.string() });
const errorSchema = z.object({ code: z.string(), message: z.string() }).passthrough();
const errors = { 400: errorSchema, 403: errorSchema, 404: errorSchema };
const tags = ['service'];

export async function serviceRoutes(app: App, deps: RouteDeps) {
  app.get('/api/service-orders', {
    schema: {
      tags,
      summary: 'List service orders',
      description: '`view=mine|team|at-risk|breached|unassigned` lists open orders by next due time; without a view, all orders newest first. Comma-separated `status`, `type`, `priority`.',
      querystring: listServiceOrdersQuery,
      response: { 200: serviceOrderPage, ...errors },
    },
  // The page comes as the JSON text the database wrote; the serializer sends it (see TRUSTED_RESPONSES).
  }, async (req) => (await listServiceOrdersJson(deps.ctxOf(req), req.query)) as unknown as z.infer<typeof serviceOrderPage>);

  app.post('/api/service-orders', {
    schema: {
      tags,
      summary: 'Open a service order',
      description: 'Send `Idempotency-Key` to make retries safe: the same key and body answer the same order; the same key with another body is 409 `idempotency_key_reused`.',
      headers: z.object({ 'idempotency-key': z.string().optional() }).passthrough(),
      body: createServiceOrderInput,
      response: { 201: serviceOrderOutput, ...errors, 409: errorSchema },
    },
  }, async (req, reply) => {
    const key = req.headers['idempotency-key'];
    const out = await createServiceOrder(deps.ctxOf(req), req.body, { idempotencyKey: typeof key === 'string' ? key : undefined });
    return reply.code(201).send(out);
  });

  app.get('/api/service-orders/:id', {
    schema: { tags, params: idParams, response: { 200: serviceOrderOutput, ...errors } },
  }, async (req) => getServiceOrder(deps.ctxOf(req), req.params.id));

  app.patch('/api/service-orders/:id', {
    schema: {
      tags,
      description: 'Send the `version` you read; 409 with `current` when it moved. A priority change re-chooses the SLA policy.',
      params: idParams,
      body: updateServiceOrderInput,
      response: { 200: serviceOrderOutput, ...errors, 409: errorSchema },
    },
  }, async (req) => updateServiceOrder(deps.ctxOf(req), req.params.id, req.body));

  app.post('/api/service-orders/:id/transitions', {
    schema: {
      tags,
      description: 'Move the order to `to`. A transition the workflow does not allow is 400 with field code `invalid_transition` and `current.allowedTransitions`; a stale `version` is 409 with `current`.',
      params: idParams,
      body: transitionInput,
      response: { 200: serviceOrderOutput, ...errors, 409: errorSchema },
    },
  }, async (req) => transitionServiceOrder(deps.ctxOf(req), req.params.id, req.body));

  app.get('/api/service-orders/:id/events', {
    schema: { tags, params: idParams, response: { 200: z.object({ items: z.array(serviceOrderEventOutput) }), ...errors } },
  }, async (req) => ({ items: await listServiceOrderEvents(deps.ctxOf(req), req.params.id) }));

  app.post('/api/service-orders/:id/comments', {
    schema: { tags, params: idParams, body: addCommentInput, response: { 201: z.object({ ok: z.literal(true) }), ...errors } },
  }, async (req, reply) => reply.code(201).send(await addServiceOrderComment(deps.ctxOf(req), req.params.id, req.body)));

  app.get('/api/callbacks', {
    schema: { tags, summary: '回访 tasks', querystring: listCallbacksQuery, response: { 200: callbackPage, ...errors } },
  }, async (req) => listCallbacks(deps.ctxOf(req), req.query));

  app.post('/api/callbacks/:id/outcome', {
    schema: {
      tags,
      description: 'satisfied closes a resolved order; not_satisfied and reopen reopen it; unreachable retries up to the configured attempts.',
      params: idParams,
      body: callbackOutcomeInput,
      response: { 200: callbackOutput, ...errors, 409: errorSchema },
    },
  }, async (req) => recordCallbackOutcome(deps.ctxOf(req), req.params.id, req.body));

  app.get('/api/complaints/rate', {
    schema: { tags, summary: 'Complaints per 10,000 customers in [from, to)', querystring: complaintRateQuery, response: { 200: complaintRateOutput, ...errors } },
  }, async (req) => complaintRate(deps.ctxOf(req), req.query));

  app.get('/api/sla-policies', {
    schema: { tags, response: { 200: z.object({ items: z.array(slaPolicyOutput) }), ...errors } },
  }, async (req) => ({ items: await listSlaPolicies(deps.ctxOf(req)) }));

  app.post('/api/sla-policies', {
    schema: { tags, body: createSlaPolicyInput, response: { 201: slaPolicyOutput, ...errors, 409: errorSchema } },
  }, async (req, reply) => reply.code(201).send(await createSlaPolicy(deps.ctxOf(req), req.body)));

  app.get('/api/escalation-rules', {
    schema: { tags, response: { 200: z.object({ items: z.array(escalationRuleOutput) }), ...errors } },
  }, async (req) => ({ items: await listEscalationRules(deps.ctxOf(req)) }));

  app.post('/api/escalation-rules', {
    schema: { tags, body: createEscalationRuleInput, response: { 201: escalationRuleOutput, ...errors } },
  }, async (req, reply) => reply.code(201).send(await createEscalationRule(deps.ctxOf(req), req.body)));

  app.get('/api/service-types', {
    schema: {
      tags,
      description: '`includeInactive=true` also lists deactivated custom types (admin screens).',
      querystring: z.object({ includeInactive: z.enum(['true', 'false']).optional() }),
      response: { 200: z.object({ items: z.array(serviceTypeOutput) }), ...errors },
    },
  }, async (req) => ({ items: await listServiceTypes(deps.ctxOf(req), { includeInactive: req.query.includeInactive === 'true' }) }));

  app.post('/api/service-types', {
    schema: { tags, body: createServiceTypeInput, response: { 201: serviceTypeOutput, ...errors, 409: errorSchema } },
  }, async (req, reply) => reply.code(201).send(await createServiceType(deps.ctxOf(req), req.body)));

  app.get('/api/service-settings', {
    schema: { tags, response: { 200: serviceSettingsOutput, ...errors } },
  }, async (req) => getServiceSettings(deps.ctxOf(req)));

  app.put('/api/service-settings', {
    schema: { tags, body: serviceSettingsInput, response: { 200: serviceSettingsOutput, ...errors } },
  }, async (req) => updateServiceSettings(deps.ctxOf(req), req.body));

  app.patch('/api/sla-policies/:id', {
    schema: {
      tags,
      summary: 'Edit or (de)activate an SLA policy (service.manage)',
      description: 'Send the `version` you read; 409 with `current` when it moved. Open orders keep their due times.',
      params: idParams,
      body: updateSlaPolicyInput,
      response: { 200: slaPolicyOutput, ...errors, 409: errorSchema },
    },
  }, async (req) => updateSlaPolicy(deps.ctxOf(req), req.params.id, req.body));

  app.patch('/api/escalation-rules/:id', {
    schema: {
      tags,
      summary: 'Edit or (de)activate an escalation rule (service.manage)',
      description: 'Send the `version` you read; 409 with `current` when it moved.',
      params: idParams,
      body: updateEscalationRuleInput,
      response: { 200: escalationRuleOutput, ...errors, 409: errorSchema },
    },
  }, async (req) => updateEscalationRule(deps.ctxOf(req), req.params.id, req.body));

  app.patch('/api/service-types/:key', {
    schema: {
      tags,
      summary: 'Edit a service type: labels, callback delay, (de)activate a custom type (service.manage)',
      description: 'Send the `version` you read (0 for a built-in type never edited); 409 with `current` when it moved. Built-in types stay active.',
      params: z.object({ key: z.string() }),
      body: updateServiceTypeInput,
      response: { 200: serviceTypeOutput, ...errors, 409: errorSchema },
    },
  }, async (req) => updateServiceType(deps.ctxOf(req), req.params.key, req.body));

  app.post('/api/sla-scan', {
    schema: {
      tags,
      summary: 'Run the SLA scan for this organization now (the scheduled job scans all organizations)',
      response: { 200: z.object({ atRisk: z.number(), breached: z.number(), escalations: z.number(), actionsApplied: z.number() }), ...errors },
    },
  }, async (req) => scanSla(deps.ctxOf(req)));
}
