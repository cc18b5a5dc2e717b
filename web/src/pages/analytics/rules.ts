// The segment rule language as the editor sees it: the server's whitelisted fields and operators
// (src/analytics/segment-rule.ts; the type check below keeps the two lists in step) and a flat builder form.
import type { RfmClass, RuleField } from './api.ts';

export type ValueKind = 'class' | 'score' | 'int' | 'money' | 'number' | 'probability' | 'province' | 'code' | 'tag' | 'text' | 'kind';
const cmp = ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'isNull', 'notNull'] as const;
const setOps = ['eq', 'neq', 'in', 'notIn', 'isNull', 'notNull'] as const;

export const ruleFieldDefs = {
  rfmClass: { kind: 'class', ops: setOps },
  rScore: { kind: 'score', ops: [...cmp, 'in'] },
  fScore: { kind: 'score', ops: [...cmp, 'in'] },
  mScore: { kind: 'score', ops: [...cmp, 'in'] },
  recencyDays: { kind: 'int', ops: cmp },
  frequency: { kind: 'int', ops: cmp },
  spend: { kind: 'money', ops: cmp },
  clv: { kind: 'money', ops: cmp },
  pAlive: { kind: 'probability', ops: cmp },
  expectedPurchases: { kind: 'number', ops: cmp },
  provinceCode: { kind: 'province', ops: setOps },
  cityCode: { kind: 'code', ops: setOps },
  districtCode: { kind: 'code', ops: setOps },
  tags: { kind: 'tag', ops: ['has', 'hasAny', 'hasAll'] },
  owner: { kind: 'text', ops: setOps },
  kind: { kind: 'kind', ops: ['eq', 'neq', 'in'] },
  source: { kind: 'text', ops: setOps },
} as const satisfies Record<RuleField, { kind: ValueKind; ops: readonly string[] }>;

export const ruleFieldList = Object.keys(ruleFieldDefs) as RuleField[];
export type Op = (typeof ruleFieldDefs)[RuleField]['ops'][number];

/** One condition as edited: the value as typed (lists comma-separated; money in yuan). */
export interface Condition {
  key: number;
  field: RuleField;
  op: string;
  text: string;
}
export interface FlatRule {
  combinator: 'all' | 'any';
  conditions: Condition[];
}

let nextKey = 1;
export const newCondition = (field: RuleField = 'rfmClass'): Condition => ({ key: nextKey++, field, op: ruleFieldDefs[field].ops[0], text: field === 'rfmClass' ? 'important_value' : '' });

export const isListOp = (op: string) => op === 'in' || op === 'notIn' || op === 'hasAny' || op === 'hasAll';
export const isUnary = (op: string) => op === 'isNull' || op === 'notNull';

function split(s: string): string[] {
  return s.split(/[,，;；、\s]+/).map((x) => x.trim()).filter(Boolean);
}

function scalar(kind: ValueKind, s: string): unknown {
  const t = s.trim();
  if (kind === 'money') return t === '' ? t : Math.round(Number(t) * 100);
  if (kind === 'score' || kind === 'int' || kind === 'number' || kind === 'probability') return t === '' ? t : Number(t);
  return t;
}

function unscalar(kind: ValueKind, v: unknown): string {
  if (kind === 'money' && typeof v === 'number') return String(v / 100);
  return v === undefined || v === null ? '' : String(v);
}

export function toRule(flat: FlatRule): Record<string, unknown> {
  const conds = flat.conditions.map((c) => {
    const kind = ruleFieldDefs[c.field].kind;
    if (isUnary(c.op)) return { field: c.field, op: c.op };
    if (isListOp(c.op)) return { field: c.field, op: c.op, value: split(c.text).map((x) => scalar(kind, x)) };
    return { field: c.field, op: c.op, value: scalar(kind, c.text) };
  });
  return { [flat.combinator]: conds };
}

/** A saved rule back into the builder's flat form; null when it is nested deeper (edited as JSON then). */
export function fromRule(rule: unknown): FlatRule | null {
  if (!rule || typeof rule !== 'object') return null;
  const r = rule as Record<string, unknown>;
  const combinator = Array.isArray(r.all) ? 'all' : Array.isArray(r.any) ? 'any' : null;
  const list = combinator ? (r[combinator] as unknown[]) : 'field' in r ? [r] : null;
  if (!list) return null;
  const conditions: Condition[] = [];
  for (const x of list) {
    if (!x || typeof x !== 'object' || !('field' in x)) return null;
    const c = x as { field: string; op: string; value?: unknown };
    if (!(c.field in ruleFieldDefs)) return null;
    const field = c.field as RuleField;
    const kind = ruleFieldDefs[field].kind;
    const text = Array.isArray(c.value) ? c.value.map((v) => unscalar(kind, v)).join(', ') : unscalar(kind, c.value);
    conditions.push({ key: nextKey++, field, op: c.op, text });
  }
  return { combinator: combinator ?? 'all', conditions };
}

export const rfmClassCodes: readonly RfmClass[] = [
  'important_value', 'important_development', 'important_retain', 'important_win_back',
  'general_value', 'general_development', 'general_retain', 'general_win_back',
];
