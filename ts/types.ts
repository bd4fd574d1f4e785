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

/**
 * A backend choice: a name, or `'auto'` for the best backend that loads here and suits the
 * operation and its size (see `listBackends`).
 */
export type BackendChoice = 'auto' | BackendName;

/** Where a running solve stands, as `onProgress` hears it. */
export interface Progress {
  /** Units of work done: iterations (Sinkhorn family), pivots (`emd`), augmenting paths (`linearSumAssignment`), bids (`auction`). */
  iteration: number;
  /** The solver's error measure, when it has one: the marginal error (Sinkhorn family), `ε` times the bidders (`auction`). */
  error?: number;
}

/** Options every solver takes. */
export interface CallOptions {
  /**
   * Which backend computes this call: a name, an ordered list of preferences (the first that
   * loads and offers the operation runs it), or `'auto'`. Default: the one chosen by
   * `setBackend` or `ready`, or the next best when it does not offer the operation.
   */
  backend?: BackendChoice | readonly BackendName[];
  /**
   * Aborts the call: the promise rejects with a `MongeError` of code `ABORTED`. A running solve
   * stops within one unit of work (an iteration, a pivot, an augmenting path; on WASM, within
   * the current slice of at most a few tens of milliseconds).
   */
  signal?: AbortSignal;
  /** Hears the solve's progress while it runs, at most about 10 times a second. */
  onProgress?: (progress: Progress) => void;
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
