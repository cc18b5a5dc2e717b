import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows, type Db } from '../../db/open.ts';
import { describeDb, openTestDatabase, type TestDb } from '../../db/test-harness.ts';
import { makeCtx, systemActor, type Ctx } from '../../platform/context.ts';
import { createOrganization } from '../../platform/create-organization.ts';
import { verifyPassword } from '../../platform/passwords.ts';
import { regionByCode } from '../../platform/regions.ts';
import { emailSchema, phoneSchema } from '../schemas.ts';
import { DEMO_PASSWORD, ensureDemoStaff } from './ensure-demo-staff.ts';
import { seedDemo } from './seed-demo.ts';

const now = () => new Date('2026-06-15T10:00:00Z');

async function newOrg(db: Db, name: string): Promise<Ctx> {
  const suffix = Math.random().toString(36).slice(2, 8);
  const org = await createOrganization(db, { name: `${name}-${suffix}`, adminEmail: `admin-${suffix}@demo.test`, adminPassword: 'password-123' });
  return makeCtx(db, systemActor(org.orgId), { now });
}

/** A fingerprint of an organization's customers in generation order (UUIDv7 ids are time-ordered). */
async function fingerprint(db: Db, orgId: string): Promise<{ customers: string; contacts: string }> {
  const [c] = await rows<{ md5: string }>(db, sql`
    SELECT md5(string_agg(
      concat_ws('|', c.kind, c.name, array_to_string(c.phones, ','), array_to_string(c.emails, ','), c.province_code, c.city_code,
        c.district_code, c.street, array_to_string(c.tags, ','), c.source, c.consent::text, c.created_at::text, split_part(u.email, '@', 1)),
      E'\\n' ORDER BY c.id)) AS md5
    FROM customers c LEFT JOIN users u ON u.id = c.owner_id WHERE c.org_id = ${orgId}`);
  const [l] = await rows<{ md5: string }>(db, sql`
    SELECT md5(string_agg(concat_ws('|', c.name, l.channel, l.direction, l.summary, l.occurred_at::text, split_part(u.email, '@', 1)), E'\\n' ORDER BY c.id, l.id)) AS md5
    FROM contact_logs l JOIN customers c ON c.id = l.customer_id LEFT JOIN users u ON u.id = l.staff_id WHERE l.org_id = ${orgId}`);
  return { customers: c.md5, contacts: l.md5 };
}

describeDb('kefu demo: seedDemo', (get) => {
  const N = 2_000;
  const K = 3;
  let a: Ctx;
  let b: Ctx;
  let c: Ctx;
  let resultA: Awaited<ReturnType<typeof seedDemo>>;

  beforeAll(async () => {
    const { db } = get();
    a = await newOrg(db, 'demo-a');
    b = await newOrg(db, 'demo-b');
    c = await newOrg(db, 'demo-c');
    for (const ctx of [a, b, c]) await ensureDemoStaff(ctx);
    resultA = await seedDemo(a, { customers: N, seed: 'same', contactsPerCustomer: K });
    // Same seed, other batch sizes and parallel writers: the data must not depend on how it was written.
    await seedDemo(b, { customers: N, seed: 'same', contactsPerCustomer: K, batchSize: 333, parallel: 3 });
    await seedDemo(c, { customers: N, seed: 'other', contactsPerCustomer: K });
  }, 120_000);

  it('same seed gives identical customers and contact logs in two organizations; another seed differs', async () => {
    const { db } = get();
    const fa = await fingerprint(db, a.actor.orgId);
    const fb = await fingerprint(db, b.actor.orgId);
    const fc = await fingerprint(db, c.actor.orgId);
    expect(fa.customers).toMatch(/^[0-9a-f]{32}$/);
    expect(fb).toEqual(fa);
    expect(fc.customers).not.toBe(fa.customers);
    expect(fc.contacts).not.toBe(fa.contacts);
  });

  it('writes N customers and about N×K contact logs, and reports what it wrote', async () => {
    const { db } = get();
    const [counts] = await rows<{ customers: number; contacts: number; audits: number }>(db, sql`
      SELECT (SELECT count(*)::int FROM customers WHERE org_id = ${a.actor.orgId}) AS customers,
             (SELECT count(*)::int FROM contact_logs WHERE org_id = ${a.actor.orgId}) AS contacts,
             (SELECT count(*)::int FROM audit_log WHERE org_id = ${a.actor.orgId} AND action = 'demo.seed') AS audits`);
    expect(counts.customers).toBe(N);
    expect(resultA.customers).toBe(N);
    expect(counts.contacts).toBe(resultA.contacts);
    expect(counts.contacts).toBeGreaterThan(N * K * 0.9);
    expect(counts.contacts).toBeLessThan(N * K * 1.1);
    expect(counts.audits).toBe(1);
    expect(resultA.rowsPerSecond).toBeGreaterThan(0);
  });

  it('stores only valid phones and e-mails', async () => {
    const { db } = get();
    const phones = await rows<{ p: string }>(db, sql`SELECT unnest(phones) AS p FROM customers WHERE org_id = ${a.actor.orgId}`);
    expect(phones.length).toBeGreaterThanOrEqual(N);
    expect(phones.filter((r) => !phoneSchema.safeParse(r.p).success || phoneSchema.parse(r.p) !== r.p)).toEqual([]);
    const emails = await rows<{ e: string }>(db, sql`SELECT unnest(emails) AS e FROM customers WHERE org_id = ${a.actor.orgId}`);
    expect(emails.length).toBeGreaterThan(N * 0.2);
    expect(emails.filter((r) => !emailSchema.safeParse(r.e).success)).toEqual([]);
  });

  it('uses existing GB/T 2260 codes, each district in its city and each city in its province', async () => {
    const { db } = get();
    const triples = await rows<{ p: string; c: string | null; d: string | null }>(db, sql`
      SELECT DISTINCT province_code AS p, city_code AS c, district_code AS d FROM customers WHERE org_id = ${a.actor.orgId}`);
    expect(triples.length).toBeGreaterThan(300);
    const broken = triples.filter(({ p, c, d }) => {
      if (regionByCode(p)?.level !== 'province') return true;
      if (c && (regionByCode(c)?.level !== 'city' || regionByCode(c)?.parentCode !== p)) return true;
      if (d && (regionByCode(d)?.level !== 'district' || regionByCode(d)?.parentCode !== (c ?? p))) return true;
      return !c && !d;
    });
    expect(broken).toEqual([]);
  });

  it('fills the search keys (pinyin, initials, grams, phone digits)', async () => {
    const { db } = get();
    const [k] = await rows<{ missing: number; persons: number; found: number }>(db, sql`
      SELECT count(*) FILTER (WHERE name_pinyin = '' OR name_initials = '' OR cardinality(name_grams) = 0 OR phone_text = '')::int AS missing,
             count(*) FILTER (WHERE kind = 'person')::int AS persons,
             count(*) FILTER (WHERE kind = 'person' AND name_pinyin ~ '^[a-z]+$' AND length(name_initials) = char_length(name))::int AS found
      FROM customers WHERE org_id = ${a.actor.orgId}`);
    expect(k.missing).toBe(0);
    expect(k.persons).toBeGreaterThan(N * 0.85);
    expect(k.found).toBe(k.persons);
  });

  it('gives customers owners whose territory covers their province, and contacts after creation', async () => {
    const { db } = get();
    const [o] = await rows<{ owned: number; misplaced: number; early: number; foreignStaff: number }>(db, sql`
      SELECT count(*) FILTER (WHERE c.owner_id IS NOT NULL)::int AS owned,
             count(*) FILTER (WHERE c.owner_id IS NOT NULL AND NOT EXISTS (
               SELECT 1 FROM users u JOIN territories t ON t.id = ANY(u.territory_ids)
               WHERE u.id = c.owner_id AND u.org_id = c.org_id AND u.role = 'customer_manager' AND c.province_code = ANY(t.region_codes)))::int AS misplaced,
             (SELECT count(*)::int FROM contact_logs l JOIN customers x ON x.id = l.customer_id
               WHERE l.org_id = ${a.actor.orgId} AND l.occurred_at <= x.created_at) AS early,
             (SELECT count(*)::int FROM contact_logs l LEFT JOIN users s ON s.id = l.staff_id
               WHERE l.org_id = ${a.actor.orgId} AND (s.id IS NULL OR s.org_id <> l.org_id)) AS "foreignStaff"
      FROM customers c WHERE c.org_id = ${a.actor.orgId}`);
    expect(o.owned).toBeGreaterThan(N * 0.85);
    expect(o.owned).toBeLessThan(N);
    expect(o.misplaced).toBe(0);
    expect(o.early).toBe(0);
    expect(o.foreignStaff).toBe(0);
  });
});

describeDb('kefu demo: ensureDemoStaff', (get) => {
  it('creates one user per role with the demo password and territories, once', async () => {
    const { db } = get();
    const ctx = await newOrg(db, 'staff');
    const first = await ensureDemoStaff(ctx, { managers: 3 });
    expect(first.emailDomain).toBe('kefu.local');
    expect(first.staff.map((s) => s.role).sort()).toEqual(['agent', 'agent', 'analyst', 'customer_manager', 'customer_manager', 'customer_manager', 'supervisor']);
    expect(first.staff.every((s) => s.created)).toBe(true);
    // Three managers share the seven territories between them.
    const managerTerritories = first.staff.filter((s) => s.role === 'customer_manager').flatMap((s) => s.territories);
    expect(managerTerritories.sort()).toEqual(['东北', '华东', '华中', '华北', '华南', '西北', '西南'].sort());
    const [manager] = await rows<{ password_hash: string; codes: string[] }>(db, sql`
      SELECT u.password_hash, (SELECT array_agg(c ORDER BY c) FROM territories t, unnest(t.region_codes) c WHERE t.id = ANY(u.territory_ids)) AS codes
      FROM users u WHERE u.email = 'manager1@kefu.local'`);
    expect(await verifyPassword(manager.password_hash, DEMO_PASSWORD)).toBe(true);
    expect(manager.codes).toContain('440000');

    const again = await ensureDemoStaff(ctx, { managers: 3 });
    expect(again.staff.some((s) => s.created)).toBe(false);
    const [count] = await rows<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM users WHERE org_id = ${ctx.actor.orgId}`);
    expect(count.n).toBe(1 + 7);

    // A second organization cannot take the same e-mails: it gets its own subdomain.
    const other = await newOrg(db, 'staff-2');
    const second = await ensureDemoStaff(other, { managers: 1 });
    expect(second.emailDomain).toMatch(/^org-[0-9a-f]{8}\.kefu\.local$/);
    expect(second.staff.every((s) => s.email.endsWith(second.emailDomain))).toBe(true);
  });

  it('refuses actors without the permission', async () => {
    const { db } = get();
    const ctx = await newOrg(db, 'staff-3');
    const analyst = makeCtx(db, { ...ctx.actor, role: 'analyst' });
    await expect(ensureDemoStaff(analyst)).rejects.toMatchObject({ code: 'forbidden' });
    await expect(seedDemo(analyst, { customers: 1 })).rejects.toMatchObject({ code: 'forbidden' });
  });
});

describe('kefu demo: 20,000 customers on PGlite', () => {
  let handle: TestDb;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    ({ handle, drop } = await openTestDatabase('pglite'));
  }, 120_000);
  afterAll(async () => drop?.());

  it('completes and reports its throughput', async () => {
    const ctx = await newOrg(handle.db, 'big');
    await ensureDemoStaff(ctx);
    const r = await seedDemo(ctx, { customers: 20_000, seed: 'big', contactsPerCustomer: 3 });
    const [n] = await rows<{ n: number }>(handle.db, sql`SELECT count(*)::int AS n FROM customers WHERE org_id = ${ctx.actor.orgId}`);
    expect(n.n).toBe(20_000);
    console.log(`demo 20,000 customers on PGlite: ${(r.ms / 1000).toFixed(1)} s, ${Math.round(r.customersPerSecond)} customers/s, ${Math.round(r.rowsPerSecond)} rows/s (${r.contacts} contact logs)`);
    expect(r.ms).toBeLessThan(120_000);
  }, 180_000);
});
