// Orders REST API: thin routes, zod in and out, one use case per route.
import { z } from 'zod';
import type { App, RouteDeps } from '../http/app.ts';
import { addStageEvent } from './add-stage-event.ts';
import { createOrder } from './create-order.ts';
import { createProduct } from './create-product.ts';
import { getOrder } from './get-order.ts';
import { customerOrdersPage, customerOrdersQuery, listCustomerOrders } from './list-customer-orders.ts';
import { customerReturnsOutput, customerReturnsQuery, listCustomerReturns } from './list-customer-returns.ts';
import { listOrders } from './list-orders.ts';
import { listProducts } from './list-products.ts';
import './order-timeline.ts';
import { purchasesSummary } from './purchases-summary.ts';
import { recordReturn } from './record-return.ts';
import { settleReturn } from './settle-return.ts';
import {
  addStageEventInput,
  boardOutput,
  boardQuery,
  createOrderInput,
  createProductInput,
  listOrdersQuery,
  listProductsQuery,
  orderOutput,
  orderPage,
  productOutput,
  productPage,
  purchasesSummaryOutput,
  recordReturnInput,
  settleReturnInput,
  setStageTargetsInput,
  stageTargetsOutput,
} from './schemas.ts';
import { stageBoard } from './stage-board.ts';
import { completeReminder, completeReminderInput } from './complete-reminder.ts';
import { listReminders, listRemindersQuery, reminderOutput, reminderPage } from './list-reminders.ts';
import { runReplenishment } from './run-replenishment.ts';
import { listStageTargets, setStageTargets } from './stage-targets.ts';

const idParams = z.object({ id: z.string() });
const errorSchema = z.object({ code: z.string(), message: z.string() }).passthrough();
const errors = { 400: errorSchema, 403: errorSchema, 404: errorSchema };

export async function orderRoutes(app: App, deps: RouteDeps) {
  app.get('/api/products', {
    schema: { tags: ['orders'], summary: 'The product catalogue', querystring: listProductsQuery, response: { 200: productPage, ...errors } },
  }, async (req) => listProducts(deps.ctxOf(req), req.query));

  app.post('/api/products', {
    schema: { tags: ['orders'], description: 'SKU unique per organization (409).', body: createProductInput, response: { 201: productOutput, ...errors, 409: errorSchema } },
  }, async (req, reply) => reply.code(201).send(await createProduct(deps.ctxOf(req), req.body)));

  app.get('/api/orders', {
    schema: { tags: ['orders'], summary: 'List orders in the data scope, newest first', querystring: listOrdersQuery, response: { 200: orderPage, ...errors } },
  }, async (req) => listOrders(deps.ctxOf(req), req.query));

  app.post('/api/orders', {
    schema: { tags: ['orders'], description: 'Amounts in integer minor units; lines priced from products unless given.', body: createOrderInput, response: { 201: orderOutput, ...errors, 409: errorSchema } },
  }, async (req, reply) => reply.code(201).send(await createOrder(deps.ctxOf(req), req.body)));

  app.get('/api/orders/board', {
    schema: { tags: ['orders'], summary: 'Stage board (订单执行监控): counts per stage and open orders, late first', querystring: boardQuery, response: { 200: boardOutput, ...errors } },
  }, async (req) => stageBoard(deps.ctxOf(req), req.query));

  app.get('/api/orders/stage-targets', {
    schema: { tags: ['orders'], response: { 200: stageTargetsOutput, ...errors } },
  }, async (req) => ({ items: await listStageTargets(deps.ctxOf(req)) }));

  app.put('/api/orders/stage-targets', {
    schema: { tags: ['orders'], body: setStageTargetsInput, response: { 200: stageTargetsOutput, ...errors } },
  }, async (req) => ({ items: await setStageTargets(deps.ctxOf(req), req.body.items) }));

  app.get('/api/orders/:id', {
    schema: { tags: ['orders'], params: idParams, response: { 200: orderOutput, ...errors } },
  }, async (req) => getOrder(deps.ctxOf(req), req.params.id));

  app.post('/api/orders/:id/stages', {
    schema: {
      tags: ['orders'],
      description: 'Send the `version` you read; 409 with `current` when it moved. Going back needs `correction` and a note.',
      params: idParams,
      body: addStageEventInput,
      response: { 201: orderOutput, ...errors, 409: errorSchema },
    },
  }, async (req, reply) => reply.code(201).send(await addStageEvent(deps.ctxOf(req), req.params.id, req.body)));

  app.post('/api/orders/:id/returns', {
    schema: {
      tags: ['orders'],
      description: 'A return or exchange of part of an order line: at most the line\'s `returnableQuantity` (400 on `quantity` otherwise). With `version` (the order\'s), 409 when the order moved.',
      params: idParams, body: recordReturnInput, response: { 201: orderOutput, ...errors, 409: errorSchema } },
  }, async (req, reply) => reply.code(201).send(await recordReturn(deps.ctxOf(req), req.params.id, req.body)));

  app.patch('/api/orders/:id/returns/:returnId', {
    schema: {
      tags: ['orders'],
      description: 'Settle a requested return or exchange: completed (the refund happens, commissions are reversed) or rejected (its quantity is free again). Carries the return\'s version.',
      params: z.object({ id: z.string().uuid(), returnId: z.string().uuid() }),
      body: settleReturnInput,
      response: { 200: orderOutput, ...errors, 409: errorSchema },
    },
  }, async (req) => settleReturn(deps.ctxOf(req), req.params.id, req.params.returnId, req.body));

  app.get('/api/customers/:id/purchases-summary', {
    schema: { tags: ['orders'], summary: 'Purchases, returns and net spend per year', params: idParams, response: { 200: purchasesSummaryOutput, ...errors } },
  }, async (req) => purchasesSummary(deps.ctxOf(req), req.params.id));

  app.get('/api/customers/:id/orders', {
    schema: {
      tags: ['orders'],
      summary: 'The customer\'s orders, newest first, with their lines and what each line may still return',
      params: idParams,
      querystring: customerOrdersQuery,
      response: { 200: customerOrdersPage, ...errors },
    },
  }, async (req) => listCustomerOrders(deps.ctxOf(req), req.params.id, req.query));

  app.get('/api/customers/:id/returns', {
    schema: { tags: ['orders'], summary: 'The customer\'s returns and exchanges, requested ones first', params: idParams, querystring: customerReturnsQuery, response: { 200: customerReturnsOutput, ...errors } },
  }, async (req) => listCustomerReturns(deps.ctxOf(req), req.params.id, req.query));

  app.get('/api/replenishment-reminders', {
    schema: { tags: ['orders'], summary: 'Replenishment reminders (补货提醒), mine and open by default, due soonest first', querystring: listRemindersQuery, response: { 200: reminderPage, ...errors } },
  }, async (req) => listReminders(deps.ctxOf(req), req.query));

  app.post('/api/replenishment-reminders/:id/done', {
    schema: { tags: ['orders'], params: idParams, body: completeReminderInput, response: { 200: reminderOutput, ...errors, 409: errorSchema } },
  }, async (req) => completeReminder(deps.ctxOf(req), req.params.id, req.body));

  app.post('/api/replenishment/run', {
    schema: {
      tags: ['orders'],
      description: 'Runs the daily replenishment job now (idempotent: a reminder is created once per customer, product and due date).',
      body: z.object({ asOf: z.string().datetime({ offset: true }).optional(), windowDays: z.number().int().min(0).max(90).optional() }),
      response: { 200: z.object({ created: z.number(), byChannel: z.record(z.string(), z.number()), asOfDate: z.string() }), ...errors },
    },
  }, async (req) => {
    const ctx = deps.ctxOf(req);
    return runReplenishment(ctx, { asOf: req.body.asOf ? new Date(req.body.asOf) : ctx.now(), windowDays: req.body.windowDays });
  });
}
