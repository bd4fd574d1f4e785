/**
 * Turns public inputs (typed arrays, plain arrays, arrays of rows) into the flat `Float64Array`s
 * the backends take. Only structure is checked here (types, ragged rows, integer sizes); the
 * numeric content (NaN, signs, masses, empty inputs) is checked once, in the Rust core, so that
 * every backend reports the same error.
 *
 * Copies: a `Float64Array` is passed through untouched (never mutated); a `Float32Array` or a
 * plain array is copied once into a new `Float64Array`.
 */
import { MongeError, invalid } from './errors.js';
import type { MatrixLike, PointCloud, PointCloudLike, Vector } from './types.js';

/** Plan indices cross as Int32Array: longer inputs are refused up front. */
export const MAX_LENGTH = 2 ** 31 - 1;

function checkLength(name: string, length: number): void {
  if (length > MAX_LENGTH) {
    throw new MongeError('TOO_LARGE', `${name} has ${length} values; at most ${MAX_LENGTH} are supported`, {
      argument: name,
      actual: length,
    });
  }
}

function isArrayLike(v: unknown): v is ArrayLike<unknown> {
  return (
    v !== null &&
    typeof v === 'object' &&
    typeof (v as { length?: unknown }).length === 'number' &&
    Number.isInteger((v as { length: number }).length) &&
    (v as { length: number }).length >= 0
  );
}

/** A vector as a `Float64Array` (the same object when it already is one). */
export function toFloat64(name: string, v: Vector): Float64Array {
  if (v instanceof Float64Array) {
    checkLength(name, v.length);
    return v;
  }
  if (v instanceof Float32Array) {
    checkLength(name, v.length);
    return Float64Array.from(v);
  }
  if (!isArrayLike(v) || typeof v === 'string') {
    throw invalid(name, `${name} must be a Float64Array, a Float32Array or an array of numbers`);
  }
  checkLength(name, v.length);
  const out = new Float64Array(v.length);
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    if (typeof x !== 'number') {
      throw invalid(name, `${name}[${i}] is a ${typeof x}, not a number`, { index: i });
    }
    out[i] = x;
  }
  return out;
}

/** The float types a solver can compute in. */
export type Dtype = 'float32' | 'float64';

/** A vector as a `Float32Array` (the same object when it already is one). */
export function toFloat32(name: string, v: Vector): Float32Array {
  if (v instanceof Float32Array) {
    checkLength(name, v.length);
    return v;
  }
  return Float32Array.from(toFloat64(name, v));
}

/** The `dtype` option: `'float32'` or `'float64'`. */
export function dtypeOption(value: unknown, fallback: Dtype): Dtype {
  if (value === undefined) return fallback;
  if (value !== 'float32' && value !== 'float64') {
    throw invalid('dtype', `dtype must be 'float32' or 'float64', got ${String(value)}`, { value: String(value) });
  }
  return value;
}

/** Optional weights: `undefined` (or `null`) means uniform. */
export function toWeights(name: string, w: Vector | undefined | null): Float64Array | undefined {
  return w === undefined || w === null ? undefined : toFloat64(name, w);
}

function checkSize(name: string, field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > MAX_LENGTH) {
    throw invalid(name, `${name}.${field} must be a non-negative integer, got ${String(value)}`);
  }
  return value;
}

/** A flat row-major matrix view: data, number of rows, row length. */
export interface Flat {
  data: Float64Array;
  rows: number;
  cols: number;
}

/** Flattens an array of rows, rejecting ragged input. */
function flattenRows(name: string, rows: ArrayLike<ArrayLike<number>>): Flat {
  const n = rows.length;
  const first = rows[0];
  if (n > 0 && !isArrayLike(first)) {
    throw invalid(name, `${name} must be an array of rows (number[][]) or an object with data and sizes`);
  }
  const cols = n === 0 ? 0 : (first as ArrayLike<number>).length;
  checkLength(name, n * cols);
  const data = new Float64Array(n * cols);
  for (let i = 0; i < n; i++) {
    const row = rows[i];
    if (!isArrayLike(row) || row.length !== cols) {
      throw new MongeError(
        'SHAPE_MISMATCH',
        `${name}[${i}] has ${isArrayLike(row) ? row.length : 'no'} entries but ${name}[0] has ${cols}: rows must have equal length`,
        { argument: name, index: i, expected: cols, actual: isArrayLike(row) ? row.length : 0 },
      );
    }
    for (let k = 0; k < cols; k++) {
      const x = row[k];
      if (typeof x !== 'number') {
        throw invalid(name, `${name}[${i}][${k}] is a ${typeof x}, not a number`, { index: i * cols + k });
      }
      data[i * cols + k] = x;
    }
  }
  return { data, rows: n, cols };
}

function hasFields<K extends string>(v: unknown, ...keys: K[]): v is Record<K, unknown> {
  return v !== null && typeof v === 'object' && keys.every((k) => k in (v as object));
}

/** A point cloud `{ data, n, dim }` or `number[][]` as a flat matrix (rows = points). */
export function toPoints(name: string, x: PointCloudLike): Flat {
  if (hasFields(x, 'data', 'n', 'dim')) {
    const p = x as PointCloud;
    return {
      data: toFloat64(`${name}.data`, p.data),
      rows: checkSize(name, 'n', p.n),
      cols: checkSize(name, 'dim', p.dim),
    };
  }
  if (isArrayLike(x)) return flattenRows(name, x as ArrayLike<ArrayLike<number>>);
  throw invalid(name, `${name} must be a point cloud { data, n, dim } or an array of points (number[][])`);
}

/** A matrix `{ data, rows, cols }` or `number[][]` as a flat matrix. */
export function toMatrix(name: string, m: MatrixLike): Flat {
  if (hasFields(m, 'data', 'rows', 'cols')) {
    return {
      data: toFloat64(`${name}.data`, m.data as Vector),
      rows: checkSize(name, 'rows', m.rows),
      cols: checkSize(name, 'cols', m.cols),
    };
  }
  if (isArrayLike(m)) return flattenRows(name, m as ArrayLike<ArrayLike<number>>);
  throw invalid(name, `${name} must be a matrix { data, rows, cols } or an array of rows (number[][])`);
}

/** A matrix as a flat matrix in `dtype` (the caller's array itself when it already has that type). */
export function toMatrixAs(name: string, m: MatrixLike, dtype: Dtype): Flat | Flat32 {
  if (dtype === 'float64') return toMatrix(name, m);
  if (hasFields(m, 'data', 'rows', 'cols')) {
    return {
      data: toFloat32(`${name}.data`, m.data as Vector),
      rows: checkSize(name, 'rows', m.rows),
      cols: checkSize(name, 'cols', m.cols),
    };
  }
  const flat = toMatrix(name, m);
  return { data: Float32Array.from(flat.data), rows: flat.rows, cols: flat.cols };
}

/** A flat row-major matrix in float32. */
export interface Flat32 {
  data: Float32Array;
  rows: number;
  cols: number;
}

/** A number option: must be a number (its range is checked by the solver). */
export function numberOption(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number') throw invalid(name, `${name} must be a number, got ${typeof value}`);
  return value;
}

/** An integer option within `[min, max]`. */
export function integerOption(name: string, value: unknown, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw invalid(name, `${name} must be an integer from ${min} to ${max}, got ${String(value)}`, {
      value: typeof value === 'number' ? value : String(value),
    });
  }
  return value;
}

/** A boolean option. */
export function booleanOption(name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw invalid(name, `${name} must be a boolean, got ${typeof value}`);
  return value;
}
