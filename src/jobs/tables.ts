import { index, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { organizations } from '../platform/tables.ts';

/**
 * The ledger of effects background jobs have made (see src/jobs/once.ts): one row per effect key,
 * written in the same transaction as the effect, so a retried job sees it and does not repeat it.
 */
export const jobEffects = pgTable('job_effects', {
  orgId: uuid('org_id').notNull().references(() => organizations.id),
  jobName: text('job_name').notNull(),
  effectKey: text('effect_key').notNull(),
  doneAt: timestamp('done_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  primaryKey({ name: 'job_effects_pkey', columns: [t.orgId, t.jobName, t.effectKey] }),
  index('job_effects_done_idx').on(t.doneAt),
]);
