import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { organizations, users } from '../platform/tables.ts';

export type Channel = 'phone' | 'sms' | 'email' | 'visit' | 'counter' | 'wechat' | 'web';

/**
 * The search box's GIN indexes keep at most 256 kB of new entries in their pending list (default 4 MB):
 * every search reads the whole list, and between two vacuums of a busy table a full one made a phone
 * search read 483 pages (3.6 ms) instead of 12. Inserts merge into the index more often instead.
 */
const SEARCH_GIN = { gin_pending_list_limit: 256 };

/** 客户档案: a person or a company the organization serves. */
export const customers = pgTable('customers', {
  id: uuid('id').primaryKey(),
  orgId: uuid('org_id').notNull().references(() => organizations.id),
  kind: text('kind').notNull().default('person'), // person | company
  name: text('name').notNull(),
  phones: text('phones').array().notNull().default(sql`'{}'::text[]`),
  emails: text('emails').array().notNull().default(sql`'{}'::text[]`),
  provinceCode: text('province_code'),
  cityCode: text('city_code'),
  districtCode: text('district_code'),
  street: text('street'),
  tags: text('tags').array().notNull().default(sql`'{}'::text[]`),
  custom: jsonb('custom').$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
  ownerId: uuid('owner_id').references(() => users.id),
  source: text('source'),
  consent: jsonb('consent').$type<Partial<Record<Channel, boolean>>>().notNull().default(sql`'{}'::jsonb`),
  // Search columns, derived from name/phones/emails on every write (see customers/model/search-keys.ts).
  namePinyin: text('name_pinyin').notNull().default(''),
  nameInitials: text('name_initials').notNull().default(''),
  nameGrams: text('name_grams').array().notNull().default(sql`'{}'::text[]`),
  phoneText: text('phone_text').notNull().default(''),
  emailText: text('email_text').notNull().default(''),
  version: integer('version').notNull().default(1),
  createdBy: uuid('created_by'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  index('customers_org_id_idx').on(t.orgId, t.id.desc()),
  index('customers_org_name_idx').on(t.orgId, t.name, t.id),
  // The search keys trail the key so that a search for a common prefix ("zh") walks this index
  // alone, newest first, with no heap fetch per skipped customer (15 ms → 2.5 ms for "wt"); after
  // the unique id they never change the order.
  index('customers_org_created_idx').on(t.orgId, t.createdAt.desc(), t.id.desc(), t.nameInitials, t.namePinyin),
  // Keyset paging for the "recently updated" sort of the customer list.
  index('customers_org_updated_idx').on(t.orgId, t.updatedAt.desc(), t.id.desc()),
  index('customers_org_owner_idx').on(t.orgId, t.ownerId, t.id.desc()),
  // A region filter with either sort walks one of these in order and stops at the page's end (a
  // province with 89,000 of 1,000,000 customers sorted by name took 166 ms with (org, province) alone).
  index('customers_org_province_created_idx').on(t.orgId, t.provinceCode, t.createdAt.desc(), t.id.desc()),
  index('customers_org_province_name_idx').on(t.orgId, t.provinceCode, t.name, t.id),
  index('customers_org_city_created_idx').on(t.orgId, t.cityCode, t.createdAt.desc(), t.id.desc()),
  index('customers_org_city_name_idx').on(t.orgId, t.cityCode, t.name, t.id),
  index('customers_org_district_idx').on(t.orgId, t.districtCode),
  index('customers_name_grams_idx').using('gin', t.nameGrams).with(SEARCH_GIN),
  index('customers_tags_idx').using('gin', t.tags),
  index('customers_phones_idx').using('gin', t.phones),
  index('customers_emails_idx').using('gin', t.emails),
  index('customers_custom_idx').using('gin', sql`${t.custom} jsonb_path_ops`),
  index('customers_pinyin_trgm_idx').using('gin', sql`${t.namePinyin} gin_trgm_ops`).with(SEARCH_GIN),
  // Pinyin initials are searched by prefix ("zs" for 张三, 张少峰 …): a btree answers a prefix exactly
  // (the trigram index answered "zs%" from the trigrams "  z" and " zs", a tenth of all customers), and
  // with the sort key and id in the index the search's initials branch reads its page index-only.
  index('customers_org_initials_idx').on(t.orgId, t.nameInitials.op('text_pattern_ops'), t.createdAt.desc(), t.id.desc()),
  index('customers_org_pinyin_idx').on(t.orgId, t.namePinyin.op('text_pattern_ops'), t.createdAt.desc(), t.id.desc()),
  index('customers_phone_trgm_idx').using('gin', sql`${t.phoneText} gin_trgm_ops`).with(SEARCH_GIN),
  index('customers_email_trgm_idx').using('gin', sql`${t.emailText} gin_trgm_ops`).with(SEARCH_GIN),
]);

/** Contact log: every interaction with a customer (痕迹化记录). */
export const contactLogs = pgTable('contact_logs', {
  id: uuid('id').primaryKey(),
  orgId: uuid('org_id').notNull().references(() => organizations.id),
  customerId: uuid('customer_id').notNull().references(() => customers.id),
  channel: text('channel').$type<Channel>().notNull(),
  direction: text('direction').notNull(), // inbound | outbound
  staffId: uuid('staff_id').references(() => users.id),
  summary: text('summary').notNull(),
  occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  index('contact_logs_customer_idx').on(t.orgId, t.customerId, t.occurredAt.desc(), t.id.desc()),
]);

/** One run of a customer import (CLI or upload): counts and the row-level error report. */
export const importRuns = pgTable('import_runs', {
  id: uuid('id').primaryKey(),
  orgId: uuid('org_id').notNull().references(() => organizations.id),
  actorId: uuid('actor_id'),
  fileName: text('file_name').notNull(),
  mode: text('mode').notNull(),
  dryRun: boolean('dry_run').notNull().default(false),
  committed: boolean('committed').notNull().default(false),
  counts: jsonb('counts').$type<Record<string, number>>().notNull().default(sql`'{}'::jsonb`),
  reportCsv: text('report_csv').notNull().default(''),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [index('import_runs_org_idx').on(t.orgId, t.createdAt.desc())]);
