// The service desk contract: zod schemas shared by use cases, routes (and so the OpenAPI document) and the web UI.
import { z } from 'zod';
import { callbackOutcomes, complaintSeverities, escalationActions, priorities, rootCauses, serviceChannels, serviceStatuses, slaStates } from './tables.ts';

const typeKey = z.string().trim().regex(/^[a-z][a-z0-9_]{1,39}$/, { message: 'invalid_type_key' });
const currency = z.string().trim().toUpperCase().regex(/^[A-Z]{3}$/, { message: 'invalid_currency' });

export const complaintFields = {
  severity: z.enum(complaintSeverities).nullable().optional(),
  rootCause: z.enum(rootCauses).nullable().optional(),
  compensationMinor: z.number().int().min(0).nullable().optional(),
  compensationCurrency: currency.nullable().optional(),
};

export const createServiceOrderInput = z
  .object({
    type: typeKey,
    customerId: z.string().uuid(),
    orderId: z.string().uuid().nullable().optional(),
    orderLineId: z.string().uuid().nullable().optional(),
    productId: z.string().uuid().nullable().optional(),
    channel: z.enum(serviceChannels).default('phone'),
    category: z.string().trim().max(60).nullable().optional(),
    priority: z.enum(priorities).default('normal'),
    title: z.string().trim().min(1).max(200),
    description: z.string().trim().max(10_000).default(''),
    assigneeUserId: z.string().uuid().nullable().optional(),
    assigneeTeamId: z.string().uuid().nullable().optional(),
    queue: z.string().trim().min(1).max(60).nullable().optional(),
    ...complaintFields,
  })
  .strict();
export type CreateServiceOrderInput = z.input<typeof createServiceOrderInput>;

export const updateServiceOrderInput = z
  .object({
    category: z.string().trim().max(60).nullable().optional(),
    priority: z.enum(priorities).optional(),
    title: z.string().trim().min(1).max(200).optional(),
    description: z.string().trim().max(10_000).optional(),
    channel: z.enum(serviceChannels).optional(),
    productId: z.string().uuid().nullable().optional(),
    assigneeUserId: z.string().uuid().nullable().optional(),
    assigneeTeamId: z.string().uuid().nullable().optional(),
    queue: z.string().trim().min(1).max(60).nullable().optional(),
    ...complaintFields,
    /** The version the client read; a different current version is a 409 with the current order. */
    version: z.number().int().positive(),
  })
  .strict();
export type UpdateServiceOrderInput = z.input<typeof updateServiceOrderInput>;

export const transitionInput = z
  .object({
    to: z.enum(serviceStatuses),
    version: z.number().int().positive(),
    note: z.string().trim().max(2000).optional(),
    resolution: z.string().trim().max(10_000).optional(),
    firstContactResolved: z.boolean().optional(),
    customerConfirmed: z.boolean().optional(),
    satisfaction: z.number().int().min(1).max(5).optional(),
  })
  .strict();
export type TransitionInput = z.input<typeof transitionInput>;

const iso = z.string();

export const serviceOrderOutput = z.object({
  id: z.string(),
  number: z.string(),
  type: z.string(),
  customerId: z.string(),
  /** The customer's name (lists and detail; absent where an order is returned from a write). */
  customerName: z.string().optional(),
  orderId: z.string().nullable(),
  orderLineId: z.string().nullable(),
  productId: z.string().nullable(),
  channel: z.string(),
  category: z.string().nullable(),
  priority: z.enum(priorities),
  title: z.string(),
  description: z.string(),
  assigneeUserId: z.string().nullable(),
  assigneeName: z.string().nullable().optional(),
  assigneeTeamId: z.string().nullable(),
  queue: z.string().nullable(),
  status: z.enum(serviceStatuses),
  allowedTransitions: z.array(z.enum(serviceStatuses)),
  slaPolicyId: z.string().nullable(),
  firstResponseDueAt: iso.nullable(),
  resolutionDueAt: iso.nullable(),
  firstRespondedAt: iso.nullable(),
  resolvedAt: iso.nullable(),
  closedAt: iso.nullable(),
  firstResponseSlaState: z.enum(slaStates),
  resolutionSlaState: z.enum(slaStates),
  slaState: z.enum(slaStates),
  nextDueAt: iso.nullable(),
  pausedSince: iso.nullable(),
  pausedMinutes: z.number(),
  resolution: z.string().nullable(),
  firstContactResolved: z.boolean(),
  customerConfirmed: z.boolean().nullable(),
  satisfaction: z.number().nullable(),
  severity: z.enum(complaintSeverities).nullable(),
  rootCause: z.string().nullable(),
  compensationMinor: z.number().nullable(),
  compensationCurrency: z.string().nullable(),
  version: z.number(),
  createdBy: z.string().nullable(),
  createdAt: iso,
  updatedAt: iso,
});
export type ServiceOrderOutput = z.infer<typeof serviceOrderOutput>;

export const serviceOrderViews = ['mine', 'team', 'at-risk', 'breached', 'unassigned'] as const;
export type ServiceOrderView = (typeof serviceOrderViews)[number];

/** Comma-separated values of a query parameter (an array is taken as is, so parsed queries parse again). */
const csv = <T extends z.ZodType<unknown, string>>(item: T) =>
  z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((s) => (Array.isArray(s) ? s : s ? s.split(',').map((x) => x.trim()).filter(Boolean) : []))
    .pipe(z.array(item));

export const listServiceOrdersQuery = z.object({
  view: z.enum(serviceOrderViews).optional(),
  status: csv(z.enum(serviceStatuses)),
  type: csv(typeKey),
  priority: csv(z.enum(priorities)),
  customerId: z.string().uuid().optional(),
  assigneeUserId: z.string().uuid().optional(),
  assigneeTeamId: z.string().uuid().optional(),
  createdFrom: z.string().datetime({ offset: true }).optional(),
  createdTo: z.string().datetime({ offset: true }).optional(),
  cursor: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type ListServiceOrdersQuery = z.input<typeof listServiceOrdersQuery>;

export const serviceOrderPage = z.object({ items: z.array(serviceOrderOutput), nextCursor: z.string().nullable() });

export const serviceOrderEventOutput = z.object({
  id: z.string(),
  kind: z.string(),
  actorId: z.string().nullable(),
  data: z.record(z.string(), z.unknown()),
  at: iso,
});

export const createSlaPolicyInput = z
  .object({
    name: z.string().trim().min(1).max(100),
    types: z.array(typeKey).default([]),
    priorities: z.array(z.enum(priorities)).default([]),
    tags: z.array(z.string().trim().min(1).max(30)).default([]),
    tier: z.string().trim().min(1).max(30).nullable().default(null),
    rank: z.number().int().min(0).max(10_000).default(100),
    firstResponseMinutes: z.number().int().min(1).max(525_600),
    resolutionMinutes: z.number().int().min(1).max(525_600),
    calendar: z.enum(['business', '24x7']).default('business'),
    calendarId: z.string().uuid().nullable().default(null),
    atRiskPercent: z.number().int().min(1).max(99).default(80),
  })
  .strict();
export type CreateSlaPolicyInput = z.input<typeof createSlaPolicyInput>;

export const slaPolicyOutput = createSlaPolicyInput.extend({ id: z.string(), active: z.boolean(), version: z.number(), tier: z.string().nullable(), calendarId: z.string().nullable() });
export type SlaPolicyOutput = z.infer<typeof slaPolicyOutput>;

export const createEscalationRuleInput = z
  .object({
    name: z.string().trim().min(1).max(100),
    onState: z.enum(['at_risk', 'breached']),
    target: z.enum(['first_response', 'resolution']),
    policyId: z.string().uuid().nullable().default(null),
    types: z.array(typeKey).default([]),
    priorities: z.array(z.enum(priorities)).default([]),
    action: z.enum(escalationActions),
    targetUserId: z.string().uuid().nullable().default(null),
    targetTeamId: z.string().uuid().nullable().default(null),
    level: z.number().int().min(1).max(9).default(1),
  })
  .strict();
export type CreateEscalationRuleInput = z.input<typeof createEscalationRuleInput>;
export const escalationRuleOutput = createEscalationRuleInput.extend({
  id: z.string(),
  active: z.boolean(),
  policyId: z.string().nullable(),
  targetUserId: z.string().nullable(),
  targetTeamId: z.string().nullable(),
  version: z.number(),
});
export type EscalationRuleOutput = z.infer<typeof escalationRuleOutput>;

export const serviceSettingsInput = z
  .object({
    complaintTeamId: z.string().uuid().nullable().optional(),
    callbackMaxAttempts: z.number().int().min(1).max(10).optional(),
    callbackRetryMinutes: z.number().int().min(1).max(10_080).optional(),
    callbackGraceMinutes: z.number().int().min(0).max(43_200).optional(),
  })
  .strict();
export type ServiceSettingsInput = z.input<typeof serviceSettingsInput>;
export const serviceSettingsOutput = z.object({
  complaintTeamId: z.string().nullable(),
  callbackMaxAttempts: z.number(),
  callbackRetryMinutes: z.number(),
  callbackGraceMinutes: z.number(),
});
export type ServiceSettingsOutput = z.infer<typeof serviceSettingsOutput>;

export const createServiceTypeInput = z
  .object({
    key: typeKey,
    labelZh: z.string().trim().min(1).max(40),
    labelEn: z.string().trim().min(1).max(60),
    callbackDelayMinutes: z.number().int().min(0).max(525_600).nullable().default(null),
  })
  .strict();
export type CreateServiceTypeInput = z.input<typeof createServiceTypeInput>;
export const serviceTypeOutput = z.object({
  key: z.string(),
  labelZh: z.string(),
  labelEn: z.string(),
  callbackDelayMinutes: z.number().nullable(),
  builtin: z.boolean(),
  /** Inactive custom types are listed only with `includeInactive` (admin screens). */
  active: z.boolean(),
  /** 0: a built-in type the organization never edited (PATCH with version 0 stores its override). */
  version: z.number(),
});
export type ServiceTypeOutput = z.infer<typeof serviceTypeOutput>;

export const callbackViews = ['mine', 'due', 'overdue'] as const;
export const listCallbacksQuery = z.object({
  view: z.enum(callbackViews).optional(),
  serviceOrderId: z.string().uuid().optional(),
  cursor: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type ListCallbacksQuery = z.input<typeof listCallbacksQuery>;

export const callbackOutput = z.object({
  id: z.string(),
  serviceOrderId: z.string(),
  serviceOrderNumber: z.string(),
  customerId: z.string(),
  customerName: z.string().optional(),
  dueAt: iso,
  assigneeUserId: z.string().nullable(),
  assigneeName: z.string().nullable().optional(),
  status: z.enum(['pending', 'done', 'cancelled']),
  outcome: z.enum(callbackOutcomes).nullable(),
  note: z.string().nullable(),
  attempts: z.number(),
  version: z.number(),
  completedAt: iso.nullable(),
});
export type CallbackOutput = z.infer<typeof callbackOutput>;
export const callbackPage = z.object({ items: z.array(callbackOutput), nextCursor: z.string().nullable() });

export const callbackOutcomeInput = z
  .object({
    outcome: z.enum(callbackOutcomes),
    note: z.string().trim().max(2000).optional(),
    satisfaction: z.number().int().min(1).max(5).optional(),
    version: z.number().int().positive().optional(),
  })
  .strict();
export type CallbackOutcomeInput = z.input<typeof callbackOutcomeInput>;

export const complaintRateQuery = z.object({
  from: z.string().datetime({ offset: true }),
  to: z.string().datetime({ offset: true }),
});
export const complaintRateOutput = z.object({
  from: iso,
  to: iso,
  complaints: z.number(),
  customers: z.number(),
  ratePer10k: z.number(),
});
