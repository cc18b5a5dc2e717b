// Derivative-free minimisation for the maximum-likelihood fits: Nelder & Mead (1965) simplex with the
// dimension-adaptive coefficients of Gao & Han (2012), "Implementing the Nelder-Mead simplex algorithm with
// adaptive parameters", Comput. Optim. Appl. 51:259–277 (reflection 1, expansion 1+2/n, contraction 0.75−1/(2n),
// shrink 1−1/n). Several starts; each run is restarted from its best vertex with a fresh simplex until a restart no
// longer improves (guards against the simplex collapsing early, Lagarias et al. 1998). Non-finite objective values
// are treated as +Infinity, so the simplex walks away from them. Pure, deterministic.

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
 * Minimise f from several starting points; each run is restarted from its optimum (smaller simplex) until the
 * restart improves f by no more than the tolerance. Returns the best point; `converged` is true when that run met
 * the tolerances and its confirming restart did not move it.
 */
export function minimize(
  f: (x: readonly number[]) => number,
  starts: readonly (readonly number[])[],
  opts: MinimizeOptions = {},
): MinimizeResult {
  const maxRestarts = opts.maxRestarts ?? 6;
  const ftolAbs = opts.ftolAbs ?? 1e-9;
  const ftolRel = opts.ftolRel ?? 1e-11;
  let best: RunResult | null = null;
  let iterations = 0;
  let evaluations = 0;
  for (const s of starts) {
    let run = nelderMead(f, s, opts);
    iterations += run.iterations;
    evaluations += run.evaluations;
    let confirmed = false;
    for (let k = 0; k < maxRestarts && Number.isFinite(run.fx); k++) {
      const again = nelderMead(f, run.x, { ...opts, step: Math.min(opts.step ?? 0.5, 0.1) });
      iterations += again.iterations;
      evaluations += again.evaluations;
      const tol = 10 * (ftolAbs + ftolRel * Math.abs(run.fx));
      const improved = run.fx - again.fx;
      if (again.fx <= run.fx) run = { ...again, converged: again.converged };
      if (improved <= tol && run.converged) {
        confirmed = true;
        break;
      }
    }
    const result: RunResult = { ...run, converged: run.converged && confirmed };
    if (best === null || result.fx < best.fx || (result.fx === best.fx && result.converged && !best.converged)) {
      best = result;
    }
  }
  if (best === null) throw new RangeError('minimize: no starting point');
  return { x: best.x, fx: best.fx, converged: best.converged, iterations, evaluations, starts: starts.length };
}
