// Independent oracles for validating the simulation (test-only): Erlang C in closed form via the Erlang B
// recursion (Cooper, "Introduction to Queueing Theory", 2nd ed., §3.4–3.5), and Erlang A (M/M/N+M) from the
// exact birth-death stationary distribution (Garnett, Mandelbaum & Reiman, M&SOM 4(3), 2002, §3), with the
// probability of being answered within T obtained by integrating the tagged caller's position in queue (a
// small absorbing Markov chain) with classical fourth-order Runge-Kutta. Deliberately not shared with
// src/wfm/model/erlang.ts, so the simulation is checked against code written separately.

export interface QueueMeasures {
  serviceLevel: number;
  asa: number;
  pAbandon: number;
  occupancy: number;
  pWait: number;
}

/** M/M/N, FCFS. lambda and mu per second. */
export function erlangCOracle(lambda: number, mu: number, n: number, targetSeconds: number): QueueMeasures {
  const a = lambda / mu;
  if (a >= n) throw new RangeError('unstable: offered load ≥ agents');
  let b = 1;
  for (let k = 1; k <= n; k++) b = (a * b) / (k + a * b);
  const c = (n * b) / (n - a * (1 - b));
  return {
    pWait: c,
    serviceLevel: 1 - c * Math.exp(-(n * mu - lambda) * targetSeconds),
    asa: c / (n * mu - lambda),
    pAbandon: 0,
    occupancy: a / n,
  };
}

/** M/M/N+M (exponential patience with rate theta); theta = 0 falls back to a truncated M/M/N. */
export function erlangAOracle(lambda: number, mu: number, n: number, theta: number, targetSeconds: number): QueueMeasures {
  // stationary distribution, unnormalized, with rescaling against overflow
  const pi: number[] = [1];
  let total = 1;
  for (let k = 0; ; k++) {
    const death = Math.min(k + 1, n) * mu + Math.max(k + 1 - n, 0) * theta;
    const next = (pi[k] * lambda) / death;
    pi.push(next);
    total += next;
    if (total > 1e250) {
      for (let i = 0; i < pi.length; i++) pi[i] /= total;
      total = 1;
    }
    if (k > n + 10 && next < total * 1e-17) break;
    if (k > n + 1e6) throw new RangeError('queue did not converge');
  }
  for (let i = 0; i < pi.length; i++) pi[i] /= total;
  let eq = 0;
  let pNoWait = 0;
  for (let k = 0; k < pi.length; k++) {
    if (k < n) pNoWait += pi[k];
    else eq += (k - n) * pi[k];
  }
  // tagged arrival with j callers ahead: moves forward at rate n·mu + j·theta, abandons at rate theta
  // state: p[0..J-1] = still waiting with j ahead; p[J] = answered so far
  const J = pi.length - n;
  let p = new Float64Array(J + 1);
  for (let j = 0; j < J; j++) p[j] = pi[n + j];
  const r = (j: number) => n * mu + j * theta;
  const deriv = (x: Float64Array): Float64Array => {
    const d = new Float64Array(J + 1);
    for (let j = 0; j < J; j++) d[j] = -(r(j) + theta) * x[j] + (j + 1 < J ? r(j + 1) * x[j + 1] : 0);
    d[J] = r(0) * x[0];
    return d;
  };
  const add = (x: Float64Array, k: Float64Array, s: number) => {
    const y = new Float64Array(J + 1);
    for (let j = 0; j <= J; j++) y[j] = x[j] + s * k[j];
    return y;
  };
  const steps = 4000;
  const h = targetSeconds / steps;
  for (let s = 0; s < steps && targetSeconds > 0; s++) {
    const k1 = deriv(p);
    const k2 = deriv(add(p, k1, h / 2));
    const k3 = deriv(add(p, k2, h / 2));
    const k4 = deriv(add(p, k3, h));
    const np = new Float64Array(J + 1);
    for (let j = 0; j <= J; j++) np[j] = p[j] + (h / 6) * (k1[j] + 2 * k2[j] + 2 * k3[j] + k4[j]);
    p = np;
  }
  const served = p[J];
  const pAbandon = (theta * eq) / lambda;
  return {
    pWait: 1 - pNoWait,
    serviceLevel: pNoWait + served,
    asa: eq / lambda,
    pAbandon,
    occupancy: (lambda * (1 - pAbandon)) / (n * mu),
  };
}

/**
 * Mean wait per class in M/M/c with non-preemptive priorities and one service rate (Cobham 1954; Gross & Harris,
 * "Fundamentals of Queueing Theory", §3.4.1): W_k = C(c, a) / (c·mu · (1 − σ_{k−1})(1 − σ_k)), σ_k the load of
 * classes 1…k (highest first). lambdas per second, highest priority first.
 */
export function priorityWaitsOracle(lambdas: readonly number[], mu: number, c: number): number[] {
  const total = lambdas.reduce((s, x) => s + x, 0);
  const pw = erlangCOracle(total, mu, c, 0).pWait;
  let sigma = 0;
  return lambdas.map((l) => {
    const before = sigma;
    sigma += l / (c * mu);
    return pw / (c * mu * (1 - before) * (1 - sigma));
  });
}
