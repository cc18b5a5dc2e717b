// Dedupe (查重) of one batch of valid rows against the customers already stored (including rows
// of earlier batches of the same import, which are in the same transaction) and against earlier
// rows of the batch itself. Pure: the caller loads `existing` and writes the plan.
import { newId } from '../../platform/ids.ts';
import type { CandidateRow } from './validate-row.ts';

export type DedupeMode = 'update' | 'skip';

export interface CustomerRecord {
  id: string;
  kind: 'person' | 'company';
  name: string;
  phones: string[];
  emails: string[];
  provinceCode: string | null;
  cityCode: string | null;
  districtCode: string | null;
  street: string | null;
  tags: string[];
  custom: Record<string, unknown>;
  ownerId: string | null;
  source: string | null;
  /** True for a customer this batch creates. */
  isNew: boolean;
}

export interface BatchPlan {
  inserts: CustomerRecord[];
  updates: CustomerRecord[];
  created: number;
  updated: number;
  skipped: number;
}

const MAX_CONTACTS = 10;
const MAX_TAGS = 50;

export function dedupeKeys(r: { phones: readonly string[]; emails: readonly string[] }): string[] {
  return [...r.phones.map((p) => `p:${p}`), ...r.emails.map((e) => `e:${e}`)];
}

function union(a: readonly string[], b: readonly string[], max: number): string[] {
  const out = [...a];
  for (const x of b) if (!out.includes(x) && out.length < max) out.push(x);
  return out;
}

function fromRow(row: CandidateRow): CustomerRecord {
  return {
    id: newId(),
    kind: row.kind ?? 'person',
    name: row.name,
    phones: row.phones,
    emails: row.emails,
    provinceCode: row.provinceCode ?? null,
    cityCode: row.cityCode ?? null,
    districtCode: row.districtCode ?? null,
    street: row.street ?? null,
    tags: row.tags,
    custom: row.custom,
    ownerId: row.ownerId ?? null,
    source: row.source ?? null,
    isNew: true,
  };
}

/** A later row updates the customer it matches: given values replace, lists are merged. */
export function mergeRow(target: CustomerRecord, row: CandidateRow): void {
  target.name = row.name;
  if (row.kind) target.kind = row.kind;
  target.phones = union(target.phones, row.phones, MAX_CONTACTS);
  target.emails = union(target.emails, row.emails, MAX_CONTACTS);
  target.tags = union(target.tags, row.tags, MAX_TAGS);
  if (row.provinceCode !== undefined) {
    target.provinceCode = row.provinceCode;
    target.cityCode = row.cityCode ?? null;
    target.districtCode = row.districtCode ?? null;
  }
  if (row.street !== undefined) target.street = row.street;
  if (row.source !== undefined) target.source = row.source;
  if (row.ownerId !== undefined) target.ownerId = row.ownerId;
  target.custom = { ...target.custom, ...row.custom };
}

export function planBatch(rows: readonly CandidateRow[], existing: readonly CustomerRecord[], dedupe: DedupeMode): BatchPlan {
  const byKey = new Map<string, CustomerRecord>();
  for (const e of existing) for (const k of dedupeKeys(e)) if (!byKey.has(k)) byKey.set(k, e);
  const inserts = new Map<string, CustomerRecord>();
  const updates = new Map<string, CustomerRecord>();
  let created = 0;
  let updated = 0;
  let skipped = 0;
  for (const row of rows) {
    const keys = dedupeKeys(row);
    let target: CustomerRecord | undefined;
    for (const k of keys) {
      target = byKey.get(k);
      if (target) break;
    }
    if (!target) {
      const rec = fromRow(row);
      inserts.set(rec.id, rec);
      for (const k of keys) byKey.set(k, rec);
      created++;
    } else if (dedupe === 'skip') {
      skipped++;
    } else {
      mergeRow(target, row);
      if (!target.isNew) updates.set(target.id, target);
      for (const k of dedupeKeys(target)) if (!byKey.has(k)) byKey.set(k, target);
      updated++;
    }
  }
  return { inserts: [...inserts.values()], updates: [...updates.values()], created, updated, skipped };
}
