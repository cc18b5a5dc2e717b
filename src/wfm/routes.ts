// WFM planner REST API (排班): thin routes, zod in and out, one use case per route. Forecasts, shift plans and
// rosters are runs done by background jobs (runs.ts): POST answers 202 with status 'queued'; GET the resource
// until it is finished or failed.
import { z } from 'zod';
import type { App, RouteDeps } from '../http/app.ts';
import { adherenceTimeline, rosterAdherence } from './adherence.ts';
import { getAgentPreferences, saveAgentPreferences } from './preferences.ts';
import { createForecast, getForecast, listForecasts } from './forecasts.ts';
import { importHistory, listSeries } from './history.ts';
import { createRequirement, getRequirement, listRequirements } from './requirements.ts';
import { createRoster, getRoster, listRosters } from './rosters.ts';
import {
  adherenceOutput, adherenceTimelineOutput, adherenceTimelineQuery, agentPreferencesOutput, saveAgentPreferencesInput, createForecastInput, createRequirementInput, createRosterInput, createShiftPlanInput, createShiftTemplateInput, createSwapInput, decideSwapInput,
  forecastOutput, forecastSummary, importHistoryInput, myScheduleOutput, requirementOutput, requirementSummary, rosterOutput, rosterShiftOutput, rosterSummary, scheduleQuery, seriesOutput,
  shiftPlanOutput, shiftTemplateOutput, swapOutput, updateShiftTemplateInput,
} from './schemas.ts';
import { createShiftPlan, getShiftPlan, listShiftPlans } from './shift-plans.ts';
import { createShiftTemplate, listShiftTemplates, updateShiftTemplate } from './shift-templates.ts';
import { simulationInputSchema } from './simulate-schema.ts';
import { agentShifts, createSwapRequest, decideSwapRequest, listSwapRequests, mySchedule } from './swaps.ts';
import { runWhatIf } from './what-if.ts';

const idParams = z.object({ id: z.string().uuid() });
const errorSchema = z.object({ code: z.string(), message: z.string() }).passthrough();
const errors = { 400: errorSchema, 403: errorSchema, 404: errorSchema };
const tags = ['wfm'];
const P = '/api/wfm';
const ci = z.tuple([z.number(), z.number()]).nullable();
const whatIfOutput = z.object({
  replications: z.number(), durationMinutes: z.number(), warmupMinutes: z.number(),
  queues: z.array(z.object({ id: z.string(), offered: z.number(), answered: z.number(), abandoned: z.number(), serviceLevel: z.number(), serviceLevelCi95: ci, asa: z.number(), asaCi95: ci, pAbandon: z.number(), pAbandonCi95: ci, occupancy: z.number(), occupancyCi95: ci,
    // With a queue's `callback` setting: callbacks offered when the expected wait is long (see src/wfm/model/simulation.ts).
    callbacks: z.object({ offered: z.number(), accepted: z.number(), answered: z.number(), offerRate: z.number(), offerRateCi95: ci, serviceLevel: z.number(), serviceLevelCi95: ci, asa: z.number(), asaCi95: ci, meanEstimatedWait: z.number(), meanEstimatedWaitCi95: ci }).optional() })),
  overall: z.object({ offered: z.number(), occupancy: z.number(), occupancyCi95: ci }),
});

export async function wfmRoutes(app: App, deps: RouteDeps) {
  app.get(`${P}/series`, { schema: { tags, summary: 'Interval series to forecast from (imported and contact-center queues)', response: { 200: z.object({ items: z.array(seriesOutput) }), ...errors } } },
    async (req) => ({ items: await listSeries(deps.ctxOf(req)) }));
  app.post(`${P}/history`, { bodyLimit: Math.max(2 * 1024 * 1024, deps.config.maxUploadBytes), schema: { tags, summary: 'Import interval history (bank-calls CSV as text)', body: importHistoryInput, response: { 200: z.object({ series: z.string(), days: z.number(), intervals: z.number() }), ...errors } } },
    async (req) => importHistory(deps.ctxOf(req), req.body));

  app.get(`${P}/forecasts`, { schema: { tags, response: { 200: z.object({ items: z.array(forecastSummary) }), ...errors } } },
    async (req) => ({ items: await listForecasts(deps.ctxOf(req)) }));
  app.post(`${P}/forecasts`, { schema: { tags, summary: 'Start a forecast run (method by backtest, held-out accuracy, prediction intervals); 202 with status queued', description: 'The run is a background job: GET the forecast until its status is done or failed (with the reason in error).', body: createForecastInput, response: { 202: forecastOutput, ...errors } } },
    async (req, reply) => reply.code(202).send((await createForecast(deps.ctxOf(req), req.body)).forecast));
  app.get(`${P}/forecasts/:id`, { schema: { tags, params: idParams, response: { 200: forecastOutput, ...errors } } },
    async (req) => getForecast(deps.ctxOf(req), req.params.id));

  app.get(`${P}/requirements`, { schema: { tags, summary: 'The latest staffing requirements with their queue (series)', response: { 200: z.object({ items: z.array(requirementSummary) }), ...errors } } },
    async (req) => ({ items: await listRequirements(deps.ctxOf(req)) }));
  app.post(`${P}/requirements`, { schema: { tags, summary: 'Staffing requirement (Erlang C/A per interval) from a forecast', body: createRequirementInput, response: { 201: requirementOutput, ...errors } } },
    async (req, reply) => reply.code(201).send(await createRequirement(deps.ctxOf(req), req.body)));
  app.get(`${P}/requirements/:id`, { schema: { tags, params: idParams, response: { 200: requirementOutput, ...errors } } },
    async (req) => getRequirement(deps.ctxOf(req), req.params.id));

  app.get(`${P}/shift-templates`, { schema: { tags, response: { 200: z.object({ items: z.array(shiftTemplateOutput) }), ...errors } } },
    async (req) => ({ items: await listShiftTemplates(deps.ctxOf(req)) }));
  app.post(`${P}/shift-templates`, { schema: { tags, body: createShiftTemplateInput, response: { 201: shiftTemplateOutput, ...errors, 409: errorSchema } } },
    async (req, reply) => reply.code(201).send(await createShiftTemplate(deps.ctxOf(req), req.body)));
  app.patch(`${P}/shift-templates/:id`, { schema: { tags, params: idParams, body: updateShiftTemplateInput, response: { 200: shiftTemplateOutput, ...errors, 409: errorSchema } } },
    async (req) => updateShiftTemplate(deps.ctxOf(req), req.params.id, req.body));

  app.get(`${P}/shift-plans`, { schema: { tags, response: { 200: z.object({ items: z.array(shiftPlanOutput) }), ...errors } } },
    async (req) => ({ items: await listShiftPlans(deps.ctxOf(req)) }));
  app.post(`${P}/shift-plans`, { schema: { tags, summary: 'Start a shift plan solve (HiGHS, worker thread); 202 with status queued', body: createShiftPlanInput, response: { 202: shiftPlanOutput, ...errors } } },
    async (req, reply) => reply.code(202).send((await createShiftPlan(deps.ctxOf(req), req.body)).plan));
  app.get(`${P}/shift-plans/:id`, { schema: { tags, params: idParams, response: { 200: shiftPlanOutput, ...errors } } },
    async (req) => getShiftPlan(deps.ctxOf(req), req.params.id));

  app.get(`${P}/rosters`, { schema: { tags, response: { 200: z.object({ items: z.array(rosterSummary) }), ...errors } } },
    async (req) => ({ items: await listRosters(deps.ctxOf(req)) }));
  app.post(`${P}/rosters`, { schema: { tags, summary: 'Start a roster solve from a finished shift plan; 202 with status queued', body: createRosterInput, response: { 202: rosterOutput, ...errors } } },
    async (req, reply) => reply.code(202).send((await createRoster(deps.ctxOf(req), req.body)).roster));
  app.get(`${P}/rosters/:id`, { schema: { tags, params: idParams, response: { 200: rosterOutput, ...errors } } },
    async (req) => getRoster(deps.ctxOf(req), req.params.id));
  app.get(`${P}/rosters/:id/adherence`, { schema: { tags, summary: 'Adherence per agent and day (rostered shifts vs agent states)', params: idParams, response: { 200: adherenceOutput, ...errors } } },
    async (req) => rosterAdherence(deps.ctxOf(req), req.params.id));
  app.get(`${P}/rosters/:id/adherence/timeline`, { schema: { tags, summary: 'One agent\'s day: scheduled work and breaks beside the agent states, with adherence', params: idParams, querystring: adherenceTimelineQuery, response: { 200: adherenceTimelineOutput, ...errors } } },
    async (req) => adherenceTimeline(deps.ctxOf(req), req.params.id, req.query));
  app.get(`${P}/agents/:agentId/preferences`, { schema: { tags, summary: 'An agent\'s scheduling preferences (the agent, or a planner)', params: z.object({ agentId: z.string().uuid() }), response: { 200: agentPreferencesOutput, ...errors } } },
    async (req) => getAgentPreferences(deps.ctxOf(req), req.params.agentId));
  app.put(`${P}/agents/:agentId/preferences`, { schema: { tags, summary: 'Save an agent\'s scheduling preferences; 400 with field errors, 409 on a stale version', params: z.object({ agentId: z.string().uuid() }), body: saveAgentPreferencesInput, response: { 200: agentPreferencesOutput, ...errors, 409: errorSchema } } },
    async (req) => saveAgentPreferences(deps.ctxOf(req), req.params.agentId, req.body));
  app.get(`${P}/rosters/:id/agents/:agentId/shifts`, { schema: { tags, params: z.object({ id: z.string().uuid(), agentId: z.string().uuid() }), response: { 200: z.object({ items: z.array(rosterShiftOutput) }), ...errors } } },
    async (req) => ({ items: await agentShifts(deps.ctxOf(req), req.params.id, req.params.agentId) }));

  app.get(`${P}/my-schedule`, { schema: { tags, summary: 'The acting agent\'s shifts, swaps and colleagues', querystring: scheduleQuery, response: { 200: myScheduleOutput, ...errors } } },
    async (req) => mySchedule(deps.ctxOf(req), req.query));
  app.get(`${P}/swaps`, { schema: { tags, querystring: z.object({ rosterId: z.string().uuid().optional() }), response: { 200: z.object({ items: z.array(swapOutput) }), ...errors } } },
    async (req) => ({ items: await listSwapRequests(deps.ctxOf(req), req.query) }));
  app.post(`${P}/swaps`, { schema: { tags, summary: 'Request a shift swap (your shift for a colleague\'s, or a give-away)', body: createSwapInput, response: { 201: swapOutput, ...errors } } },
    async (req, reply) => reply.code(201).send(await createSwapRequest(deps.ctxOf(req), req.body)));
  app.post(`${P}/swaps/:id/decision`, { schema: { tags, summary: 'accept/decline (the colleague), approve/reject (a planner), cancel', description: 'Approval re-checks the roster; 409 with the violated rules when the swap breaks one.', params: idParams, body: decideSwapInput, response: { 200: swapOutput, ...errors, 409: errorSchema } } },
    async (req) => decideSwapRequest(deps.ctxOf(req), req.params.id, req.body));

  app.post(`${P}/what-if`, { schema: { tags, summary: 'What-if simulation (queues, agent groups, skills) with 95% CIs', body: simulationInputSchema, response: { 200: whatIfOutput, ...errors } } },
    async (req) => runWhatIf(deps.ctxOf(req), req.body));
}
