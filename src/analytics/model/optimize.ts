// Derivative-free minimisation for the maximum-likelihood fits: Nelder & Mead (1965) simplex with the
// dimension-adaptive coefficients of Gao & Han (2012), "Implementing the Nelder-Mead simplex algorithm with
// adaptive parameters", Comput. Optim. Appl. 51:259–277 (reflection 1, expansion 1+2/n, contraction 0.75−1/(2n),
// shrink 1−1/n). Several starts (loose), the best polished and restarted from its best vertex with a fresh simplex until a restart no
// longer improves (guards against the simplex collapsing early, Lagarias et al. 1998). Non-finite objective values
// are treated as +Infinity, so the simplex walks away from them. The simplex result is then polished by Newton's
// method on central-difference derivatives (damped towards gradient descent à la Levenberg–Marquardt when the Hessian is
// not positive definite, with a backtracking line search): near the optimum it converges quadratically and is invariant
// to the ridge-like scaling of the Pareto/NBD and Gamma-Gamma likelihoods, where the simplex crawls and an iteration cap
// ends it unconverged. Convergence is certified either by the simplex (f spread and simplex size both within tolerance,
// and no coordinate probe lower) or by Newton (a positive definite Hessian and a Newton decrement and step within
// tolerance). Pure, deterministic.

export interface MinimizeOptions {
  /** Initial simplex edge (same units as x). */
  step?: number;
  /** Function-value tolerance: absolute, plus relative to |f|. */
  ftolAbs?: number;
  ftolRel?: number;
  /** Simplex size tolerance (max coordinate distance from the best vertex). */
  xtol?: number;
  maxIterations?: number;
  maxRestarts?: number;
  /** A cheaper approximation of f (e.g. on a subsample) for the loose runs from each start; f polishes. */
  screen?: (x: readonly number[]) => number;
}

export interface MinimizeResult {
  x: number[];
  fx: number;
  converged: boolean;
  iterations: number;
  evaluations: number;
  starts: number;
}

interface RunResult {
  x: number[];
  fx: number;
  converged: boolean;
  iterations: number;
  evaluations: number;
}

function safe(f: (x: readonly number[]) => number, x: readonly number[]): number {
  const v = f(x);
  return Number.isFinite(v) ? v : Infinity;
}

export function nelderMead(
  f: (x: readonly number[]) => number,
  x0: readonly number[],
  opts: MinimizeOptions = {},
): RunResult {
  const n = x0.length;
  const step = opts.step ?? 0.5;
  const ftolAbs = opts.ftolAbs ?? 1e-9;
  const ftolRel = opts.ftolRel ?? 1e-11;
  const xtol = opts.xtol ?? 1e-6;
  const maxIterations = opts.maxIterations ?? 2000 * n;
  const rho = 1;
  const chi = 1 + 2 / n;
  const gam = 0.75 - 1 / (2 * n);
  const sig = 1 - 1 / n;

  const pts: number[][] = [x0.slice()];
  for (let i = 0; i < n; i++) {
    const p = x0.slice();
    p[i] += step;
    pts.push(p);
  }
  const fv = pts.map((p) => safe(f, p));
  let evaluations = n + 1;
  const order = pts.map((_, i) => i);
  const centroid = new Array<number>(n).fill(0);
  const xr = new Array<number>(n);
  const xe = new Array<number>(n);
  const xc = new Array<number>(n);
  let iterations = 0;
  let converged = false;

  while (iterations < maxIterations) {
    order.sort((i, j) => fv[i] - fv[j]);
    const best = order[0];
    const worst = order[n];
    const second = order[n - 1];
    const fb = fv[best];
    // convergence: values and simplex both tight
    if (Number.isFinite(fb)) {
      let spreadF = 0;
      let spreadX = 0;
      for (let k = 1; k <= n; k++) {
        const i = order[k];
        spreadF = Math.max(spreadF, fv[i] - fb);
        for (let j = 0; j < n; j++) spreadX = Math.max(spreadX, Math.abs(pts[i][j] - pts[best][j]));
      }
      if (spreadF <= ftolAbs + ftolRel * Math.abs(fb) && spreadX <= xtol) {
        converged = true;
        break;
      }
    }
    iterations++;
    centroid.fill(0);
    for (let k = 0; k < n; k++) {
      const p = pts[order[k]];
      for (let j = 0; j < n; j++) centroid[j] += p[j] / n;
    }
    const pw = pts[worst];
    for (let j = 0; j < n; j++) xr[j] = centroid[j] + rho * (centroid[j] - pw[j]);
    const fr = safe(f, xr);
    evaluations++;
    if (fr < fb) {
      for (let j = 0; j < n; j++) xe[j] = centroid[j] + chi * (xr[j] - centroid[j]);
      const fe = safe(f, xe);
      evaluations++;
      if (fe < fr) {
        pts[worst] = xe.slice();
        fv[worst] = fe;
      } else {
        pts[worst] = xr.slice();
        fv[worst] = fr;
      }
      continue;
    }
    if (fr < fv[second]) {
      pts[worst] = xr.slice();
      fv[worst] = fr;
      continue;
    }
    let shrink = false;
    if (fr < fv[worst]) {
      for (let j = 0; j < n; j++) xc[j] = centroid[j] + gam * (xr[j] - centroid[j]);
      const fc = safe(f, xc);
      evaluations++;
      if (fc <= fr) {
        pts[worst] = xc.slice();
        fv[worst] = fc;
      } else shrink = true;
    } else {
      for (let j = 0; j < n; j++) xc[j] = centroid[j] + gam * (pw[j] - centroid[j]);
      const fc = safe(f, xc);
      evaluations++;
      if (fc < fv[worst]) {
        pts[worst] = xc.slice();
        fv[worst] = fc;
      } else shrink = true;
    }
    if (shrink) {
      const pb = pts[best];
      for (let k = 1; k <= n; k++) {
        const i = order[k];
        for (let j = 0; j < n; j++) pts[i][j] = pb[j] + sig * (pts[i][j] - pb[j]);
        fv[i] = safe(f, pts[i]);
        evaluations++;
      }
    }
  }
  let bi = 0;
  for (let i = 1; i <= n; i++) if (fv[i] < fv[bi]) bi = i;
  return { x: pts[bi].slice(), fx: fv[bi], converged, iterations, evaluations };
}

/**
 * Minimise f from several starting points: each start is first run with loose tolerances (×1e3 on f, ×100 on x) on
 * `screen` when given (a subsample: cheap), else on f; then
 * the best of them is polished with the full tolerances; the optimum is confirmed by probing ±10·xtol along every
 * coordinate, and a probe that is lower restarts the simplex there (up to maxRestarts). `converged` is true when the
 * polished run met the tolerances and no probe was lower.
 */
export function minimize(
  f: (x: readonly number[]) => number,
  starts: readonly (readonly number[])[],
  opts: MinimizeOptions = {},
): MinimizeResult {
  if (starts.length === 0) throw new RangeError('minimize: no starting point');
  const maxRestarts = opts.maxRestarts ?? 6;
  const ftolAbs = opts.ftolAbs ?? 1e-9;
  const ftolRel = opts.ftolRel ?? 1e-11;
  const xtol = opts.xtol ?? 1e-6;
  let iterations = 0;
  let evaluations = 0;
  let best: RunResult | null = null;
  for (const s of starts) {
    const run = nelderMead(opts.screen ?? f, s, { ...opts, ftolAbs: ftolAbs * 1e3, ftolRel: ftolRel * 1e3, xtol: xtol * 100 });
    iterations += run.iterations;
    evaluations += run.evaluations;
    if (best === null || run.fx < best.fx) best = run;
  }
  let run = best as RunResult;
  if (opts.screen) {
    run = { ...run, fx: safe(f, run.x) };
    evaluations++;
  }
  // polish on f, then confirm: probe ±h along every coordinate (h = 10·xtol); a lower point restarts the simplex there
  let confirmed = false;
  let step = Math.min(opts.step ?? 0.5, 0.1);
  for (let k = 0; k <= maxRestarts && Number.isFinite(run.fx); k++) {
    const again = nelderMead(f, run.x, { ...opts, step });
    iterations += again.iterations;
    evaluations += again.evaluations;
    if (again.fx <= run.fx) run = again;
    else run = { ...run, converged: again.converged };
    if (!run.converged) continue;
    const tol = 10 * (ftolAbs + ftolRel * Math.abs(run.fx));
    const h = 10 * xtol;
    let lower: number[] | null = null;
    let lowerF = run.fx - tol;
    for (let j = 0; j < run.x.length; j++) {
      for (const sgn of [-1, 1]) {
        const y = run.x.slice();
        y[j] += sgn * h;
        const fy = safe(f, y);
        evaluations++;
        if (fy < lowerF) {
          lower = y;
          lowerF = fy;
        }
      }
    }
    if (lower === null) {
      confirmed = true;
      break;
    }
    run = { ...run, x: lower, fx: lowerF };
    step = Math.max(100 * xtol, 1e-3);
  }
  let converged = run.converged && confirmed;
  if (Number.isFinite(run.fx)) {
    const nt = newtonPolish(f, run.x, run.fx, { ftolAbs, ftolRel, xtol });
    evaluations += nt.evaluations;
    iterations += nt.steps;
    if (nt.fx <= run.fx) run = { ...run, x: nt.x, fx: nt.fx };
    converged = converged || nt.converged;
  }
  return { x: run.x, fx: run.fx, converged, iterations, evaluations, starts: starts.length };
}

export interface NewtonResult {
  x: number[];
  fx: number;
  /** A positive definite Hessian, and the Newton decrement and step within tolerance. */
  converged: boolean;
  steps: number;
  evaluations: number;
}

/** Solves A·d = b for a symmetric A by Cholesky; null when A is not (numerically) positive definite. */
function choleskySolve(a: readonly number[][], b: readonly number[]): number[] | null {
  const n = b.length;
  const l = a.map(() => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = a[i][j];
      for (let k = 0; k < j; k++) sum -= l[i][k] * l[j][k];
      if (i === j) {
        if (!(sum > 0)) return null;
        l[i][i] = Math.sqrt(sum);
      } else l[i][j] = sum / l[j][j];
    }
  }
  const y = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    let sum = b[i];
    for (let k = 0; k < i; k++) sum -= l[i][k] * y[k];
    y[i] = sum / l[i][i];
  }
  const x = new Array<number>(n);
  for (let i = n - 1; i >= 0; i--) {
    let sum = y[i];
    for (let k = i + 1; k < n; k++) sum -= l[k][i] * x[k];
    x[i] = sum / l[i][i];
  }
  return x;
}

/**
 * Newton's method from x0 with central-difference gradient and Hessian (step h; 2n² + 1 evaluations per step, cheap for
 * the 3–4 parameters here), a Levenberg–Marquardt shift λ·I while the Hessian is not positive definite, and a
 * backtracking line search. Stops when the Newton decrement gᵀH⁻¹g/2 is within the f tolerance and the step within xtol
 * (converged), or when no step lowers f.
 */
export function newtonPolish(
  f: (x: readonly number[]) => number,
  x0: readonly number[],
  fx0: number,
  opts: { ftolAbs?: number; ftolRel?: number; xtol?: number; h?: number; maxSteps?: number } = {},
): NewtonResult {
  const n = x0.length;
  const h = opts.h ?? 1e-4;
  const ftolAbs = opts.ftolAbs ?? 1e-9;
  const ftolRel = opts.ftolRel ?? 1e-11;
  const xtol = opts.xtol ?? 1e-6;
  const maxSteps = opts.maxSteps ?? 50;
  let x = x0.slice();
  let fx = fx0;
  let evaluations = 0;
  let steps = 0;
  const at = (y: number[]): number => {
    evaluations++;
    return safe(f, y);
  };
  for (; steps < maxSteps; steps++) {
    const g = new Array<number>(n);
    const hess = x.map(() => new Array<number>(n).fill(0));
    const fp = new Array<number>(n);
    const fm = new Array<number>(n);
    for (let i = 0; i < n; i++) {
      const yp = x.slice();
      yp[i] += h;
      const ym = x.slice();
      ym[i] -= h;
      fp[i] = at(yp);
      fm[i] = at(ym);
      g[i] = (fp[i] - fm[i]) / (2 * h);
      hess[i][i] = (fp[i] - 2 * fx + fm[i]) / (h * h);
    }
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        const y = x.slice();
        y[i] += h;
        y[j] += h;
        const fpp = at(y);
        y[j] -= 2 * h;
        const fpm = at(y);
        y[i] -= 2 * h;
        const fmm = at(y);
        y[j] += 2 * h;
        const fmp = at(y);
        hess[i][j] = hess[j][i] = (fpp - fpm - fmp + fmm) / (4 * h * h);
      }
    }
    if (![...g, ...hess.flat()].every(Number.isFinite)) return { x, fx, converged: false, steps, evaluations };
    const neg = g.map((v) => -v);
    let d = choleskySolve(hess, neg);
    const positiveDefinite = d !== null;
    // Not positive definite: shift the diagonal until it is (towards a scaled gradient step).
    let lambda = 1e-6 * Math.max(1e-12, ...hess.map((r, i) => Math.abs(r[i])));
    while (d === null && lambda < 1e12) {
      d = choleskySolve(hess.map((r, i) => r.map((v, j) => (i === j ? v + lambda : v))), neg);
      lambda *= 10;
    }
    if (d === null) return { x, fx, converged: false, steps, evaluations };
    const decrement = -d.reduce((s, v, i) => s + v * g[i], 0) / 2;
    const stepSize = Math.max(...d.map(Math.abs));
    const ftol = ftolAbs + ftolRel * Math.abs(fx);
    if (positiveDefinite && decrement <= ftol && stepSize <= xtol) return { x, fx, converged: true, steps, evaluations };
    let t = 1;
    let moved = false;
    for (let k = 0; k < 40; k++, t /= 2) {
      const y = x.map((v, i) => v + t * d![i]);
      const fy = at(y);
      if (fy < fx) {
        x = y;
        fx = fy;
        moved = true;
        break;
      }
    }
    if (!moved) {
      // No lower point along the Newton direction: at the optimum to the precision of f, if the model says so.
      return { x, fx, converged: positiveDefinite && decrement <= 10 * ftol, steps, evaluations };
    }
  }
  return { x, fx, converged: false, steps, evaluations };
}
