import { toMatrix } from '../convert.js';
import { invalid } from '../errors.js';
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
  const maximize = options.maximize ?? false;
  if (typeof maximize !== 'boolean') throw invalid('maximize', `maximize must be a boolean, got ${typeof maximize}`);
  const { value, backend } = await run(options, (k) => k.linearSumAssignment(m.data, m.rows, m.cols, maximize));
  return { rowInd: value.rowInd, colInd: value.colInd, cost: value.cost, backend };
}
