import { integerOption, numberOption, toMatrix, toPoints, toWeights } from '../convert.js';
import { MongeError } from '../errors.js';
import { run } from '../registry.js';
import type { CallOptions, MatrixLike, PointCloudLike, Vector } from '../types.js';

/** Options of {@link slicedWasserstein}. */
export interface SlicedOptions extends CallOptions {
  /** Weights of `x`; default uniform. */
  a?: Vector;
  /** Weights of `y`; default uniform. */
  b?: Vector;
  /** Number of random directions (integer ≥ 1). Default 50. */
  nProjections?: number;
  /** The exponent p ≥ 1. Default 2. */
  p?: number;
  /**
   * Seed of the random directions, an integer in [0, 2^53). Default 0. The directions are drawn
   * in the Rust core, so one seed gives the same number on every backend.
   */
  seed?: number;
  /**
   * Explicit directions instead of random ones: one direction per row (`nProjections × dim`),
   * used as given. POT's `projections` argument is the transpose (`dim × nProjections`).
   */
  projections?: MatrixLike;
}

/**
 * The sliced p-Wasserstein distance between two weighted point clouds of one dimension
 * (POT: `ot.sliced_wasserstein_distance`).
 *
 * $$SW_p(\mu, \nu) = \Big(\frac1L \sum_{l=1}^L W_p^p(\theta_l^\# \mu, \theta_l^\# \nu)\Big)^{1/p}$$
 *
 * with $\theta_l$ uniform random unit directions and $\theta^\#\mu$ the 1-D measure of the
 * projections $\langle \theta, x_i \rangle$, each solved exactly. Cost
 * $O(L\,(n + m)\log(n + m))$; natively the directions are spread over all cores.
 *
 * @param x - `n` points (`{ data, n, dim }` or `number[][]`).
 * @param y - `m` points of the same dimension.
 * @throws MongeError `SHAPE_MISMATCH` (dimensions differ, projections of the wrong width),
 *   `INVALID_INPUT` (empty, p < 1, nProjections < 1, bad seed), `NON_FINITE`, `NEGATIVE_WEIGHT`.
 *
 * @example
 * ```ts
 * const x = [[0, 0], [1, 0]];
 * const y = [[0, 1], [1, 1]];
 * await slicedWasserstein(x, y, { projections: [[0, 1]] }); // 1: the shift seen along (0, 1)
 * await slicedWasserstein(x, y, { nProjections: 200, seed: 7 }); // ≈ 0.7 = 1/√2 on average
 * ```
 *
 * Reference: Bonneel, Rabin, Peyré & Pfister, *Sliced and Radon Wasserstein barycenters of
 * measures*, J. Math. Imaging Vis. (2015).
 */
export async function slicedWasserstein(
  x: PointCloudLike,
  y: PointCloudLike,
  options: SlicedOptions = {},
): Promise<number> {
  const px = toPoints('x', x);
  const py = toPoints('y', y);
  const a = toWeights('a', options.a);
  const b = toWeights('b', options.b);
  const nProjections = integerOption('nProjections', options.nProjections, 50, 1, 2 ** 32 - 1);
  const p = numberOption('p', options.p, 2);
  const seed = integerOption('seed', options.seed, 0, 0, Number.MAX_SAFE_INTEGER);
  const projections = options.projections === undefined ? undefined : directions(options.projections, px.cols);
  const args = { x: px.data, n: px.rows, xDim: px.cols, y: py.data, m: py.rows, yDim: py.cols };
  const more = { a, b, nProjections, p, seed, projections };
  const { value } = await run('slicedWasserstein', options, { ...args, ...more }, (px.rows + py.rows) * nProjections);
  return value.value;
}

/** Explicit directions as flat rows, each as long as the points are. */
function directions(projections: MatrixLike, dim: number): Float64Array {
  const m = toMatrix('projections', projections);
  if (m.cols !== dim) {
    throw new MongeError(
      'SHAPE_MISMATCH',
      `projections has rows of length ${m.cols} but the points have dimension ${dim}: give one direction per row (nProjections x dim)`,
      { argument: 'projections', expected: dim, actual: m.cols },
    );
  }
  return m.data;
}
