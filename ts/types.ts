/** Public data types shared by every solver. */

/** A vector of numbers: typed arrays are used as they are, plain arrays are converted. */
export type Vector = Float64Array | Float32Array | ArrayLike<number>;

/** A dense row-major matrix. */
export interface Matrix {
  data: Float64Array | Float32Array;
  rows: number;
  cols: number;
}

/** A row-major cloud of `n` points of dimension `dim`. */
export interface PointCloud {
  data: Float64Array | Float32Array;
  n: number;
  dim: number;
}

/** Where a matrix is accepted, so is an array of rows. */
export type MatrixLike = Matrix | ArrayLike<ArrayLike<number>>;

/** Where a point cloud is accepted, so is an array of points. */
export type PointCloudLike = PointCloud | ArrayLike<ArrayLike<number>>;

/** The names a backend can be asked for by. */
export type BackendName = 'native' | 'wasm' | 'webgpu';

/** A backend choice: a name, or `'auto'` for the default (see `setBackend`). */
export type BackendChoice = 'auto' | BackendName;

/** Options every solver takes. */
export interface CallOptions {
  /** Which backend computes this call; default: the one chosen by `setBackend` or `ready`. */
  backend?: BackendChoice;
  /** Aborts the call with a `MongeError` of code `ABORTED`. Checked before the computation starts. */
  signal?: AbortSignal;
}

/** A transport plan stored as its non-zero entries `(rows[k], cols[k]) → values[k]`. */
export interface SparsePlan {
  rows: Int32Array;
  cols: Int32Array;
  values: Float64Array;
  /** `[n, m]`: sizes of the source and target measures. */
  shape: [number, number];
  /** The plan as a dense `n × m` matrix (allocates `n · m` numbers). */
  toDense(): Matrix;
}
