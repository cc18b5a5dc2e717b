import { sql, eq } from 'drizzle-orm';
import { openDatabase, rows } from '../src/db/open.ts';
import { makeCtx, systemActor } from '../src/platform/context.ts';
import { createSegment, materializeSegment } from '../src/analytics/segments.ts';
import { segments } from '../src/analytics/tables.ts';
const database = await openDatabase({ kind: 'postgres', url: 'postgres://postgres@127.0.0.1:5432/kefu_bench_analytics' });
const db = database.db;
const [org] = await rows<{ id: string }>(db, sql`SELECT id FROM organizations WHERE name = 'BenchAnalytics'`);
const AS_OF = new Date('2026-03-01T00:00:00Z');
const ctx = makeCtx(db, systemActor(org.id), { now: () => AS_OF });
await db.delete(segments).where(eq(segments.orgId, org.id));
const rules: unknown[] = [
  { field: 'rfmClass', op: 'eq', value: 'important_value' },
  { field: 'rfmClass', op: 'in', value: ['important_win_back', 'important_retain'] },
  { all: [{ field: 'rfmClass', op: 'eq', value: 'important_value' }, { field: 'provinceCode', op: 'eq', value: '320000' }] },
  { field: 'pAlive', op: 'lt', value: 0.3 },
  { field: 'clv', op: 'gte', value: 100000 },
  { any: [{ field: 'tags', op: 'has', value: 'vip' }, { field: 'mScore', op: 'eq', value: 5 }] },
  { all: [{ field: 'rScore', op: 'gte', value: 4 }, { field: 'fScore', op: 'gte', value: 4 }] },
  { field: 'provinceCode', op: 'in', value: ['440000', '330000'] },
  { not: { field: 'rfmClass', op: 'isNull' } },
  { all: [{ field: 'expectedPurchases', op: 'gt', value: 2 }, { field: 'spend', op: 'gt', value: 50000 }] },
];
const ids: string[] = [];
for (const [i, rule] of rules.entries()) ids.push((await createSegment(ctx, { name: `tmp-${i}`, rule: rule as never, priority: i })).id);
let tot = 0;
for (const id of ids) { const t0 = performance.now(); const r = await materializeSegment(db, org.id, id, AS_OF); const ms = performance.now() - t0; tot += ms; console.log(r.members, (ms / 1000).toFixed(2)); }
console.log('total', (tot / 1000).toFixed(2));
await db.delete(segments).where(eq(segments.orgId, org.id));
await database.close();
