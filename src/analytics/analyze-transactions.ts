// The analyses `kefu analytics clv|pareto` run on a transaction file (no database): fit a customer-value model on
// the calibration period and optionally predict one customer; or the revenue concentration (Pareto) curve.
import {
  bgNbdConditionalExpected,
  bgNbdPAlive,
  fitBgNbd,
  fitGammaGamma,
  fitParetoNbd,
  gammaGammaExpectedSpend,
  ModelFitError,
  paretoNbdConditionalExpected,
  paretoNbdPAlive,
  type BgNbdParams,
  type GammaGammaParams,
  type ParetoNbdParams,
} from './model/index.ts';
import { paretoCurve, readTransactions, summarize, TransactionFileError, type ParetoCurve, type TransactionFormat } from './transactions.ts';

export type ClvModelName = 'bgnbd' | 'pareto-nbd' | 'gamma-gamma';

export interface ClvInput {
  file: string;
  format: TransactionFormat;
  /** Day number (UTC days since 1970-01-01) of the last calibration day (inclusive). */
  calibrationEndDay: number;
  model: ClvModelName;
  predictCustomer?: string;
  /** Weeks. */
  horizon?: number;
}

export type ClvPrediction = { expectedPurchases: number; pAlive: number } | { expectedSpend: number };

export interface ClvResult {
  model: ClvModelName;
  params: BgNbdParams | ParetoNbdParams | GammaGammaParams;
  logLikelihood: number;
  /** Customers whose first purchase is on or before the calibration end. */
  customers: number;
  /** Their repeat transactions within calibration. */
  repeatTransactions: number;
  prediction?: ClvPrediction;
}

export async function clvFromTransactions(input: ClvInput): Promise<ClvResult> {
  const all = await readTransactions(input.file, input.format);
  const summaries = summarize(all, input.calibrationEndDay);
  if (summaries.length === 0) {
    throw new ModelFitError('no_data', 'no customer made a first purchase on or before the calibration end / 校准期结束前没有客户购买');
  }
  const customers = summaries.length;
  const repeatTransactions = summaries.reduce((s, c) => s + c.x, 0);
  const target = input.predictCustomer === undefined ? undefined : summaries.find((c) => c.id === input.predictCustomer);
  if (input.predictCustomer !== undefined && target === undefined) {
    const known = all.some((c) => c.id === input.predictCustomer);
    throw new TransactionFileError(
      known
        ? `customer ${input.predictCustomer} first bought after the calibration end / 客户 ${input.predictCustomer} 在校准期结束后才首次购买`
        : `customer ${input.predictCustomer} is not in the file / 文件中没有客户 ${input.predictCustomer}`,
    );
  }
  if (input.model === 'gamma-gamma') {
    const repeaters = summaries.filter((c) => c.x > 0);
    if (repeaters.length === 0) throw new ModelFitError('no_repeat_buyers', 'Gamma-Gamma: no customer made a repeat purchase');
    const positive = repeaters.filter((c) => c.mx > 0).map((c) => ({ x: c.x, mx: c.mx }));
    const fit = fitGammaGamma(positive);
    const result: ClvResult = { model: 'gamma-gamma', params: fit.params, logLikelihood: fit.logLikelihood, customers, repeatTransactions };
    if (target) result.prediction = { expectedSpend: gammaGammaExpectedSpend(fit.params, target.x, target.x > 0 ? target.mx : 0) };
    return result;
  }
  const rows = summaries.map((c) => ({ x: c.x, tx: c.tx, T: c.T }));
  const horizon = input.horizon;
  if (target && (horizon === undefined || !Number.isFinite(horizon) || horizon < 0)) {
    throw new TransactionFileError('--predict-customer needs --horizon N (weeks, ≥ 0) / --predict-customer 需要 --horizon N（周）');
  }
  if (input.model === 'bgnbd') {
    const fit = fitBgNbd(rows);
    const result: ClvResult = { model: 'bgnbd', params: fit.params, logLikelihood: fit.logLikelihood, customers, repeatTransactions };
    if (target && horizon !== undefined) {
      result.prediction = { expectedPurchases: bgNbdConditionalExpected(fit.params, target, horizon), pAlive: bgNbdPAlive(fit.params, target) };
    }
    return result;
  }
  const fit = fitParetoNbd(rows);
  const result: ClvResult = { model: 'pareto-nbd', params: fit.params, logLikelihood: fit.logLikelihood, customers, repeatTransactions };
  if (target && horizon !== undefined) {
    result.prediction = { expectedPurchases: paretoNbdConditionalExpected(fit.params, target, horizon), pAlive: paretoNbdPAlive(fit.params, target) };
  }
  return result;
}

export async function paretoFromTransactions(file: string, format: TransactionFormat, points = 100): Promise<ParetoCurve> {
  return paretoCurve(await readTransactions(file, format), points);
}
