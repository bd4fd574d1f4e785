import { numberOption, toPoints } from '../convert.js';
import { invalid } from '../errors.js';
import { run } from '../registry.js';
import type { BackendName, CallOptions, Matrix, PointCloudLike } from '../types.js';

/** Ground metrics of {@link dist}. */
export type Metric = 'sqeuclidean' | 'euclidean' | 'cityblock' | 'minkowski';

/** Options of {@link dist}. */
export interface DistOptions extends CallOptions {
  /** The ground metric. Default `'sqeuclidean'`. */
  metric?: Metric;
  /** The exponent of `'minkowski'` (finite, ≥ 1). Default 2. */
  p?: number;
}

/** A cost matrix, with the backend that computed it. */
export interface CostMatrix extends Matrix {
  data: Float64Array;
  dtype: 'float64';
  backend: BackendName;
}

/**
 * The cost matrix between two point clouds (POT: `ot.dist`).
 *
 * $$M_{ij} = d(x_i, y_j)$$ with $d$ one of
 * - `sqeuclidean`: $\sum_k (x_{ik} - y_{jk})^2$ (default; the cost of $W_2$),
 * - `euclidean`: $\big(\sum_k (x_{ik} - y_{jk})^2\big)^{1/2}$,
 * - `cityblock`: $\sum_k |x_{ik} - y_{jk}|$,
 * - `minkowski`: $\big(\sum_k |x_{ik} - y_{jk}|^p\big)^{1/p}$, $p \ge 1$.
 *
 * @param x - `n` points of dimension `d` (`{ data, n, dim }` or `number[][]`).
 * @param y - `m` points of dimension `d`; defaults to `x`.
 * @returns the `n × m` matrix, row-major, float64. Entries are computed from coordinate
 *   differences (exact for nearly equal points, unlike the `|x|² + |y|² − 2⟨x,y⟩` expansion).
 * @throws MongeError `SHAPE_MISMATCH` (different dimensions), `NON_FINITE`, `INVALID_INPUT`
 *   (empty input, unknown metric, p < 1), `TOO_LARGE` (more than 2^30 entries).
 *
 * @example
 * ```ts
 * const M = await dist([[0, 0], [1, 0]], [[0, 1]]);
 * // M.data = Float64Array [1, 2], M.rows = 2, M.cols = 1
 * ```
 */
export async function dist(x: PointCloudLike, y?: PointCloudLike, options: DistOptions = {}): Promise<CostMatrix> {
  const metric = options.metric ?? 'sqeuclidean';
  if (typeof metric !== 'string') throw invalid('metric', `metric must be a string, got ${typeof metric}`);
  const p = numberOption('p', options.p, 2);
  const px = toPoints('x', x);
  const py = y === undefined ? px : toPoints('y', y);
  const args = { x: px.data, n: px.rows, xDim: px.cols, y: py.data, m: py.rows, yDim: py.cols, metric, p };
  const { value, backend } = await run('dist', options, args, px.rows * py.rows);
  return { data: value.data, rows: px.rows, cols: py.rows, dtype: 'float64', backend };
}
