// The service marketing contract: zod schemas shared by use cases, routes (and so the OpenAPI document)
// and the web UI. Money is integer minor units (分) with an ISO 4217 currency code.
import { z } from 'zod';
import { commissionKinds, needGrades, opportunityStages } from './tables.ts';

const currency = z.string().trim().toUpperCase().regex(/^[A-Z]{3}$/, { message: 'invalid_currency' });
const minor = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const uuid = z.string().uuid();
const datetime = z.string().datetime({ offset: true });
const monthText = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, { message: 'invalid_month' });
const boolQuery = z.union([z.boolean(), z.enum(['true', 'false'])]).transform((s) => s === true || s === 'true');

/** A latent need as the staff member records it (the customer comes from the service order or the path). */
export const recordNeedInput = z
  .object({
    /** What the customer has now, e.g. the current configuration (现状). */
    currentSituation: z.string().trim().max(2000).default(''),
    need: z.string().trim().min(1).max(2000),
    grade: z.enum(needGrades),
    productCategory: z.string().trim().min(1).max(100).nullable().optional(),
    expectedValueMinor: minor.nullable().optional(),
    currency: currency.default('CNY'),
    nextStep: z.string().trim().max(500).nullable().optional(),
  })
  .strict();
export type RecordNeedInput = z.input<typeof recordNeedInput>;

export const latentNeedOutput = z.object({
  id: z.string(),
  customerId: z.string(),
  serviceOrderId: z.string().nullable(),
  foundBy: z.string().nullable(),
  foundByName: z.string().nullable(),
  currentSituation: z.string(),
  need: z.string(),
  grade: z.enum(needGrades),
  productCategory: z.string().nullable(),
  createdAt: z.string(),
});
export type LatentNeedOutput = z.infer<typeof latentNeedOutput>;

export const opportunityEventOutput = z.object({
  id: z.string(),
  kind: z.string(),
  fromStage: z.enum(opportunityStages).nullable(),
  toStage: z.enum(opportunityStages).nullable(),
  actorId: z.string().nullable(),
  actorName: z.string().nullable(),
  data: z.record(z.string(), z.unknown()),
  at: z.string(),
});

export const opportunityOutput = z.object({
  id: z.string(),
  customerId: z.string(),
  need: latentNeedOutput,
  ownerUserId: z.string().nullable(),
  ownerName: z.string().nullable(),
  ownerTeamId: z.string().nullable(),
  ownerTeamName: z.string().nullable(),
  stage: z.enum(opportunityStages),
  allowedMoves: z.array(z.enum(opportunityStages)),
  expectedValueMinor: z.number().nullable(),
  currency: z.string(),
  nextStep: z.string().nullable(),
  followUpDueAt: z.string(),
  wonOrderId: z.string().nullable(),
  lostReason: z.string().nullable(),
  closedAt: z.string().nullable(),
  version: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type OpportunityOutput = z.infer<typeof opportunityOutput>;

export const opportunityDetail = opportunityOutput.extend({ events: z.array(opportunityEventOutput) });
export type OpportunityDetail = z.infer<typeof opportunityDetail>;

export const updateOpportunityInput = z
  .object({
    version: z.number().int().min(1),
    stage: z.enum(opportunityStages).optional(),
    /** Required with stage `won`: the resulting order, of the same customer. */
    orderId: uuid.optional(),
    /** Required with stage `lost`. */
    lostReason: z.string().trim().min(1).max(500).optional(),
    nextStep: z.string().trim().max(500).nullable().optional(),
    followUpDueAt: datetime.optional(),
    expectedValueMinor: minor.nullable().optional(),
    currency: currency.optional(),
    ownerUserId: uuid.nullable().optional(),
    ownerTeamId: uuid.nullable().optional(),
    note: z.string().trim().max(1000).optional(),
  })
  .strict();
export type UpdateOpportunityInput = z.input<typeof updateOpportunityInput>;

export const opportunityViews = ['all', 'mine', 'team'] as const;
export const listOpportunitiesQuery = z.object({
  view: z.enum(opportunityViews).default('all'),
  stage: z.enum(opportunityStages).optional(),
  /** Only open opportunities whose follow-up is due before now. */
  overdue: boolQuery.optional(),
  /** Only opportunities whose follow-up is due before this instant. */
  dueBefore: datetime.optional(),
  customerId: uuid.optional(),
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type ListOpportunitiesQuery = z.input<typeof listOpportunitiesQuery>;
export const opportunityPage = z.object({ items: z.array(opportunityOutput), nextCursor: z.string().nullable() });

export const boardQuery = z.object({ view: z.enum(opportunityViews).default('all') });
export const boardOutput = z.object({
  columns: z.array(
    z.object({
      stage: z.enum(opportunityStages),
      count: z.number(),
      overdue: z.number(),
      expectedValue: z.array(z.object({ currency: z.string(), minor: z.number() })),
    }),
  ),
});

export const commissionRuleInput = z
  .object({
    name: z.string().trim().min(1).max(100),
    /** null: any category (the fallback). */
    productCategory: z.string().trim().min(1).max(100).nullable().default(null),
    kind: z.enum(commissionKinds),
    /** percent: basis points of the line amount (150 = 1.5 %). */
    basisPoints: z.number().int().min(1).max(10_000).nullable().optional(),
    /** fixed: amount per won order. */
    fixedMinor: minor.nullable().optional(),
    currency: currency.nullable().optional(),
    priority: z.number().int().min(-1000).max(1000).default(0),
    active: z.boolean().default(true),
  })
  .strict();
export type CommissionRuleInput = z.input<typeof commissionRuleInput>;

export const updateCommissionRuleInput = z
  .object({
    version: z.number().int().min(1),
    name: z.string().trim().min(1).max(100).optional(),
    productCategory: z.string().trim().min(1).max(100).nullable().optional(),
    kind: z.enum(commissionKinds).optional(),
    basisPoints: z.number().int().min(1).max(10_000).nullable().optional(),
    fixedMinor: minor.nullable().optional(),
    currency: currency.nullable().optional(),
    priority: z.number().int().min(-1000).max(1000).optional(),
    active: z.boolean().optional(),
  })
  .strict();
export type UpdateCommissionRuleInput = z.input<typeof updateCommissionRuleInput>;

export const commissionRuleOutput = z.object({
  id: z.string(),
  name: z.string(),
  productCategory: z.string().nullable(),
  kind: z.enum(commissionKinds),
  basisPoints: z.number().nullable(),
  fixedMinor: z.number().nullable(),
  currency: z.string().nullable(),
  priority: z.number(),
  active: z.boolean(),
  version: z.number(),
});
export type CommissionRuleOutput = z.infer<typeof commissionRuleOutput>;

export const commissionsQuery = z.object({
  /** Defaults to the caller. */
  staffId: uuid.optional(),
  month: monthText,
});
export type CommissionsQuery = z.input<typeof commissionsQuery>;

export const moneyTotals = z.object({ currency: z.string(), earnedMinor: z.number(), reversedMinor: z.number(), netMinor: z.number() });
export const commissionEntryOutput = z.object({
  id: z.string(),
  kind: z.enum(['earned', 'reversed']),
  opportunityId: z.string(),
  orderId: z.string(),
  orderLineId: z.string().nullable(),
  returnId: z.string().nullable(),
  ruleId: z.string().nullable(),
  baseMinor: z.number(),
  amountMinor: z.number(),
  currency: z.string(),
  createdAt: z.string(),
});
export const commissionsOutput = z.object({
  staffId: z.string(),
  month: z.string(),
  totals: z.array(moneyTotals),
  items: z.array(commissionEntryOutput),
});
export type CommissionsOutput = z.infer<typeof commissionsOutput>;

export const settingsInput = z
  .object({
    /** The version read (0 before the first save). */
    version: z.number().int().min(0).optional(),
    defaultTeamId: uuid.nullable(),
    followUpDays: z.object({ A: z.number().int().min(0).max(365), B: z.number().int().min(0).max(365), C: z.number().int().min(0).max(365) }),
  })
  .strict();
export type SettingsInput = z.input<typeof settingsInput>;
export const settingsOutput = z.object({
  defaultTeamId: z.string().nullable(),
  followUpDays: z.object({ A: z.number(), B: z.number(), C: z.number() }),
  version: z.number(),
});
export type SettingsOutput = z.infer<typeof settingsOutput>;

export const kpiQuery = z
  .object({ from: monthText, to: monthText })
  .refine((q) => q.from <= q.to, { message: 'from_after_to', path: ['to'] });
export type KpiQuery = z.input<typeof kpiQuery>;
export const kpiOutput = z.object({
  from: z.string(),
  to: z.string(),
  staff: z.array(
    z.object({
      staffId: z.string(),
      staffName: z.string().nullable(),
      needsFound: z.number(),
      won: z.number(),
      lost: z.number(),
      open: z.number(),
      /** won / (won + lost); null when nothing closed yet. */
      winRate: z.number().nullable(),
      /** won / all needs found; null when none. */
      conversionRate: z.number().nullable(),
      commissions: z.array(z.object({ currency: z.string(), netMinor: z.number() })),
    }),
  ),
  months: z.array(moneyTotals.extend({ month: z.string() })),
});
export type KpiOutput = z.infer<typeof kpiOutput>;
