// Lifetime value and P(alive) on the organization's own orders.
// 1. One pass in SQL builds each customer's repeat summary into a temp table: transactions are order
//    days in the organization's time zone (purchases on one day are one transaction), x = days − 1,
//    tx = last − first day, T = calibration end − first day (whole days, /7 for weeks), mx = mean gross
//    spend per repeat transaction.
// 2. The fits read those summaries GROUPED by (x, tx, T) (and by (x, mx to 3 significant digits) for Gamma-Gamma) with
//    a count, so 1M customers are a few hundred thousand rows at most.
// 3. Predictions (P(alive), expected purchases over the horizon, discounted expected transactions)
//    are computed once per distinct (x, tx, T) in Node with the model functions (BG/NBD's conditional
//    expectation needs 2F1), loaded into a temp table, and joined back to every customer by one
//    INSERT … SELECT … ON CONFLICT. CLV = discounted expected transactions × the Gamma-Gamma expected
//    spend p(γ + x·mx)/(p·x + q − 1), evaluated per customer in SQL (clv() is linear in the spend).
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { rows, type Db } from '../db/open.ts';
import { audit } from '../platform/audit.ts';
import { assertCan, type Ctx } from '../platform/context.ts';
import { Invalid, fieldError } from '../platform/errors.ts';
import { newId } from '../platform/ids.ts';
import {
  bgNbdConditionalExpected, bgNbdPAlive, clv, fitBgNbd, fitGammaGamma, fitParetoNbd, gammaGammaExpectedSpend, ModelFitError,
  paretoNbdConditionalExpected, paretoNbdPAlive, type BgNbdParams, type GammaGammaParams, type ModelFit, type ParetoNbdParams, type RepeatSummary,
} from './model/index.ts';
import { excludedFields } from './currency.ts';
import { loadAnalyticsSettings, type AnalyticsSettings } from './settings.ts';
import type { ValueModel } from './tables.ts';

export interface ClvRunResult {
  fitId: string;
  model: ValueModel;
  params: Record<string, number>;
  logLikelihood: number;
  converged: boolean;
  spendParams: Record<string, number> | null;
  customers: number;
  groups: number;
  written: number;
  currency: string;
  /** Orders up to the calibration end in other currencies, and customers who had only those. */
  excludedOrders: number;
  excludedCustomers: number;
  timings: { summariesMs: number; fitMs: number; spendFitMs: number; predictMs: number; writeMs: number };
}

const CHUNK = 20_000;
/** Per Nelder–Mead run (bounds the time); the Newton polish after the simplex finishes a fit the cap stopped short, and one that still has not converged fails (did_not_converge). */
const MAX_ITERATIONS = 1500;

/** Fits the configured model on all of the organization's customers and writes CLV/P(alive) back. */
export async function fitAndWriteClv(db: Db, orgId: string, now: Date, cfg: Omit<AnalyticsSettings['clv'], 'resolutionDays'> & { resolutionDays?: number; currency: string }): Promise<ClvRunResult> {
  return db.transaction(async (tx) => {
    let t0 = performance.now();
    const asOf = now.toISOString();
    // txd and td below are in units of `res` days (rounded), so grouping by them groups coarser than days when res > 1.
    const res = cfg.resolutionDays ?? 1;
    // Only days with an order in the currency are transactions; the customers' orders in other
    // currencies are counted (ex) in the same pass, and customers with only those get x = -1 and are
    // left out of the fit (their values are cleared below).
    const cur = cfg.currency;
    await tx.execute(sql`CREATE TEMP TABLE clv_cs ON COMMIT DROP AS
      WITH d AS (
        SELECT o.customer_id, (o.ordered_at AT TIME ZONE org.timezone)::date AS day, sum(o.total_minor) FILTER (WHERE o.currency = ${cur})::float8 AS amt,
          count(*) FILTER (WHERE o.currency = ${cur}) AS n_in, count(*) FILTER (WHERE o.currency <> ${cur}) AS n_ex
        FROM orders o JOIN organizations org ON org.id = o.org_id
        WHERE o.org_id = ${orgId}::uuid AND o.ordered_at <= ${asOf}::timestamptz
        GROUP BY 1, 2
      ), f AS (SELECT customer_id, day, amt, n_in, n_ex, min(day) FILTER (WHERE n_in > 0) OVER (PARTITION BY customer_id) AS first_day FROM d)
      SELECT customer_id, (count(*) FILTER (WHERE n_in > 0) - 1)::int AS x,
        round((max(day) FILTER (WHERE n_in > 0) - min(first_day)) / ${res}::numeric)::int AS txd,
        round(((${asOf}::timestamptz AT TIME ZONE (SELECT timezone FROM organizations WHERE id = ${orgId}::uuid))::date - min(first_day)) / ${res}::numeric)::int AS td,
        coalesce(sum(amt) FILTER (WHERE n_in > 0 AND day > first_day) / nullif(count(*) FILTER (WHERE n_in > 0) - 1, 0), 0)::float8 AS mx,
        sum(n_ex)::int AS ex
      FROM f GROUP BY customer_id`);
    const [excluded] = await rows<{ eo: number; ec: number }>(tx, sql`SELECT coalesce(sum(ex), 0)::int AS eo, (count(*) FILTER (WHERE x < 0))::int AS ec FROM clv_cs`);
    const groups = await rows<{ x: number; txd: number; td: number; n: number }>(tx, sql`SELECT x, txd, td, count(*)::int AS n FROM clv_cs WHERE x >= 0 GROUP BY 1, 2, 3`);
    // Mean spends to 3 significant digits: the Gamma-Gamma likelihood barely moves, the rows shrink a lot.
    const spendGroups = await rows<{ x: number; mx: number; n: number }>(tx, sql`
      SELECT x, mx, count(*)::int AS n FROM (
        SELECT x, (round((mx / power(10, floor(log(mx)) - 2))::numeric) * power(10, floor(log(mx)) - 2))::float8 AS mx FROM clv_cs WHERE x > 0 AND mx > 0
      ) r GROUP BY 1, 2`);
    const summariesMs = performance.now() - t0;
    const customers = groups.reduce((s, g) => s + g.n, 0);
    const data: RepeatSummary[] = groups.map((g) => ({ x: g.x, tx: (g.txd * res) / 7, T: (g.td * res) / 7, count: g.n }));

    t0 = performance.now();
    let fit: ModelFit<BgNbdParams> | ModelFit<ParetoNbdParams>;
    let model: { model: 'bgnbd'; params: BgNbdParams } | { model: 'pareto-nbd'; params: ParetoNbdParams };
    if (cfg.model === 'bgnbd') {
      const f = fitBgNbd(data, { maxIterations: MAX_ITERATIONS });
      fit = f;
      model = { model: 'bgnbd', params: f.params };
    } else {
      const f = fitParetoNbd(data, { maxIterations: MAX_ITERATIONS });
      fit = f;
      model = { model: 'pareto-nbd', params: f.params };
    }
    const fitMs = performance.now() - t0;

    t0 = performance.now();
    // Spend that Gamma-Gamma cannot fit (too few repeat buyers, q ≤ 1) leaves CLV empty but keeps P(alive).
    let spendFit: ModelFit<GammaGammaParams> | null = null;
    try {
      spendFit = fitGammaGamma(spendGroups.map((g) => ({ x: g.x, mx: g.mx, count: g.n })), { maxIterations: MAX_ITERATIONS });
      if (spendFit.params.q <= 1) spendFit = null;
    } catch (err) {
      if (!(err instanceof ModelFitError)) throw err;
    }
    const gg: GammaGammaParams | null = spendFit?.params ?? null;
    const spendFitMs = performance.now() - t0;

    t0 = performance.now();
    const h = cfg.horizonWeeks;
    const xs: number[] = [], txs: number[] = [], tds: number[] = [], pa: number[] = [], ex: number[] = [], det: number[] = [];
    for (const g of groups) {
      const c: RepeatSummary = { x: g.x, tx: (g.txd * res) / 7, T: (g.td * res) / 7 };
      const alive = model.model === 'bgnbd' ? bgNbdPAlive(model.params, c) : paretoNbdPAlive(model.params, c);
      const e = model.model === 'bgnbd' ? bgNbdConditionalExpected(model.params, c, h) : paretoNbdConditionalExpected(model.params, c, h);
      // Discounted expected transactions: clv() with a unit expected spend (it is linear in the spend).
      const d = gg ? clv(model, gg, { ...c, mx: 1 }, h, cfg.annualDiscountRate) / gammaGammaExpectedSpend(gg, c.x, c.x > 0 ? 1 : 0) : 0;
      xs.push(g.x); txs.push(g.txd); tds.push(g.td); pa.push(alive); ex.push(e); det.push(d);
    }
    const predictMs = performance.now() - t0;

    t0 = performance.now();
    const fitId = newId();
    await tx.execute(sql`INSERT INTO value_model_fits (id, org_id, model, params, log_likelihood, converged, spend_params, spend_log_likelihood, customers, groups,
        calibration_end, horizon_weeks, annual_discount_rate, fitted_at)
      VALUES (${fitId}::uuid, ${orgId}::uuid, ${model.model}, ${JSON.stringify(model.params)}::jsonb, ${fit.logLikelihood}, ${fit.converged},
        ${gg ? JSON.stringify(gg) : null}::jsonb, ${spendFit?.logLikelihood ?? null}, ${customers}, ${groups.length}, ${asOf}::timestamptz, ${h}, ${cfg.annualDiscountRate}, ${asOf}::timestamptz)`);
    await tx.execute(sql`CREATE TEMP TABLE clv_gp (x int, txd int, td int, pa float8, ex float8, det float8) ON COMMIT DROP`);
    for (let i = 0; i < xs.length; i += CHUNK) {
      const s = (a: number[]) => sql.param(a.slice(i, i + CHUNK));
      await tx.execute(sql`INSERT INTO clv_gp SELECT * FROM unnest(${s(xs)}::int[], ${s(txs)}::int[], ${s(tds)}::int[], ${s(pa)}::float8[], ${s(ex)}::float8[], ${s(det)}::float8[])`);
    }
    const [w] = await rows<{ n: number }>(tx, sql`
      WITH ins AS (
        INSERT INTO customer_values (org_id, customer_id, clv_minor, p_alive, expected_purchases, model_fit_id, clv_computed_at, clv_excluded_orders)
        SELECT ${orgId}::uuid, cs.customer_id,
          ${gg ? sql`round(gp.det * ${gg.p}::float8 * (${gg.gamma}::float8 + cs.x * cs.mx) / (${gg.p}::float8 * cs.x + ${gg.q}::float8 - 1))::bigint` : sql`NULL::bigint`},
          gp.pa, gp.ex, ${fitId}::uuid, ${asOf}::timestamptz, cs.ex
        FROM clv_cs cs LEFT JOIN clv_gp gp ON gp.x = cs.x AND gp.txd = cs.txd AND gp.td = cs.td
        ON CONFLICT (org_id, customer_id) DO UPDATE SET clv_minor = EXCLUDED.clv_minor, p_alive = EXCLUDED.p_alive,
          expected_purchases = EXCLUDED.expected_purchases, model_fit_id = EXCLUDED.model_fit_id, clv_computed_at = EXCLUDED.clv_computed_at,
          clv_excluded_orders = EXCLUDED.clv_excluded_orders
        RETURNING 1
      ) SELECT count(*)::int AS n FROM ins`);
    const writeMs = performance.now() - t0;
    return {
      fitId, model: model.model, params: { ...model.params }, logLikelihood: fit.logLikelihood, converged: fit.converged,
      spendParams: gg ? { ...gg } : null, customers, groups: groups.length, written: w?.n ?? 0,
      currency: cur, excludedOrders: excluded?.eo ?? 0, excludedCustomers: excluded?.ec ?? 0,
      timings: { summariesMs, fitMs, spendFitMs, predictMs, writeMs },
    };
  });
}

export const refitInput = z.object({
  model: z.enum(['bgnbd', 'pareto-nbd']).optional(),
  horizonWeeks: z.number().int().min(1).max(520).optional(),
  annualDiscountRate: z.number().min(0).max(1).optional(),
  resolutionDays: z.number().int().min(1).max(28).optional(),
});
export const refitOutput = z.object({
  fitId: z.string(), model: z.enum(['bgnbd', 'pareto-nbd']), params: z.record(z.string(), z.number()), logLikelihood: z.number(), converged: z.boolean(),
  spendParams: z.record(z.string(), z.number()).nullable(), customers: z.number(), groups: z.number(), written: z.number(),
  ...excludedFields,
});

/** POST /api/analytics/clv/refit: fit now; a degenerate data set is a 400 with the model's reason. */
export async function refitClv(ctx: Ctx, raw: z.input<typeof refitInput> = {}): Promise<z.output<typeof refitOutput>> {
  assertCan(ctx.actor, 'analytics.manage');
  const input = refitInput.parse(raw);
  const { settings } = await loadAnalyticsSettings(ctx.db, ctx.actor.orgId);
  const cfg = { ...settings.clv, ...input, currency: settings.currency };
  try {
    const r = await fitAndWriteClv(ctx.db, ctx.actor.orgId, ctx.now(), cfg);
    await audit(ctx, { action: 'analytics.clv_refit', entityType: 'value_model_fit', entityId: r.fitId, data: { model: r.model, params: r.params, logLikelihood: r.logLikelihood, customers: r.customers } });
    const { timings: _t, ...out } = r;
    return out;
  } catch (err) {
    if (err instanceof ModelFitError) throw new Invalid([fieldError('orders', err.code, `error.model_${err.code}`)], `error.model_${err.code}`);
    throw err;
  }
}
