// Service-desk KPIs over HTTP: one thin route.
import { z } from 'zod';
import type { App, RouteDeps } from '../../http/app.ts';
import { serviceKpis, serviceKpisOutput, serviceKpisQuery } from './service-kpis.ts';

const errorSchema = z.object({ code: z.string(), message: z.string() }).passthrough();

export async function serviceKpiRoutes(app: App, deps: RouteDeps) {
  app.get('/api/service-kpis', {
    schema: {
      tags: ['service'],
      summary: 'Service-desk KPIs for a period of local dates',
      description:
        '`from` and `to` are local dates (YYYY-MM-DD, both included) in the organization\'s time zone; `groupBy=team|assignee|type|none`. ' +
        'SLA attainment, first-contact resolution, time to resolve and reopen rate over orders opened in the period; backlog of orders open now by age; ' +
        'callback satisfaction over callbacks completed in the period; complaints per 10,000 customers. Supervisors, admins and analysts.',
      querystring: serviceKpisQuery,
      response: { 200: serviceKpisOutput, 400: errorSchema, 403: errorSchema },
    },
  }, async (req) => serviceKpis(deps.ctxOf(req), req.query));
}
