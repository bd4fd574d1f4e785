import { integerOption, toFloat64, toMatrix } from '../convert.js';
import { MongeError } from '../errors.js';
import { sparsePlan } from '../plan.js';
import { run } from '../registry.js';
import type { BackendName, CallOptions, MatrixLike, SparsePlan, Vector } from '../types.js';

/** Options of {@link emd} and {@link emd2}. */
export interface EmdOptions extends CallOptions {
  /** The most network-simplex pivots; past it `status` is `'maxIterReached'`. Default 100000. */
  maxIter?: number;
}

/** The result of {@link emd}. */
export interface EmdResult {
  /** The optimal transport cost $\langle P, M \rangle$. */
  cost: number;
  /** The optimal plan, at most `n + m − 1` entries. */
  plan: SparsePlan;
  /** Source potentials: $u_i + v_j \le M_{ij}$, with equality on the plan's support. */
  u: Float64Array;
  /** Target potentials (centred like POT: $a \cdot u = b \cdot v$). */
  v: Float64Array;
  /** $|a \cdot u + b \cdot v - \text{cost}|$, the duality gap: 0 up to rounding when optimal. */
  dualGap: number;
  /** Simplex pivots made. */
  iterations: number;
  /** `'optimal'`, or `'maxIterReached'` (raise `maxIter`; the plan may then be suboptimal). */
  status: 'optimal' | 'maxIterReached';
  backend: BackendName;
}

function uniform(n: number): Float64Array {
  return new Float64Array(n).fill(1 / n);
}

/**
 * Exact optimal transport (the earth mover's distance) by the network simplex (POT: `ot.emd`):
 *
 * $$\min_{P \ge 0} \langle P, M \rangle \quad \text{s.t.} \quad P\mathbf 1 = a,\; P^\top \mathbf 1 = b.$$
 *
 * The plan is sparse (a vertex of the transport polytope: at most `n + m − 1` entries) and comes
 * with dual potentials that certify its optimality. Computed in float64, `O(n + m)` memory
 * beyond `M`. Zero-weight bins are allowed. The total masses of `a` and `b` must agree to 1e-6
 * relative; `b` is then rescaled to `a`'s total.
 *
 * @param a - source weights (length `n`); `undefined` for uniform.
 * @param b - target weights (length `m`); `undefined` for uniform.
 * @param M - the `n × m` cost matrix.
 * @throws MongeError `MASS_MISMATCH` (totals differ), `SHAPE_MISMATCH` (M is not `n × m`),
 *   `NON_FINITE`, `NEGATIVE_WEIGHT`, `INVALID_INPUT` (empty, zero mass).
 *
 * @example
 * ```ts
 * const r = await emd([0.5, 0.5], [0.5, 0.5], [[0, 1], [1, 0]]);
 * // r.cost = 0, r.plan.values = [0.5, 0.5], r.status = 'optimal'
 * ```
 *
 * Reference: Bonneel, van de Panne, Paris & Heidrich, ACM TOG 30 (2011).
 */
export async function emd(
  a: Vector | undefined,
  b: Vector | undefined,
  M: MatrixLike,
  options: EmdOptions = {},
): Promise<EmdResult> {
  const m = toMatrix('M', M);
  const wa = a === undefined || a === null ? uniform(m.rows) : toFloat64('a', a);
  const wb = b === undefined || b === null ? uniform(m.cols) : toFloat64('b', b);
  if (m.rows !== wa.length || m.cols !== wb.length) {
    throw new MongeError(
      'SHAPE_MISMATCH',
      `M is ${m.rows} x ${m.cols} but a has ${wa.length} and b has ${wb.length} weights: M must be a.length x b.length`,
      { argument: 'M', shape: [m.rows, m.cols] },
    );
  }
  const maxIter = integerOption('maxIter', options.maxIter, 100000, 0, 2 ** 32 - 1);
  const { value, backend } = await run('emd', options, { a: wa, b: wb, cost: m.data, maxIter }, m.data.length);
  return {
    cost: value.cost,
    plan: sparsePlan(value.rows, value.cols, value.values, [wa.length, wb.length]),
    u: value.u,
    v: value.v,
    dualGap: value.dualGap,
    iterations: value.iterations,
    status: value.status === 'maxIterReached' ? 'maxIterReached' : 'optimal',
    backend,
  };
}

/**
 * The optimal transport cost alone (POT: `ot.emd2`); see {@link emd}.
 *
 * @example
 * ```ts
 * await emd2(undefined, undefined, [[0, 1], [1, 0]]); // 0
 * ```
 */
export async function emd2(
  a: Vector | undefined,
  b: Vector | undefined,
  M: MatrixLike,
  options: EmdOptions = {},
): Promise<number> {
  return (await emd(a, b, M, options)).cost;
}
