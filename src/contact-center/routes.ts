// Contact center REST API (呼叫中心): thin routes, zod in and out, one use case per route.
import { z } from 'zod';
import type { App, RouteDeps } from '../http/app.ts';
import { requestLocale } from '../http/errors.ts';
import { assertCan } from '../platform/context.ts';
import { createAgent, getAgent, listAgents, listAgentStateEvents, recordAgentStates, setAgentState, updateAgent } from './agents.ts';
import { aggregateRange } from './aggregate-intervals.ts';
import './call-timeline.ts';
import { ingestCtiEvents } from './ingest-cti-events.ts';
import { getCurrentIvr, getIvrVersion, listIvrVersions, publishIvr, validateIvr } from './ivr.ts';
import { contactCenterKpis } from './kpis.ts';
import { getOrgCalendar, orgTimeZone, resolveRange } from './org-calendar.ts';
import { listCalls } from './list-calls.ts';
import { createQueue, getQueue, listQueues, updateQueue } from './queues.ts';
import {
  agentOutput, agentStateBatchInput, agentStateEventOutput, agentStateInput, callPage, ccSettingsInput, ccSettingsOutput, createAgentInput,
  createQueueInput, createSkillInput, ctiIngestInput, ctiIngestOutput, ivrTree, ivrValidationOutput, ivrVersionOutput, ivrVersionSummary,
  instantOrDay, kpiOutput, kpiQuery, orgCalendarOutput, listCallsQuery, publishIvrInput, queueOutput, skillOutput, updateAgentInput, updateQueueInput, updateSkillInput, wallboardOutput,
} from './schemas.ts';
import { getCcSettings, updateCcSettings } from './settings.ts';
import { createSkill, listSkills, updateSkill } from './skills.ts';
import { computeWallboard } from './wallboard.ts';
import { onWallboardChange } from './wallboard-bus.ts';

const idParams = z.object({ id: z.string().uuid() });
const errorSchema = z.object({ code: z.string(), message: z.string() }).passthrough();
const errors = { 400: errorSchema, 403: errorSchema, 404: errorSchema };
const tags = ['contact-center'];
const P = '/api/contact-center';

export async function contactCenterRoutes(app: App, deps: RouteDeps) {
  app.get(`${P}/queues`, { schema: { tags, response: { 200: z.object({ items: z.array(queueOutput) }), ...errors } } },
    async (req) => ({ items: await listQueues(deps.ctxOf(req)) }));
  app.post(`${P}/queues`, { schema: { tags, body: createQueueInput, response: { 201: queueOutput, ...errors, 409: errorSchema } } },
    async (req, reply) => reply.code(201).send(await createQueue(deps.ctxOf(req), req.body)));
  app.get(`${P}/queues/:id`, { schema: { tags, params: idParams, response: { 200: queueOutput, ...errors } } },
    async (req) => getQueue(deps.ctxOf(req), req.params.id));
  app.patch(`${P}/queues/:id`, { schema: { tags, description: 'Send the `version` you read; 409 with `current` when it moved.', params: idParams, body: updateQueueInput, response: { 200: queueOutput, ...errors, 409: errorSchema } } },
    async (req) => updateQueue(deps.ctxOf(req), req.params.id, req.body));

  app.get(`${P}/skills`, { schema: { tags, response: { 200: z.object({ items: z.array(skillOutput) }), ...errors } } },
    async (req) => ({ items: await listSkills(deps.ctxOf(req)) }));
  app.post(`${P}/skills`, { schema: { tags, body: createSkillInput, response: { 201: skillOutput, ...errors, 409: errorSchema } } },
    async (req, reply) => reply.code(201).send(await createSkill(deps.ctxOf(req), req.body)));
  app.patch(`${P}/skills/:id`, { schema: { tags, params: idParams, body: updateSkillInput, response: { 200: skillOutput, ...errors, 409: errorSchema } } },
    async (req) => updateSkill(deps.ctxOf(req), req.params.id, req.body));

  app.get(`${P}/agents`, { schema: { tags, description: 'All agents (contact_center.read), or only your own (agents).', querystring: z.object({ teamId: z.string().uuid().optional() }), response: { 200: z.object({ items: z.array(agentOutput) }), ...errors } } },
    async (req) => ({ items: await listAgents(deps.ctxOf(req), req.query) }));
  app.post(`${P}/agents`, { schema: { tags, body: createAgentInput, response: { 201: agentOutput, ...errors, 409: errorSchema } } },
    async (req, reply) => reply.code(201).send(await createAgent(deps.ctxOf(req), req.body)));
  app.get(`${P}/agents/:id`, { schema: { tags, params: idParams, response: { 200: agentOutput, ...errors } } },
    async (req) => getAgent(deps.ctxOf(req), req.params.id));
  app.patch(`${P}/agents/:id`, { schema: { tags, params: idParams, body: updateAgentInput, response: { 200: agentOutput, ...errors, 409: errorSchema } } },
    async (req) => updateAgent(deps.ctxOf(req), req.params.id, req.body));
  app.post(`${P}/agents/:id/state`, { schema: { tags, summary: 'Change an agent\'s state (supervisors: anyone; agents: themselves)', params: idParams, body: agentStateInput, response: { 200: agentOutput, ...errors } } },
    async (req) => setAgentState(deps.ctxOf(req), req.params.id, req.body));
  app.get(`${P}/agents/:id/states`, { schema: { tags, params: idParams, querystring: z.object({ from: z.string().datetime({ offset: true }).optional(), to: z.string().datetime({ offset: true }).optional() }), response: { 200: z.object({ items: z.array(agentStateEventOutput) }), ...errors } } },
    async (req) => ({ items: await listAgentStateEvents(deps.ctxOf(req), req.params.id, req.query) }));
  app.post(`${P}/agent-states`, { schema: { tags, summary: 'Agent states from the PBX, by extension (cti.ingest)', body: agentStateBatchInput, response: { 200: z.object({ received: z.number(), recorded: z.number() }), ...errors } } },
    async (req) => recordAgentStates(deps.ctxOf(req), req.body));

  app.get(`${P}/ivr`, { schema: { tags, summary: 'The published IVR menu (null when none)', response: { 200: ivrVersionOutput.nullable(), ...errors } } },
    async (req) => getCurrentIvr(deps.ctxOf(req)));
  app.post(`${P}/ivr`, { schema: { tags, summary: 'Publish a new IVR version', description: '`baseVersion` is the version you edited (0 for the first); 409 `conflict` with `current.version` when another was published since; 400 with one field error per problem.', body: publishIvrInput, response: { 201: ivrVersionOutput, ...errors, 409: errorSchema } } },
    async (req, reply) => reply.code(201).send(await publishIvr(deps.ctxOf(req), req.body)));
  app.post(`${P}/ivr/validate`, { schema: { tags, summary: 'Check a tree without publishing', body: ivrTree, response: { 200: ivrValidationOutput, ...errors } } },
    async (req) => validateIvr(deps.ctxOf(req), req.body, requestLocale(req)));
  app.get(`${P}/ivr/versions`, { schema: { tags, response: { 200: z.object({ items: z.array(ivrVersionSummary) }), ...errors } } },
    async (req) => ({ items: await listIvrVersions(deps.ctxOf(req)) }));
  app.get(`${P}/ivr/versions/:version`, { schema: { tags, params: z.object({ version: z.coerce.number().int().min(1) }), response: { 200: ivrVersionOutput, ...errors } } },
    async (req) => getIvrVersion(deps.ctxOf(req), req.params.version));

  app.post(`${P}/cti-events`, {
    schema: {
      tags,
      summary: 'CTI call events from the PBX (one, or {events:[…]} up to 5,000)',
      description: 'Idempotent on `eventId`: a replayed event is accepted and counted in `duplicates`. Needs `cti.ingest` (an API token of an integration user).',
      body: ctiIngestInput,
      response: { 200: ctiIngestOutput, ...errors },
    },
  }, async (req) => ingestCtiEvents(deps.ctxOf(req), req.body));

  app.get(`${P}/calls`, { schema: { tags, querystring: listCallsQuery, response: { 200: callPage, ...errors } } },
    async (req) => listCalls(deps.ctxOf(req), req.query));

  app.get(`${P}/kpis`, { schema: { tags, summary: 'KPIs per interval, day, queue, team or agent', querystring: kpiQuery, response: { 200: kpiOutput, ...errors } } },
    async (req) => contactCenterKpis(deps.ctxOf(req), req.query));
  app.post(`${P}/kpis/aggregate`, {
    schema: { tags, summary: 'Recompute the per-interval KPI tables for [from, to) now (backfill, or after changing a queue\'s targets)', description: 'Instants, or days (YYYY-MM-DD) in the organization\'s time zone with `to` inclusive.', body: z.object({ from: instantOrDay, to: instantOrDay }).strict(), response: { 200: z.object({ queueBins: z.number(), agentBins: z.number(), from: z.string().nullable(), to: z.string().nullable() }), ...errors } },
  }, async (req) => {
    const ctx = deps.ctxOf(req);
    assertCan(ctx.actor, 'contact_center.manage');
    const range = await resolveRange(ctx.db, await orgTimeZone(ctx.db, ctx.actor.orgId), req.body.from, req.body.to);
    return aggregateRange(ctx.db, ctx.actor.orgId, new Date(range.from), new Date(range.to), ctx.now());
  });
  app.get(`${P}/calendar`, { schema: { tags, summary: 'Today and this week\'s Monday in the organization\'s time zone (for date pickers)', response: { 200: orgCalendarOutput, ...errors } } },
    async (req) => getOrgCalendar(deps.ctxOf(req)));

  app.get(`${P}/settings`, { schema: { tags, response: { 200: ccSettingsOutput, ...errors } } }, async (req) => getCcSettings(deps.ctxOf(req)));
  app.put(`${P}/settings`, { schema: { tags, body: ccSettingsInput, response: { 200: ccSettingsOutput, ...errors, 409: errorSchema } } },
    async (req) => updateCcSettings(deps.ctxOf(req), req.body));

  app.get(`${P}/wallboard`, { schema: { tags, response: { 200: wallboardOutput, ...errors } } }, async (req) => {
    const ctx = deps.ctxOf(req);
    assertCan(ctx.actor, 'contact_center.read');
    return computeWallboard(ctx.db, ctx.actor.orgId, ctx.now());
  });

  app.get(`${P}/wallboard/stream`, {
    schema: {
      tags,
      summary: 'Server-sent events: `event: wallboard` with the wallboard JSON every few seconds and at once after ingestion',
      querystring: z.object({ intervalSeconds: z.coerce.number().int().min(1).max(60).default(5) }),
    },
  }, async (req, reply) => {
    const ctx = deps.ctxOf(req);
    assertCan(ctx.actor, 'contact_center.read');
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    let closed = false;
    let busy = false;
    let again = false;
    const push = async (): Promise<void> => {
      if (closed) return;
      if (busy) {
        again = true;
        return;
      }
      busy = true;
      try {
        const board = await computeWallboard(ctx.db, ctx.actor.orgId, ctx.now());
        if (!closed) res.write(`event: wallboard\ndata: ${JSON.stringify(board)}\n\n`);
      } catch (err) {
        req.log.warn({ err }, 'wallboard push failed');
      } finally {
        busy = false;
      }
      if (again) {
        again = false;
        void push();
      }
    };
    // Ingestion bursts arrive many times a second: push at most every 500 ms on change.
    let pending: NodeJS.Timeout | null = null;
    const off = onWallboardChange(ctx.actor.orgId, () => {
      pending ??= setTimeout(() => {
        pending = null;
        void push();
      }, 500);
    });
    const timer = setInterval(() => void push(), req.query.intervalSeconds * 1000);
    const close = () => {
      closed = true;
      clearInterval(timer);
      if (pending) clearTimeout(pending);
      off();
    };
    req.raw.on('close', close);
    res.on('close', close);
    await push();
  });
}
