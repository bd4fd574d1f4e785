/** Dense allocations that fail with `TOO_LARGE` instead of a RangeError or an out-of-memory crash. */
import { MongeError } from './errors.js';

/** Largest dense output, in elements (2^30 float64 = 8 GiB), as in the Rust core. */
export const MAX_DENSE_ELEMENTS = 2 ** 30;

/** A zeroed `rows × cols` Float64Array, or `TOO_LARGE`. */
export function dense(name: string, rows: number, cols: number): Float64Array {
  const size = rows * cols;
  const tooLarge = () =>
    new MongeError('TOO_LARGE', `${name} would be ${rows} x ${cols} values, too large to allocate`, {
      argument: name,
      shape: [rows, cols],
    });
  if (size > MAX_DENSE_ELEMENTS) throw tooLarge();
  try {
    return new Float64Array(size);
  } catch (err) {
    if (err instanceof RangeError) throw tooLarge();
    throw err;
  }
}
