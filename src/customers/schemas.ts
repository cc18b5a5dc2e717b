// The customer contract: zod schemas shared by use cases, routes (and so the OpenAPI document), import and the web UI.
import { z } from 'zod';
import { rfmClasses } from '../analytics/rfm-classes.ts';

export const channels = ['phone', 'sms', 'email', 'visit', 'counter', 'wechat', 'web'] as const;
export const customerKinds = ['person', 'company'] as const;

/** Mainland mobile (11 digits starting 1[3-9]), optional +86; or a landline with area code, optional extension. */
export const phoneSchema = z
  .string()
  .trim()
  .transform((s) => s.replace(/[\s-()]/g, '').replace(/^(\+?86)(?=1\d{10}$)/, ''))
  .pipe(z.string().regex(/^(1[3-9]\d{9}|0\d{2,3}\d{7,8}(\d{1,6})?|\+\d{7,15})$/, { message: 'invalid_phone' }));

export const emailSchema = z.string().trim().toLowerCase().max(254).email({ message: 'invalid_email' });
export const regionCode = z.string().regex(/^\d{6}$/, { message: 'invalid_region_code' });

export const consentSchema = z.object(Object.fromEntries(channels.map((c) => [c, z.boolean().optional()])) as Record<(typeof channels)[number], z.ZodOptional<z.ZodBoolean>>).strict();

const customerFields = {
  kind: z.enum(customerKinds).default('person'),
  name: z.string().trim().min(1).max(100),
  phones: z.array(phoneSchema).max(10).default([]),
  emails: z.array(emailSchema).max(10).default([]),
  provinceCode: regionCode.nullable().optional(),
  cityCode: regionCode.nullable().optional(),
  districtCode: regionCode.nullable().optional(),
  street: z.string().trim().max(200).nullable().optional(),
  tags: z.array(z.string().trim().min(1).max(30)).max(50).default([]),
  custom: z.record(z.string(), z.unknown()).default({}),
  ownerId: z.string().uuid().nullable().optional(),
  source: z.string().trim().max(50).nullable().optional(),
  consent: consentSchema.default({}),
};

export const createCustomerInput = z.object(customerFields);
export type CreateCustomerInput = z.input<typeof createCustomerInput>;

export const updateCustomerInput = z
  .object({
    kind: customerFields.kind.unwrap().optional(),
    name: customerFields.name.optional(),
    phones: z.array(phoneSchema).max(10).optional(),
    emails: z.array(emailSchema).max(10).optional(),
    provinceCode: customerFields.provinceCode,
    cityCode: customerFields.cityCode,
    districtCode: customerFields.districtCode,
    street: customerFields.street,
    tags: z.array(z.string().trim().min(1).max(30)).max(50).optional(),
    custom: z.record(z.string(), z.unknown()).optional(),
    ownerId: customerFields.ownerId,
    source: customerFields.source,
    consent: consentSchema.optional(),
    /** The version the client read; a different current version is a 409. */
    version: z.number().int().positive(),
  })
  .strict();
export type UpdateCustomerInput = z.input<typeof updateCustomerInput>;

export const customerOutput = z.object({
  id: z.string(),
  kind: z.enum(customerKinds),
  name: z.string(),
  phones: z.array(z.string()),
  emails: z.array(z.string()),
  provinceCode: z.string().nullable(),
  cityCode: z.string().nullable(),
  districtCode: z.string().nullable(),
  /** "广东省 深圳市 南山区", from the GB/T 2260 codes. */
  regionName: z.string(),
  street: z.string().nullable(),
  tags: z.array(z.string()),
  custom: z.record(z.string(), z.unknown()),
  ownerId: z.string().nullable(),
  ownerName: z.string().nullable(),
  source: z.string().nullable(),
  consent: z.record(z.string(), z.boolean()),
  /** True when phones and emails are masked for this caller. */
  masked: z.boolean(),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type CustomerOutput = z.infer<typeof customerOutput>;

const csv = z
  .string()
  .optional()
  .transform((s) => (s ? s.split(',').map((x) => x.trim()).filter(Boolean) : []));

export const listCustomersQuery = z.object({
  /** One search box: name fragment, pinyin, pinyin initials, 4+ phone digits or email. */
  q: z.string().trim().max(100).optional(),
  /** Comma-separated; customers having all of them. */
  tags: csv,
  ownerId: z.string().uuid().optional(),
  /** A GB/T 2260 code (province, city or district). */
  region: regionCode.optional(),
  territoryId: z.string().uuid().optional(),
  createdFrom: z.string().datetime({ offset: true }).optional(),
  createdTo: z.string().datetime({ offset: true }).optional(),
  /** Custom-field filter as JSON object, e.g. {"level":"gold"} (containment). */
  custom: z
    .string()
    .optional()
    .transform((s, ctx) => {
      if (!s) return undefined;
      try {
        const v: unknown = JSON.parse(s);
        if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
      } catch {
        /* fall through */
      }
      ctx.addIssue({ code: 'custom', message: 'custom_not_object' });
      return z.NEVER;
    }),
  // Value filters (客户价值, written by the analytics domain): the charts' drill-downs open this list.
  /** One of the eight RFM classes. */
  rfmClass: z.enum(rfmClasses).optional(),
  /** Members of a segment (as last materialized). */
  segmentId: z.string().uuid().optional(),
  /** Customers whose service tier (that of their highest-priority segment with a tier) is this one. */
  tierId: z.string().uuid().optional(),
  rScore: z.coerce.number().int().min(1).max(5).optional(),
  fScore: z.coerce.number().int().min(1).max(5).optional(),
  mScore: z.coerce.number().int().min(1).max(5).optional(),
  /** Top share by spend in the RFM window (大客户; share from the analytics settings), or the others. */
  keyAccount: z.enum(['true', 'false']).optional(),
  /** CLV bounds in minor units of the organization's currency, inclusive. */
  minClv: z.coerce.number().int().min(-1e15).max(1e15).optional(),
  maxClv: z.coerce.number().int().min(-1e15).max(1e15).optional(),
  /** P(alive) bounds, inclusive. */
  minPAlive: z.coerce.number().min(0).max(1).optional(),
  maxPAlive: z.coerce.number().min(0).max(1).optional(),
  sort: z.enum(['-created', 'created', 'name', '-updated']).default('-created'),
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type ListCustomersQuery = z.input<typeof listCustomersQuery>;

/** The value measures of a listed customer; only present when the list was filtered by value. */
export const customerValueSummary = z.object({
  rfmClass: z.enum(rfmClasses).nullable(),
  rScore: z.number().nullable(),
  fScore: z.number().nullable(),
  mScore: z.number().nullable(),
  monetaryMinor: z.number().nullable(),
  clvMinor: z.number().nullable(),
  pAlive: z.number().nullable(),
});
export type CustomerValueSummary = z.infer<typeof customerValueSummary>;
export const customerListItem = customerOutput.extend({ value: customerValueSummary.nullable().optional() });
export type CustomerListItem = z.infer<typeof customerListItem>;
export const customerPage = z.object({
  items: z.array(customerListItem),
  nextCursor: z.string().nullable(),
  /** With value filters: the analytics currency that the items' amounts are in. */
  valueCurrency: z.string().optional(),
});

export const createContactInput = z.object({
  channel: z.enum(channels),
  direction: z.enum(['inbound', 'outbound']),
  summary: z.string().trim().min(1).max(2000),
  occurredAt: z.string().datetime({ offset: true }).optional(),
});
export type CreateContactInput = z.input<typeof createContactInput>;

export const contactOutput = z.object({
  id: z.string(),
  customerId: z.string(),
  channel: z.enum(channels),
  direction: z.enum(['inbound', 'outbound']),
  staffId: z.string().nullable(),
  staffName: z.string().nullable(),
  summary: z.string(),
  occurredAt: z.string(),
});

export const timelineItem = z.object({
  id: z.string(),
  /** e.g. contact, customer.create, customer.update, customer.reveal; later domains add theirs. */
  kind: z.string(),
  occurredAt: z.string(),
  actorId: z.string().nullable(),
  actorName: z.string().nullable(),
  summary: z.string(),
  data: z.record(z.string(), z.unknown()),
});
export const timelinePage = z.object({ items: z.array(timelineItem), nextCursor: z.string().nullable() });

// --- Additions by the customer-files backend (additive; nothing above changed) ---

export const contactPage = z.object({ items: z.array(contactOutput), nextCursor: z.string().nullable() });
export const listContactsQuery = z.object({
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export const timelineQuery = listContactsQuery;

/** POST /api/customers/{id}/reveal: the full personal data of one customer (audited as customer.reveal). */
export const revealOutput = z.object({ id: z.string(), phones: z.array(z.string()), emails: z.array(z.string()) });

export const customFieldTypes = ['text', 'number', 'date', 'boolean', 'select'] as const;
export type CustomFieldType = (typeof customFieldTypes)[number];

export const createCustomFieldInput = z
  .object({
    entity: z.literal('customer').default('customer'),
    /** Key inside `custom`, e.g. "level". */
    key: z.string().trim().regex(/^[a-z][a-z0-9_]{0,39}$/, { message: 'invalid_key' }),
    labelZh: z.string().trim().min(1).max(50),
    labelEn: z.string().trim().min(1).max(50),
    type: z.enum(customFieldTypes),
    /** Allowed values of a select field. */
    options: z.array(z.string().trim().min(1).max(50)).max(100).default([]),
    required: z.boolean().default(false),
  })
  .superRefine((v, ctx) => {
    if (v.type === 'select' && v.options.length === 0) ctx.addIssue({ code: 'custom', path: ['options'], message: 'options_required' });
    if (v.type !== 'select' && v.options.length > 0) ctx.addIssue({ code: 'custom', path: ['options'], message: 'options_only_for_select' });
    if (new Set(v.options).size !== v.options.length) ctx.addIssue({ code: 'custom', path: ['options'], message: 'duplicate_option' });
  });
export type CreateCustomFieldInput = z.input<typeof createCustomFieldInput>;

export const customFieldOutput = z.object({
  id: z.string(),
  entity: z.string(),
  key: z.string(),
  labelZh: z.string(),
  labelEn: z.string(),
  type: z.enum(customFieldTypes),
  options: z.array(z.string()),
  required: z.boolean(),
});
export type CustomFieldOutput = z.infer<typeof customFieldOutput>;
