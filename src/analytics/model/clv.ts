// Customer lifetime value over a horizon: the discounted sum, week by week, of the expected number of purchases in
// that week (the increment of the conditional expectation E[Y(t) | x, tx, T] of BG/NBD or Pareto/NBD) times the
// Gamma-Gamma expected spend per transaction. Source: Fader, Hardie & Lee (2005), "RFM and CLV: Using Iso-Value
// Curves for Customer Base Analysis", J. Marketing Research 42(4):415–430 (spend independent of the transaction
// process, CLV = Σ E[transactions in period i] · E[spend] / (1+d)^i); the discrete sum is the one the `lifetimes`
// package computes (`customer_lifetime_value`), with weekly periods here.
// The annual discount rate d is converted to a weekly rate (1+d)^(7/365.25) − 1; a horizon that is not a whole number
// of weeks ends with a shorter last period.
import { bgNbdConditionalExpected, type BgNbdParams } from './bgnbd.ts';
import { gammaGammaExpectedSpend, type GammaGammaParams } from './gamma-gamma.ts';
import { paretoNbdConditionalExpected, type ParetoNbdParams } from './pareto-nbd.ts';
import { ModelFitError, type RepeatSummary } from './types.ts';

export type ClvModel = { model: 'bgnbd'; params: BgNbdParams } | { model: 'pareto-nbd'; params: ParetoNbdParams };

export const WEEKS_PER_YEAR = 365.25 / 7;

export function clv(
  opts: ClvModel,
  spend: GammaGammaParams,
  c: RepeatSummary & { mx: number },
  horizonWeeks: number,
  annualDiscountRate: number,
): number {
  if (!Number.isFinite(horizonWeeks) || horizonWeeks < 0) throw new ModelFitError('invalid_input', 'CLV: horizon must be ≥ 0 weeks');
  if (!Number.isFinite(annualDiscountRate) || annualDiscountRate <= -1) {
    throw new ModelFitError('invalid_input', 'CLV: the annual discount rate must be > −1');
  }
  const expected = (t: number): number =>
    opts.model === 'bgnbd' ? bgNbdConditionalExpected(opts.params, c, t) : paretoNbdConditionalExpected(opts.params, c, t);
  const m = gammaGammaExpectedSpend(spend, c.x, c.x > 0 ? c.mx : 0);
  const weekly = Math.log1p(annualDiscountRate) / WEEKS_PER_YEAR; // ln(1 + weekly rate)
  let value = 0;
  let prev = 0;
  const whole = Math.floor(horizonWeeks);
  for (let i = 1; i <= Math.ceil(horizonWeeks); i++) {
    const t = i <= whole ? i : horizonWeeks;
    const e = expected(t);
    value += ((e - prev) * m) / Math.exp(weekly * t);
    prev = e;
  }
  return value;
}
