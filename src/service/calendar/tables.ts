import { sql } from 'drizzle-orm';
import { boolean, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { organizations, users } from '../../platform/tables.ts';
import type { WorkingHours } from '../model/business-calendar.ts';

/**
 * 工作日历: an organization's business hours for SLA clocks. The China holidays and make-up working days come
 * from the `chinese-days` package at read time (so a package update reaches every calendar); the organization
 * stores only its own edits on top of them.
 */
export const businessCalendars = pgTable('business_calendars', {
  id: uuid('id').primaryKey(),
  orgId: uuid('org_id').notNull().references(() => organizations.id),
  name: text('name').notNull(),
  timezone: text('timezone').notNull(),
  /** 7 entries, Sunday first; each a list of { start, end } 'HH:MM' spans. */
  week: jsonb('week').$type<WorkingHours[][]>().notNull(),
  /** Apply China's published holidays and make-up working days (off for a team abroad). */
  useChinaHolidays: boolean('use_china_holidays').notNull().default(true),
  /** Extra closed dates (company anniversary, typhoon day). */
  addedHolidays: text('added_holidays').array().notNull().default(sql`'{}'::text[]`),
  /** Published holidays this organization works (e.g. a hotline open on National Day). */
  removedHolidays: text('removed_holidays').array().notNull().default(sql`'{}'::text[]`),
  /** Extra open dates on a closed weekday; they use Monday's hours. */
  addedWorkdays: text('added_workdays').array().notNull().default(sql`'{}'::text[]`),
  isDefault: boolean('is_default').notNull().default(false),
  version: integer('version').notNull().default(1),
  createdBy: uuid('created_by').references(() => users.id),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  uniqueIndex('business_calendars_org_name_key').on(t.orgId, t.name),
  // At most one default calendar per organization.
  uniqueIndex('business_calendars_org_default_key').on(t.orgId).where(sql`${t.isDefault}`),
]);
