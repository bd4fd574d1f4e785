/** The sparse transport plan returned by exact solvers. */
import { dense } from './dense.js';
import type { Matrix, SparsePlan } from './types.js';

/** Wraps the three arrays of a plan as a {@link SparsePlan}. */
export function sparsePlan(
  rows: Int32Array,
  cols: Int32Array,
  values: Float64Array,
  shape: [number, number],
): SparsePlan {
  return {
    rows,
    cols,
    values,
    shape,
    toDense(): Matrix {
      const [n, m] = shape;
      const out = dense('plan.toDense()', n, m);
      for (let k = 0; k < values.length; k++) out[rows[k]! * m + cols[k]!]! += values[k]!;
      return { data: out, rows: n, cols: m };
    },
  };
}
