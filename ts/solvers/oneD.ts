import { numberOption, toFloat64, toWeights } from '../convert.js';
import { sparsePlan } from '../plan.js';
import { run } from '../registry.js';
import type { BackendName, CallOptions, SparsePlan, Vector } from '../types.js';

/** Options of {@link wasserstein1d} and {@link emd1d}. */
export interface OneDOptions extends CallOptions {
  /** Weights of `u` (non-negative, one per value, any positive total); default uniform. */
  uWeights?: Vector;
  /** Weights of `v`; default uniform. */
  vWeights?: Vector;
  /** Exponent of the cost $|x - y|^p$, finite and ≥ 1. Default 1. */
  p?: number;
}

/** The result of {@link emd1d}. */
export interface Emd1dResult {
  /** The optimal cost $W_p^p$. */
  cost: number;
  /** The monotone optimal plan (at most `n + m − 1` entries, indices into `u` and `v`). */
  plan: SparsePlan;
  backend: BackendName;
}

function args(u: Vector, v: Vector, options: OneDOptions) {
  return {
    u: toFloat64('u', u),
    v: toFloat64('v', v),
    uWeights: toWeights('uWeights', options.uWeights),
    vWeights: toWeights('vWeights', options.vWeights),
    p: numberOption('p', options.p, 1),
  };
}

/**
 * The p-Wasserstein distance between two weighted samples on the real line.
 *
 * $$W_p(\mu, \nu) = \Big(\int_0^1 |F_\mu^{-1}(t) - F_\nu^{-1}(t)|^p\,dt\Big)^{1/p}$$
 *
 * with $F^{-1}$ the quantile functions of $\mu = \sum_i a_i \delta_{u_i}$ and
 * $\nu = \sum_j b_j \delta_{v_j}$; weights are normalised to total mass 1. Exact, in
 * $O((n + m)\log(n + m))$. Returns $W_p$ itself: POT's `wasserstein_1d` returns $W_p^p$, scipy's
 * `wasserstein_distance` is the case $p = 1$.
 *
 * @throws MongeError `INVALID_INPUT` (empty, p < 1, zero total mass), `NON_FINITE`,
 *   `NEGATIVE_WEIGHT`, `SHAPE_MISMATCH` (weights of the wrong length).
 *
 * @example
 * ```ts
 * await wasserstein1d([0, 1], [2, 3]); // 2: every unit of mass moves by 2
 * await wasserstein1d([0, 1], [0, 1], { vWeights: [1, 3], p: 2 }); // sqrt(0.25) = 0.5
 * ```
 *
 * Reference: Peyré & Cuturi, *Computational Optimal Transport* (2019), §2.6.
 */
export async function wasserstein1d(u: Vector, v: Vector, options: OneDOptions = {}): Promise<number> {
  const a = args(u, v, options);
  return (await run('wasserstein1d', options, a, a.u.length + a.v.length)).value.value;
}

/**
 * Exact optimal transport on the real line with cost $|x - y|^p$: the optimal cost $W_p^p$ and
 * the monotone plan, which matches the two quantile functions (the north-west corner rule on
 * sorted supports). Weights are normalised to total mass 1.
 *
 * @throws MongeError as {@link wasserstein1d}.
 *
 * @example
 * ```ts
 * const { cost, plan } = await emd1d([1, 0], [0.5]);
 * // cost = 0.5; plan.rows = [1, 0], plan.cols = [0, 0], plan.values = [0.5, 0.5]
 * ```
 */
export async function emd1d(u: Vector, v: Vector, options: OneDOptions = {}): Promise<Emd1dResult> {
  const a = args(u, v, options);
  const { value, backend } = await run('emd1d', options, a, a.u.length + a.v.length);
  return {
    cost: value.cost,
    plan: sparsePlan(value.rows, value.cols, value.values, [a.u.length, a.v.length]),
    backend,
  };
}
