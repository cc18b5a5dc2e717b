// Customer-value models: pure functions (no I/O). See docs/analytics-models.md.
export { ModelFitError } from './types.ts';
export type { RepeatSummary, SpendSummary, ModelFit, ModelFitErrorCode, FitOptions } from './types.ts';
export {
  fitBgNbd,
  bgNbdLogLikelihood,
  bgNbdPAlive,
  bgNbdConditionalExpected,
  bgNbdExpected,
  type BgNbdParams,
} from './bgnbd.ts';
export {
  fitParetoNbd,
  paretoNbdLogLikelihood,
  paretoNbdPAlive,
  paretoNbdConditionalExpected,
  paretoNbdExpected,
  type ParetoNbdParams,
} from './pareto-nbd.ts';
export { fitGammaGamma, gammaGammaLogLikelihood, gammaGammaExpectedSpend, type GammaGammaParams } from './gamma-gamma.ts';
export { clv, WEEKS_PER_YEAR, type ClvModel } from './clv.ts';
export { hyp2f1 } from './hyp2f1.ts';
export { minimize, nelderMead } from './optimize.ts';
export { lgamma } from './special.ts';
