import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { describeDb } from '../db/test-harness.ts';
import { seedOrg } from '../db/test-fixtures.ts';
import { buildApp } from '../http/app.ts';
import { makeCtx, type Ctx } from '../platform/context.ts';
import { Conflict, Forbidden, Invalid, NotFound } from '../platform/errors.ts';
import { listAudit } from '../platform/list-audit.ts';
import { createCustomer } from '../customers/create-customer.ts';
import { customerTimeline } from '../customers/customer-timeline.ts';
import { addStageEvent } from './add-stage-event.ts';
import { createOrder } from './create-order.ts';
import { createProduct } from './create-product.ts';
import { getOrder } from './get-order.ts';
import { getOrderSummary } from './get-order-summary.ts';
import { listOrders } from './list-orders.ts';
import { listProducts } from './list-products.ts';
import { formatMoney, parseMajorAmount } from './model/money.ts';
import { onOrderReturned, type OrderReturnedEvent } from './order-returned.ts';
import './order-timeline.ts';
import { purchasesSummary } from './purchases-summary.ts';
import { proportionalAmount, recordReturn } from './record-return.ts';
import { settleReturn } from './settle-return.ts';
import { listCustomerOrders } from './list-customer-orders.ts';
import { listCustomerReturns } from './list-customer-returns.ts';
import { stageBoard } from './stage-board.ts';
import { setStageTargets } from './stage-targets.ts';

const T = Date.parse('2025-03-10T08:00:00Z');
const minutesAgo = (m: number) => new Date(T - m * 60_000).toISOString();
const config = { sessionHours: 12, maxUploadBytes: 1024 * 1024, loginRatePerMinute: 100, cookieSecure: false };

async function catalogue(ctx: Ctx) {
  const tea = await createProduct(ctx, { sku: 'TEA-1', name: '龙井茶 250g', category: 'tea', priceMinor: 12_800, costMinor: 6_000, consumptionCycleDays: 30 });
  const cup = await createProduct(ctx, { sku: 'CUP-1', name: '茶杯', category: 'ware', priceMinor: 3_550 });
  return { tea, cup };
}

const failure = async (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e);

describe('money', () => {
  it('formats and parses minor units', () => {
    expect(formatMoney(123_456_789, 'CNY')).toBe('¥1,234,567.89');
    expect(formatMoney(5, 'USD')).toBe('$0.05');
    expect(formatMoney(1200, 'JPY')).toBe('¥1,200');
    expect(formatMoney(1234, 'CHF')).toBe('12.34 CHF');
    expect(parseMajorAmount('12.5', 'CNY')).toBe(1250);
    expect(parseMajorAmount('1,234.00', 'CNY')).toBe(123_400);
    expect(parseMajorAmount('¥3', 'CNY')).toBe(300);
    expect(parseMajorAmount('1.234', 'CNY')).toBeNull();
    expect(parseMajorAmount('-1', 'CNY')).toBeNull();
    expect(proportionalAmount(1000, 3, 1)).toBe(333);
    expect(proportionalAmount(1000, 3, 2)).toBe(667);
  });
});

describeDb('orders: products, orders, stages, returns, board, summary', (get) => {
  it('creates products with a unique SKU per organization and lists them', async () => {
    const { db } = get();
    const org = await seedOrg(db, 'Products');
    const other = await seedOrg(db, 'Products other');
    const { tea } = await catalogue(org.ctx.admin);
    expect(tea).toMatchObject({ sku: 'TEA-1', priceMinor: 12_800, costMinor: 6_000, currency: 'CNY', consumptionCycleDays: 30, version: 1 });
    expect(await failure(createProduct(org.ctx.supervisor, { sku: 'TEA-1', name: 'again', priceMinor: 1 }))).toBeInstanceOf(Conflict);
    // Another organization may use the same SKU.
    await createProduct(other.ctx.admin, { sku: 'TEA-1', name: '别家的茶', priceMinor: 1 });
    expect(await failure(createProduct(org.ctx.agent, { sku: 'X', name: 'x', priceMinor: 1 }))).toBeInstanceOf(Forbidden);
    expect((await listProducts(org.ctx.agent, {})).items.map((p) => p.sku)).toEqual(['CUP-1', 'TEA-1']);
    expect((await listProducts(org.ctx.agent, { q: 'tea' })).items.map((p) => p.name)).toEqual(['龙井茶 250g']);
    const page = await listProducts(org.ctx.agent, { limit: 1 });
    expect((await listProducts(org.ctx.agent, { limit: 1, cursor: page.nextCursor! })).items.map((p) => p.sku)).toEqual(['TEA-1']);
  });

  it('creates an order priced from products, validates lines, audits, and answers 409 on a stale version', async () => {
    const { db } = get();
    const org = await seedOrg(db, 'Create', { now: () => new Date(T) });
    const { tea, cup } = await catalogue(org.ctx.admin);
    const c = await createCustomer(org.ctx.admin, { name: '李雷', districtCode: '440305', ownerId: org.userIds.customer_manager });
    const order = await createOrder(org.ctx.agent, {
      customerId: c.id,
      orderNo: 'SO-1',
      channel: 'tmall',
      lines: [{ productId: tea.id, quantity: 2 }, { sku: 'CUP-1', quantity: 3, amountMinor: 10_000 }],
    });
    // 2 × 128.00 + 100.00 (a discounted line) = 356.00
    expect(order).toMatchObject({ orderNo: 'SO-1', currency: 'CNY', totalMinor: 35_600, stage: 'received', status: 'open', version: 1, ownerId: org.userIds.customer_manager, customerName: '李雷' });
    expect(order.lines.map((l) => [l.sku, l.quantity, l.unitPriceMinor, l.amountMinor])).toEqual([['TEA-1', 2, 12_800, 25_600], ['CUP-1', 3, 3_550, 10_000]]);
    expect(order.events).toMatchObject([{ stage: 'received', actorName: 'agent', at: new Date(T).toISOString() }]);
    expect(await getOrder(org.ctx.analyst, order.id)).toEqual(order);
    expect((await listAudit(org.ctx.admin, { entityId: order.id })).items.map((a) => a.action)).toEqual(['order.create']);

    const bad = await failure(createOrder(org.ctx.agent, { customerId: c.id, lines: [{ sku: 'NOPE', quantity: 1 }, { productId: cup.id, quantity: 1 }], orderedAt: '2030-01-01T00:00:00Z' }));
    expect(bad).toBeInstanceOf(Invalid);
    expect((bad as Invalid).fields.map((f) => `${f.path}:${f.code}`)).toEqual(['orderedAt:in_future', 'lines.0.sku:unknown_product']);
    expect(await failure(createOrder(org.ctx.agent, { customerId: c.id, orderNo: 'SO-1', lines: [{ productId: cup.id, quantity: 1 }] }))).toBeInstanceOf(Conflict);
    expect(await failure(createOrder(org.ctx.analyst, { customerId: c.id, lines: [{ productId: cup.id, quantity: 1 }] }))).toBeInstanceOf(Forbidden);

    // Stage events: forward with who and when; version checked.
    const allocated = await addStageEvent(org.ctx.agent, order.id, { stage: 'allocated', version: 1, at: minutesAgo(0), note: '仓库 A' });
    expect(allocated).toMatchObject({ stage: 'allocated', version: 2 });
    const stale = await failure(addStageEvent(org.ctx.supervisor, order.id, { stage: 'dispatched', version: 1 }));
    expect(stale).toBeInstanceOf(Conflict);
    expect((stale as Conflict).current).toMatchObject({ id: order.id, version: 2, stage: 'allocated' });
    // Backwards only as an explicit correction with a note.
    const back = await failure(addStageEvent(org.ctx.agent, order.id, { stage: 'received', version: 2 }));
    expect(back).toBeInstanceOf(Invalid);
    expect((back as Invalid).messageKey).toBe('error.stage_backwards');
    expect(await failure(addStageEvent(org.ctx.agent, order.id, { stage: 'received', version: 2, correction: true }))).toBeInstanceOf(Invalid);
    const corrected = await addStageEvent(org.ctx.agent, order.id, { stage: 'received', version: 2, correction: true, note: '分配错了仓库' });
    expect(corrected.events.map((e) => [e.fromStage, e.stage, e.correction])).toEqual([[null, 'received', false], ['received', 'allocated', false], ['allocated', 'received', true]]);
    // Skipping forward is allowed; reaching feedback completes the order.
    const done = await addStageEvent(org.ctx.agent, order.id, { stage: 'feedback', version: 3 });
    expect(done).toMatchObject({ stage: 'feedback', status: 'completed', version: 4, late: false, overdueMinutes: null });
  });

  it('limits returns to what was bought less what was returned, refunds proportionally, tells listeners in the transaction', async () => {
    const { db } = get();
    const org = await seedOrg(db, 'Returns', { now: () => new Date(T) });
    const { tea, cup } = await catalogue(org.ctx.admin);
    const c = await createCustomer(org.ctx.admin, { name: '韩梅梅' });
    // 3 cups for 100.00 together: 33.33 a piece, rounded.
    const order = await createOrder(org.ctx.admin, { customerId: c.id, lines: [{ productId: tea.id, quantity: 2 }, { productId: cup.id, quantity: 3, amountMinor: 10_000 }] });
    const cupLine = order.lines[1];
    const seen: OrderReturnedEvent[] = [];
    const off = onOrderReturned(async (_ctx, e) => {
      seen.push(e);
    });
    try {
      const r1 = await recordReturn(org.ctx.agent, order.id, { orderLineId: cupLine.id, kind: 'return', quantity: 2, reason: '破损', outcome: '退款' });
      expect(r1.lines[1]).toMatchObject({ returnedQuantity: 2, returnedMinor: 6_667 });
      expect(r1.returns).toMatchObject([{ kind: 'return', quantity: 2, amountMinor: 6_667, reason: '破损', outcome: '退款', status: 'completed' }]);
      const tooMany = await failure(recordReturn(org.ctx.agent, order.id, { orderLineId: cupLine.id, kind: 'exchange', quantity: 2, reason: '换色' }));
      expect(tooMany).toBeInstanceOf(Invalid);
      expect((tooMany as Invalid).fields).toMatchObject([{ path: 'quantity', code: 'exceeds_returnable' }]);
      const tooMuch = await failure(recordReturn(org.ctx.agent, order.id, { orderLineId: cupLine.id, kind: 'return', quantity: 1, amountMinor: 3_334, reason: 'x' }));
      expect((tooMuch as Invalid).fields).toMatchObject([{ path: 'amountMinor', code: 'exceeds_paid' }]);
      // The last cup: what is left of the line's amount (100.00 − 66.67 = 33.33).
      const r2 = await recordReturn(org.ctx.agent, order.id, { orderLineId: cupLine.id, kind: 'return', quantity: 1, reason: '不喜欢' });
      expect(r2.lines[1]).toMatchObject({ returnedQuantity: 3, returnedMinor: 10_000 });
      // An exchange refunds nothing by default.
      const r3 = await recordReturn(org.ctx.agent, order.id, { orderLineId: order.lines[0].id, kind: 'exchange', quantity: 1, reason: '口味' });
      expect(r3.lines[0]).toMatchObject({ returnedQuantity: 1, returnedMinor: 0 });
      expect(seen.map((e) => [e.orderLineId, e.kind, e.quantity, e.amountMinor])).toEqual([
        [cupLine.id, 'return', 2, 6_667],
        [cupLine.id, 'return', 1, 3_333],
        [order.lines[0].id, 'exchange', 1, 0],
      ]);
      // A stale version is refused when given.
      expect(await failure(recordReturn(org.ctx.agent, order.id, { orderLineId: order.lines[0].id, kind: 'return', quantity: 1, reason: 'x', version: 1 }))).toBeInstanceOf(Conflict);
    } finally {
      off();
    }
    // A listener that fails rolls the return back.
    const offFail = onOrderReturned(async () => {
      throw new Error('commission ledger down');
    });
    try {
      await expect(recordReturn(org.ctx.agent, order.id, { orderLineId: order.lines[0].id, kind: 'return', quantity: 1, reason: 'x' })).rejects.toThrow('commission ledger down');
    } finally {
      offFail();
    }
    const summary = await getOrderSummary(org.ctx.admin, order.id);
    expect(summary).toMatchObject({ id: order.id, customerId: c.id, currency: 'CNY', totalMinor: 35_600, status: 'open' });
    expect(summary.lines.map((l) => [l.sku, l.category, l.quantity, l.amountMinor, l.returnedQuantity, l.returnedMinor])).toEqual([
      ['TEA-1', 'tea', 2, 25_600, 1, 0],
      ['CUP-1', 'ware', 3, 10_000, 3, 10_000],
    ]);
    expect((await listAudit(org.ctx.admin, { entityId: order.id })).items.map((a) => a.action)).toEqual(['order.exchange', 'order.return', 'order.return', 'order.create']);
  });

  it('settles a requested return later: completing refunds and tells listeners then; rejecting frees the quantity; once, with versions', async () => {
    const { db } = get();
    const org = await seedOrg(db, 'Settle', { now: () => new Date(T) });
    const { cup } = await catalogue(org.ctx.admin);
    const c = await createCustomer(org.ctx.admin, { name: '李雷' });
    const order = await createOrder(org.ctx.admin, { customerId: c.id, lines: [{ productId: cup.id, quantity: 3, amountMinor: 9_000 }] });
    const line = order.lines[0];
    const seen: OrderReturnedEvent[] = [];
    const off = onOrderReturned(async (_ctx, e) => {
      seen.push(e);
    });
    try {
      const requested = await recordReturn(org.ctx.agent, order.id, { orderLineId: line.id, kind: 'return', quantity: 2, reason: '破损', status: 'requested' });
      const r = requested.returns[0];
      expect(r).toMatchObject({ status: 'requested', amountMinor: 6_000, version: 1 });
      expect(seen).toEqual([]); // nothing refunded yet
      // The request holds its quantity: only one cup is left to return.
      const held = await failure(recordReturn(org.ctx.agent, order.id, { orderLineId: line.id, kind: 'return', quantity: 2, reason: 'x' }));
      expect((held as Invalid).fields).toMatchObject([{ path: 'quantity', code: 'exceeds_returnable' }]);
      // Spend is reduced by completed returns only.
      expect((await purchasesSummary(org.ctx.admin, c.id)).years.map((y) => y.returnedMinor)).toEqual([0]);

      expect(await failure(settleReturn(org.ctx.agent, order.id, r.id, { status: 'completed', version: 2 }))).toBeInstanceOf(Conflict);
      const tooMuch = await failure(settleReturn(org.ctx.agent, order.id, r.id, { status: 'completed', amountMinor: 9_001, version: 1 }));
      expect((tooMuch as Invalid).fields).toMatchObject([{ path: 'amountMinor', code: 'exceeds_paid' }]);
      // Completed with a smaller refund than requested (one cup came back chipped by the customer).
      const done = await settleReturn(org.ctx.agent, order.id, r.id, { status: 'completed', amountMinor: 4_500, outcome: '部分退款', version: 1 });
      expect(done.returns[0]).toMatchObject({ status: 'completed', amountMinor: 4_500, outcome: '部分退款', version: 2 });
      expect(seen.map((e) => [e.returnId, e.quantity, e.amountMinor])).toEqual([[r.id, 2, 4_500]]);
      expect((await purchasesSummary(org.ctx.admin, c.id)).years.map((y) => y.returnedMinor)).toEqual([4_500]);
      // Settled once only.
      const again = await failure(settleReturn(org.ctx.agent, order.id, r.id, { status: 'rejected', version: 2 }));
      expect((again as Invalid).fields).toMatchObject([{ path: 'status', code: 'return_already_settled' }]);

      // A rejected request frees its quantity and refunds nothing.
      const req2 = await recordReturn(org.ctx.agent, order.id, { orderLineId: line.id, kind: 'exchange', quantity: 1, reason: '换色', status: 'requested' });
      const r2 = req2.returns.find((x) => x.status === 'requested')!;
      // The customer file lists the customer's returns, the ones waiting to be settled first.
      const listed = await listCustomerReturns(org.ctx.agent, c.id);
      expect(listed.items.map((x) => [x.id, x.kind, x.status, x.amountMinor, x.sku, x.orderId, x.version])).toEqual([
        [r2.id, 'exchange', 'requested', 0, line.sku, order.id, 1],
        [r.id, 'return', 'completed', 4_500, line.sku, order.id, 2],
      ]);
      expect(await failure(listCustomerReturns(org.ctx.customer_manager, c.id))).toBeInstanceOf(NotFound); // outside the territory
      const rejected = await settleReturn(org.ctx.agent, order.id, r2.id, { status: 'rejected', outcome: '不符合换货条件', version: r2.version });
      expect(rejected.lines[0]).toMatchObject({ returnedQuantity: 2 });
      expect(seen).toHaveLength(1);
      expect((await listAudit(org.ctx.admin, { entityId: order.id })).items.map((a) => a.action).slice(0, 2)).toEqual(['order.exchange_rejected', 'order.exchange']);
    } finally {
      off();
    }
  });

  it('lists the customer\'s orders with each line\'s returnable quantity; a request holds it, a rejection frees it; HTTP refuses more with a field error', async () => {
    const { db, database } = get();
    let clock = T;
    const org = await seedOrg(db, 'Request returns', { now: () => new Date((clock += 60_000)) });
    const { tea, cup } = await catalogue(org.ctx.admin);
    const c = await createCustomer(org.ctx.admin, { name: '韩梅梅' });
    // Older order: one tea. Newer order: two teas and three cups for 100.00 (a discounted line).
    const older = await createOrder(org.ctx.admin, { customerId: c.id, orderNo: 'SO-A', orderedAt: minutesAgo(600), lines: [{ productId: tea.id, quantity: 1 }] });
    const newer = await createOrder(org.ctx.admin, {
      customerId: c.id,
      orderNo: 'SO-B',
      orderedAt: minutesAgo(60),
      lines: [{ productId: tea.id, quantity: 2 }, { productId: cup.id, quantity: 3, amountMinor: 10_000 }],
    });
    const cupLine = newer.lines[1];

    const fresh = await listCustomerOrders(org.ctx.agent, c.id);
    expect(fresh.items.map((o) => [o.orderNo, o.lines.map((l) => [l.sku, l.quantity, l.returnableQuantity, l.refundableMinor])])).toEqual([
      ['SO-B', [['TEA-1', 2, 2, 25_600], ['CUP-1', 3, 3, 10_000]]],
      ['SO-A', [['TEA-1', 1, 1, 12_800]]],
    ]);
    expect(fresh.nextCursor).toBeNull();
    // Paged newest first, one order at a time.
    const first = await listCustomerOrders(org.ctx.agent, c.id, { limit: 1 });
    expect(first.items.map((o) => o.orderNo)).toEqual(['SO-B']);
    const second = await listCustomerOrders(org.ctx.agent, c.id, { limit: 1, cursor: first.nextCursor! });
    expect(second.items.map((o) => o.orderNo)).toEqual(['SO-A']);
    expect(second.nextCursor).toBeNull();

    // A request for two cups holds them (and their share of the line's 100.00: 66.67) until settled.
    const req = await recordReturn(org.ctx.agent, newer.id, { orderLineId: cupLine.id, kind: 'return', quantity: 2, reason: '破损', note: '快递上门取件', status: 'requested', version: newer.version });
    const held = (await listCustomerOrders(org.ctx.agent, c.id)).items[0].lines[1];
    expect([held.returnedQuantity, held.returnableQuantity, held.returnedMinor, held.refundableMinor]).toEqual([2, 1, 6_667, 3_333]);
    expect((await getOrder(org.ctx.agent, newer.id)).lines[1]).toMatchObject({ returnableQuantity: 1, refundableMinor: 3_333 });
    const listed = await listCustomerReturns(org.ctx.agent, c.id);
    expect(listed.items.map((r) => [r.status, r.quantity, r.amountMinor, r.reason, r.note])).toEqual([['requested', 2, 6_667, '破损', '快递上门取件']]);
    // The timeline says it was requested, not refunded.
    expect((await customerTimeline(org.ctx.admin, c.id, {})).items[0].summary).toBe('申请退货 CUP-1 × 2（破损）');
    // The order moved (version 2): a request sent with the version read before is a conflict.
    expect(await failure(recordReturn(org.ctx.agent, newer.id, { orderLineId: newer.lines[0].id, kind: 'exchange', quantity: 1, reason: 'x', status: 'requested', version: newer.version }))).toBeInstanceOf(Conflict);

    const app = await buildApp({ database, config, log: pino({ level: 'silent' }), webDir: null });
    try {
      const login = async (email: string) =>
        (await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password: org.password } })).json().token as string;
      const agent = await login(org.emails.agent);
      const analyst = await login(org.emails.analyst);
      const cm = await login(org.emails.customer_manager);
      const call = (token: string, method: 'GET' | 'POST', url: string, payload?: unknown) =>
        app.inject({ method, url, payload: payload as object, headers: { authorization: `Bearer ${token}`, 'accept-language': 'en' } });
      const page = await call(agent, 'GET', `/api/customers/${c.id}/orders?limit=1`);
      expect(page.statusCode).toBe(200);
      expect(page.json().items[0].lines[1]).toMatchObject({ id: cupLine.id, returnableQuantity: 1, refundableMinor: 3_333 });
      // More than the one cup left: refused on the quantity field, in the caller's language.
      const over = await call(agent, 'POST', `/api/orders/${newer.id}/returns`, { orderLineId: cupLine.id, kind: 'exchange', quantity: 2, reason: '换色', status: 'requested' });
      expect(over.statusCode).toBe(400);
      expect(over.json()).toMatchObject({ message: 'More than what is left to return on this order line', fields: [{ path: 'quantity', code: 'exceeds_returnable' }] });
      const stale = await call(agent, 'POST', `/api/orders/${newer.id}/returns`, { orderLineId: cupLine.id, kind: 'exchange', quantity: 1, reason: '换色', status: 'requested', version: 1 });
      expect(stale.statusCode).toBe(409);
      expect(stale.json().current).toMatchObject({ id: newer.id, version: 2 });
      // Reading is not writing: the analyst sees the lines but may not request a return.
      expect((await call(analyst, 'GET', `/api/customers/${c.id}/orders`)).statusCode).toBe(200);
      expect((await call(analyst, 'POST', `/api/orders/${newer.id}/returns`, { orderLineId: cupLine.id, kind: 'return', quantity: 1, reason: 'x', status: 'requested' })).statusCode).toBe(403);
      // A customer outside the manager's territory is not found.
      expect((await call(cm, 'GET', `/api/customers/${c.id}/orders`)).statusCode).toBe(404);
      expect((await call(agent, 'GET', `/api/customers/${c.id}/orders?cursor=nonsense`)).statusCode).toBe(400);
    } finally {
      await app.close();
    }

    // Rejecting the request frees the two cups again.
    const r = req.returns[0];
    await settleReturn(org.ctx.agent, newer.id, r.id, { status: 'rejected', version: r.version });
    const freed = (await listCustomerOrders(org.ctx.agent, c.id)).items[0].lines[1];
    expect([freed.returnableQuantity, freed.refundableMinor]).toEqual([3, 10_000]);
    expect((await customerTimeline(org.ctx.admin, c.id, {})).items[0].summary).toBe('退货申请未通过 CUP-1 × 2（破损）');
    expect(await failure(listCustomerOrders(org.ctx.customer_manager, c.id))).toBeInstanceOf(NotFound);
  });

  it('sums purchases, returns and net spend per year in the organization time zone', async () => {
    const { db } = get();
    const org = await seedOrg(db, 'Spend', { now: () => new Date(T) });
    const { tea, cup } = await catalogue(org.ctx.admin);
    const c = await createCustomer(org.ctx.admin, { name: '张三' });
    const buy = (at: string, lines: { productId: string; quantity: number }[]) => createOrder(org.ctx.admin, { customerId: c.id, orderedAt: at, lines });
    await buy('2023-05-01T02:00:00Z', [{ productId: tea.id, quantity: 1 }]); // 2023: 128.00
    const o2 = await buy('2023-12-31T17:00:00Z', [{ productId: cup.id, quantity: 4 }]); // Shanghai: 2024-01-01 01:00 → 2024: 142.00
    await buy('2024-06-01T00:00:00Z', [{ productId: tea.id, quantity: 2 }]); // 2024: 256.00
    // Returned in 2025, counted against the 2024 order it refunds: 2 cups = 71.00.
    await recordReturn(org.ctx.admin, o2.id, { orderLineId: o2.lines[0].id, kind: 'return', quantity: 2, reason: '多买了' });
    // A rejected request does not count.
    await recordReturn(org.ctx.admin, o2.id, { orderLineId: o2.lines[0].id, kind: 'return', quantity: 2, reason: '想退', status: 'rejected' });
    const s = await purchasesSummary(org.ctx.analyst, c.id);
    expect(s.years).toEqual([
      { year: 2024, currency: 'CNY', orders: 2, purchasedMinor: 39_800, returns: 1, returnedMinor: 7_100, netMinor: 32_700 },
      { year: 2023, currency: 'CNY', orders: 1, purchasedMinor: 12_800, returns: 0, returnedMinor: 0, netMinor: 12_800 },
    ]);
    expect(s.totals).toEqual([{ currency: 'CNY', orders: 3, purchasedMinor: 52_600, returnedMinor: 7_100, netMinor: 45_500 }]);
    expect(s.lastOrderedAt).toBe('2024-06-01T00:00:00.000Z');
  });

  it('shows the stage board late first, with counts, computed from targets (defaults or the organization’s)', async () => {
    const { db } = get();
    const org = await seedOrg(db, 'Board', { now: () => new Date(T) });
    const { cup } = await catalogue(org.ctx.admin);
    const c = await createCustomer(org.ctx.admin, { name: '看板客户' });
    const make = async (name: string, receivedMinutesAgo: number, stage?: { stage: 'allocated' | 'dispatched'; minutesAgo: number }) => {
      const o = await createOrder(org.ctx.admin, { customerId: c.id, orderNo: name, orderedAt: minutesAgo(receivedMinutesAgo), lines: [{ productId: cup.id, quantity: 1 }] });
      if (stage) await addStageEvent(org.ctx.admin, o.id, { stage: stage.stage, version: 1, at: minutesAgo(stage.minutesAgo) });
      return o.id;
    };
    // Default targets: received 240 min, allocated 1440, dispatched 4320.
    await make('A', 300); // received 300 min ago: 60 late
    await make('B', 3000, { stage: 'allocated', minutesAgo: 2000 }); // 560 late
    await make('C', 100); // 140 left
    await make('D', 5000, { stage: 'dispatched', minutesAgo: 10 }); // 4310 left
    const done = await make('E', 90_000);
    await addStageEvent(org.ctx.admin, done, { stage: 'feedback', version: 1, at: minutesAgo(80_000) }); // completed: not on the board

    const board = await stageBoard(org.ctx.agent, {});
    expect(board.orders.map((o) => [o.orderNo, o.overdueMinutes, o.late])).toEqual([['B', 560, true], ['A', 60, true], ['C', -140, false], ['D', -4310, false]]);
    expect(board.stages.filter((s) => s.open > 0)).toEqual([
      { stage: 'received', targetMinutes: 240, open: 2, late: 1 },
      { stage: 'allocated', targetMinutes: 1440, open: 1, late: 1 },
      { stage: 'dispatched', targetMinutes: 4320, open: 1, late: 0 },
    ]);
    expect((await listOrders(org.ctx.agent, { late: true })).items.map((o) => o.orderNo)).toEqual(['A', 'B']);
    expect((await listOrders(org.ctx.agent, { late: 'false', stage: 'received' })).items.map((o) => o.orderNo)).toEqual(['C']);

    // The organization's own target for received: 60 minutes → C is 40 late, A 240.
    await setStageTargets(org.ctx.admin, [{ stage: 'received', targetMinutes: 60 }]);
    const tighter = await stageBoard(org.ctx.agent, {});
    expect(tighter.orders.map((o) => [o.orderNo, o.overdueMinutes])).toEqual([['B', 560], ['A', 240], ['C', 40], ['D', -4310]]);
    expect(tighter.stages[0]).toEqual({ stage: 'received', targetMinutes: 60, open: 2, late: 2 });
    expect((await stageBoard(org.ctx.agent, { stage: 'received', limit: 1 })).orders.map((o) => o.orderNo)).toEqual(['A']);
  });

  it('keeps orders in the data scope: a customer manager sees only their territory, another organization nothing', async () => {
    const { db } = get();
    const org = await seedOrg(db, 'Scope', { now: () => new Date(T) });
    const other = await seedOrg(db, 'Scope other', { now: () => new Date(T) });
    const { cup } = await catalogue(org.ctx.admin);
    const gd = await createCustomer(org.ctx.admin, { name: '广东客户', districtCode: '440305' });
    const bj = await createCustomer(org.ctx.admin, { name: '北京客户', districtCode: '110105' });
    const gdOrder = await createOrder(org.ctx.admin, { customerId: gd.id, orderedAt: minutesAgo(10), lines: [{ productId: cup.id, quantity: 1 }] });
    const bjOrder = await createOrder(org.ctx.admin, { customerId: bj.id, orderedAt: minutesAgo(5), lines: [{ productId: cup.id, quantity: 1 }] });
    const cm = org.ctx.customer_manager;
    expect((await listOrders(cm, {})).items.map((o) => o.id)).toEqual([gdOrder.id]);
    expect((await listOrders(org.ctx.agent, {})).items.map((o) => o.id)).toEqual([bjOrder.id, gdOrder.id]);
    expect((await stageBoard(cm, {})).orders.map((o) => o.id)).toEqual([gdOrder.id]);
    expect(await failure(getOrder(cm, bjOrder.id))).toBeInstanceOf(NotFound);
    expect(await failure(getOrderSummary(cm, bjOrder.id))).toBeInstanceOf(NotFound);
    expect(await failure(addStageEvent(cm, bjOrder.id, { stage: 'allocated', version: 1 }))).toBeInstanceOf(NotFound);
    expect(await failure(createOrder(cm, { customerId: bj.id, lines: [{ productId: cup.id, quantity: 1 }] }))).toBeInstanceOf(NotFound);
    expect(await failure(purchasesSummary(cm, bj.id))).toBeInstanceOf(NotFound);
    await createOrder(cm, { customerId: gd.id, lines: [{ productId: cup.id, quantity: 1 }] });

    const foreign = makeCtx(db, other.ctx.admin.actor);
    expect(await failure(getOrder(foreign, gdOrder.id))).toBeInstanceOf(NotFound);
    expect(await failure(getOrderSummary(foreign, gdOrder.id))).toBeInstanceOf(NotFound);
    expect(await failure(recordReturn(foreign, gdOrder.id, { orderLineId: gdOrder.lines[0].id, kind: 'return', quantity: 1, reason: 'x' }))).toBeInstanceOf(NotFound);
    expect((await listOrders(foreign, {})).items).toEqual([]);
    // Another organization's product cannot be put on an order.
    const foreignCustomer = await createCustomer(other.ctx.admin, { name: '别家客户' });
    const bad = await failure(createOrder(other.ctx.admin, { customerId: foreignCustomer.id, lines: [{ productId: cup.id, quantity: 1 }] }));
    expect((bad as Invalid).fields).toMatchObject([{ path: 'lines.0.productId', code: 'unknown_product' }]);
  });

  it('puts orders, stage events and returns on the customer timeline in both languages', async () => {
    const { db } = get();
    let clock = T;
    const org = await seedOrg(db, 'Timeline orders', { now: () => new Date((clock += 60_000)) });
    const { cup } = await catalogue(org.ctx.admin);
    const c = await createCustomer(org.ctx.admin, { name: '时间线' });
    const o = await createOrder(org.ctx.agent, { customerId: c.id, orderNo: 'SO-77', lines: [{ productId: cup.id, quantity: 2 }] });
    await addStageEvent(org.ctx.agent, o.id, { stage: 'dispatched', version: 1 });
    await recordReturn(org.ctx.agent, o.id, { orderLineId: o.lines[0].id, kind: 'return', quantity: 1, reason: '破损' });
    const zh = await customerTimeline(org.ctx.admin, c.id, {});
    expect(zh.items.slice(0, 3).map((i) => [i.kind, i.summary, i.actorName])).toEqual([
      ['order.return', '退货 CUP-1 × 1，退款 ¥35.50（破损）', 'agent'],
      ['order.stage', '订单 SO-77 进入“已发货”', 'agent'],
      ['order.create', '下单 SO-77：1 种商品，合计 ¥71.00', 'agent'],
    ]);
    const en = await customerTimeline({ ...org.ctx.admin, actor: { ...org.ctx.admin.actor, locale: 'en' } }, c.id, {});
    expect(en.items.slice(0, 3).map((i) => i.summary)).toEqual(['Returned CUP-1 × 1, refunded ¥35.50 (破损)', 'Order SO-77 moved to “Dispatched”', 'Order SO-77: 1 products, total ¥71.00']);
  });

  it('HTTP: products 201/409, orders, 409 on a stale stage version, 404 for another organization, 403 without the permission', async () => {
    const { db, database } = get();
    const org = await seedOrg(db, 'Orders HTTP');
    const other = await seedOrg(db, 'Orders HTTP other');
    const app = await buildApp({ database, config, log: pino({ level: 'silent' }), webDir: null });
    try {
      const login = async (email: string) =>
        (await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password: org.password } })).json().token as string;
      const admin = await login(org.emails.admin);
      const analyst = await login(org.emails.analyst);
      const otherAdmin = await login(other.emails.admin);
      const call = (token: string, method: 'GET' | 'POST', url: string, payload?: unknown) =>
        app.inject({ method, url, payload: payload as object, headers: { authorization: `Bearer ${token}`, 'accept-language': 'en' } });
      const p = await call(admin, 'POST', '/api/products', { sku: 'H-1', name: '滤芯', priceMinor: 9_900, consumptionCycleDays: 90 });
      expect(p.statusCode).toBe(201);
      const dup = await call(admin, 'POST', '/api/products', { sku: 'H-1', name: 'again', priceMinor: 1 });
      expect(dup.statusCode).toBe(409);
      expect(dup.json().message).toBe('The SKU H-1 already exists');
      expect((await call(analyst, 'POST', '/api/products', { sku: 'H-2', name: 'x', priceMinor: 1 })).statusCode).toBe(403);
      const cust = await createCustomer(org.ctx.admin, { name: '接口客户' });
      const created = await call(admin, 'POST', '/api/orders', { customerId: cust.id, lines: [{ sku: 'H-1', quantity: 2 }] });
      expect(created.statusCode).toBe(201);
      const order = created.json() as { id: string; totalMinor: number; lines: { id: string }[] };
      expect(order.totalMinor).toBe(19_800);
      expect((await call(admin, 'POST', `/api/orders/${order.id}/stages`, { stage: 'allocated', version: 1 })).statusCode).toBe(201);
      const stale = await call(admin, 'POST', `/api/orders/${order.id}/stages`, { stage: 'dispatched', version: 1 });
      expect(stale.statusCode).toBe(409);
      expect(stale.json().current).toMatchObject({ id: order.id, version: 2, stage: 'allocated' });
      const over = await call(admin, 'POST', `/api/orders/${order.id}/returns`, { orderLineId: order.lines[0].id, kind: 'return', quantity: 3, reason: 'x' });
      expect(over.statusCode).toBe(400);
      expect(over.json().fields).toMatchObject([{ path: 'quantity', code: 'exceeds_returnable' }]);
      expect((await call(admin, 'POST', `/api/orders/${order.id}/returns`, { orderLineId: order.lines[0].id, kind: 'return', quantity: 1, reason: 'x' })).statusCode).toBe(201);
      expect((await call(analyst, 'GET', `/api/orders/${order.id}`)).statusCode).toBe(200);
      expect((await call(otherAdmin, 'GET', `/api/orders/${order.id}`)).statusCode).toBe(404);
      expect((await call(otherAdmin, 'POST', `/api/orders/${order.id}/stages`, { stage: 'dispatched', version: 2 })).statusCode).toBe(404);
      expect((await call(admin, 'GET', '/api/orders/not-a-uuid')).statusCode).toBe(404);
      const list = await call(analyst, 'GET', `/api/orders?customerId=${cust.id}&late=false`);
      expect(list.json().items.map((o: { id: string }) => o.id)).toEqual([order.id]);
      const board = await call(analyst, 'GET', '/api/orders/board');
      expect(board.statusCode).toBe(200);
      const summary = await call(analyst, 'GET', `/api/customers/${cust.id}/purchases-summary`);
      expect(summary.json().totals).toEqual([{ currency: 'CNY', orders: 1, purchasedMinor: 19_800, returnedMinor: 9_900, netMinor: 9_900 }]);
      expect((await call(otherAdmin, 'GET', `/api/customers/${cust.id}/purchases-summary`)).statusCode).toBe(404);
    } finally {
      await app.close();
    }
  });
});
