// Organization-defined custom fields (自定义字段): admins define typed fields; customer writes
// validate `custom` against them, so reports and filters can trust the stored values.
import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../db/open.ts';
import { audit } from '../platform/audit.ts';
import { assertCan, type Ctx } from '../platform/context.ts';
import { Conflict, Invalid, type KeyedFieldError, fieldError } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import { customFieldDefs } from '../platform/tables.ts';
import './messages.ts';
import { createCustomFieldInput, type CreateCustomFieldInput, type CustomFieldOutput, type CustomFieldType } from './schemas.ts';

type DefRow = typeof customFieldDefs.$inferSelect;

function present(row: DefRow): CustomFieldOutput {
  return {
    id: row.id,
    entity: row.entity,
    key: row.key,
    labelZh: row.labelZh,
    labelEn: row.labelEn,
    type: row.type as CustomFieldType,
    options: row.options,
    required: row.required,
  };
}

export async function createCustomField(ctx: Ctx, raw: CreateCustomFieldInput): Promise<CustomFieldOutput> {
  assertCan(ctx.actor, 'settings.manage');
  const input = createCustomFieldInput.parse(raw);
  return ctx.db.transaction(async (tx) => {
    const [taken] = await tx
      .select({ id: customFieldDefs.id })
      .from(customFieldDefs)
      .where(and(eq(customFieldDefs.orgId, ctx.actor.orgId), eq(customFieldDefs.entity, input.entity), eq(customFieldDefs.key, input.key)));
    if (taken) throw new Conflict('error.custom_field_exists', { key: input.key });
    const [row] = await tx
      .insert(customFieldDefs)
      .values({ id: newId(), orgId: ctx.actor.orgId, ...input, createdAt: ctx.now() })
      .returning();
    await audit(ctx, { action: 'custom_field.create', entityType: 'custom_field', entityId: row.id, data: { ...input } }, tx);
    return present(row);
  });
}

/** Readable by everyone who reads customers: the customer form and filters need the definitions. */
export async function listCustomFields(ctx: Ctx, entity = 'customer'): Promise<CustomFieldOutput[]> {
  assertCan(ctx.actor, 'customer.read');
  return (await loadCustomFieldDefs(ctx.db, ctx.actor.orgId, entity)).map(present);
}

export async function loadCustomFieldDefs(db: Db, orgId: string, entity = 'customer'): Promise<DefRow[]> {
  return db
    .select()
    .from(customFieldDefs)
    .where(and(eq(customFieldDefs.orgId, orgId), eq(customFieldDefs.entity, entity)))
    .orderBy(asc(customFieldDefs.createdAt), asc(customFieldDefs.key));
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
function isDate(s: string): boolean {
  const m = DATE_RE.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

/** Problems of one value against its definition, or null when it is valid. */
function checkValue(def: Pick<DefRow, 'type' | 'options'>, v: unknown, path: string): KeyedFieldError | null {
  switch (def.type as CustomFieldType) {
    case 'text':
      if (typeof v !== 'string') return fieldError(path, 'expected_text', 'field.customers.expected_text');
      if (v.length > 500) return fieldError(path, 'too_long', 'field.customers.text_too_long');
      return null;
    case 'number':
      return typeof v === 'number' && Number.isFinite(v) ? null : fieldError(path, 'expected_number', 'field.customers.expected_number');
    case 'boolean':
      return typeof v === 'boolean' ? null : fieldError(path, 'expected_boolean', 'field.customers.expected_boolean');
    case 'date':
      return typeof v === 'string' && isDate(v) ? null : fieldError(path, 'expected_date', 'field.customers.expected_date');
    case 'select':
      return typeof v === 'string' && def.options.includes(v) ? null : fieldError(path, 'invalid_option', 'field.customers.invalid_option', { options: def.options.join(', ') });
    default:
      return fieldError(path, 'unknown_type', 'field.customers.unknown_field_type');
  }
}

/**
 * Validates a complete `custom` object against the organization's definitions: unknown keys,
 * wrong types and missing required fields are reported as `custom.<key>` field errors.
 * Text values are trimmed; empty text counts as absent.
 */
export function validateCustom(defs: readonly DefRow[], custom: Record<string, unknown>): { value: Record<string, unknown>; errors: KeyedFieldError[] } {
  const byKey = new Map(defs.map((d) => [d.key, d]));
  const errors: KeyedFieldError[] = [];
  const value: Record<string, unknown> = {};
  for (const [key, raw] of Object.entries(custom)) {
    const def = byKey.get(key);
    if (!def) {
      errors.push(fieldError(`custom.${key}`, 'unknown_field', 'field.customers.unknown_custom_field'));
      continue;
    }
    const v = typeof raw === 'string' ? raw.trim() : raw;
    if (v === null || v === undefined || v === '') continue;
    const problem = checkValue(def, v, `custom.${key}`);
    if (problem) errors.push(problem);
    else value[key] = v;
  }
  for (const def of defs) {
    if (def.required && !(def.key in value) && !errors.some((e) => e.path === `custom.${def.key}`)) {
      errors.push(fieldError(`custom.${def.key}`, 'required', 'field.required'));
    }
  }
  return { value, errors };
}

export async function assertValidCustom(db: Db, orgId: string, custom: Record<string, unknown>): Promise<Record<string, unknown>> {
  const { value, errors } = validateCustom(await loadCustomFieldDefs(db, orgId), custom);
  if (errors.length) throw new Invalid(errors);
  return value;
}
