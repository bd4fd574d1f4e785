import { booleanOption, numberOption, toMatrix } from '../convert.js';
import { run } from '../registry.js';
import type { BackendName, CallOptions, MatrixLike } from '../types.js';

/** Options of {@link linearSumAssignment}. */
export interface AssignmentOptions extends CallOptions {
  /** Maximise the total instead of minimising it. Default false. */
  maximize?: boolean;
}

/** The result of {@link linearSumAssignment}. */
export interface AssignmentResult {
  /** Matched rows, ascending (every row when `rows ≤ cols`). */
  rowInd: Int32Array;
  /** The column matched to each row of `rowInd`. */
  colInd: Int32Array;
  /** The total cost $\sum_k M_{rowInd_k, colInd_k}$. */
  cost: number;
  backend: BackendName;
}

/**
 * The linear sum assignment problem (scipy: `linear_sum_assignment`): match each row of the
 * cost matrix to a distinct column so that the total cost is minimal (or maximal),
 *
 * $$\min_{\sigma \text{ injective}} \sum_i M_{i,\sigma(i)},$$
 *
 * rectangular allowed (`min(rows, cols)` pairs). `+Infinity` entries are forbidden pairs
 * (`-Infinity` when maximising). Exact, by Jonker–Volgenant shortest augmenting paths (Crouse's
 * rectangular variant).
 *
 * @param M - the `rows × cols` cost matrix (`{ data, rows, cols }` or `number[][]`).
 * @throws MongeError `INVALID_INPUT` (empty matrix, or forbidden entries that leave no complete
 *   assignment), `NON_FINITE` (NaN, or the infinity that would make the problem unbounded),
 *   `SHAPE_MISMATCH` (ragged rows, data of the wrong length).
 *
 * @example
 * ```ts
 * const { rowInd, colInd, cost } = await linearSumAssignment([[4, 1, 3], [2, 0, 5], [3, 2, 2]]);
 * // rowInd = [0, 1, 2], colInd = [1, 0, 2], cost = 5
 * ```
 *
 * References: Jonker & Volgenant, Computing 38 (1987); Crouse, IEEE TAES 52 (2016).
 */
export async function linearSumAssignment(M: MatrixLike, options: AssignmentOptions = {}): Promise<AssignmentResult> {
  const m = toMatrix('M', M);
  const maximize = booleanOption('maximize', options.maximize, false);
  const args = { cost: m.data, rows: m.rows, cols: m.cols, maximize };
  const { value, backend } = await run('linearSumAssignment', options, args, m.data.length);
  return { rowInd: value.rowInd, colInd: value.colInd, cost: value.cost, backend };
}

/** Options of {@link auction}. */
export interface AuctionOptions extends AssignmentOptions {
  /**
   * The final $\varepsilon$ (> 0). Default: $1/(m+1)$ for integer costs, which makes the result
   * provably optimal, else $10^{-9}$ of the cost range divided by $m$.
   */
  epsilon?: number;
  /** The factor $\varepsilon$ shrinks by between phases (> 1). Default 5. */
  scaling?: number;
}

/** The result of {@link auction}. */
export interface AuctionResult extends AssignmentResult {
  /** Final prices of the columns, in benefit units (the benefit is $-M$ when minimising). */
  prices: Float64Array;
  /** A bound on `cost − optimum` (`optimum − cost` when maximising): $m\,\varepsilon$, or 0 when integer costs prove optimality. */
  gapBound: number;
}

/**
 * The assignment problem by Bertsekas' forward auction with $\varepsilon$-scaling: rows bid for
 * columns, raising prices by their margin plus $\varepsilon$; every row ends within
 * $\varepsilon$ of its best value, so the total is within $m\,\varepsilon$ of the optimum, and
 * exactly optimal for integer costs when $\varepsilon < 1/m$ (the default for integer input).
 * Needs `rows ≤ cols` (pass the transpose otherwise); costs must be finite.
 *
 * @throws MongeError `INVALID_INPUT` (rows > cols, empty, epsilon ≤ 0, scaling ≤ 1),
 *   `NON_FINITE`, `SHAPE_MISMATCH`.
 *
 * @example
 * ```ts
 * const r = await auction([[4, 1, 3], [2, 0, 5], [3, 2, 2]]);
 * // r.colInd = [1, 0, 2], r.cost = 5, r.gapBound = 0 (integer costs: optimal)
 * ```
 *
 * Reference: Bertsekas, Ann. Oper. Res. 14 (1988).
 */
export async function auction(M: MatrixLike, options: AuctionOptions = {}): Promise<AuctionResult> {
  const m = toMatrix('M', M);
  const maximize = booleanOption('maximize', options.maximize, false);
  const epsilon = options.epsilon === undefined ? undefined : numberOption('epsilon', options.epsilon, 0);
  const scaling = numberOption('scaling', options.scaling, 5);
  const args = { cost: m.data, rows: m.rows, cols: m.cols, maximize, epsilon, scaling };
  const { value, backend } = await run('auction', options, args, m.data.length);
  return { ...value, backend };
}
