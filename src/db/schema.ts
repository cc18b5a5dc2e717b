// One schema for PGlite and PostgreSQL: every domain's tables, re-exported for Drizzle and drizzle-kit.
export * from '../platform/tables.ts';
export * from '../customers/tables.ts';
export * from '../service/calendar/tables.ts';
export * from '../jobs/tables.ts';
export * from '../messaging/tables.ts';
export * from '../service/tables.ts';
export * from '../orders/tables.ts';
export * from '../opportunities/tables.ts';
export * from '../contact-center/tables.ts';
export * from '../analytics/tables.ts';
export * from '../wfm/tables.ts';
