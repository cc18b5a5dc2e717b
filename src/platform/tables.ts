import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

export const organizations = pgTable('organizations', {
  id: uuid('id').primaryKey(),
  name: text('name').notNull(),
  timezone: text('timezone').notNull().default('Asia/Shanghai'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [uniqueIndex('organizations_name_key').on(t.name)]);

/** A team (班组) of staff, e.g. 一线客服 or 投诉专席; a user belongs to at most one (users.team_id). */
export const teams = pgTable('teams', {
  id: uuid('id').primaryKey(),
  orgId: uuid('org_id').notNull().references(() => organizations.id),
  name: text('name').notNull(),
  version: integer('version').notNull().default(1),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [uniqueIndex('teams_org_name_key').on(t.orgId, t.name)]);

/** A territory is a named set of GB/T 2260 region codes (province, city or district) owned by an organization. */
export const territories = pgTable('territories', {
  id: uuid('id').primaryKey(),
  orgId: uuid('org_id').notNull().references(() => organizations.id),
  name: text('name').notNull(),
  parentId: uuid('parent_id'),
  regionCodes: text('region_codes').array().notNull().default(sql`'{}'::text[]`),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [uniqueIndex('territories_org_name_key').on(t.orgId, t.name)]);

export const users = pgTable('users', {
  id: uuid('id').primaryKey(),
  orgId: uuid('org_id').notNull().references(() => organizations.id),
  email: text('email').notNull(),
  name: text('name').notNull(),
  passwordHash: text('password_hash').notNull(),
  role: text('role').notNull(),
  teamId: uuid('team_id').references(() => teams.id),
  territoryIds: uuid('territory_ids').array().notNull().default(sql`'{}'::uuid[]`),
  locale: text('locale').notNull().default('zh-CN'),
  active: boolean('active').notNull().default(true),
  version: integer('version').notNull().default(1),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  uniqueIndex('users_email_key').on(sql`lower(${t.email})`),
  index('users_org_idx').on(t.orgId),
]);

/** Browser sessions and API tokens; only a SHA-256 of the token is stored. */
export const sessions = pgTable('sessions', {
  id: uuid('id').primaryKey(),
  orgId: uuid('org_id').notNull().references(() => organizations.id),
  userId: uuid('user_id').notNull().references(() => users.id),
  tokenHash: text('token_hash').notNull(),
  kind: text('kind').notNull(), // 'session' | 'api'
  name: text('name'),
  expiresAt: timestamp('expires_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  revokedAt: timestamp('revoked_at', { withTimezone: true }),
}, (t) => [uniqueIndex('sessions_token_hash_key').on(t.tokenHash), index('sessions_user_idx').on(t.userId)]);

/** Who read or changed what: every write and every reveal of personal data. */
export const auditLog = pgTable('audit_log', {
  id: uuid('id').primaryKey(),
  orgId: uuid('org_id').notNull().references(() => organizations.id),
  actorId: uuid('actor_id'),
  action: text('action').notNull(), // e.g. customer.create, customer.update, customer.reveal
  entityType: text('entity_type').notNull(),
  entityId: uuid('entity_id'),
  data: jsonb('data').$type<Record<string, unknown>>().notNull().default(sql`'{}'::jsonb`),
  ip: text('ip'),
  at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  index('audit_org_id_idx').on(t.orgId, t.id), // newest first: backward scan, cursor on the UUIDv7 id
  index('audit_entity_idx').on(t.orgId, t.entityType, t.entityId, t.at.desc()),
]);

/** Organization-defined custom fields (typed, validated) for an entity such as customer. */
export const customFieldDefs = pgTable('custom_field_defs', {
  id: uuid('id').primaryKey(),
  orgId: uuid('org_id').notNull().references(() => organizations.id),
  entity: text('entity').notNull(),
  key: text('key').notNull(),
  labelZh: text('label_zh').notNull(),
  labelEn: text('label_en').notNull(),
  type: text('type').notNull(), // text | number | date | boolean | select
  options: text('options').array().notNull().default(sql`'{}'::text[]`),
  required: boolean('required').notNull().default(false),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [uniqueIndex('custom_field_defs_key').on(t.orgId, t.entity, t.key)]);
