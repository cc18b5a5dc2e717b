// Outbox REST API: thin routes, zod in and out.
import { z } from 'zod';
import type { App, RouteDeps } from '../http/app.ts';
import { requestLocale } from '../http/errors.ts';
import { listOutbox, listOutboxQuery, outboxPage } from './list-outbox.ts';
import './timeline.ts';

const errorSchema = z.object({ code: z.string(), message: z.string() }).passthrough();

export async function messagingRoutes(app: App, deps: RouteDeps) {
  app.get('/api/outbox', {
    schema: {
      tags: ['messaging'],
      summary: 'Outbox: messages written for sending (SMS, email, WeCom, DingTalk, in-app), newest first',
      querystring: listOutboxQuery,
      response: { 200: outboxPage, 400: errorSchema, 403: errorSchema },
    },
  }, async (req) => {
    // Reason texts in the language of this request (the UI's switch), not the profile's.
    const ctx = deps.ctxOf(req);
    return listOutbox({ ...ctx, actor: { ...ctx.actor, locale: requestLocale(req) } }, req.query);
  });
}
