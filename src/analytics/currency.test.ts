// The analytics currency (分析币种): an organization with CNY and USD orders gets, from every value
// analysis, exactly what an organization holding only its CNY orders gets, plus the exact count of
// the orders (and customers) left out; switching the setting to USD flips both. The twin
// organizations hold the same customers created in the same order (UUIDv7 ids, so ties break alike),
// and the expected excluded counts are counted from the generated orders in TypeScript.
import { sql } from 'drizzle-orm';
import pino from 'pino';
import { expect, it } from 'vitest';
import { rows, type Db } from '../db/open.ts';
import { recordingJobQueue } from '../jobs/queue.ts';
import { seedOrg, type OrgFixture } from '../db/test-fixtures.ts';
import { describeDb } from '../db/test-harness.ts';
import { buildApp } from '../http/app.ts';
import type { Ctx } from '../platform/context.ts';
import { newId } from '../platform/ids.ts';
import { refitClv } from './clv.ts';
import { clvHistogram } from './distributions.ts';
import { keyAccounts } from './key-accounts.ts';
import { mulberry32, simulateBgNbd } from './model/simulate.ts';
import { migrationMatrix, winningLosing } from './movement.ts';
import { paretoAnalysis } from './pareto.ts';
import { recomputeRfm, rfmSummary } from './rfm.ts';
import { createSegment, materializeSegment } from './segments.ts';
import { getAnalyticsSettings, updateAnalyticsSettings } from './settings.ts';
import { customerValuePanel } from './value-panel.ts';
import { listCustomers } from '../customers/list-customers.ts';
import { listCustomersQuery } from '../customers/schemas.ts';

const AS_OF = new Date('2026-03-01T00:00:00.000Z');
const DAY = 86_400_000;
const N_SIMULATED = 300;
/** Six more customers who bought in one currency long ago and in the other one only lately: new in the other currency. */
const N = N_SIMULATED + 6;

interface GenOrder { customer: number; currency: 'CNY' | 'USD'; at: Date; total: number; refund: number }

/**
 * Customers 0, 3, 6 … buy only in CNY, 1, 4, 7 … only in USD, the others in both: each currency's
 * purchases are a BG/NBD stream (so that the value model fits either currency's orders), first
 * purchase 200–700 days back, one order per day. About one order in eight has a completed return of 30%.
 */
function generate(): GenOrder[] {
  const rnd = mulberry32(20260301);
  const truth = { r: 0.5, alpha: 4, a: 0.8, b: 2.5 };
  const out: GenOrder[] = [];
  for (let c = 0; c < N_SIMULATED; c++) {
    const currencies: ('CNY' | 'USD')[] = c % 3 === 0 ? ['CNY'] : c % 3 === 1 ? ['USD'] : ['CNY', 'USD'];
    for (const currency of currencies) {
      const firstDay = 700 - Math.floor(rnd() * 500);
      const sim = simulateBgNbd(rnd, truth, firstDay / 7);
      const days = [...new Set([0, ...sim.times.map((t) => Math.floor(t * 7))])].filter((d) => d <= firstDay);
      for (const d of days) {
        const total = 500 + Math.floor(rnd() * 50_000);
        // Midday, so that the day in the organization's time zone (Asia/Shanghai) is the same day.
        out.push({ customer: c, currency, at: new Date(AS_OF.getTime() - (firstDay - d) * DAY - 12 * 3_600_000), total, refund: rnd() < 0.125 ? Math.floor(total * 0.3) : 0 });
      }
    }
  }
  const at = (days: number) => new Date(AS_OF.getTime() - days * DAY - 12 * 3_600_000);
  for (let c = N_SIMULATED; c < N; c++) {
    const [early, late] = c % 2 === 0 ? (['USD', 'CNY'] as const) : (['CNY', 'USD'] as const);
    out.push({ customer: c, currency: early, at: at(300), total: 20_000, refund: 0 });
    out.push({ customer: c, currency: late, at: at(30 + c - N_SIMULATED), total: 10_000 + c, refund: 0 });
    out.push({ customer: c, currency: late, at: at(10), total: 5_000, refund: 0 });
  }
  return out;
}
const ORDERS = generate();

/** Customers in Guangdong (the customer manager's territory) are the even ones. */
const inGd = (c: number) => c % 2 === 0;

let twins = 0;
/**
 * An organization with the N customers (ids in the same order in every twin: ties in rankings break
 * by id) and the generated orders that `keep` accepts, each with one line, and their returns.
 */
async function seedTwin(db: Db, label: string, keep: (o: GenOrder) => boolean): Promise<{ org: OrgFixture; ids: string[] }> {
  const org = await seedOrg(db, label, { now: () => AS_OF });
  const prefix = (0x10000000 + ++twins).toString(16);
  const ids = Array.from({ length: N }, (_, c) => `${prefix}-0000-7000-8000-${c.toString(16).padStart(12, '0')}`);
  await db.execute(sql`INSERT INTO customers (id, org_id, name, district_code, city_code, province_code)
    SELECT u.id, ${org.orgId}::uuid, u.name, u.d, left(u.d, 4) || '00', left(u.d, 2) || '0000'
    FROM unnest(${sql.param(ids)}::uuid[], ${sql.param(ids.map((_, c) => `客户${c}`))}::text[], ${sql.param(ids.map((_, c) => (inGd(c) ? '440305' : '330106')))}::text[]) AS u(id, name, d)`);
  const productId = newId();
  await db.execute(sql`INSERT INTO products (id, org_id, sku, name, category, price_minor, cost_minor) VALUES (${productId}::uuid, ${org.orgId}::uuid, 'TEA', '茶叶', '茶叶', 1000, 400)`);
  const kept = ORDERS.filter(keep);
  const orderIds = kept.map(() => newId());
  const lineIds = kept.map(() => newId());
  const col = <T,>(f: (o: GenOrder, i: number) => T) => sql.param(kept.map(f));
  await db.execute(sql`INSERT INTO orders (id, org_id, customer_id, channel, currency, total_minor, stage_at, ordered_at)
    SELECT u.id, ${org.orgId}::uuid, u.c, 'shop', u.cur, u.t, u.at, u.at
    FROM unnest(${col((_, i) => orderIds[i]!)}::uuid[], ${col((o) => ids[o.customer]!)}::uuid[], ${col((o) => o.currency)}::text[],
      ${col((o) => o.total)}::bigint[], ${col((o) => o.at.toISOString())}::timestamptz[]) AS u(id, c, cur, t, at)`);
  await db.execute(sql`INSERT INTO order_lines (id, org_id, order_id, line_no, product_id, sku, name, category, quantity, unit_price_minor, amount_minor)
    SELECT u.id, ${org.orgId}::uuid, u.o, 1, ${productId}::uuid, 'TEA', '茶叶', '茶叶', 1, u.t, u.t
    FROM unnest(${col((_, i) => lineIds[i]!)}::uuid[], ${col((_, i) => orderIds[i]!)}::uuid[], ${col((o) => o.total)}::bigint[]) AS u(id, o, t)`);
  const ret = kept.map((o, i) => ({ o, i })).filter(({ o }) => o.refund > 0);
  const rcol = <T,>(f: (r: { o: GenOrder; i: number }) => T) => sql.param(ret.map(f));
  await db.execute(sql`INSERT INTO order_returns (id, org_id, order_id, order_line_id, customer_id, kind, quantity, amount_minor, reason, status, at)
    SELECT u.id, ${org.orgId}::uuid, u.o, u.l, u.c, 'return', 1, u.a, '质量问题', 'completed', u.at
    FROM unnest(${rcol(() => newId())}::uuid[], ${rcol(({ i }) => orderIds[i]!)}::uuid[], ${rcol(({ i }) => lineIds[i]!)}::uuid[],
      ${rcol(({ o }) => ids[o.customer]!)}::uuid[], ${rcol(({ o }) => o.refund)}::bigint[], ${rcol(({ o }) => new Date(o.at.getTime() + DAY).toISOString())}::timestamptz[]) AS u(id, o, l, c, a, at)`);
  return { org, ids };
}

/** Orders in another currency than `cur` matching `inRange`, and customers with such orders and none in `cur` there. */
function expectedExcluded(cur: string, inRange: (o: GenOrder) => boolean, who: (c: number) => boolean = () => true) {
  const os = ORDERS.filter((o) => inRange(o) && who(o.customer));
  const other = os.filter((o) => o.currency !== cur);
  const kept = new Set(os.filter((o) => o.currency === cur).map((o) => o.customer));
  const r = { currency: cur, excludedOrders: other.length, excludedCustomers: new Set(other.map((o) => o.customer).filter((c) => !kept.has(c))).size };
  // The fixture leaves something out of every analysis, or the comparison would prove nothing.
  expect(r.excludedCustomers).toBeGreaterThan(0);
  expect(r.excludedOrders).toBeGreaterThan(r.excludedCustomers);
  return r;
}
const within = (days: number) => (o: GenOrder) => o.at.getTime() > AS_OF.getTime() - days * DAY && o.at.getTime() <= AS_OF.getTime();
const inYear = (y: number) => (o: GenOrder) => o.at.getUTCFullYear() === y;

/** Everything but the currency and the excluded counts, customer ids replaced by names. */
function strip<T extends { currency: string; excludedOrders: number; excludedCustomers: number }>(r: T, names?: Map<string, string>): unknown {
  const { currency: _c, excludedOrders: _o, excludedCustomers: _n, ...rest } = r;
  return JSON.parse(JSON.stringify(rest, (k, v: unknown) => (k === 'customerId' && typeof v === 'string' && names ? names.get(v) : v)));
}
const pick = <T extends { currency: string; excludedOrders: number; excludedCustomers: number }>(r: T) => ({ currency: r.currency, excludedOrders: r.excludedOrders, excludedCustomers: r.excludedCustomers });

async function materialize(ctx: Ctx, segmentId: string, orgId: string) {
  await recomputeRfm(ctx, { asOf: AS_OF.toISOString() });
  const fit = await refitClv(ctx, {});
  await materializeSegment(ctx.db, orgId, segmentId, AS_OF);
  return fit;
}

/** Every analysis of one organization, as seen by `ctx`. */
async function analyses(ctx: Ctx) {
  return {
    pareto: await paretoAnalysis(ctx, {}),
    paretoRange: await paretoAnalysis(ctx, { from: '2025-06-01T00:00:00Z', to: '2026-01-01T00:00:00Z' }),
    paretoMargin: await paretoAnalysis(ctx, { margin: true }),
    rfm: await rfmSummary(ctx),
    keyAccounts: await keyAccounts(ctx, { year: 2025, limit: 500 }),
    movement: await winningLosing(ctx, { period: 'quarter', asOf: AS_OF.toISOString() }),
    migration: await migrationMatrix(ctx, { period: 'quarter', asOf: AS_OF.toISOString() }),
    histogram: await clvHistogram(ctx, {}),
  };
}

function expectSame(a: Awaited<ReturnType<typeof analyses>>, b: Awaited<ReturnType<typeof analyses>>, namesA: Map<string, string>, namesB: Map<string, string>) {
  expect(strip(a.pareto)).toEqual(strip(b.pareto));
  expect(strip(a.paretoRange)).toEqual(strip(b.paretoRange));
  expect(strip(a.paretoMargin)).toEqual(strip(b.paretoMargin));
  const { computedAt: _a, ...rfmA } = strip(a.rfm) as Record<string, unknown>;
  const { computedAt: _b, ...rfmB } = strip(b.rfm) as Record<string, unknown>;
  expect(rfmA).toEqual(rfmB);
  expect(strip(a.keyAccounts, namesA)).toEqual(strip(b.keyAccounts, namesB));
  expect(strip(a.movement)).toEqual(strip(b.movement));
  expect(strip(a.migration)).toEqual(strip(b.migration));
  expect(strip(a.histogram)).toEqual(strip(b.histogram));
}

describeDb('analytics currency', (get) => {
  it('analyses only the orders in the configured currency, reports exactly what it left out, and flips with the setting', { timeout: 240_000 }, async () => {
    const { db } = get();
    const mixed = await seedTwin(db, 'CurrencyMixed', () => true);
    const cnyOnly = await seedTwin(db, 'CurrencyCny', (o) => o.currency === 'CNY');
    const usdOnly = await seedTwin(db, 'CurrencyUsd', (o) => o.currency === 'USD');
    const names = (ids: string[]) => new Map(ids.map((id, i) => [id, `客户${i}`]));
    const rule = { field: 'rfmClass', op: 'in', value: ['important_value', 'important_retain', 'general_value'] };
    const segMixed = await createSegment(mixed.org.ctx.admin, { name: '价值客户', rule });
    const segCny = await createSegment(cnyOnly.org.ctx.admin, { name: '价值客户', rule });
    const segUsd = await createSegment(usdOnly.org.ctx.admin, { name: '价值客户', rule });
    // The default is CNY; the USD-only twin is set to USD.
    expect((await getAnalyticsSettings(mixed.org.ctx.admin)).settings.currency).toBe('CNY');
    const usdSettings = await getAnalyticsSettings(usdOnly.org.ctx.admin);
    await updateAnalyticsSettings(usdOnly.org.ctx.admin, { settings: { ...usdSettings.settings, currency: 'usd' }, version: usdSettings.version });

    const fitMixed = await materialize(mixed.org.ctx.admin, segMixed.id, mixed.org.orgId);
    const fitCny = await materialize(cnyOnly.org.ctx.admin, segCny.id, cnyOnly.org.orgId);
    await materialize(usdOnly.org.ctx.admin, segUsd.id, usdOnly.org.orgId);
    expect(fitMixed.params).toEqual(fitCny.params);
    expect(fitMixed.customers).toBe(fitCny.customers);
    expect(pick(fitMixed)).toEqual(expectedExcluded('CNY', within(100_000)));

    const check = async (twin: typeof cnyOnly, cur: 'CNY' | 'USD') => {
      const a = await analyses(mixed.org.ctx.admin);
      const b = await analyses(twin.org.ctx.admin);
      expectSame(a, b, names(mixed.ids), names(twin.ids));
      const all = within(100_000);
      expect(pick(a.pareto)).toEqual(expectedExcluded(cur, all));
      expect(pick(a.paretoMargin)).toEqual(expectedExcluded(cur, all));
      const range = (o: GenOrder) => o.at >= new Date('2025-06-01T00:00:00Z') && o.at < new Date('2026-01-01T00:00:00Z');
      expect(pick(a.paretoRange)).toEqual(expectedExcluded(cur, range));
      expect(pick(a.rfm)).toEqual(expectedExcluded(cur, within(365)));
      expect(pick(a.migration)).toEqual(expectedExcluded(cur, within(365)));
      expect(pick(a.keyAccounts)).toEqual(expectedExcluded(cur, inYear(2025)));
      expect(pick(a.movement)).toEqual(expectedExcluded(cur, within(182)));
      // Their first order in the currency is in this quarter: new, whatever they bought before in another.
      const newOnes = a.movement.statuses.find((x) => x.status === 'new')!;
      const lateFirst = ORDERS.filter((o) => o.customer >= N_SIMULATED && o.currency === cur && within(91)(o));
      expect(newOnes.customers).toBeGreaterThanOrEqual(new Set(lateFirst.map((o) => o.customer)).size);
      expect(pick(a.histogram)).toEqual(expectedExcluded(cur, all));
      // The twin has nothing to leave out.
      expect(pick(b.pareto)).toEqual({ currency: cur, excludedOrders: 0, excludedCustomers: 0 });
      expect(a.pareto.customers).toBeGreaterThan(10);
      // Net revenue in the currency, summed independently of the SQL (no range: every return counts).
      expect(a.pareto.revenueMinor).toBe(ORDERS.filter((o) => o.currency === cur).reduce((s, o) => s + o.total - o.refund, 0));
      // In the data scope: the customer manager sees Guangdong (even customers) only, and so do the counts.
      expect(pick(await paretoAnalysis(mixed.org.ctx.customer_manager, {}))).toEqual(expectedExcluded(cur, all, inGd));
      // The same segment members, and the same value panel for every customer; each panel counts the customer's other orders.
      const members = async (orgId: string, segmentId: string, ids: string[]) => {
        const m = await rows<{ customer_id: string }>(db, sql`SELECT customer_id FROM segment_members WHERE org_id = ${orgId}::uuid AND segment_id = ${segmentId}::uuid`);
        return m.map((r) => ids.indexOf(r.customer_id)).sort((x, y) => x - y);
      };
      const twinSeg = twin === cnyOnly ? segCny : segUsd;
      const got = await members(mixed.org.orgId, segMixed.id, mixed.ids);
      expect(got.length).toBeGreaterThan(0);
      expect(got).toEqual(await members(twin.org.orgId, twinSeg.id, twin.ids));
      for (let c = 0; c < N; c += 11) {
        const pa = await customerValuePanel(mixed.org.ctx.admin, mixed.ids[c]!);
        const pb = await customerValuePanel(twin.org.ctx.admin, twin.ids[c]!);
        expect([pa.rfm?.rfmClass, pa.rfm?.monetaryMinor, pa.clv?.clvMinor, pa.clv?.pAlive]).toEqual([pb.rfm?.rfmClass, pb.rfm?.monetaryMinor, pb.clv?.clvMinor, pb.clv?.pAlive]);
        expect(pa.currency).toBe(cur);
        expect(pa.excludedOrders, `customer ${c}`).toBe(ORDERS.filter((o) => o.customer === c && o.currency !== cur).length);
      }
      // The drill-down list says which currency its amounts are in.
      expect((await listCustomers(mixed.org.ctx.admin, listCustomersQuery.parse({ minClv: 0 }))).valueCurrency).toBe(cur);
    };

    await check(cnyOnly, 'CNY');

    const s = await getAnalyticsSettings(mixed.org.ctx.admin);
    await updateAnalyticsSettings(mixed.org.ctx.admin, { settings: { ...s.settings, currency: 'USD' }, version: s.version });
    await materialize(mixed.org.ctx.admin, segMixed.id, mixed.org.orgId);
    await check(usdOnly, 'USD');
  });

  it('validates the currency (ISO 4217) with a 400 naming the field, and queues the recomputation when it changes', async () => {
    const { db, database } = get();
    const org = await seedOrg(db, 'CurrencySettingsHttp', { now: () => AS_OF });
    const app = await buildApp({ database, config: { sessionHours: 12, maxUploadBytes: 64 * 1024, loginRatePerMinute: 100, cookieSecure: false }, log: pino({ level: 'silent' }), webDir: null });
    try {
      const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: org.emails.admin, password: org.password } });
      const headers = { authorization: `Bearer ${login.json().token as string}`, 'accept-language': 'en' };
      const current = await app.inject({ method: 'GET', url: '/api/analytics/settings', headers });
      expect(current.json().settings.currency).toBe('CNY');
      for (const bad of ['ZZZ', 'yuan', '', 'CN']) {
        const r = await app.inject({ method: 'PUT', url: '/api/analytics/settings', headers, payload: { settings: { ...current.json().settings, currency: bad }, version: 0 } });
        expect(r.statusCode, bad).toBe(400);
        expect(r.json().fields.map((f: { path: string }) => f.path), bad).toEqual(['body.settings.currency']);
      }
      const ok = await app.inject({ method: 'PUT', url: '/api/analytics/settings', headers, payload: { settings: { ...current.json().settings, currency: 'eur' }, version: 0 } });
      expect(ok.statusCode).toBe(200);
      expect(ok.json().settings.currency).toBe('EUR');
      const pareto = await app.inject({ method: 'GET', url: '/api/analytics/pareto', headers });
      expect(pareto.json()).toMatchObject({ currency: 'EUR', excludedOrders: 0, excludedCustomers: 0 });
    } finally {
      await app.close();
    }
    // With jobs running, a change of currency queues the recomputation of the materialized values (once).
    const jobs = recordingJobQueue();
    const ctx: Ctx = { ...org.ctx.admin, jobs };
    const s = await getAnalyticsSettings(ctx);
    await updateAnalyticsSettings(ctx, { settings: { ...s.settings, rfmWindowDays: 180 }, version: s.version });
    expect(jobs.sent).toEqual([]);
    await updateAnalyticsSettings(ctx, { settings: { ...s.settings, rfmWindowDays: 180, currency: 'JPY' }, version: s.version + 1 });
    expect(jobs.sent.map((j) => [j.name, j.data])).toEqual([['analytics.nightly', { orgId: org.orgId, localDate: '2026-03-01' }]]);
  });
});
