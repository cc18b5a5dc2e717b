// Business calendars (工作日历) REST API under settings: thin routes, zod in and out, one use case per route.
import { z } from 'zod';
import type { FastifyRequest } from 'fastify';
import type { App, RouteDeps } from '../../http/app.ts';
import { requestLocale } from '../../http/errors.ts';
import type { Ctx } from '../../platform/context.ts';
import { businessCalendarOutput } from './calendar-rules.ts';
import { createBusinessCalendar, createBusinessCalendarInput } from './create-business-calendar.ts';
import { getBusinessCalendarSettings } from './get-business-calendar.ts';
import { listBusinessCalendars } from './list-business-calendars.ts';
import { updateBusinessCalendar, updateBusinessCalendarInput } from './update-business-calendar.ts';

const refParams = z.object({ id: z.string().describe("A calendar id, or 'default'") });
const errorSchema = z.object({ code: z.string(), message: z.string() }).passthrough();
const errors = { 400: errorSchema, 403: errorSchema, 404: errorSchema };

export async function businessCalendarRoutes(app: App, deps: RouteDeps) {
  // Field error messages and the built-in default's name are text: in the language of this request (the UI's switch).
  const ctxOf = (req: FastifyRequest): Ctx => {
    const ctx = deps.ctxOf(req);
    return { ...ctx, actor: { ...ctx.actor, locale: requestLocale(req) } };
  };
  app.get('/api/settings/business-calendars', {
    schema: {
      tags: ['settings'],
      summary: 'List business calendars (default first)',
      response: { 200: z.object({ items: z.array(businessCalendarOutput) }), ...errors },
    },
  }, async (req) => ({ items: await listBusinessCalendars(ctxOf(req)) }));

  app.post('/api/settings/business-calendars', {
    schema: {
      tags: ['settings'],
      summary: 'Add a business calendar (settings.manage)',
      body: createBusinessCalendarInput,
      response: { 201: businessCalendarOutput, ...errors, 409: errorSchema },
    },
  }, async (req, reply) => reply.code(201).send(await createBusinessCalendar(ctxOf(req), req.body)));

  app.get('/api/settings/business-calendars/:id', {
    schema: { tags: ['settings'], summary: "One business calendar; 'default' for the organization's default", params: refParams, response: { 200: businessCalendarOutput, ...errors } },
  }, async (req) => getBusinessCalendarSettings(ctxOf(req), req.params.id));

  app.put('/api/settings/business-calendars/:id', {
    schema: {
      tags: ['settings'],
      summary: 'Replace a business calendar (settings.manage)',
      description: "Send the `version` you read (0 to save the built-in default the first time); 409 with `current` when it moved.",
      params: refParams,
      body: updateBusinessCalendarInput,
      response: { 200: businessCalendarOutput, ...errors, 409: errorSchema },
    },
  }, async (req) => updateBusinessCalendar(ctxOf(req), req.params.id, req.body));
}
