import pino from 'pino';
import { expect, it } from 'vitest';
import type { Db } from '../db/open.ts';
import { describeDb } from '../db/test-harness.ts';
import { seedOrg } from '../db/test-fixtures.ts';
import { buildApp } from '../http/app.ts';
import { customerTimeline } from '../customers/customer-timeline.ts';
import { updateCustomer } from '../customers/update-customer.ts';
import { createOrder } from '../orders/create-order.ts';
import { createProduct } from '../orders/create-product.ts';
import { getOrderSummary } from '../orders/get-order-summary.ts';
import { recordReturn } from '../orders/record-return.ts';
import type { Ctx } from '../platform/context.ts';
import { Conflict, Forbidden, Invalid, NotFound } from '../platform/errors.ts';
import { listAudit } from '../platform/list-audit.ts';
import { createServiceOrder } from '../service/create-service-order.ts';
import { seedService, type ServiceFixture } from '../service/test-setup.ts';
import { createCommissionRule, updateCommissionRule } from './commission-rules.ts';
import { earnCommission } from './earn-commission.ts';
import { getOpportunity } from './get-opportunity.ts';
import { registerOpportunityHooks } from './hooks.ts';
import { listCommissions } from './list-commissions.ts';
import { listOpportunities } from './list-opportunities.ts';
import { opportunityBoard } from './opportunity-board.ts';
import { opportunityKpis } from './opportunity-kpis.ts';
import { updatePipelineSettings } from './pipeline-settings.ts';
import { recordLatentNeed, recordNeedOnServiceOrder } from './record-latent-need.ts';
import { reverseCommissionForReturn } from './reverse-commission.ts';
import { updateOpportunity } from './update-opportunity.ts';

registerOpportunityHooks();

const config = { sessionHours: 12, maxUploadBytes: 1024 * 1024, loginRatePerMinute: 100, cookieSecure: false };

async function failure(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected a failure');
}

function fields(err: unknown): { path: string; code: string }[] {
  expect(err).toBeInstanceOf(Invalid);
  return (err as Invalid).fields.map((f) => ({ path: f.path, code: f.code }));
}

/**
 * The service fixture (clock at 2026-03-02T01:00Z = 09:00 in Shanghai; agent in team A; 张三 in
 * Guangdong, 李四 in Zhejiang) plus: 张三's manager is the customer manager; three products; the rules
 * printer 3 %, toner 5.00 fixed per order, anything else 1 %.
 */
async function setup(db: Db, name: string) {
  const f = await seedService(db, name);
  const admin = f.ctx.admin;
  await updateCustomer(admin, f.gdCustomerId, { version: 1, ownerId: f.userIds.customer_manager });
  await createProduct(admin, { sku: 'PRN', name: '彩色打印机', category: 'printer', priceMinor: 100_000 });
  await createProduct(admin, { sku: 'TON', name: '硒鼓', category: 'toner', priceMinor: 2_000 });
  await createProduct(admin, { sku: 'PAP', name: 'A4 纸', category: 'paper', priceMinor: 1_999 });
  await createCommissionRule(admin, { name: '打印机 3%', productCategory: 'printer', kind: 'percent', basisPoints: 300 });
  await createCommissionRule(admin, { name: '硒鼓 每单 5 元', productCategory: 'toner', kind: 'fixed', fixedMinor: 500, currency: 'CNY' });
  await createCommissionRule(admin, { name: '其他 1%', kind: 'percent', basisPoints: 100 });
  const so = await createServiceOrder(f.ctx.agent, { type: 'repair', customerId: f.gdCustomerId, title: '打印机卡纸' });
  return { f, admin, so };
}

const printerNeed = { currentSituation: '旧款黑白激光打印机', need: '想换彩色双面打印机', grade: 'A' as const, productCategory: 'printer', expectedValueMinor: 100_000 };

async function gdOrder(f: ServiceFixture) {
  return createOrder(f.ctx.admin, {
    customerId: f.gdCustomerId,
    lines: [{ sku: 'PRN', quantity: 1 }, { sku: 'TON', quantity: 2 }, { sku: 'PAP', quantity: 1 }],
  });
}

async function ledgerAmounts(ctx: Ctx, month: string): Promise<number[]> {
  return (await listCommissions(ctx, { month })).items.map((i) => i.amountMinor).sort((a, b) => a - b);
}

describeDb('opportunities: latent needs, pipeline, commissions', (get) => {
  it('turns a latent need into an opportunity: the customer manager owns it, else the sales team, else the finder team; follow-up by grade', async () => {
    const { f, admin, so } = await setup(get().db, 'Needs');
    const opp = await recordNeedOnServiceOrder(f.ctx.agent, so.id, printerNeed);
    expect(opp).toMatchObject({
      customerId: f.gdCustomerId,
      ownerUserId: f.userIds.customer_manager,
      ownerName: 'customer_manager',
      ownerTeamId: null,
      stage: 'new',
      allowedMoves: ['contacted', 'proposal', 'won', 'lost'],
      expectedValueMinor: 100_000,
      currency: 'CNY',
      followUpDueAt: '2026-03-03T01:00:00.000Z', // grade A: one day
      wonOrderId: null,
      version: 1,
      need: { serviceOrderId: so.id, foundBy: f.userIds.agent, foundByName: 'agent', grade: 'A', need: '想换彩色双面打印机', currentSituation: '旧款黑白激光打印机', productCategory: 'printer' },
    });
    // 李四 has no manager and the organization no sales team: the finder's team, grade C → seven days.
    const zj = await recordLatentNeed(f.ctx.agent, { customerId: f.zjCustomerId }, { need: '加购耗材', grade: 'C' });
    expect(zj).toMatchObject({ ownerUserId: null, ownerTeamId: f.teamA, ownerTeamName: '售后一组', followUpDueAt: '2026-03-09T01:00:00.000Z' });
    expect(zj.need.serviceOrderId).toBeNull();

    expect(await failure(updatePipelineSettings(f.ctx.agent, { defaultTeamId: null, followUpDays: { A: 1, B: 2, C: 5 } }))).toBeInstanceOf(Forbidden);
    await updatePipelineSettings(admin, { version: 0, defaultTeamId: f.complaintsTeam, followUpDays: { A: 1, B: 2, C: 5 } });
    const viaTeam = await recordLatentNeed(f.ctx.agent, { customerId: f.zjCustomerId }, { need: '延保', grade: 'B' });
    expect(viaTeam).toMatchObject({ ownerUserId: null, ownerTeamId: f.complaintsTeam, followUpDueAt: '2026-03-04T01:00:00.000Z' });

    // The customer manager cannot record a need for a customer outside their territory.
    expect(await failure(recordLatentNeed(f.ctx.customer_manager, { customerId: f.zjCustomerId }, { need: 'x', grade: 'A' }))).toBeInstanceOf(NotFound);
    expect(await failure(recordNeedOnServiceOrder(f.ctx.analyst, so.id, printerNeed))).toBeInstanceOf(Forbidden);
    const detail = await getOpportunity(f.ctx.supervisor, opp.id);
    expect(detail.events.map((e) => [e.kind, e.toStage, e.actorName])).toEqual([['created', 'new', 'agent']]);
  });

  it('moves through the pipeline: forward only, lost needs a reason, won needs an order of the same customer; 409 on a stale version', async () => {
    const { f, admin, so } = await setup(get().db, 'Pipeline');
    const other = await seedOrg(get().db, 'Pipeline other');
    const opp = await recordNeedOnServiceOrder(f.ctx.agent, so.id, printerNeed);
    const cm = f.ctx.customer_manager;
    const contacted = await updateOpportunity(cm, opp.id, { version: 1, stage: 'contacted', nextStep: '周三上门演示' });
    expect(contacted).toMatchObject({ stage: 'contacted', nextStep: '周三上门演示', version: 2, allowedMoves: ['proposal', 'won', 'lost'] });

    const back = await failure(updateOpportunity(cm, opp.id, { version: 2, stage: 'new' }));
    expect(fields(back)).toEqual([{ path: 'stage', code: 'bad_stage_move' }]);
    expect(fields(await failure(updateOpportunity(cm, opp.id, { version: 2, stage: 'lost' })))).toEqual([{ path: 'lostReason', code: 'required' }]);
    expect(fields(await failure(updateOpportunity(cm, opp.id, { version: 2, stage: 'won' })))).toEqual([{ path: 'orderId', code: 'required' }]);
    const zjOrder = await createOrder(admin, { customerId: f.zjCustomerId, lines: [{ sku: 'PRN', quantity: 1 }] });
    expect(fields(await failure(updateOpportunity(admin, opp.id, { version: 2, stage: 'won', orderId: zjOrder.id })))).toEqual([{ path: 'orderId', code: 'other_customer' }]);
    await createProduct(other.ctx.admin, { sku: 'PRN', name: 'x', priceMinor: 1 });
    const otherCustomer = await (await import('../customers/create-customer.ts')).createCustomer(other.ctx.admin, { name: '别家客户' });
    const otherOrder = await createOrder(other.ctx.admin, { customerId: otherCustomer.id, lines: [{ sku: 'PRN', quantity: 1 }] });
    expect(fields(await failure(updateOpportunity(admin, opp.id, { version: 2, stage: 'won', orderId: otherOrder.id })))).toEqual([{ path: 'orderId', code: 'unknown_order' }]);

    const stale = await failure(updateOpportunity(admin, opp.id, { version: 1, nextStep: '旧版本' }));
    expect(stale).toBeInstanceOf(Conflict);
    expect((stale as Conflict).current).toMatchObject({ version: 2, stage: 'contacted', nextStep: '周三上门演示' });

    const order = await gdOrder(f);
    f.advance(60);
    const won = await updateOpportunity(cm, opp.id, { version: 2, stage: 'won', orderId: order.id });
    expect(won).toMatchObject({ stage: 'won', wonOrderId: order.id, closedAt: '2026-03-02T02:00:00.000Z', version: 3, allowedMoves: [] });
    expect(fields(await failure(updateOpportunity(cm, opp.id, { version: 3, stage: 'lost', lostReason: '反悔' })))).toEqual([{ path: 'stage', code: 'bad_stage_move' }]);

    const second = await recordLatentNeed(f.ctx.agent, { customerId: f.gdCustomerId }, { need: '复印机', grade: 'B' });
    const lost = await updateOpportunity(f.ctx.agent, second.id, { version: 1, stage: 'lost', lostReason: '预算不足' });
    expect(lost).toMatchObject({ stage: 'lost', lostReason: '预算不足', closedAt: '2026-03-02T02:00:00.000Z' });

    const history = await getOpportunity(f.ctx.agent, opp.id);
    expect(history.events.map((e) => [e.kind, e.fromStage, e.toStage])).toEqual([
      ['created', null, 'new'],
      ['stage', 'new', 'contacted'],
      ['update', null, null],
      ['stage', 'contacted', 'won'],
    ]);
    expect(history.events[3]!.data).toEqual({ orderId: order.id });
  });

  it('pays the finder once on a win (percent, fixed, rounding), never twice on a retry, and reverses returns proportionally and once', async () => {
    const { f, admin, so } = await setup(get().db, 'Commissions');
    const opp = await recordNeedOnServiceOrder(f.ctx.agent, so.id, printerNeed);
    const order = await gdOrder(f); // printer 1 000.00, toner 2 × 20.00, paper 19.99
    const won = await updateOpportunity(f.ctx.customer_manager, opp.id, { version: 1, stage: 'won', orderId: order.id });
    // printer 3 % of 100 000 = 3 000; toner fixed 500 per order; paper 1 % of 1 999 = 19.99 → 20.
    expect(await ledgerAmounts(f.ctx.agent, '2026-03')).toEqual([20, 500, 3_000]);
    expect((await listCommissions(f.ctx.agent, { month: '2026-03' })).totals).toEqual([{ currency: 'CNY', earnedMinor: 3_520, reversedMinor: 0, netMinor: 3_520 }]);
    // The owner (customer manager) found nothing and earns nothing.
    expect((await listCommissions(f.ctx.customer_manager, { month: '2026-03' })).totals).toEqual([]);

    // A retried PATCH is stale; a second write of the same win writes nothing; another need cannot claim the order.
    expect(await failure(updateOpportunity(f.ctx.customer_manager, opp.id, { version: 1, stage: 'won', orderId: order.id }))).toBeInstanceOf(Conflict);
    const summary = await getOrderSummary(admin, order.id);
    const again = await get().db.transaction((tx) => earnCommission(admin, tx as unknown as Db, { opportunityId: opp.id, staffId: f.userIds.agent, order: summary }));
    expect(again).toBe(0);
    const other = await recordLatentNeed(f.ctx.supervisor, { customerId: f.gdCustomerId }, { need: '同一单', grade: 'C' });
    const claimed = await failure(updateOpportunity(admin, other.id, { version: 1, stage: 'won', orderId: order.id }));
    expect(claimed).toBeInstanceOf(Conflict);
    expect((claimed as Conflict).messageKey).toBe('error.order_already_claimed');
    expect((await listCommissions(f.ctx.agent, { month: '2026-03' })).totals[0]!.netMinor).toBe(3_520);
    expect(won.version).toBe(2);

    // Returns in April (Shanghai): booked in April.
    f.set('2026-04-05T02:00:00.000Z');
    const lineOf = (sku: string) => order.lines.find((l) => l.sku === sku)!.id;
    const afterToner = await recordReturn(admin, order.id, { orderLineId: lineOf('TON'), kind: 'return', quantity: 1, reason: '破损' });
    // Refund 2 000 of the toner line's 4 000: half of its 500 = 250.
    expect(await ledgerAmounts(f.ctx.agent, '2026-04')).toEqual([-250]);
    const tonerReturn = afterToner.returns.at(-1)!;
    // The same return delivered again reverses nothing more.
    await get().db.transaction((tx) =>
      reverseCommissionForReturn(admin, { orderId: order.id, orderLineId: lineOf('TON'), returnId: tonerReturn.id, customerId: f.gdCustomerId, kind: 'return', quantity: 1, amountMinor: 2_000, currency: 'CNY' }, tx as unknown as Db),
    );
    expect(await ledgerAmounts(f.ctx.agent, '2026-04')).toEqual([-250]);
    // Printer: refund 333.33 of 1 000.00 → 3 000 × 33 333 / 100 000 = 999.99 → 1 000.
    await recordReturn(admin, order.id, { orderLineId: lineOf('PRN'), kind: 'return', quantity: 1, amountMinor: 33_333, reason: '划痕，部分退款' });
    // An exchange refunds nothing and reverses nothing.
    await recordReturn(admin, order.id, { orderLineId: lineOf('PAP'), kind: 'exchange', quantity: 1, reason: '换规格' });
    // The second toner: cumulative 4 000 of 4 000 → all 500, so 250 more.
    await recordReturn(admin, order.id, { orderLineId: lineOf('TON'), kind: 'return', quantity: 1, reason: '破损' });
    expect(await ledgerAmounts(f.ctx.agent, '2026-04')).toEqual([-1_000, -250, -250]);
    const reversals = await listAudit(admin, { entityType: 'opportunity', entityId: opp.id });
    expect(reversals.items.filter((a) => a.action === 'commission.reverse')).toHaveLength(3);
    expect((await listCommissions(f.ctx.agent, { month: '2026-04' })).totals).toEqual([{ currency: 'CNY', earnedMinor: 0, reversedMinor: 1_500, netMinor: -1_500 }]);
    expect((await listCommissions(f.ctx.agent, { month: '2026-03' })).totals).toEqual([{ currency: 'CNY', earnedMinor: 3_520, reversedMinor: 0, netMinor: 3_520 }]);

    // Staff read their own ledger; supervisors anyone's.
    expect(await failure(listCommissions(f.ctx.agent, { staffId: f.userIds.supervisor, month: '2026-03' }))).toBeInstanceOf(Forbidden);
    expect((await listCommissions(f.ctx.supervisor, { staffId: f.userIds.agent, month: '2026-04' })).totals[0]!.netMinor).toBe(-1_500);
    expect((await listCommissions(f.ctx.analyst, { staffId: f.userIds.agent, month: '2026-04' })).totals[0]!.netMinor).toBe(-1_500);

    // KPIs over March–April.
    const kpis = await opportunityKpis(f.ctx.analyst, { from: '2026-03', to: '2026-04' });
    expect(kpis.staff).toEqual([
      { staffId: f.userIds.agent, staffName: 'agent', needsFound: 1, won: 1, lost: 0, open: 0, winRate: 1, conversionRate: 1, commissions: [{ currency: 'CNY', netMinor: 2_020 }] },
      { staffId: f.userIds.supervisor, staffName: 'supervisor', needsFound: 1, won: 0, lost: 0, open: 1, winRate: null, conversionRate: 0, commissions: [] },
    ]);
    expect(kpis.months).toEqual([
      { month: '2026-03', currency: 'CNY', earnedMinor: 3_520, reversedMinor: 0, netMinor: 3_520 },
      { month: '2026-04', currency: 'CNY', earnedMinor: 0, reversedMinor: 1_500, netMinor: -1_500 },
    ]);
    expect(await failure(opportunityKpis(f.ctx.agent, { from: '2026-03', to: '2026-04' }))).toBeInstanceOf(Forbidden);
  });

  it('pays once when the same win arrives twice at the same time, and when two needs race for one order', async () => {
    const { f, admin, so } = await setup(get().db, 'Races');
    const opp = await recordNeedOnServiceOrder(f.ctx.agent, so.id, printerNeed);
    const order = await gdOrder(f);
    const both = await Promise.allSettled([
      updateOpportunity(admin, opp.id, { version: 1, stage: 'won', orderId: order.id }),
      updateOpportunity(f.ctx.customer_manager, opp.id, { version: 1, stage: 'won', orderId: order.id }),
    ]);
    expect(both.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect((both.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason).toBeInstanceOf(Conflict);
    expect(await ledgerAmounts(f.ctx.agent, '2026-03')).toEqual([20, 500, 3_000]);

    const second = await createOrder(admin, { customerId: f.gdCustomerId, lines: [{ sku: 'PAP', quantity: 10 }] });
    const a = await recordLatentNeed(f.ctx.agent, { customerId: f.gdCustomerId }, { need: '纸 A', grade: 'C' });
    const b = await recordLatentNeed(f.ctx.supervisor, { customerId: f.gdCustomerId }, { need: '纸 B', grade: 'C' });
    const race = await Promise.allSettled([
      updateOpportunity(admin, a.id, { version: 1, stage: 'won', orderId: second.id }),
      updateOpportunity(admin, b.id, { version: 1, stage: 'won', orderId: second.id }),
    ]);
    expect(race.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(((race.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason as Conflict).messageKey).toBe('error.order_already_claimed');
    // 1 % of 19 990 = 199.9 → 200, to whichever finder won the race, once.
    const agentRows = await ledgerAmounts(f.ctx.agent, '2026-03');
    const supervisorRows = await ledgerAmounts(f.ctx.supervisor, '2026-03');
    expect([...agentRows, ...supervisorRows].sort((x, y) => x - y)).toEqual([20, 200, 500, 3_000]);
  });

  it('applies rule changes to later wins only, and a fixed rule in another currency does not apply', async () => {
    const { f, admin } = await setup(get().db, 'Rules');
    const rules = await (await import('./commission-rules.ts')).listCommissionRules(admin);
    const toner = rules.find((r) => r.productCategory === 'toner')!;
    expect(fields(await failure(updateCommissionRule(admin, toner.id, { version: 1, currency: null })))).toEqual([{ path: 'currency', code: 'required' }]);
    await updateCommissionRule(admin, toner.id, { version: 1, currency: 'USD' });
    expect(await failure(updateCommissionRule(admin, toner.id, { version: 1, active: false }))).toBeInstanceOf(Conflict);
    expect(await failure(createCommissionRule(f.ctx.supervisor, { name: 'x', kind: 'percent', basisPoints: 1 }))).toBeInstanceOf(Forbidden);
    const opp = await recordLatentNeed(f.ctx.agent, { customerId: f.gdCustomerId }, { need: '硒鼓', grade: 'B' });
    const order = await createOrder(admin, { customerId: f.gdCustomerId, lines: [{ sku: 'TON', quantity: 3 }] });
    await updateOpportunity(admin, opp.id, { version: 1, stage: 'won', orderId: order.id });
    // The USD fixed rule is skipped: the 1 % fallback on 6 000 = 60.
    expect(await ledgerAmounts(f.ctx.agent, '2026-03')).toEqual([60]);
  });

  it('keeps to the data scope: customer managers see their territories, other organizations see nothing; views, paging, board', async () => {
    const { f, admin, so } = await setup(get().db, 'Scope');
    const other = await seedOrg(get().db, 'Scope other');
    const gd = await recordNeedOnServiceOrder(f.ctx.agent, so.id, printerNeed); // due 03-03 01:00, owner customer manager
    const zj = await recordLatentNeed(f.ctx.agent, { customerId: f.zjCustomerId }, { need: '加购耗材', grade: 'C' }); // due 03-09, team A
    const gd2 = await recordLatentNeed(f.ctx.supervisor, { customerId: f.gdCustomerId }, { need: '扫描仪', grade: 'B', expectedValueMinor: 50_000 }); // due 03-05

    const ids = async (ctx: Ctx, q: Parameters<typeof listOpportunities>[1] = {}) => (await listOpportunities(ctx, q)).items.map((o) => o.id);
    expect(await ids(f.ctx.customer_manager)).toEqual([gd.id, gd2.id]);
    expect(await failure(getOpportunity(f.ctx.customer_manager, zj.id))).toBeInstanceOf(NotFound);
    expect(await failure(updateOpportunity(f.ctx.customer_manager, zj.id, { version: 1, stage: 'contacted' }))).toBeInstanceOf(NotFound);
    expect(await ids(other.ctx.admin)).toEqual([]);
    expect(await failure(getOpportunity(other.ctx.admin, gd.id))).toBeInstanceOf(NotFound);
    expect(await failure(updateOpportunity(other.ctx.admin, gd.id, { version: 1, stage: 'contacted' }))).toBeInstanceOf(NotFound);
    expect(await failure(listCommissions(other.ctx.admin, { staffId: f.userIds.agent, month: '2026-03' }))).toBeInstanceOf(NotFound);
    expect(await failure(getOpportunity(admin, 'not-a-uuid'))).toBeInstanceOf(NotFound);

    expect(await ids(admin)).toEqual([gd.id, gd2.id, zj.id]);
    expect(await ids(f.ctx.customer_manager, { view: 'mine' })).toEqual([gd.id, gd2.id]);
    expect(await ids(f.ctx.agent, { view: 'team' })).toEqual([zj.id]);
    expect(await ids(f.ctx.agent, { view: 'mine' })).toEqual([]);
    const p1 = await listOpportunities(admin, { limit: 2 });
    const p2 = await listOpportunities(admin, { limit: 2, cursor: p1.nextCursor! });
    expect([...p1.items, ...p2.items].map((o) => o.id)).toEqual([gd.id, gd2.id, zj.id]);
    expect(p2.nextCursor).toBeNull();

    f.set('2026-03-06T00:00:00.000Z');
    expect(await ids(admin, { overdue: true })).toEqual([gd.id, gd2.id]);
    await updateOpportunity(admin, gd2.id, { version: 1, stage: 'proposal', followUpDueAt: '2026-03-10T00:00:00.000Z' });
    expect(await ids(admin, { overdue: true })).toEqual([gd.id]);
    const board = await opportunityBoard(f.ctx.customer_manager, {});
    expect(board.columns.map((c) => [c.stage, c.count, c.overdue, c.expectedValue])).toEqual([
      ['new', 1, 1, [{ currency: 'CNY', minor: 100_000 }]],
      ['contacted', 0, 0, []],
      ['proposal', 1, 0, [{ currency: 'CNY', minor: 50_000 }]],
      ['won', 0, 0, []],
      ['lost', 0, 0, []],
    ]);
    // Reassigning checks the owner is this organization's.
    expect(fields(await failure(updateOpportunity(admin, gd.id, { version: 1, ownerUserId: other.userIds.agent })))).toEqual([{ path: 'ownerUserId', code: 'unknown_user' }]);
  });

  it('shows needs and stage changes on the customer timeline', async () => {
    const { f, admin, so } = await setup(get().db, 'Timeline');
    const opp = await recordNeedOnServiceOrder(f.ctx.agent, so.id, printerNeed);
    f.advance(30);
    await updateOpportunity(admin, opp.id, { version: 1, stage: 'contacted' });
    const tl = await customerTimeline(admin, f.gdCustomerId, {});
    const mine = tl.items.filter((i) => i.kind === 'latent_need' || i.kind === 'opportunity.stage');
    expect(mine.map((i) => [i.kind, i.summary, i.actorName])).toEqual([
      ['opportunity.stage', '销售机会：新建 → 已联系', 'Admin'],
      ['latent_need', '发现潜在需求（A 级）：想换彩色双面打印机', 'agent'],
    ]);
  });

  it('HTTP: record a need on a service order, win it, see the commission; 409 stale, 404 other organization', async () => {
    const { db, database } = get();
    const { f, so } = await setup(db, 'Opps HTTP');
    const other = await seedOrg(db, 'Opps HTTP other');
    const order = await gdOrder(f);
    const app = await buildApp({ database, config, log: pino({ level: 'silent' }), webDir: null, now: () => f.clock.now });
    try {
      const login = async (email: string, password: string) =>
        (await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password } })).json().token as string;
      const agent = await login(f.emails.agent, f.password);
      const cm = await login(f.emails.customer_manager, f.password);
      const otherAdmin = await login(other.emails.admin, other.password);
      const call = (token: string, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown) =>
        app.inject({ method, url, payload: payload as object, headers: { authorization: `Bearer ${token}`, 'accept-language': 'en' } });
      const created = await call(agent, 'POST', `/api/service-orders/${so.id}/needs`, printerNeed);
      expect(created.statusCode).toBe(201);
      const opp = created.json() as { id: string; ownerUserId: string; version: number };
      expect(opp.ownerUserId).toBe(f.userIds.customer_manager);
      expect((await call(otherAdmin, 'POST', `/api/service-orders/${so.id}/needs`, printerNeed)).statusCode).toBe(404);
      expect((await call(otherAdmin, 'GET', `/api/opportunities/${opp.id}`)).statusCode).toBe(404);
      const bad = await call(cm, 'PATCH', `/api/opportunities/${opp.id}`, { version: 1, stage: 'lost' });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().fields).toMatchObject([{ path: 'lostReason', code: 'required' }]);
      const won = await call(cm, 'PATCH', `/api/opportunities/${opp.id}`, { version: 1, stage: 'won', orderId: order.id });
      expect(won.statusCode).toBe(200);
      expect(won.json()).toMatchObject({ stage: 'won', wonOrderId: order.id, version: 2 });
      const stale = await call(cm, 'PATCH', `/api/opportunities/${opp.id}`, { version: 1, stage: 'won', orderId: order.id });
      expect(stale.statusCode).toBe(409);
      expect(stale.json().current).toMatchObject({ stage: 'won', version: 2 });
      const mine = await call(agent, 'GET', '/api/commissions?month=2026-03');
      expect(mine.statusCode).toBe(200);
      expect(mine.json().totals).toEqual([{ currency: 'CNY', earnedMinor: 3_520, reversedMinor: 0, netMinor: 3_520 }]);
      expect((await call(agent, 'GET', `/api/commissions?month=2026-03&staffId=${f.userIds.customer_manager}`)).statusCode).toBe(403);
      expect((await call(agent, 'GET', '/api/commissions?month=2026-13')).statusCode).toBe(400);
      const detail = await call(agent, 'GET', `/api/opportunities/${opp.id}`);
      expect(detail.json().events).toHaveLength(2);
      expect((await call(agent, 'GET', '/api/opportunities/board')).statusCode).toBe(200);
      const doc = await call(agent, 'GET', '/api/openapi.json');
      expect(doc.statusCode).toBe(200);
      expect(Object.keys(doc.json().paths)).toEqual(expect.arrayContaining(['/api/service-orders/{id}/needs', '/api/opportunities/{id}', '/api/commissions', '/api/commission-rules']));
    } finally {
      await app.close();
    }
  });
});
