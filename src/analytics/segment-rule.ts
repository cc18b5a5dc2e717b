// The segment rule language (分群规则): a tree of `all` / `any` / `not` over conditions
// `{ field, op, value }`, compiled to parameterised SQL over
//   customers c LEFT JOIN customer_values v ON (v.org_id, v.customer_id) = (c.org_id, c.id).
// Fields and operators are whitelisted: each field names a fixed SQL expression and a value type,
// each operator a fixed SQL shape; user values only ever travel as bound parameters.
import { sql, type SQL } from 'drizzle-orm';
import { fieldError, type KeyedFieldError } from '../platform/errors.ts';
import { rfmClasses } from './tables.ts';

type ValueKind = 'class' | 'score' | 'int' | 'number' | 'probability' | 'code' | 'tag' | 'uuid' | 'text';

interface FieldDef {
  kind: ValueKind;
  expr: SQL;
  ops: readonly Op[];
}

export const ruleOps = ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'in', 'notIn', 'has', 'hasAny', 'hasAll', 'isNull', 'notNull'] as const;
export type Op = (typeof ruleOps)[number];

const cmp = ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'isNull', 'notNull'] as const;
const setOps = ['eq', 'neq', 'in', 'notIn', 'isNull', 'notNull'] as const;

const fields = {
  rfmClass: { kind: 'class', expr: sql`v.rfm_class`, ops: setOps },
  rScore: { kind: 'score', expr: sql`v.r_score`, ops: [...cmp, 'in'] },
  fScore: { kind: 'score', expr: sql`v.f_score`, ops: [...cmp, 'in'] },
  mScore: { kind: 'score', expr: sql`v.m_score`, ops: [...cmp, 'in'] },
  recencyDays: { kind: 'int', expr: sql`v.recency_days`, ops: cmp },
  frequency: { kind: 'int', expr: sql`v.frequency`, ops: cmp },
  spend: { kind: 'number', expr: sql`v.monetary_minor`, ops: cmp },
  clv: { kind: 'number', expr: sql`v.clv_minor`, ops: cmp },
  pAlive: { kind: 'probability', expr: sql`v.p_alive`, ops: cmp },
  expectedPurchases: { kind: 'number', expr: sql`v.expected_purchases`, ops: cmp },
  provinceCode: { kind: 'code', expr: sql`c.province_code`, ops: setOps },
  cityCode: { kind: 'code', expr: sql`c.city_code`, ops: setOps },
  districtCode: { kind: 'code', expr: sql`c.district_code`, ops: setOps },
  tags: { kind: 'tag', expr: sql`c.tags`, ops: ['has', 'hasAny', 'hasAll'] },
  owner: { kind: 'uuid', expr: sql`c.owner_id`, ops: setOps },
  kind: { kind: 'text', expr: sql`c.kind`, ops: ['eq', 'neq', 'in'] },
  source: { kind: 'text', expr: sql`c.source`, ops: setOps },
} satisfies Record<string, FieldDef>;
export type RuleField = keyof typeof fields;
export const ruleFields = Object.keys(fields) as RuleField[];

export interface RuleCondition { field: string; op: string; value?: unknown }
export type RuleNode = { all: RuleNode[] } | { any: RuleNode[] } | { not: RuleNode } | RuleCondition;

const MAX_DEPTH = 6;
const MAX_CONDITIONS = 60;
const MAX_LIST = 500;

function isObj(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Checks one scalar against the field's kind; returns the value to bind or an error code. */
function scalar(kind: ValueKind, v: unknown): { ok: true; value: string | number } | { ok: false; code: string } {
  switch (kind) {
    case 'class':
      return typeof v === 'string' && (rfmClasses as readonly string[]).includes(v) ? { ok: true, value: v } : { ok: false, code: 'invalid_rfm_class' };
    case 'score':
      return Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 5 ? { ok: true, value: v as number } : { ok: false, code: 'invalid_score' };
    case 'int':
      return Number.isInteger(v) && Math.abs(v as number) <= 1e9 ? { ok: true, value: v as number } : { ok: false, code: 'invalid_integer' };
    case 'number':
      return typeof v === 'number' && Number.isFinite(v) && Math.abs(v) <= Number.MAX_SAFE_INTEGER ? { ok: true, value: v } : { ok: false, code: 'invalid_number' };
    case 'probability':
      return typeof v === 'number' && v >= 0 && v <= 1 ? { ok: true, value: v } : { ok: false, code: 'invalid_probability' };
    case 'code':
      return typeof v === 'string' && /^\d{6}$/.test(v) ? { ok: true, value: v } : { ok: false, code: 'invalid_region_code' };
    case 'uuid':
      return typeof v === 'string' && UUID.test(v) ? { ok: true, value: v } : { ok: false, code: 'invalid_uuid' };
    case 'tag':
    case 'text':
      return typeof v === 'string' && v.length >= 1 && v.length <= 100 ? { ok: true, value: v } : { ok: false, code: 'invalid_text' };
  }
}

function sqlType(kind: ValueKind): SQL {
  switch (kind) {
    case 'score':
    case 'int':
      return sql.raw('int');
    case 'number':
    case 'probability':
      return sql.raw('float8');
    case 'uuid':
      return sql.raw('uuid');
    default:
      return sql.raw('text');
  }
}

export interface CompiledRule { ok: true; where: SQL; conditions: number }
export interface RuleErrors { ok: false; errors: KeyedFieldError[] }

/** Validates and compiles a rule; never throws on user input. `path` prefixes error paths. */
export function compileRule(rule: unknown, path = 'rule'): CompiledRule | RuleErrors {
  const errors: KeyedFieldError[] = [];
  let conditions = 0;

  const walk = (node: unknown, p: string, depth: number): SQL => {
    if (depth > MAX_DEPTH) {
      errors.push(fieldError(p, 'too_deep', 'field.analytics.rule_too_deep', { max: MAX_DEPTH }));
      return sql`false`;
    }
    if (!isObj(node)) {
      errors.push(fieldError(p, 'invalid_rule', 'field.analytics.rule_shape'));
      return sql`false`;
    }
    const keys = Object.keys(node);
    if ('all' in node || 'any' in node) {
      const k = 'all' in node ? 'all' : 'any';
      const list = node[k];
      if (keys.length !== 1 || !Array.isArray(list) || list.length === 0) {
        errors.push(fieldError(`${p}.${k}`, 'invalid_rule', 'field.analytics.rule_list_empty'));
        return sql`false`;
      }
      const parts = list.map((child, i) => walk(child, `${p}.${k}.${i}`, depth + 1));
      return sql`(${sql.join(parts, sql.raw(k === 'all' ? ' AND ' : ' OR '))})`;
    }
    if ('not' in node) {
      if (keys.length !== 1) errors.push(fieldError(p, 'invalid_rule', 'field.analytics.rule_not_one'));
      return sql`(NOT coalesce(${walk(node.not, `${p}.not`, depth + 1)}, false))`;
    }
    conditions++;
    if (conditions > MAX_CONDITIONS) {
      errors.push(fieldError(p, 'too_many_conditions', 'field.analytics.too_many_conditions', { max: MAX_CONDITIONS }));
      return sql`false`;
    }
    const extra = keys.filter((k) => k !== 'field' && k !== 'op' && k !== 'value');
    if (extra.length) errors.push(fieldError(`${p}.${extra[0]}`, 'unknown_key', 'field.analytics.condition_keys'));
    const fieldName = node.field;
    if (typeof fieldName !== 'string' || !Object.hasOwn(fields, fieldName)) {
      errors.push(fieldError(`${p}.field`, 'unknown_field', 'field.analytics.unknown_rule_field', { fields: ruleFields.join(', ') }));
      return sql`false`;
    }
    const def: FieldDef = fields[fieldName as RuleField];
    const op = node.op;
    if (typeof op !== 'string' || !(def.ops as readonly string[]).includes(op)) {
      errors.push(fieldError(`${p}.op`, 'invalid_op', 'field.analytics.invalid_op', { ops: def.ops.join(', ') }));
      return sql`false`;
    }
    const e = def.expr;
    if (op === 'isNull' || op === 'notNull') {
      if (node.value !== undefined && node.value !== null) errors.push(fieldError(`${p}.value`, 'unexpected_value', 'field.analytics.unexpected_value'));
      return op === 'isNull' ? sql`(${e} IS NULL)` : sql`(${e} IS NOT NULL)`;
    }
    const listOp = op === 'in' || op === 'notIn' || op === 'hasAny' || op === 'hasAll';
    if (listOp) {
      const v = node.value;
      if (!Array.isArray(v) || v.length === 0 || v.length > MAX_LIST) {
        errors.push(fieldError(`${p}.value`, 'invalid_list', 'field.analytics.invalid_list', { max: MAX_LIST }));
        return sql`false`;
      }
      const vals: (string | number)[] = [];
      v.forEach((x, i) => {
        const s = scalar(def.kind, x);
        if (s.ok) vals.push(s.value);
        else errors.push(fieldError(`${p}.value.${i}`, s.code, `field.analytics.value.${s.code}`));
      });
      const arr = sql`${sql.param(vals)}::${sqlType(def.kind)}[]`;
      if (op === 'in') return sql`(${e} = ANY(${arr}))`;
      if (op === 'notIn') return sql`(${e} IS NULL OR NOT (${e} = ANY(${arr})))`;
      if (op === 'hasAny') return sql`(${e} && ${arr})`;
      return sql`(${e} @> ${arr})`;
    }
    const s = scalar(def.kind, node.value);
    if (!s.ok) {
      errors.push(fieldError(`${p}.value`, s.code, `field.analytics.value.${s.code}`));
      return sql`false`;
    }
    const val = sql`${sql.param(s.value)}::${sqlType(def.kind)}`;
    switch (op as Exclude<Op, 'isNull' | 'notNull' | 'in' | 'notIn' | 'hasAny' | 'hasAll'>) {
      case 'eq':
        return sql`(${e} = ${val})`;
      case 'neq':
        return sql`(${e} IS DISTINCT FROM ${val})`;
      case 'gt':
        return sql`(${e} > ${val})`;
      case 'gte':
        return sql`(${e} >= ${val})`;
      case 'lt':
        return sql`(${e} < ${val})`;
      case 'lte':
        return sql`(${e} <= ${val})`;
      case 'has':
        return sql`(${e} @> ARRAY[${val}])`;
    }
  };

  const where = walk(rule, path, 0);
  if (errors.length) return { ok: false, errors };
  return { ok: true, where, conditions };
}

/** FROM clause the compiled rule is written against. */
export const ruleFrom = sql`customers c LEFT JOIN customer_values v ON v.org_id = c.org_id AND v.customer_id = c.id`;
