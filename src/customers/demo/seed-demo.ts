// `kefu demo` and the first-start demo: N deterministic customers with their contact logs, streamed
// into the database in batches so memory stays flat at a million rows, on PGlite and PostgreSQL.
// Each batch is one statement (customers and their contact logs together, so a batch is atomic),
// and the next batch is generated while the database writes the current one.
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import { audit } from '../../platform/audit.ts';
import { assertCan, type Ctx } from '../../platform/context.ts';
import { newId } from '../../platform/ids.ts';
import { territories, users } from '../../platform/tables.ts';
import { DemoGenerator, maxDemoCustomers, type DemoContact, type DemoCustomer, type DemoEnvironment } from './model/generate.ts';

export const seedDemoInput = z.object({
  customers: z.number().int().min(0).max(maxDemoCustomers),
  seed: z.union([z.string().min(1).max(100), z.number().int()]).default(1),
  /** Average contact-log entries per customer (each gets 0 … 2K). */
  contactsPerCustomer: z.number().int().min(0).max(50).default(3),
  batchSize: z.number().int().min(1).max(50_000).default(5_000),
  /** Batches written at once: 1 for PGlite (one thread); 2 or more on a PostgreSQL server. */
  parallel: z.number().int().min(1).max(16).default(1),
  /** Share of customers left in the shared pool (公海), without an owner. */
  unownedShare: z.number().min(0).max(1).default(0.08),
});
export type SeedDemoInput = z.input<typeof seedDemoInput>;

export interface SeedDemoResult {
  customers: number;
  contacts: number;
  ms: number;
  /** Customers plus contact logs written per second. */
  rowsPerSecond: number;
  customersPerSecond: number;
}

/** Data lies before the start of the current UTC day, so reruns on the same day give identical data. */
export function demoAnchor(now: Date): Date {
  return new Date(Math.floor(now.getTime() / 86_400_000) * 86_400_000);
}

const provinceOf = (code: string) => `${code.slice(0, 2)}0000`;

/** Owners and staff of the organization, in a stable order so a seed maps to the same people in every org. */
async function loadEnvironment(ctx: Ctx, anchor: Date, unownedShare: number): Promise<DemoEnvironment> {
  const orgId = ctx.actor.orgId;
  const staff = await ctx.db
    .select({ id: users.id, role: users.role, territoryIds: users.territoryIds })
    .from(users)
    .where(and(eq(users.orgId, orgId), eq(users.active, true), inArray(users.role, ['customer_manager', 'agent'])))
    .orderBy(asc(sql`lower(${users.email})`));
  const regions = await ctx.db
    .select({ id: territories.id, regionCodes: territories.regionCodes })
    .from(territories)
    .where(eq(territories.orgId, orgId));
  const codesOf = new Map(regions.map((t) => [t.id, t.regionCodes]));
  const managersByProvince = new Map<string, string[]>();
  for (const u of staff.filter((s) => s.role === 'customer_manager')) {
    const provinces = new Set(u.territoryIds.flatMap((t) => codesOf.get(t) ?? []).map(provinceOf));
    for (const p of provinces) managersByProvince.set(p, [...(managersByProvince.get(p) ?? []), u.id]);
  }
  return { anchor, managersByProvince, agents: staff.filter((s) => s.role === 'agent').map((s) => s.id), unownedShare };
}

const customerColumns = sql.raw(
  'id, org_id, kind, name, phones, emails, province_code, city_code, district_code, street, tags, custom, owner_id, source, consent, ' +
    'name_pinyin, name_initials, name_grams, phone_text, email_text, version, created_by, created_at, updated_at',
);

function customerJson(c: DemoCustomer): Record<string, unknown> {
  return {
    id: c.id, kind: c.kind, name: c.name, phones: c.phones, emails: c.emails,
    province_code: c.provinceCode, city_code: c.cityCode, district_code: c.districtCode, street: c.street,
    tags: c.tags, owner_id: c.ownerId, source: c.source, consent: c.consent,
    name_pinyin: c.namePinyin, name_initials: c.nameInitials, name_grams: c.nameGrams,
    phone_text: c.phoneText, email_text: c.emailText, created_at: c.createdAt,
  };
}

function contactJson(c: DemoContact): Record<string, unknown> {
  return {
    id: c.id, customer_id: c.customerId, channel: c.channel, direction: c.direction,
    staff_id: c.staffId, summary: c.summary, occurred_at: c.occurredAt,
  };
}

async function writeBatch(ctx: Ctx, customersJson: string, contactsJson: string): Promise<void> {
  // One statement: the contact logs' foreign keys are checked at its end, after the customers exist.
  await ctx.db.execute(sql`
    WITH inserted AS (
      INSERT INTO customers (${customerColumns})
      SELECT id, ${ctx.actor.orgId}::uuid, kind, name, phones, emails, province_code, city_code, district_code, street, tags,
             '{}'::jsonb, owner_id, source, consent, name_pinyin, name_initials, name_grams, phone_text, email_text,
             1, NULL, created_at, created_at
      FROM json_populate_recordset(NULL::customers, ${customersJson}::json)
      RETURNING 1
    )
    INSERT INTO contact_logs (id, org_id, customer_id, channel, direction, staff_id, summary, occurred_at, created_at)
    SELECT id, ${ctx.actor.orgId}::uuid, customer_id, channel, direction, staff_id, summary, occurred_at, occurred_at
    FROM json_populate_recordset(NULL::contact_logs, ${contactsJson}::json)`);
}

export async function seedDemo(
  ctx: Ctx,
  raw: SeedDemoInput,
  opts: { onProgress?: (customersDone: number, total: number) => void } = {},
): Promise<SeedDemoResult> {
  assertCan(ctx.actor, 'customer.import');
  assertCan(ctx.actor, 'contact.write');
  const input = seedDemoInput.parse(raw);
  const started = performance.now();
  const env = await loadEnvironment(ctx, demoAnchor(ctx.now()), input.unownedShare);
  const generator = new DemoGenerator(input.seed, env, { contactsPerCustomer: input.contactsPerCustomer, newId });

  // Batches are generated in order (so the data never depends on timing) and written with up to
  // `parallel` statements in flight: on PostgreSQL index maintenance then uses more than one core.
  const inFlight: { size: number; write: Promise<void> }[] = [];
  let done = 0;
  let generated = 0;
  let contacts = 0;
  const settleOldest = async () => {
    const oldest = inFlight.shift()!;
    await oldest.write;
    done += oldest.size;
    opts.onProgress?.(done, input.customers);
  };
  while (generated < input.customers) {
    const size = Math.min(input.batchSize, input.customers - generated);
    const cs: Record<string, unknown>[] = [];
    const ls: Record<string, unknown>[] = [];
    for (let i = 0; i < size; i++) {
      const c = generator.nextCustomer();
      cs.push(customerJson(c));
      for (const l of generator.contactsOf(c)) ls.push(contactJson(l));
    }
    generated += size;
    contacts += ls.length;
    const customersJson = JSON.stringify(cs);
    const contactsJson = JSON.stringify(ls);
    while (inFlight.length >= input.parallel) await settleOldest();
    const write = writeBatch(ctx, customersJson, contactsJson);
    write.catch(() => {}); // observed by settleOldest; avoids an unhandled rejection while an older batch is awaited
    inFlight.push({ size, write });
  }
  while (inFlight.length) await settleOldest();

  const ms = performance.now() - started;
  await audit(ctx, {
    action: 'demo.seed',
    entityType: 'organization',
    entityId: ctx.actor.orgId,
    data: { seed: input.seed, customers: done, contacts, contactsPerCustomer: input.contactsPerCustomer },
  });
  ctx.log.info({ customers: done, contacts, ms: Math.round(ms) }, 'demo data seeded');
  const seconds = Math.max(ms, 1) / 1000;
  return { customers: done, contacts, ms, rowsPerSecond: (done + contacts) / seconds, customersPerSecond: done / seconds };
}
