import { booleanOption, dtypeOption, toWeights, type Dtype } from '../convert.js';
import { invalid } from '../errors.js';
import { run } from '../registry.js';
import type { BackendName, CallOptions, PointCloudLike, Vector } from '../types.js';
import type { Metric } from './dist.js';
import { clouds, sinkhornParams } from './sinkhorn.js';

/** Options of {@link sinkhornDivergence}. */
export interface DivergenceOptions extends CallOptions {
  /** Weights of `x` (length `n`); default uniform. Normalised to sum 1. */
  a?: Vector;
  /** Weights of `y` (length `m`); default uniform. */
  b?: Vector;
  /** The entropic regularization ε > 0, in cost units. Required. */
  reg: number;
  /** The ground cost. Default `'sqeuclidean'`. */
  metric?: Metric;
  /** The exponent of `'minkowski'`. Default 2. */
  p?: number;
  /** Also return `gradX` and `gradA`. Default false. */
  gradient?: boolean;
  /** As in `sinkhorn`, for each of the three solves. Default 1000. */
  maxIter?: number;
  /** As in `sinkhorn`, for each of the three solves. Default 1e-9. */
  tol?: number;
  /** As in `sinkhorn`. Default false. */
  epsScaling?: boolean;
  /** The precision of the costs and kernels; the results are float64. Default `'float64'`. */
  dtype?: Dtype;
  /** Threads of the native backend; 0 (default) means one per core. */
  threads?: number;
}

/** The result of {@link sinkhornDivergence}. */
export interface DivergenceResult {
  /** $S_\varepsilon(\alpha, \beta) \ge 0$. */
  value: number;
  /** $\partial S / \partial x$, row-major `n × dim`, when `gradient` was set. */
  gradX?: Float64Array;
  /**
   * $\partial S / \partial a$ when `gradient` was set. The weights live on the simplex, so it is
   * defined up to an additive constant: only its differences (its action on zero-sum changes of
   * `a`) are meaningful.
   */
  gradA?: Float64Array;
  /** Iterations of the three solves together. */
  iterations: number;
  /** Whether the three solves met `tol`. */
  converged: boolean;
  backend: BackendName;
  dtype: Dtype;
}

/**
 * The debiased Sinkhorn divergence between two weighted point clouds (GeomLoss's
 * `SamplesLoss('sinkhorn')`, POT's `ot.bregman.empirical_sinkhorn_divergence` with the
 * objective below):
 *
 * $$S_\varepsilon(\alpha,\beta) = \mathrm{OT}_\varepsilon(\alpha,\beta) - \tfrac12 \mathrm{OT}_\varepsilon(\alpha,\alpha) - \tfrac12 \mathrm{OT}_\varepsilon(\beta,\beta)$$
 *
 * with $\mathrm{OT}_\varepsilon$ the `objective` of `sinkhorn`. $S \ge 0$, $S(\alpha, \alpha) = 0$,
 * and it is smooth: a loss to train or to flow particles with. The gradients come from the
 * potentials at convergence (no unrolled iterations). Costs are computed on the fly: memory
 * `O(n + m)`.
 *
 * @param x - `n` points (`{ data, n, dim }` or `number[][]`).
 * @param y - `m` points of the same dimension.
 * @throws MongeError as `sinkhorn` does for point clouds.
 *
 * @example
 * ```ts
 * const { value, gradX } = await sinkhornDivergence(x, y, { reg: 0.01, gradient: true });
 * // one step of a gradient flow of x towards y (uniform weights: scale by n)
 * for (let k = 0; k < gradX.length; k++) xData[k] -= lr * n * gradX[k];
 * ```
 *
 * Reference: Feydy, Séjourné, Vialard, Amari, Trouvé & Peyré, AISTATS 2019.
 */
export async function sinkhornDivergence(
  x: PointCloudLike,
  y: PointCloudLike,
  options: DivergenceOptions,
): Promise<DivergenceResult> {
  if (options === null || typeof options !== 'object') {
    throw invalid('reg', 'sinkhornDivergence needs options with reg, e.g. { reg: 0.01 }');
  }
  const { x: px, y: py, metric, p } = clouds({ x, y, metric: options.metric, p: options.p });
  const params = sinkhornParams(options, false, undefined);
  const gradient = booleanOption('gradient', options.gradient, false);
  const dtype = dtypeOption(options.dtype, 'float64');
  const a = toWeights('a', options.a);
  const b = toWeights('b', options.b);
  const [n, m, dim] = [px.rows, py.rows, px.cols];
  const args = { x: px.data, y: py.data, n, m, dim, a, b, metric, p, params, gradient, float32: dtype === 'float32' };
  const { value, backend } = await run('sinkhornDivergence', options, args, n * m + n * n + m * m);
  const result: DivergenceResult = {
    value: value.value,
    iterations: value.iterations,
    converged: value.converged,
    backend,
    dtype,
  };
  if (value.gradX) result.gradX = value.gradX;
  if (value.gradA) result.gradA = value.gradA;
  return result;
}
