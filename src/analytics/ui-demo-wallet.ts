// Demo only: what the demo's biggest buyers spend per category with everyone (钱包估计), so the key-accounts view
// shows share of wallet and a few 假大户 (big buyers with a low share). Set-based: one INSERT … SELECT.
import { sql } from 'drizzle-orm';
import type { Db } from '../db/open.ts';
import { rows } from '../db/open.ts';

/**
 * For the `top` customers by this year's net order lines, records each bought category's total with everyone as
 * their spend here divided by a share of 12–91% fixed by the customer id (deterministic). Existing estimates stay.
 */
export async function seedDemoWalletEstimates(db: Db, orgId: string, now: Date, top = 40): Promise<number> {
  const year = now.getUTCFullYear();
  const from = `${year}-01-01T00:00:00Z`;
  const to = `${year + 1}-01-01T00:00:00Z`;
  const [r] = await rows<{ n: number }>(db, sql`
    WITH spend AS (
      SELECT o.customer_id, l.category, sum(l.amount_minor)::float8 AS amount
      FROM orders o JOIN order_lines l ON l.order_id = o.id AND l.org_id = o.org_id
      WHERE o.org_id = ${orgId}::uuid AND o.ordered_at >= ${from}::timestamptz AND o.ordered_at < ${to}::timestamptz AND l.category IS NOT NULL
      GROUP BY o.customer_id, l.category
    ),
    topc AS (SELECT customer_id FROM spend GROUP BY customer_id ORDER BY sum(amount) DESC, customer_id LIMIT ${top}),
    ins AS (
      INSERT INTO wallet_estimates (org_id, customer_id, category, year, total_minor)
      SELECT ${orgId}::uuid, s.customer_id, s.category, ${year},
             round(s.amount / (0.12 + (abs(hashtext(s.customer_id::text)) % 80) / 100.0))::bigint
      FROM spend s JOIN topc USING (customer_id)
      ON CONFLICT DO NOTHING
      RETURNING 1
    )
    SELECT count(*)::int AS n FROM ins`);
  return r?.n ?? 0;
}
