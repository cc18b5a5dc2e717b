// Value filters of the customer list (GET /api/customers?rfmClass=…&segmentId=…&tierId=…&minClv=…):
// the charts' drill-downs open the ordinary customer list with these. Each is an EXISTS on an indexed
// analytics table (customer_values by its primary key, or by class, CLV and P(alive);
// segment_members by (segment, customer)), written as cacheable specs so that the list keeps one
// prepared statement per query shape.
import { sql } from 'drizzle-orm';
import { rows, type Db } from '../db/open.ts';
import type { Ctx } from '../platform/context.ts';
import { Invalid, type KeyedFieldError, fieldError } from '../platform/errors.ts';
import type { Bind, CondSpec } from '../customers/list-customers.ts';
import type { ListCustomersParams } from '../customers/list-customers.ts';
import { loadAnalyticsSettings } from './settings.ts';

type ValueQuery = Pick<ListCustomersParams, 'rfmClass' | 'segmentId' | 'tierId' | 'rScore' | 'fScore' | 'mScore' | 'keyAccount' | 'minClv' | 'maxClv' | 'minPAlive' | 'maxPAlive'>;

/** The measures compared inside one EXISTS on customer_values: [query key, SQL column, operator]. */
const measureConds = [
  ['rfmClass', 'rfm_class', '='],
  ['rScore', 'r_score', '='],
  ['fScore', 'f_score', '='],
  ['mScore', 'm_score', '='],
  ['minClv', 'clv_minor', '>='],
  ['maxClv', 'clv_minor', '<='],
  ['minPAlive', 'p_alive', '>='],
  ['maxPAlive', 'p_alive', '<='],
  ['keyCut', 'monetary_minor', '>='],
] as const;

const casts: Record<string, string> = { rfmClass: 'text', rScore: 'int', fScore: 'int', mScore: 'int', minClv: 'bigint', maxClv: 'bigint', minPAlive: 'float8', maxPAlive: 'float8', keyCut: 'bigint' };

/** True when the query filters by any value measure (the list then also returns each customer's measures). */
export function hasValueFilter(q: Partial<ValueQuery>): boolean {
  return q.rfmClass !== undefined || q.segmentId !== undefined || q.tierId !== undefined || q.rScore !== undefined || q.fScore !== undefined
    || q.mScore !== undefined || q.keyAccount !== undefined || q.minClv !== undefined || q.maxClv !== undefined || q.minPAlive !== undefined || q.maxPAlive !== undefined;
}

/** The spend from which a customer is a key account (大客户): the top `topShare` of scored customers, null when none is scored. */
async function keyAccountCutoff(db: Db, orgId: string): Promise<number | null> {
  const { settings } = await loadAnalyticsSettings(db, orgId);
  const [r] = await rows<{ cut: string | null }>(db, sql`SELECT percentile_disc(${1 - settings.keyAccounts.topShare}::float8) WITHIN GROUP (ORDER BY monetary_minor)::text AS cut
    FROM customer_values WHERE org_id = ${orgId}::uuid AND rfm_class IS NOT NULL`);
  return r?.cut == null ? null : Number(r.cut);
}

/**
 * The list conditions for the value filters of `q` (none when it has none). 400 with the failing
 * fields for a minimum above its maximum or a segment or tier of another organization.
 */
export async function customerValueSpecs(ctx: Ctx, q: Partial<ValueQuery>): Promise<CondSpec[]> {
  if (!hasValueFilter(q)) return [];
  const errors: KeyedFieldError[] = [];
  if (q.minClv !== undefined && q.maxClv !== undefined && q.minClv > q.maxClv) errors.push(fieldError('minClv', 'min_above_max', 'field.analytics.min_above_max'));
  if (q.minPAlive !== undefined && q.maxPAlive !== undefined && q.minPAlive > q.maxPAlive) errors.push(fieldError('minPAlive', 'min_above_max', 'field.analytics.min_above_max'));
  const org = ctx.actor.orgId;
  if (q.segmentId !== undefined || q.tierId !== undefined) {
    const [r] = await rows<{ seg: boolean; tier: boolean }>(ctx.db, sql`SELECT
      (${q.segmentId ?? null}::uuid IS NULL OR EXISTS (SELECT 1 FROM segments WHERE org_id = ${org}::uuid AND id = ${q.segmentId ?? null}::uuid)) AS seg,
      (${q.tierId ?? null}::uuid IS NULL OR EXISTS (SELECT 1 FROM service_tiers WHERE org_id = ${org}::uuid AND id = ${q.tierId ?? null}::uuid)) AS tier`);
    if (!r?.seg) errors.push(fieldError('segmentId', 'unknown_segment', 'field.analytics.unknown_segment'));
    if (!r?.tier) errors.push(fieldError('tierId', 'unknown_tier', 'field.analytics.unknown_tier'));
  }
  if (errors.length) throw new Invalid(errors);

  const specs: CondSpec[] = [];
  const values: Record<string, unknown> = {};
  for (const [k] of measureConds) {
    if (k === 'keyCut') continue;
    const v = q[k];
    if (v !== undefined) values[k] = v;
  }
  let keyCut: number | null | undefined;
  if (q.keyAccount !== undefined) keyCut = await keyAccountCutoff(ctx.db, org);
  if (q.keyAccount === 'true') values.keyCut = keyCut;
  const present = measureConds.filter(([k]) => k in values);
  if (present.length) {
    specs.push({
      key: `value:${present.map(([k]) => k).join(',')}`,
      values,
      build: (b: Bind) => sql`EXISTS (SELECT 1 FROM customer_values v WHERE v.org_id = customers.org_id AND v.customer_id = customers.id AND ${sql.join(
        present.map(([k, col, op]) => sql`v.${sql.raw(col)} ${sql.raw(op)} ${b(k)}::${sql.raw(casts[k]!)}`),
        sql` AND `,
      )})`,
    });
  }
  if (q.keyAccount === 'false') {
    // Not a key account: no spend at or above the cut-off (customers never scored included).
    specs.push({
      key: 'value:notKeyAccount',
      values: { notKeyCut: keyCut },
      build: (b) => sql`NOT EXISTS (SELECT 1 FROM customer_values v WHERE v.org_id = customers.org_id AND v.customer_id = customers.id AND v.monetary_minor >= ${b('notKeyCut')}::bigint)`,
    });
  }
  if (q.segmentId !== undefined) {
    specs.push({
      key: 'segment',
      values: { segmentId: q.segmentId },
      build: (b) => sql`EXISTS (SELECT 1 FROM segment_members m WHERE m.segment_id = ${b('segmentId')}::uuid AND m.customer_id = customers.id AND m.org_id = customers.org_id)`,
    });
  }
  if (q.tierId !== undefined) {
    // In the tier's segment (primary key of segment_members), and that segment is the one that gives
    // the customer a tier (highest priority among active segments with a tier, as in tiers.ts).
    specs.push({
      key: 'tier',
      values: { tierId: q.tierId },
      build: (b) => sql`EXISTS (SELECT 1 FROM service_tiers ft JOIN segment_members fm ON fm.segment_id = ft.segment_id
          WHERE ft.id = ${b('tierId')}::uuid AND fm.customer_id = customers.id AND fm.org_id = customers.org_id)
        AND (SELECT t.id FROM segment_members m JOIN segments s ON s.id = m.segment_id AND s.active JOIN service_tiers t ON t.segment_id = s.id
          WHERE m.org_id = customers.org_id AND m.customer_id = customers.id ORDER BY s.priority DESC, s.id LIMIT 1) = ${b('tierId')}::uuid`,
    });
  }
  return specs;
}
