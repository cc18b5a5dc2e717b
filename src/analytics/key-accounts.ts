// Key accounts (大客户): customers ranked by volume (net revenue), profit contribution (margin) and
// share of wallet, over a calendar year. Share of wallet = the customer's revenue in the categories
// where the organization recorded a wallet estimate ÷ the sum of those estimates (wallet_estimates).
// 假大户: in the top `topShare` by volume but with a margin rate below `minMarginRate`, or a recorded
// share of wallet below `minWalletShare`.
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { rows } from '../db/open.ts';
import { audit } from '../platform/audit.ts';
import { assertCan, type Ctx } from '../platform/context.ts';
import { Invalid, fieldError } from '../platform/errors.ts';
import { loadAnalyticsSettings } from './settings.ts';
import { excludedFields } from './currency.ts';
import { scopeFilter } from './scope.ts';

export const keyAccountsQuery = z.object({
  year: z.coerce.number().int().min(2000).max(2100).optional(),
  sort: z.enum(['volume', 'margin', 'walletShare']).default('volume'),
  onlyFlagged: z.union([z.boolean(), z.enum(['true', 'false'])]).transform((s) => s === true || s === 'true').default(false),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});
const keyAccount = z.object({
  customerId: z.string(),
  name: z.string(),
  volumeRank: z.number(),
  revenueMinor: z.number(),
  marginMinor: z.number().nullable(),
  marginRate: z.number().nullable(),
  walletMinor: z.number().nullable(),
  walletShare: z.number().nullable(),
  keyAccount: z.boolean(),
  /** 假大户 and why. */
  falseKeyAccount: z.boolean(),
  reasons: z.array(z.enum(['low_margin', 'low_wallet_share'])),
});
export const keyAccountsOutput = z.object({
  year: z.number(), customers: z.number(), keyAccountCutoff: z.number(), items: z.array(keyAccount),
  /** Orders of the year in other currencies, and customers who bought only in those. Wallet estimates are read as in the analytics currency. */
  ...excludedFields,
});

export async function keyAccounts(ctx: Ctx, raw: z.input<typeof keyAccountsQuery> = {}): Promise<z.output<typeof keyAccountsOutput>> {
  assertCan(ctx.actor, 'analytics.read');
  const q = keyAccountsQuery.parse(raw);
  const org = ctx.actor.orgId;
  const year = q.year ?? ctx.now().getUTCFullYear();
  const { settings } = await loadAnalyticsSettings(ctx.db, org);
  const ka = settings.keyAccounts;
  const from = `${year}-01-01T00:00:00Z`;
  const to = `${year + 1}-01-01T00:00:00Z`;
  const order = q.sort === 'margin' ? sql.raw('margin DESC NULLS LAST') : q.sort === 'walletShare' ? sql.raw('wallet_share DESC NULLS LAST') : sql.raw('revenue DESC');
  const cur = settings.currency;
  const rowsFound = await rows<{
    customer_id: string | null; name: string; rn: number; n: number; revenue: number; margin: number | null; wallet: number | null; wallet_share: number | null; is_key: boolean; eo: number; ec: number;
  }>(ctx.db, sql`
    WITH lines AS (
      SELECT o.customer_id, o.id AS order_id, (o.currency = ${cur}) AS kept, l.category, (l.amount_minor - coalesce(rt.refund, 0))::float8 AS value,
        CASE WHEN p.cost_minor IS NULL THEN NULL ELSE ((l.amount_minor - coalesce(rt.refund, 0)) - (l.quantity - coalesce(rt.qty, 0)) * p.cost_minor)::float8 END AS margin
      FROM orders o JOIN order_lines l ON l.order_id = o.id AND l.org_id = o.org_id JOIN products p ON p.id = l.product_id
      LEFT JOIN (SELECT order_line_id, sum(amount_minor) AS refund, sum(CASE WHEN kind = 'return' THEN quantity ELSE 0 END) AS qty
                 FROM order_returns WHERE org_id = ${org}::uuid AND status = 'completed' GROUP BY order_line_id) rt ON rt.order_line_id = l.id
      WHERE o.org_id = ${org}::uuid AND o.ordered_at >= ${from}::timestamptz AND o.ordered_at < ${to}::timestamptz ${scopeFilter(ctx.actor, sql`o.customer_id`)}
    ),
    w AS (SELECT customer_id, category, sum(total_minor)::float8 AS wallet FROM wallet_estimates WHERE org_id = ${org}::uuid AND year = ${year} GROUP BY customer_id, category),
    per AS (
      SELECT customer_id, sum(value) FILTER (WHERE kept) AS revenue, sum(margin) FILTER (WHERE kept) AS margin,
        sum(value) FILTER (WHERE kept AND category IN (SELECT w.category FROM w WHERE w.customer_id = lines.customer_id)) AS in_wallet,
        bool_or(kept) AS kept, count(DISTINCT order_id) FILTER (WHERE NOT kept) AS dropped
      FROM lines GROUP BY customer_id
    ),
    ex AS (SELECT coalesce(sum(dropped), 0)::int AS eo, (count(*) FILTER (WHERE NOT kept))::int AS ec FROM per),
    ws AS (SELECT customer_id, sum(wallet) AS wallet FROM w GROUP BY customer_id),
    ranked AS (
      SELECT per.customer_id, per.revenue, per.margin, ws.wallet,
        CASE WHEN ws.wallet > 0 THEN coalesce(per.in_wallet, 0) / ws.wallet END AS wallet_share,
        row_number() OVER (ORDER BY per.revenue DESC, per.customer_id)::int AS rn, count(*) OVER ()::int AS n
      FROM per LEFT JOIN ws ON ws.customer_id = per.customer_id WHERE per.kept
    ),
    page AS (
      SELECT r.customer_id, c.name, r.rn, r.n, r.revenue, r.margin, r.wallet, r.wallet_share, (r.rn <= ceil(${ka.topShare}::float8 * r.n)) AS is_key
      FROM ranked r JOIN customers c ON c.id = r.customer_id
      WHERE ${q.onlyFlagged ? sql`r.rn <= ceil(${ka.topShare}::float8 * r.n) AND ((r.margin IS NOT NULL AND r.revenue > 0 AND r.margin / r.revenue < ${ka.minMarginRate}::float8) OR r.wallet_share < ${ka.minWalletShare}::float8)` : sql`true`}
      ORDER BY ${order}, r.customer_id LIMIT ${q.limit}
    )
    -- The excluded counts come along even when no customer is listed.
    SELECT page.*, ex.eo, ex.ec FROM ex LEFT JOIN page ON true ORDER BY ${order}, page.customer_id`);
  const excluded = { currency: cur, excludedOrders: rowsFound[0]?.eo ?? 0, excludedCustomers: rowsFound[0]?.ec ?? 0 };
  const found = rowsFound.filter((r): r is typeof r & { customer_id: string } => r.customer_id !== null);
  const n = found[0]?.n ?? 0;
  return {
    year,
    customers: n,
    keyAccountCutoff: Math.ceil(ka.topShare * n),
    items: found.map((r) => {
      const marginRate = r.margin === null || r.revenue <= 0 ? null : r.margin / r.revenue;
      const reasons: ('low_margin' | 'low_wallet_share')[] = [];
      if (r.is_key && marginRate !== null && marginRate < ka.minMarginRate) reasons.push('low_margin');
      if (r.is_key && r.wallet_share !== null && r.wallet_share < ka.minWalletShare) reasons.push('low_wallet_share');
      return {
        customerId: r.customer_id, name: r.name, volumeRank: r.rn, revenueMinor: Math.round(r.revenue),
        marginMinor: r.margin === null ? null : Math.round(r.margin), marginRate,
        walletMinor: r.wallet === null ? null : Math.round(r.wallet), walletShare: r.wallet_share,
        keyAccount: r.is_key, falseKeyAccount: reasons.length > 0, reasons,
      };
    }),
    ...excluded,
  };
}

export const walletEstimatesInput = z.object({
  items: z.array(z.object({
    customerId: z.string().uuid(),
    category: z.string().trim().min(1).max(100),
    year: z.number().int().min(2000).max(2100),
    totalMinor: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  })).min(1).max(1000),
});

/** Records (upserts) what customers buy per category and year from everyone (钱包估计). */
export async function recordWalletEstimates(ctx: Ctx, raw: z.input<typeof walletEstimatesInput>): Promise<{ saved: number }> {
  assertCan(ctx.actor, 'analytics.manage');
  const parsed = walletEstimatesInput.parse(raw);
  // The last row for a (customer, category, year) wins; one upsert cannot touch a row twice.
  const input = { items: [...new Map(parsed.items.map((i) => [`${i.customerId}|${i.category}|${i.year}`, i])).values()] };
  const org = ctx.actor.orgId;
  return ctx.db.transaction(async (tx) => {
    const ids = [...new Set(input.items.map((i) => i.customerId))];
    const known = await rows<{ id: string }>(tx, sql`SELECT id FROM customers WHERE org_id = ${org}::uuid AND id = ANY(${sql.param(ids)}::uuid[]) ${scopeFilter(ctx.actor, sql`id`)}`);
    const ok = new Set(known.map((k) => k.id));
    const bad = parsed.items.map((i, n) => ({ i, n })).filter(({ i }) => !ok.has(i.customerId));
    if (bad.length) throw new Invalid(bad.map(({ n }) => fieldError(`items.${n}.customerId`, 'not_found', 'field.analytics.unknown_customer')));
    await tx.execute(sql`
      INSERT INTO wallet_estimates (org_id, customer_id, category, year, total_minor, version, updated_at)
      SELECT ${org}::uuid, u.c, u.cat, u.y, u.t, 1, ${ctx.now().toISOString()}::timestamptz
      FROM unnest(${sql.param(input.items.map((i) => i.customerId))}::uuid[], ${sql.param(input.items.map((i) => i.category))}::text[],
                  ${sql.param(input.items.map((i) => i.year))}::int[], ${sql.param(input.items.map((i) => i.totalMinor))}::bigint[]) AS u(c, cat, y, t)
      ON CONFLICT (org_id, customer_id, category, year) DO UPDATE SET total_minor = EXCLUDED.total_minor, version = wallet_estimates.version + 1, updated_at = EXCLUDED.updated_at`);
    await audit(ctx, { action: 'wallet_estimates.record', entityType: 'wallet_estimate', data: { count: input.items.length } }, tx);
    return { saved: input.items.length };
  });
}
