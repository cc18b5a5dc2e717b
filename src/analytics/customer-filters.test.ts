// The customer list's value filters (GET /api/customers?rfmClass=…&segmentId=…&tierId=…&minClv=…&minPAlive=…)
// on a hand-built fixture: customer_values and segment memberships written directly, so the expected
// rows follow from the fixture alone. Data scope (the customer manager sees only Guangdong) still applies.
import { sql } from 'drizzle-orm';
import pino from 'pino';
import { expect, it } from 'vitest';
import { createCustomer } from '../customers/create-customer.ts';
import { listCustomers } from '../customers/list-customers.ts';
import { listCustomersQuery, type ListCustomersQuery } from '../customers/schemas.ts';
import { exportCustomers } from '../customers/export-customers.ts';
import ExcelJS from 'exceljs';
import { PassThrough } from 'node:stream';
import type { Db } from '../db/open.ts';
import { seedOrg } from '../db/test-fixtures.ts';
import { describeDb } from '../db/test-harness.ts';
import { buildApp } from '../http/app.ts';
import type { Ctx } from '../platform/context.ts';
import { Invalid } from '../platform/errors.ts';
import { createSegment } from './segments.ts';
import { createTier } from './tiers.ts';

const AT = new Date('2026-03-01T00:00:00Z');

/** name, GD (Guangdong, the customer manager's territory) or ZJ, class, monetary, CLV (fen), P(alive), segments (by index). */
const fixture = [
  { name: 'A', gd: true, cls: 'important_value', m: 90_000, clv: 500_000, p: 0.95, segs: [0, 1] },
  { name: 'B', gd: false, cls: 'important_value', m: 80_000, clv: 300_000, p: 0.80, segs: [0] },
  { name: 'C', gd: true, cls: 'important_win_back', m: 70_000, clv: 20_000, p: 0.10, segs: [1] },
  { name: 'D', gd: false, cls: 'important_win_back', m: 5_000, clv: 10_000, p: 0.05, segs: [1] },
  { name: 'E', gd: true, cls: 'general_value', m: 1_000, clv: 100_000, p: 0.50, segs: [] },
  { name: 'F', gd: false, cls: null, m: null, clv: null, p: null, segs: [] }, // never bought: no customer_values row
] as const;

async function seed(db: Db, label: string) {
  const org = await seedOrg(db, label, { now: () => AT });
  const ids: string[] = [];
  for (const f of fixture) {
    const c = await createCustomer(org.ctx.admin, { name: f.name, districtCode: f.gd ? '440305' : '330106' });
    ids.push(c.id);
    if (f.cls === null) continue;
    await db.execute(sql`INSERT INTO customer_values (org_id, customer_id, monetary_minor, r_score, f_score, m_score, rfm_class, clv_minor, p_alive)
      VALUES (${org.orgId}::uuid, ${c.id}::uuid, ${f.m}, 3, 3, ${f.m >= 70_000 ? 5 : 1}, ${f.cls}, ${f.clv}, ${f.p})`);
  }
  // Segment 0 (priority 10, tier GOLD) and segment 1 (priority 5, tier CARE): A is in both and gets GOLD.
  const seg0 = await createSegment(org.ctx.admin, { name: '金牌', rule: { field: 'rfmClass', op: 'eq', value: 'important_value' }, priority: 10 });
  const seg1 = await createSegment(org.ctx.admin, { name: '关怀', rule: { field: 'pAlive', op: 'lt', value: 0.2 }, priority: 5 });
  const segs = [seg0.id, seg1.id];
  for (let i = 0; i < fixture.length; i++) {
    for (const s of fixture[i]!.segs) {
      await db.execute(sql`INSERT INTO segment_members (org_id, segment_id, customer_id, entered_at) VALUES (${org.orgId}::uuid, ${segs[s]!}::uuid, ${ids[i]!}::uuid, ${AT.toISOString()}::timestamptz)`);
    }
  }
  const gold = await createTier(org.ctx.admin, { segmentId: seg0.id, name: '金牌服务', code: 'GOLD' });
  const care = await createTier(org.ctx.admin, { segmentId: seg1.id, name: '挽留关怀', code: 'CARE' });
  return { org, ids, segs, gold, care };
}

/** Every customer id the list returns for `q`, page by page. */
async function listedIds(ctx: Ctx, q: ListCustomersQuery): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await listCustomers(ctx, listCustomersQuery.parse({ ...q, limit: 2, ...(cursor ? { cursor } : {}) }));
    ids.push(...page.items.map((c) => c.id));
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return ids.sort();
}

/** The customer ids (last column, 客户ID) of an export with the same filters, CSV or XLSX. */
async function exportedIds(ctx: Ctx, q: ListCustomersQuery, format: 'csv' | 'xlsx' = 'csv'): Promise<string[]> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const { rows } = await exportCustomers(ctx, { ...q, format, out });
  let ids: string[];
  if (format === 'csv') {
    const lines = Buffer.concat(chunks).toString('utf8').replace(/^\uFEFF/, '').split('\r\n').filter(Boolean);
    expect(lines[0]!.split(',').at(-1)).toBe('客户ID');
    ids = lines.slice(1).map((l) => l.split(',').at(-1)!);
  } else {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.concat(chunks) as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    ids = [];
    ws.eachRow((row, n) => { if (n > 1) ids.push(String(row.getCell(row.cellCount).value)); });
  }
  expect(rows).toBe(ids.length);
  return ids.sort();
}

const names = async (ctx: Ctx, q: ListCustomersQuery) => (await listCustomers(ctx, listCustomersQuery.parse({ sort: 'name', ...q }))).items.map((c) => c.name);

describeDb('customer list: value filters', (get) => {
  it('filters by RFM class, scores, CLV and P(alive) ranges, segment, tier and key accounts, in the data scope', async () => {
    const { db } = get();
    const { org, segs, gold, care } = await seed(db, 'ValueFilters');
    const admin = org.ctx.admin;
    const cm = org.ctx.customer_manager;

    expect(await names(admin, {})).toEqual(['A', 'B', 'C', 'D', 'E', 'F']);
    expect(await names(admin, { rfmClass: 'important_win_back' })).toEqual(['C', 'D']);
    expect(await names(admin, { rfmClass: 'important_value' })).toEqual(['A', 'B']);
    expect(await names(admin, { mScore: 5 })).toEqual(['A', 'B', 'C']);
    expect(await names(admin, { minClv: 100_000 })).toEqual(['A', 'B', 'E']);
    expect(await names(admin, { minClv: 20_000, maxClv: 100_000 })).toEqual(['C', 'E']);
    expect(await names(admin, { maxClv: 10_000 })).toEqual(['D']);
    expect(await names(admin, { maxPAlive: 0.3 })).toEqual(['C', 'D']);
    expect(await names(admin, { minPAlive: 0.5, maxPAlive: 0.8 })).toEqual(['B', 'E']);
    expect(await names(admin, { rfmClass: 'important_value', minPAlive: 0.9 })).toEqual(['A']);
    expect(await names(admin, { segmentId: segs[1] })).toEqual(['A', 'C', 'D']);
    // A is in both segments: the higher-priority one (GOLD) is A's tier, so CARE is only C and D.
    expect(await names(admin, { tierId: gold.id })).toEqual(['A', 'B']);
    expect(await names(admin, { tierId: care.id })).toEqual(['C', 'D']);
    // Key accounts: the cut is the 80th percentile (discrete) of the five scored spends
    // 1,000 < 5,000 < 70,000 < 80,000 < 90,000, i.e. the fourth, 80,000.
    expect(await names(admin, { keyAccount: 'true' })).toEqual(['A', 'B']);
    expect(await names(admin, { keyAccount: 'false' })).toEqual(['C', 'D', 'E', 'F']);
    // Combined with ordinary filters and search.
    expect(await names(admin, { rfmClass: 'important_win_back', region: '440000' })).toEqual(['C']);

    // 数据权限: the customer manager (Guangdong) gets only A, C, E whatever the filter.
    expect(await names(cm, { rfmClass: 'important_win_back' })).toEqual(['C']);
    expect(await names(cm, { segmentId: segs[1] })).toEqual(['A', 'C']);
    expect(await names(cm, { tierId: care.id })).toEqual(['C']);
    expect(await names(cm, { minClv: 1 })).toEqual(['A', 'C', 'E']);
    expect(await names(cm, { maxPAlive: 0.07 })).toEqual([]);

    // Each row carries its measures when filtered by value (and not otherwise).
    const page = await listCustomers(admin, listCustomersQuery.parse({ rfmClass: 'important_win_back', sort: 'name' }));
    expect(page.items.map((c) => c.value)).toEqual([
      { rfmClass: 'important_win_back', rScore: 3, fScore: 3, mScore: 5, monetaryMinor: 70_000, clvMinor: 20_000, pAlive: 0.1 },
      { rfmClass: 'important_win_back', rScore: 3, fScore: 3, mScore: 1, monetaryMinor: 5_000, clvMinor: 10_000, pAlive: 0.05 },
    ]);
    expect((await listCustomers(admin, listCustomersQuery.parse({}))).items[0]).not.toHaveProperty('value');

    // Paging under a filter visits every match once.
    const p1 = await listCustomers(admin, listCustomersQuery.parse({ minClv: 0, limit: 2, sort: 'name' }));
    const p2 = await listCustomers(admin, listCustomersQuery.parse({ minClv: 0, limit: 2, sort: 'name', cursor: p1.nextCursor! }));
    const p3 = await listCustomers(admin, listCustomersQuery.parse({ minClv: 0, limit: 2, sort: 'name', cursor: p2.nextCursor! }));
    expect([...p1.items, ...p2.items, ...p3.items].map((c) => c.name)).toEqual(['A', 'B', 'C', 'D', 'E']);
    expect(p3.nextCursor).toBeNull();

    // A segment or tier of another organization is a 400, not an empty page; so is min above max.
    const other = await seed(db, 'ValueFiltersOther');
    await expect(names(admin, { segmentId: other.segs[0] })).rejects.toBeInstanceOf(Invalid);
    await expect(names(admin, { tierId: other.gold.id })).rejects.toBeInstanceOf(Invalid);
    await expect(names(admin, { minClv: 10, maxClv: 5 })).rejects.toBeInstanceOf(Invalid);
  });

  it('answers 400 with the failing fields over HTTP', async () => {
    const { db, database } = get();
    const { org } = await seed(db, 'ValueFiltersHttp');
    const app = await buildApp({ database, config: { sessionHours: 12, maxUploadBytes: 64 * 1024, loginRatePerMinute: 100, cookieSecure: false }, log: pino({ level: 'silent' }), webDir: null });
    try {
      const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: org.emails.admin, password: org.password } });
      const headers = { authorization: `Bearer ${login.json().token as string}`, 'accept-language': 'en' };
      const get400 = async (qs: string) => {
        const r = await app.inject({ method: 'GET', url: `/api/customers?${qs}`, headers });
        expect(r.statusCode, qs).toBe(400);
        return JSON.stringify(r.json());
      };
      expect(await get400('rfmClass=nope')).toContain('rfmClass');
      expect(await get400('minPAlive=1.5')).toContain('minPAlive');
      expect(await get400('minClv=abc')).toContain('minClv');
      expect(await get400('segmentId=not-a-uuid')).toContain('segmentId');
      expect(await get400('minClv=10&maxClv=5')).toContain('minClv');
      expect(await get400('tierId=01900000-0000-7000-8000-000000000000')).toContain('tierId');
      const ok = await app.inject({ method: 'GET', url: '/api/customers?rfmClass=important_value&sort=name', headers });
      expect(ok.statusCode).toBe(200);
      expect(ok.json().items.map((c: { name: string; value: { clvMinor: number } }) => [c.name, c.value.clvMinor])).toEqual([['A', 500_000], ['B', 300_000]]);
    } finally {
      await app.close();
    }
  });

  it('exports exactly the customers the list returns for the same value filter, in the data scope', async () => {
    const { db } = get();
    const { org, ids, segs, gold, care } = await seed(db, 'ValueFiltersExport');
    const byName = (...n: string[]) => n.map((x) => ids[fixture.findIndex((f) => f.name === x)]!).sort();
    const queries: ListCustomersQuery[] = [
      {}, { rfmClass: 'important_win_back' }, { rfmClass: 'important_value', minPAlive: 0.9 }, { mScore: 5 }, { minClv: 20_000, maxClv: 100_000 },
      { minPAlive: 0.5, maxPAlive: 0.8 }, { segmentId: segs[1] }, { tierId: gold.id }, { tierId: care.id }, { keyAccount: 'true' }, { keyAccount: 'false' },
      { rfmClass: 'important_win_back', region: '440000' },
    ];
    for (const ctx of [org.ctx.admin, org.ctx.customer_manager]) {
      for (const q of queries) expect(await exportedIds(ctx, q), JSON.stringify(q)).toEqual(await listedIds(ctx, q));
    }
    // Against the fixture itself, not only against the list.
    expect(await exportedIds(org.ctx.admin, { rfmClass: 'important_win_back' })).toEqual(byName('C', 'D'));
    expect(await exportedIds(org.ctx.admin, { tierId: care.id }, 'xlsx')).toEqual(byName('C', 'D'));
    expect(await exportedIds(org.ctx.admin, { keyAccount: 'false' }, 'xlsx')).toEqual(byName('C', 'D', 'E', 'F'));
    expect(await exportedIds(org.ctx.customer_manager, { segmentId: segs[1] })).toEqual(byName('A', 'C'));
    // The same validation as the list.
    await expect(exportedIds(org.ctx.admin, { minClv: 10, maxClv: 5 })).rejects.toBeInstanceOf(Invalid);
    const other = await seed(db, 'ValueFiltersExportOther');
    await expect(exportedIds(org.ctx.admin, { segmentId: other.segs[0] })).rejects.toBeInstanceOf(Invalid);
  });

  it('exports over HTTP with the value filters, and answers 400 with the failing fields as the list does', async () => {
    const { db, database } = get();
    const { org, ids, care } = await seed(db, 'ValueFiltersExportHttp');
    const app = await buildApp({ database, config: { sessionHours: 12, maxUploadBytes: 64 * 1024, loginRatePerMinute: 100, cookieSecure: false }, log: pino({ level: 'silent' }), webDir: null });
    try {
      const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: org.emails.admin, password: org.password } });
      const headers = { authorization: `Bearer ${login.json().token as string}`, 'accept-language': 'en' };
      for (const qs of ['rfmClass=nope', 'minPAlive=1.5', 'minClv=abc', 'segmentId=not-a-uuid', 'minClv=10&maxClv=5', 'tierId=01900000-0000-7000-8000-000000000000']) {
        const r = await app.inject({ method: 'GET', url: `/api/customers/export?format=csv&${qs}`, headers });
        expect(r.statusCode, qs).toBe(400);
        expect(JSON.stringify(r.json()), qs).toContain(qs.split('=')[0]!);
      }
      const r = await app.inject({ method: 'GET', url: `/api/customers/export?format=csv&tierId=${care.id}&sort=name`, headers });
      expect(r.statusCode).toBe(200);
      const exported = r.body.replace(/^\uFEFF/, '').split('\r\n').filter(Boolean).slice(1).map((l) => l.split(',').at(-1)).sort();
      expect(exported).toEqual([ids[2], ids[3]].sort());
    } finally {
      await app.close();
    }
  });
});
