// Customer value in the database: RFM scores and classes against a hand computation on ten customers,
// Pareto top share against a hand sum, segment rules (incl. injection attempts), materialization
// history, tier precedence, the SLA policy from the tier, and the HTTP API's 400/403/409.
import { sql } from 'drizzle-orm';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { createCustomer } from '../customers/create-customer.ts';
import { rows, type Db } from '../db/open.ts';
import { seedOrg, type OrgFixture } from '../db/test-fixtures.ts';
import { describeDb } from '../db/test-harness.ts';
import { buildApp } from '../http/app.ts';
import { newId } from '../platform/ids.ts';
import { createSlaPolicy } from '../service/sla-policies.ts';
import { createServiceOrder } from '../service/create-service-order.ts';
import { paretoAnalysis } from './pareto.ts';
import { recomputeRfm, rfmSummary } from './rfm.ts';
import { compileRule } from './segment-rule.ts';
import { createSegment, materializeSegment, previewSegment, segmentHistory, updateSegment } from './segments.ts';
import { updateAnalyticsSettings } from './settings.ts';
import { createTier, getCustomerTier, getCustomerTiers } from './tiers.ts';
import { customerValuePanel } from './value-panel.ts';
import { listCustomers } from '../customers/list-customers.ts';
import { listCustomersQuery } from '../customers/schemas.ts';
import { keyAccounts, recordWalletEstimates } from './key-accounts.ts';
import { refitClv } from './clv.ts';
import './jobs.ts';
import { dailyJobs } from '../jobs/daily.ts';
import { jobHandlers, recordingJobQueue } from '../jobs/queue.ts';
import { silentLogger } from '../platform/context.ts';
import { migrationMatrix, winningLosing } from './movement.ts';
import { bgNbdConditionalExpected, bgNbdLogLikelihood, bgNbdPAlive, clv, fitBgNbd } from './model/index.ts';
import { mulberry32, simulateBgNbd } from './model/simulate.ts';

const AS_OF = new Date('2026-03-01T00:00:00.000Z');
const DAY = 86_400_000;

/**
 * Ten customers: (recency days, orders in the window, net spend in fen). C1 also bought 9,500 and
 * returned 500 (net 9,000); C0 also has an order 400 days back (outside the 365-day window) of 99,999.
 */
const people = [
  { r: 5, f: 10, m: 100_000 },
  { r: 10, f: 1, m: 9_000 },
  { r: 20, f: 8, m: 500 },
  { r: 40, f: 2, m: 8_000 },
  { r: 60, f: 6, m: 300 },
  { r: 130, f: 9, m: 7_000 },
  { r: 150, f: 3, m: 200 },
  { r: 200, f: 7, m: 100 },
  { r: 300, f: 4, m: 6_000 },
  { r: 350, f: 5, m: 50 },
];

async function insertOrder(db: Db, orgId: string, customerId: string, at: Date, total: number): Promise<string> {
  const id = newId();
  await db.execute(sql`INSERT INTO orders (id, org_id, customer_id, channel, total_minor, stage_at, ordered_at)
    VALUES (${id}::uuid, ${orgId}::uuid, ${customerId}::uuid, 'shop', ${total}, ${at.toISOString()}::timestamptz, ${at.toISOString()}::timestamptz)`);
  return id;
}

async function seedValueOrg(db: Db, name: string): Promise<{ org: OrgFixture; ids: string[]; noOrders: string }> {
  const org = await seedOrg(db, name, { now: () => AS_OF });
  const ids: string[] = [];
  for (let i = 0; i < people.length; i++) {
    // Even customers in Guangdong (the customer manager's territory), odd ones in Zhejiang.
    const c = await createCustomer(org.ctx.admin, { name: `客户${i}`, districtCode: i % 2 === 0 ? '440305' : '330106', tags: i === 2 ? ["vip'); DROP TABLE customers;--"] : [] });
    ids.push(c.id);
    const p = people[i]!;
    const last = new Date(AS_OF.getTime() - p.r * DAY);
    const gross = i === 1 ? 9_500 : p.m;
    // f − 1 earlier orders of 1 fen each, then the last order with the rest.
    for (let k = p.f - 1; k >= 1; k--) await insertOrder(db, org.orgId, c.id, new Date(last.getTime() - k * DAY), 1);
    const lastOrder = await insertOrder(db, org.orgId, c.id, last, gross - (p.f - 1));
    if (i === 1) {
      const productId = newId();
      const lineId = newId();
      await db.execute(sql`INSERT INTO products (id, org_id, sku, name, price_minor) VALUES (${productId}::uuid, ${org.orgId}::uuid, 'SKU-R', '退货品', 9500)`);
      await db.execute(sql`INSERT INTO order_lines (id, org_id, order_id, line_no, product_id, sku, name, quantity, unit_price_minor, amount_minor)
        VALUES (${lineId}::uuid, ${org.orgId}::uuid, ${lastOrder}::uuid, 1, ${productId}::uuid, 'SKU-R', '退货品', 1, 9500, 9500)`);
      await db.execute(sql`INSERT INTO order_returns (id, org_id, order_id, order_line_id, customer_id, kind, quantity, amount_minor, reason, at)
        VALUES (${newId()}::uuid, ${org.orgId}::uuid, ${lastOrder}::uuid, ${lineId}::uuid, ${c.id}::uuid, 'return', 1, 500, '质量', ${new Date(last.getTime() + DAY).toISOString()}::timestamptz)`);
    }
  }
  await insertOrder(db, org.orgId, ids[0]!, new Date(AS_OF.getTime() - 400 * DAY), 99_999);
  const none = await createCustomer(org.ctx.admin, { name: '无订单', districtCode: '440305' });
  return { org, ids, noOrders: none.id };
}

/*
 * Hand computation.
 * Quintiles, ntile(5) over 10 customers = 2 per score:
 *   R (recency descending): C9,C8 → 1; C7,C6 → 2; C5,C4 → 3; C3,C2 → 4; C1,C0 → 5
 *   F (ascending): C1(1),C3(2) → 1; C6(3),C8(4) → 2; C9(5),C4(6) → 3; C7(7),C2(8) → 4; C5(9),C0(10) → 5
 *   M (ascending): C9(50),C7(100) → 1; C6(200),C4(300) → 2; C2(500),C8(6000) → 3; C5(7000),C3(8000) → 4; C1(9000),C0(100000) → 5
 * Mean: R 1265/10 = 126.5 (high: C0–C4); F 55/10 = 5.5 (high: C0,C2,C4,C5,C7); M 131150/10 = 13115 (high: C0).
 * Median: R (60+130)/2 = 95 (high: C0–C4); F 5.5; M (500+6000)/2 = 3250 (high: C0,C1,C3,C5,C8).
 */
const expectedR = [5, 5, 4, 4, 3, 3, 2, 2, 1, 1];
const expectedF = [5, 1, 4, 1, 3, 5, 2, 4, 2, 3];
const expectedM = [5, 5, 3, 4, 2, 4, 2, 1, 3, 1];
const expectedMean = ['important_value', 'general_development', 'general_value', 'general_development', 'general_value', 'general_retain', 'general_win_back', 'general_retain', 'general_win_back', 'general_win_back'];
const expectedMedian = ['important_value', 'important_development', 'general_value', 'important_development', 'general_value', 'important_retain', 'general_win_back', 'general_retain', 'important_win_back', 'general_win_back'];

async function valuesOf(db: Db, orgId: string, ids: string[]) {
  const found = await rows<{ customer_id: string; recency_days: number; frequency: number; monetary_minor: string; r_score: number; f_score: number; m_score: number; rfm_class: string | null }>(
    db, sql`SELECT customer_id, recency_days, frequency, monetary_minor::text, r_score, f_score, m_score, rfm_class FROM customer_values WHERE org_id = ${orgId}::uuid`);
  const by = new Map(found.map((r) => [r.customer_id, r]));
  return ids.map((id) => by.get(id));
}

describe('segment rule compilation', () => {
  it('compiles whitelisted fields and operators to parameters, and rejects unknown fields, operators and bad values', () => {
    const ok = compileRule({ all: [{ field: 'rfmClass', op: 'eq', value: 'important_value' }, { any: [{ field: 'provinceCode', op: 'in', value: ['320000'] }, { field: 'tags', op: 'has', value: 'vip' }] }] });
    expect(ok.ok).toBe(true);
    const bad = compileRule({ all: [
      { field: 'rfm_class; DROP TABLE customers', op: 'eq', value: 'x' },
      { field: 'rScore', op: 'like', value: 3 },
      { field: 'provinceCode', op: 'eq', value: "32'; DROP TABLE customers;--" },
      { field: 'rScore', op: 'gt', value: 9 },
      { field: 'pAlive', op: 'lt', value: '0.5 OR 1=1' },
      { field: 'rfmClass', op: 'in', value: ['important_value', 'nope'] },
      { field: 'clv', op: 'gt', value: 1, extra: 'x' },
    ] });
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.errors.map((e) => [e.path, e.code])).toEqual([
      ['rule.all.0.field', 'unknown_field'],
      ['rule.all.1.op', 'invalid_op'],
      ['rule.all.2.value', 'invalid_region_code'],
      ['rule.all.3.value', 'invalid_score'],
      ['rule.all.4.value', 'invalid_probability'],
      ['rule.all.5.value.1', 'invalid_rfm_class'],
      ['rule.all.6.extra', 'unknown_key'],
    ]);
    expect(compileRule({ all: [] }).ok).toBe(false);
    expect(compileRule([]).ok).toBe(false);
    let deep: unknown = { field: 'rScore', op: 'eq', value: 1 };
    for (let i = 0; i < 10; i++) deep = { not: deep };
    expect(compileRule(deep).ok).toBe(false);
  });
});

describeDb('customer value', (get) => {
  it('RFM: quintiles and the eight classes against the hand computation, by mean and by median; returns reduce M; materialized set-based', async () => {
    const { db } = get();
    const { org, ids, noOrders } = await seedValueOrg(db, 'Rfm');
    const r = await recomputeRfm(org.ctx.analyst, { asOf: AS_OF.toISOString() });
    expect(r).toMatchObject({ scored: 10, cleared: 0, windowDays: 365, center: 'mean' });
    const v = await valuesOf(db, org.orgId, ids);
    expect(v.map((x) => x?.recency_days)).toEqual(people.map((p) => p.r));
    expect(v.map((x) => x?.frequency)).toEqual(people.map((p) => p.f));
    expect(v.map((x) => Number(x?.monetary_minor))).toEqual(people.map((p) => p.m));
    expect(v.map((x) => x?.r_score)).toEqual(expectedR);
    expect(v.map((x) => x?.f_score)).toEqual(expectedF);
    expect(v.map((x) => x?.m_score)).toEqual(expectedM);
    expect(v.map((x) => x?.rfm_class)).toEqual(expectedMean);
    expect((await valuesOf(db, org.orgId, [noOrders]))[0]).toBeUndefined();

    await recomputeRfm(org.ctx.admin, { asOf: AS_OF.toISOString(), center: 'median' });
    expect((await valuesOf(db, org.orgId, ids)).map((x) => x?.rfm_class)).toEqual(expectedMedian);

    const summary = await rfmSummary(org.ctx.analyst);
    const iw = summary.classes.find((c) => c.rfmClass === 'important_win_back')!;
    expect(iw).toMatchObject({ name: '重要挽留客户', customers: 1, revenueMinor: 6_000 });
    expect(summary.scoredCustomers).toBe(10);
    expect(summary.grid.reduce((s, g) => s + g.customers, 0)).toBe(10);

    // Organization-defined naming.
    await updateAnalyticsSettings(org.ctx.admin, { version: 0, settings: { rfmCenter: 'median', classNames: { important_win_back: { 'zh-CN': '急需挽回', en: 'Win back now' } } } as never });
    expect((await rfmSummary(org.ctx.analyst)).classes.find((c) => c.rfmClass === 'important_win_back')!.name).toBe('急需挽回');

    // A later run where C9's only window orders fall out of the window: C9 is cleared, not left stale.
    const later = new Date(AS_OF.getTime() + 20 * DAY);
    const again = await recomputeRfm(org.ctx.admin, { asOf: later.toISOString() });
    expect(again.cleared).toBe(1);
    expect((await valuesOf(db, org.orgId, [ids[9]!]))[0]?.rfm_class).toBeNull();

    // Drill-down (the customer list's value filter) with scope: the customer manager sees only Guangdong (even) customers.
    await recomputeRfm(org.ctx.admin, { asOf: AS_OF.toISOString() });
    const all = await listCustomers(org.ctx.analyst, listCustomersQuery.parse({ rfmClass: 'general_value' }));
    expect(all.items.map((i) => i.id).sort()).toEqual([ids[2]!, ids[4]!].sort());
    expect(all.items.map((i) => i.value?.rfmClass)).toEqual(['general_value', 'general_value']);
    const mine = await listCustomers(org.ctx.customer_manager, listCustomersQuery.parse({ rfmClass: 'important_development' }));
    expect(mine.items).toEqual([]);
  });

  it('Pareto: top-20% share against a hand sum; filters by region and segment; margin from lines', async () => {
    const { db } = get();
    const { org, ids } = await seedValueOrg(db, 'Pareto');
    // Net revenue per customer over all time: C0 100,000 + 99,999; C1 9,500 − 500; the rest their m.
    const values = people.map((p, i) => (i === 0 ? p.m + 99_999 : p.m));
    const total = values.reduce((s, x) => s + x, 0);
    const sorted = [...values].sort((a, b) => b - a);
    expect(total).toBe(231_149);
    const p = await paretoAnalysis(org.ctx.analyst);
    expect(p.customers).toBe(10);
    expect(p.revenueMinor).toBe(231_149);
    expect(p.topShare).toBeCloseTo((199_999 + 9_000) / 231_149, 12);
    expect(p.curve.at(-1)).toMatchObject({ customerShare: 1, revenueShare: 1 });
    expect(p.curve.find((c) => c.customerShare === 0.5)!.revenueShare).toBeCloseTo(sorted.slice(0, 5).reduce((s, x) => s + x, 0) / total, 12);

    // Guangdong only (even customers): 199,999, 500, 300, 200, 6,000 → top ⌈0.2·5⌉ = 1.
    const gd = await paretoAnalysis(org.ctx.analyst, { region: '440000' });
    expect(gd.customers).toBe(5);
    expect(gd.topShare).toBeCloseTo(199_999 / (199_999 + 500 + 300 + 200 + 6_000), 12);
    // The customer manager's Pareto is the same as Guangdong's: data scope applies to aggregates.
    expect((await paretoAnalysis(org.ctx.customer_manager)).revenueMinor).toBe(gd.revenueMinor);

    // Period: only orders in the last 30 days: C0 (100,000 − 9 − …), C1, C2 (last orders).
    const recent = await paretoAnalysis(org.ctx.analyst, { from: new Date(AS_OF.getTime() - 30 * DAY).toISOString() });
    expect(recent.customers).toBe(3);

    // Margin: C1's line (price 9,500, returned 500, no cost) → no margin; give the product a cost of 4,000.
    await db.execute(sql`UPDATE products SET cost_minor = 4000 WHERE org_id = ${org.orgId}::uuid`);
    const m = await paretoAnalysis(org.ctx.analyst, { margin: true });
    expect(m.customers).toBe(1);
    expect(m.revenueMinor).toBe(9_000);
    // The return of 500 kept the unit (refund only on an exchange-less partial return of quantity 1): (9,500 − 500) − (1 − 1) × 4,000.
    expect(m.marginMinor).toBe(9_000);

    await recomputeRfm(org.ctx.admin, { asOf: AS_OF.toISOString() });
    const seg = await createSegment(org.ctx.analyst, { name: '一般挽留', rule: { field: 'rfmClass', op: 'eq', value: 'general_win_back' } });
    await materializeSegment(db, org.orgId, seg.id, AS_OF);
    const s = await paretoAnalysis(org.ctx.analyst, { segmentId: seg.id });
    expect(s.customers).toBe(3); // C6, C8, C9 by the mean
    expect(s.revenueMinor).toBe(200 + 6_000 + 50);
    void ids;
  });

  it('segments: live preview, rules with injection attempts stay parameters, materialization history, tier precedence, SLA from the tier', async () => {
    const { db } = get();
    const { org, ids } = await seedValueOrg(db, 'Segments');
    await recomputeRfm(org.ctx.admin, { asOf: AS_OF.toISOString() });

    const rule = { field: 'rfmClass', op: 'in', value: ['general_win_back'] };
    expect((await previewSegment(org.ctx.analyst, { rule })).count).toBe(3);
    // The customer manager's preview counts only Guangdong customers: C6 and C8.
    expect((await previewSegment(org.ctx.customer_manager, { rule })).count).toBe(2);
    // A tag that looks like SQL is a value: it matches the one customer carrying it, and the table is intact.
    const inj = await previewSegment(org.ctx.analyst, { rule: { field: 'tags', op: 'has', value: "vip'); DROP TABLE customers;--" } });
    expect(inj.count).toBe(1);
    expect(inj.sample[0]!.id).toBe(ids[2]);
    await expect(previewSegment(org.ctx.analyst, { rule: { field: 'name; DROP TABLE customers', op: 'eq', value: 1 } })).rejects.toMatchObject({ code: 'invalid' });
    expect((await rows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM customers WHERE org_id = ${org.orgId}::uuid`))[0]!.n).toBe(11);

    const seg = await createSegment(org.ctx.analyst, { name: '挽留', rule, priority: 1 });
    const t1 = new Date(AS_OF.getTime() + 1000);
    expect(await materializeSegment(db, org.orgId, seg.id, t1)).toMatchObject({ members: 3, entered: 3, left: 0 });
    // Again with nothing changed: no history rows.
    expect(await materializeSegment(db, org.orgId, seg.id, new Date(t1.getTime() + 1000))).toMatchObject({ members: 3, entered: 0, left: 0 });
    // By the median C8 becomes 重要挽留: it leaves.
    await updateAnalyticsSettings(org.ctx.admin, { version: 0, settings: { rfmCenter: 'median' } as never });
    await recomputeRfm(org.ctx.admin, { asOf: AS_OF.toISOString() });
    const t2 = new Date(AS_OF.getTime() + 5000);
    expect(await materializeSegment(db, org.orgId, seg.id, t2)).toMatchObject({ members: 2, entered: 0, left: 1 });
    const hist = await segmentHistory(org.ctx.analyst, seg.id);
    expect(hist.items.filter((h) => h.kind === 'entered').map((h) => h.customerId).sort()).toEqual([ids[6]!, ids[8]!, ids[9]!].sort());
    expect(hist.items.filter((h) => h.kind === 'left')).toEqual([{ customerId: ids[8], customerName: '客户8', kind: 'left', at: t2.toISOString() }]);

    // Stale version → 409.
    await expect(updateSegment(org.ctx.analyst, seg.id, { version: 7, priority: 3 })).rejects.toMatchObject({ code: 'conflict' });

    // Tier precedence: C6 is in both 挽留 (priority 1) and 广东 (priority 5): the higher wins.
    const gd = await createSegment(org.ctx.analyst, { name: '广东', rule: { field: 'provinceCode', op: 'eq', value: '440000' }, priority: 5 });
    await materializeSegment(db, org.orgId, gd.id, t2);
    const fast = await createSlaPolicy(org.ctx.admin, { name: '金牌', firstResponseMinutes: 10, resolutionMinutes: 60, calendar: '24x7', rank: 500 });
    const std = await createSlaPolicy(org.ctx.admin, { name: '标准', firstResponseMinutes: 120, resolutionMinutes: 1440, calendar: '24x7', rank: 100 });
    const coded = await createSlaPolicy(org.ctx.admin, { name: '挽留专线', firstResponseMinutes: 30, resolutionMinutes: 240, calendar: '24x7', tier: 'winback', rank: 50 });
    const gold = await createTier(org.ctx.analyst, { segmentId: gd.id, name: '金牌服务', code: 'gold', slaPolicyId: fast.id, routingPriority: 10 });
    await createTier(org.ctx.analyst, { segmentId: seg.id, name: '挽留服务', code: 'winback', routingPriority: 5 });
    expect((await getCustomerTier(db, org.orgId, ids[6]!))?.id).toBe(gold.id);
    expect((await getCustomerTier(db, org.orgId, ids[9]!))?.code).toBe('winback');
    expect(await getCustomerTier(db, org.orgId, ids[1]!)).toBeNull();
    const many = await getCustomerTiers(db, org.orgId, [ids[6]!, ids[9]!, ids[1]!]);
    expect([...many.entries()].map(([k, v]) => [k, v.code]).sort()).toEqual([[ids[6]!, 'gold'], [ids[9]!, 'winback']].sort());

    // SLA from the tier: the gold tier names its policy (although the rules would rank 标准 first); the
    // win-back tier has none, so its code takes part in the rules and picks the tier-coded policy; a
    // customer without a tier keeps the rules (标准).
    const so = async (customerId: string) => (await createServiceOrder(org.ctx.admin, { type: 'repair', customerId, title: '维修' })).slaPolicyId;
    expect(await so(ids[6]!)).toBe(fast.id);
    expect(await so(ids[9]!)).toBe(coded.id);
    expect(await so(ids[1]!)).toBe(std.id);

    // The value panel shows class, segments and tier, in scope.
    const panel = await customerValuePanel(org.ctx.analyst, ids[6]!);
    expect(panel.rfm).toMatchObject({ rfmClass: 'general_win_back', className: '一般挽留客户', recencyDays: 150 });
    expect(panel.segments.map((s) => s.name)).toEqual(['广东', '挽留']);
    expect(panel.tier).toMatchObject({ id: gold.id, code: 'gold', routingPriority: 10 });
    await expect(customerValuePanel(org.ctx.customer_manager, ids[9]!)).rejects.toMatchObject({ code: 'not_found' });
  });

  it('CLV: summaries fetched grouped by SQL give the same fit as hand-made summaries; P(alive) and expected purchases written back per customer', async () => {
    const { db } = get();
    const org = await seedOrg(db, 'Clv', { now: () => AS_OF });
    // 500 customers simulated from BG/NBD (CDNOW-like parameters): first purchase in the 12 weeks
    // starting 40 weeks before the end, repeat purchases at whole days; two orders on one day are one
    // transaction. The summaries are computed here from the day lists, not by the SQL under test.
    const rng = mulberry32(20260301);
    const truth = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
    const end = AS_OF.getTime();
    const ids: string[] = [];
    const hand: { x: number; tx: number; T: number; mx: number }[] = [];
    const oc: string[] = [], oid: string[] = [], at: string[] = [], amt: number[] = [];
    for (let i = 0; i < 500; i++) {
      const id = newId();
      ids.push(id);
      const firstDay = 280 - Math.floor(rng() * 84); // days before the end
      const sim = simulateBgNbd(rng, truth, firstDay / 7);
      const days = [...new Set([0, ...sim.times.map((t) => Math.floor(t * 7))])].filter((d) => d <= firstDay).sort((a, b) => a - b);
      let repeatSpend = 0;
      for (const d of days) {
        const when = new Date(end - (firstDay - d) * DAY).toISOString();
        const copies = rng() < 0.1 ? 2 : 1;
        for (let k = 0; k < copies; k++) {
          const a = 1000 + Math.floor(rng() * 9000);
          oc.push(id); oid.push(newId()); at.push(when); amt.push(a);
          if (d > 0) repeatSpend += a;
        }
      }
      hand.push({ x: days.length - 1, tx: days[days.length - 1]! / 7, T: firstDay / 7, mx: days.length > 1 ? repeatSpend / (days.length - 1) : 0 });
    }
    await db.execute(sql`INSERT INTO customers (id, org_id, name) SELECT u, ${org.orgId}::uuid, 'c' FROM unnest(${sql.param(ids)}::uuid[]) u`);
    await db.execute(sql`INSERT INTO orders (id, org_id, customer_id, channel, total_minor, stage_at, ordered_at)
      SELECT i, ${org.orgId}::uuid, c, 'shop', a, t, t FROM unnest(${sql.param(oid)}::uuid[], ${sql.param(oc)}::uuid[], ${sql.param(amt)}::bigint[], ${sql.param(at)}::timestamptz[]) AS u(i, c, a, t)`);
    const oracle = fitBgNbd(hand);
    const r = await refitClv(org.ctx.analyst, { model: 'bgnbd', horizonWeeks: 52 });
    expect(r.customers).toBe(500);
    expect(r.groups).toBeLessThan(500);
    expect(r.logLikelihood).toBeCloseTo(oracle.logLikelihood, 4);
    expect(bgNbdLogLikelihood(r.params as never, hand)).toBeCloseTo(oracle.logLikelihood, 4);
    const found = await rows<{ customer_id: string; p_alive: number; expected_purchases: number; model_fit_id: string; clv_minor: string | null }>(db, sql`
      SELECT customer_id, p_alive, expected_purchases, model_fit_id, clv_minor::text FROM customer_values WHERE org_id = ${org.orgId}::uuid`);
    expect(found.length).toBe(500);
    const by = new Map(found.map((f) => [f.customer_id, f]));
    ids.forEach((id, i) => {
      const got = by.get(id)!;
      expect(got.model_fit_id).toBe(r.fitId);
      expect(got.p_alive).toBeCloseTo(bgNbdPAlive(r.params as never, hand[i]!), 9);
      expect(got.expected_purchases).toBeCloseTo(bgNbdConditionalExpected(r.params as never, hand[i]!, 52), 9);
      // CLV: the model's clv() on the hand summary and mean repeat spend, within rounding to 1 fen.
      expect(Math.abs(Number(got.clv_minor) - clv({ model: 'bgnbd', params: r.params as never }, r.spendParams as never, hand[i]!, 52, 0.1))).toBeLessThanOrEqual(0.5 + 1e-6);
    });
    const panel = await customerValuePanel(org.ctx.analyst, ids[0]!);
    expect(panel.clv).toMatchObject({ model: 'bgnbd', horizonWeeks: 52, annualDiscountRate: expect.closeTo(0.1, 6) });
    expect(panel.clv!.logLikelihood).toBeCloseTo(r.logLikelihood, 6);
  });

  it('winning and losing per quarter against the hand classification; migration matrix totals', async () => {
    const { db } = get();
    const { org, ids } = await seedValueOrg(db, 'Movement');
    // Current quarter: days 0–90 before the end; previous: days 91–181.
    // C0 also bought 50,000 on day 100 (previous) → 100,000 now vs 50,000: growing.
    await insertOrder(db, org.orgId, ids[0]!, new Date(AS_OF.getTime() - 100 * DAY), 50_000);
    // C5 bought 7,000 in the previous quarter (days 130–138) and 1 fen now (day 30): declining.
    await insertOrder(db, org.orgId, ids[5]!, new Date(AS_OF.getTime() - 30 * DAY), 1);
    // C1–C4 first bought this quarter: new (gross order totals: 9,500 + 500 + 8,000 + 300).
    // C6 bought only in the previous quarter (200) and has no P(alive): lost. C7–C9: neither quarter.
    const m = await winningLosing(org.ctx.analyst, { period: 'quarter', asOf: AS_OF.toISOString() });
    expect(m.statuses).toEqual([
      { status: 'new', customers: 4, spendMinor: 18_300, previousSpendMinor: 0 },
      { status: 'growing', customers: 1, spendMinor: 100_000, previousSpendMinor: 50_000 },
      { status: 'stable', customers: 0, spendMinor: 0, previousSpendMinor: 0 },
      { status: 'declining', customers: 1, spendMinor: 1, previousSpendMinor: 7_000 },
      { status: 'lost', customers: 1, spendMinor: 0, previousSpendMinor: 200 },
    ]);
    // With P(alive) 0.9 C6 is still likely alive: declining rather than lost.
    await db.execute(sql`INSERT INTO customer_values (org_id, customer_id, p_alive) VALUES (${org.orgId}::uuid, ${ids[6]!}::uuid, 0.9)`);
    const m2 = await winningLosing(org.ctx.analyst, { period: 'quarter', asOf: AS_OF.toISOString() });
    expect(m2.statuses.find((s) => s.status === 'declining')).toMatchObject({ customers: 2, previousSpendMinor: 7_200 });
    expect(m2.statuses.find((s) => s.status === 'lost')).toMatchObject({ customers: 0 });

    // Migration: everyone is scored now (10); a year back from 91 days ago only C0, C5–C9 had orders.
    const mm = await migrationMatrix(org.ctx.analyst, { period: 'quarter', asOf: AS_OF.toISOString() });
    const sum = (f: (c: (typeof mm.cells)[number]) => boolean) => mm.cells.filter(f).reduce((s, c) => s + c.customers, 0);
    expect(sum((c) => c.to !== 'none')).toBe(10);
    expect(sum((c) => c.from !== 'none')).toBe(6);
    expect(sum((c) => c.from === 'none')).toBe(4);
    expect(mm.cells.reduce((s, c) => s + c.valueMinor, 0)).toBe(people.reduce((s, p) => s + p.m, 0) + 50_000 + 1);
  });

  it('jobs: the nightly job rescores RFM and materializes every segment (a model that cannot be fitted is skipped); the on-demand job one segment', async () => {
    const { db } = get();
    const { org, ids } = await seedValueOrg(db, 'Jobs');
    expect(dailyJobs.get('analytics.nightly')).toEqual({ name: 'analytics.nightly', hour: 2 });
    const seg = await createSegment(org.ctx.analyst, { name: '价值', rule: { field: 'rfmClass', op: 'eq', value: 'important_value' } });
    const env = { db, log: silentLogger, now: () => AS_OF, jobs: recordingJobQueue() };
    await jobHandlers.get('analytics.nightly')!.handler({ id: 'j1', name: 'analytics.nightly', data: { orgId: org.orgId, localDate: '2026-03-01' }, retryCount: 0 }, env);
    expect((await valuesOf(db, org.orgId, ids)).map((x) => x?.rfm_class)).toEqual(expectedMean);
    const members = await rows<{ customer_id: string }>(db, sql`SELECT customer_id FROM segment_members WHERE segment_id = ${seg.id}::uuid`);
    expect(members.map((m) => m.customer_id)).toEqual([ids[0]]);
    // On demand: a rule change, then the job for that segment alone.
    await updateSegment(org.ctx.analyst, seg.id, { version: 1, rule: { field: 'rfmClass', op: 'in', value: ['important_value', 'general_value'] } });
    await jobHandlers.get('analytics.materialize')!.handler({ id: 'j2', name: 'analytics.materialize', data: { orgId: org.orgId, segmentId: seg.id }, retryCount: 0 }, env);
    const after = await rows<{ customer_id: string }>(db, sql`SELECT customer_id FROM segment_members WHERE segment_id = ${seg.id}::uuid ORDER BY customer_id`);
    expect(after.map((m) => m.customer_id)).toEqual([ids[0]!, ids[2]!, ids[4]!].sort());
  });

  it('key accounts: volume, margin and share of wallet; 假大户 flagged', async () => {
    const { db } = get();
    const org = await seedOrg(db, 'Key', { now: () => AS_OF });
    const cheap = newId();
    const dear = newId();
    await db.execute(sql`INSERT INTO products (id, org_id, sku, name, category, price_minor, cost_minor) VALUES
      (${cheap}::uuid, ${org.orgId}::uuid, 'A', '低毛利', '工业', 1000, 980), (${dear}::uuid, ${org.orgId}::uuid, 'B', '高毛利', '工业', 1000, 500)`);
    const cs: string[] = [];
    // Five customers; revenue 10,000 × (5 − i); customer 0 buys only the low-margin product.
    for (let i = 0; i < 5; i++) {
      const c = await createCustomer(org.ctx.admin, { name: `大客户${i}` });
      cs.push(c.id);
      const orderId = await insertOrder(db, org.orgId, c.id, new Date('2026-02-01T00:00:00Z'), 10_000 * (5 - i));
      await db.execute(sql`INSERT INTO order_lines (id, org_id, order_id, line_no, product_id, sku, name, category, quantity, unit_price_minor, amount_minor)
        VALUES (${newId()}::uuid, ${org.orgId}::uuid, ${orderId}::uuid, 1, ${i === 0 ? cheap : dear}::uuid, 'X', 'X', '工业', ${10 * (5 - i)}, 1000, ${10_000 * (5 - i)})`);
    }
    // Customer 1 buys 200,000 in the category from everyone: share 40,000 / 200,000 = 0.2 < 0.3.
    await recordWalletEstimates(org.ctx.analyst, { items: [{ customerId: cs[1]!, category: '工业', year: 2026, totalMinor: 200_000 }, { customerId: cs[2]!, category: '工业', year: 2026, totalMinor: 40_000 }] });
    await updateAnalyticsSettings(org.ctx.admin, { version: 0, settings: { keyAccounts: { topShare: 0.4, minMarginRate: 0.1, minWalletShare: 0.3 } } as never });
    const k = await keyAccounts(org.ctx.analyst, { year: 2026 });
    expect(k.keyAccountCutoff).toBe(2);
    expect(k.items.map((i) => [i.volumeRank, i.revenueMinor, i.marginMinor, i.keyAccount, i.reasons])).toEqual([
      [1, 50_000, 50_000 - 50 * 980, true, ['low_margin']],
      [2, 40_000, 40_000 - 40 * 500, true, ['low_wallet_share']],
      [3, 30_000, 15_000, false, []],
      [4, 20_000, 10_000, false, []],
      [5, 10_000, 5_000, false, []],
    ]);
    expect(k.items[1]!.walletShare).toBeCloseTo(0.2, 12);
    expect(k.items[2]!.walletShare).toBeCloseTo(0.75, 12);
    const flagged = await keyAccounts(org.ctx.analyst, { year: 2026, onlyFlagged: true, sort: 'margin' });
    expect(flagged.items.map((i) => i.customerId)).toEqual([cs[1], cs[0]]);
  });

  it('HTTP: 400 on a bad rule with field paths, 403 without the permission, 409 on a stale version', async () => {
    const { db, database } = get();
    const { org } = await seedValueOrg(db, 'AnalyticsHttp');
    const app = await buildApp({ database, config: { sessionHours: 12, maxUploadBytes: 64 * 1024, loginRatePerMinute: 100, cookieSecure: false }, log: pino({ level: 'silent' }), webDir: null });
    try {
      const login = async (email: string) => (await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password: org.password } })).json().token as string;
      const analyst = await login(org.emails.analyst);
      const agent = await login(org.emails.agent);
      const h = (token: string) => ({ authorization: `Bearer ${token}`, 'accept-language': 'en' });
      expect((await app.inject({ method: 'GET', url: '/api/analytics/pareto', headers: h(agent) })).statusCode).toBe(403);
      expect((await app.inject({ method: 'POST', url: '/api/analytics/segments', headers: h(agent), payload: { name: 'x', rule: { field: 'rScore', op: 'eq', value: 5 } } })).statusCode).toBe(403);
      const bad = await app.inject({ method: 'POST', url: '/api/analytics/segments', headers: h(analyst), payload: { name: 'x', rule: { all: [{ field: 'rScore', op: 'eq', value: "5' OR '1'='1" }] } } });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().fields).toEqual([{ path: 'rule.all.0.value', code: 'invalid_score', message: 'A whole number from 1 to 5' }]);
      expect((await app.inject({ method: 'GET', url: '/api/analytics/pareto?region=abc', headers: h(analyst) })).statusCode).toBe(400);
      const rc = await app.inject({ method: 'POST', url: '/api/analytics/rfm/recompute', headers: h(analyst), payload: { asOf: AS_OF.toISOString() } });
      expect(rc.json()).toMatchObject({ scored: 10 });
      const created = await app.inject({ method: 'POST', url: '/api/analytics/segments', headers: h(analyst), payload: { name: '价值', rule: { field: 'rfmClass', op: 'eq', value: 'important_value' } } });
      expect(created.statusCode).toBe(201);
      const id = created.json().id as string;
      const [a, b] = await Promise.all([
        app.inject({ method: 'PATCH', url: `/api/analytics/segments/${id}`, headers: h(analyst), payload: { version: 1, priority: 2 } }),
        app.inject({ method: 'PATCH', url: `/api/analytics/segments/${id}`, headers: h(analyst), payload: { version: 1, priority: 3 } }),
      ]);
      expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
      const m = await app.inject({ method: 'POST', url: '/api/analytics/segments/materialize', headers: h(analyst), payload: { segmentId: id } });
      expect(m.json()).toMatchObject({ queued: false, results: [{ segmentId: id, members: 1, entered: 1 }] });
      for (const url of ['/api/analytics/rfm', '/api/analytics/clv/histogram', '/api/analytics/clv/scatter', '/api/analytics/key-accounts', '/api/analytics/movement', '/api/analytics/migration', '/api/analytics/segments', '/api/analytics/tiers', '/api/analytics/settings']) {
        const r = await app.inject({ method: 'GET', url, headers: h(analyst) });
        expect([url, r.statusCode]).toEqual([url, 200]);
      }
      const doc = await app.inject({ method: 'GET', url: '/api/openapi.json' });
      expect(doc.statusCode).toBe(200);
      expect(Object.keys(doc.json().paths as Record<string, unknown>)).toEqual(expect.arrayContaining(['/api/analytics/segments', '/api/customers/{id}/value', '/api/analytics/pareto']));
      const audits = await rows<{ action: string }>(db, sql`SELECT action FROM audit_log WHERE org_id = ${org.orgId}::uuid AND action LIKE 'segment.%' ORDER BY id`);
      expect(audits.map((x) => x.action)).toEqual(['segment.create', 'segment.update', 'segment.materialize']);
    } finally {
      await app.close();
    }
  });
});
