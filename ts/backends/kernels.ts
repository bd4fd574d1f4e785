/**
 * The surface every compute backend offers: the Rust core's functions on flat typed arrays,
 * exactly as the bindings (`crates/monge-node`, `crates/monge-wasm`) export them. Arguments are
 * already converted and structurally checked by the solvers; the core checks the numbers.
 */

/** The result of the `emd1d` kernel. */
export interface Emd1dKernelResult {
  cost: number;
  rows: Int32Array;
  cols: Int32Array;
  values: Float64Array;
}

/** The result of the `emd` kernel. */
export interface EmdKernelResult {
  cost: number;
  rows: Int32Array;
  cols: Int32Array;
  values: Float64Array;
  u: Float64Array;
  v: Float64Array;
  dualGap: number;
  iterations: number;
  status: string;
}

/** The result of the `linearSumAssignment` kernel. */
export interface AssignmentKernelResult {
  rowInd: Int32Array;
  colInd: Int32Array;
  cost: number;
}

/** The result of the `auction` kernel. */
export interface AuctionKernelResult extends AssignmentKernelResult {
  prices: Float64Array;
  gapBound: number;
}

/** The result of the `sinkhorn64` / `sinkhorn32` kernels. */
export interface SinkhornKernelResult<A extends Float64Array | Float32Array> {
  f: A;
  g: A;
  cost: number;
  objective: number;
  plan?: A | null | undefined;
  iterations: number;
  marginalError: number;
  converged: boolean;
}

/** Arguments shared by both Sinkhorn kernels after the cost matrix (`matrix` or the clouds). */
export type SinkhornKernel<A extends Float64Array | Float32Array> = (
  a: Float64Array | undefined,
  b: Float64Array | undefined,
  matrix: A | undefined,
  rows: number,
  cols: number,
  x: Float64Array | undefined,
  y: Float64Array | undefined,
  dim: number,
  metric: string,
  p: number,
  reg: number,
  maxIter: number,
  tol: number,
  epsScaling: boolean,
  returnPlan: boolean,
  threads: number,
  /** The marginal relaxation of an unbalanced problem; `undefined` for a balanced one. */
  regM: number | undefined,
) => SinkhornKernelResult<A> | Promise<SinkhornKernelResult<A>>;

/** The result of the `sinkhornDivergence` kernel. */
export interface DivergenceKernelResult {
  value: number;
  gradX?: Float64Array | null | undefined;
  gradA?: Float64Array | null | undefined;
  iterations: number;
  converged: boolean;
}

/**
 * The kernels of one backend. Errors are thrown as the core's JSON messages. The native Sinkhorn
 * kernels run on Node's thread pool and return promises (rejected the same way).
 */
export interface Kernels {
  dist(
    x: Float64Array,
    n: number,
    xDim: number,
    y: Float64Array,
    m: number,
    yDim: number,
    metric: string,
    p: number,
  ): Float64Array;
  wasserstein1d(
    u: Float64Array,
    v: Float64Array,
    uWeights: Float64Array | undefined,
    vWeights: Float64Array | undefined,
    p: number,
  ): number;
  emd1d(
    u: Float64Array,
    v: Float64Array,
    uWeights: Float64Array | undefined,
    vWeights: Float64Array | undefined,
    p: number,
  ): Emd1dKernelResult;
  slicedWasserstein(
    x: Float64Array,
    n: number,
    xDim: number,
    y: Float64Array,
    m: number,
    yDim: number,
    a: Float64Array | undefined,
    b: Float64Array | undefined,
    nProjections: number,
    p: number,
    seed: number,
    projections: Float64Array | undefined,
  ): number;
  emd(a: Float64Array, b: Float64Array, cost: Float64Array, maxIter: number): EmdKernelResult | Promise<EmdKernelResult>;
  linearSumAssignment(
    cost: Float64Array,
    rows: number,
    cols: number,
    maximize: boolean,
  ): AssignmentKernelResult | Promise<AssignmentKernelResult>;
  auction(
    cost: Float64Array,
    rows: number,
    cols: number,
    maximize: boolean,
    epsilon: number | undefined,
    scaling: number,
  ): AuctionKernelResult | Promise<AuctionKernelResult>;
  sinkhorn64: SinkhornKernel<Float64Array>;
  sinkhorn32: SinkhornKernel<Float32Array>;
  sinkhornDivergence(
    x: Float64Array,
    y: Float64Array,
    n: number,
    m: number,
    dim: number,
    a: Float64Array | undefined,
    b: Float64Array | undefined,
    metric: string,
    p: number,
    reg: number,
    maxIter: number,
    tol: number,
    epsScaling: boolean,
    threads: number,
    gradient: boolean,
    float32: boolean,
  ): DivergenceKernelResult | Promise<DivergenceKernelResult>;
  /** Panics inside Rust on purpose: the tests prove a panic is survivable. */
  panicForTests(): void;
}
