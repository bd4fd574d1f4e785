/**
 * monge: optimal transport for JavaScript and TypeScript.
 *
 * The public API, shared by the Node and browser entry points (which differ only in the
 * backends they register). Names follow POT in camelCase.
 */
export { MongeError } from './errors.js';
export type { MongeErrorCode, MongeErrorDetails } from './errors.js';
export type {
  BackendChoice,
  BackendName,
  CallOptions,
  Matrix,
  MatrixLike,
  PointCloud,
  PointCloudLike,
  Progress,
  SparsePlan,
  Vector,
} from './types.js';
export { ready, setBackend, getBackend, listBackends } from './registry.js';
export type { BackendInfo } from './registry.js';
export type { Op as Operation } from './backends/kernels.js';
export { dist } from './solvers/dist.js';
export type { CostMatrix, DistOptions, Metric } from './solvers/dist.js';
export { wasserstein1d, emd1d } from './solvers/oneD.js';
export type { Emd1dResult, OneDOptions } from './solvers/oneD.js';
export { slicedWasserstein } from './solvers/sliced.js';
export type { SlicedOptions } from './solvers/sliced.js';
export { linearSumAssignment, auction } from './solvers/assignment.js';
export type { AssignmentOptions, AssignmentResult, AuctionOptions, AuctionResult } from './solvers/assignment.js';
export { emd, emd2 } from './solvers/emd.js';
export type { EmdOptions, EmdResult } from './solvers/emd.js';
export { sinkhorn, sinkhorn2 } from './solvers/sinkhorn.js';
export type { CloudCost, SinkhornOptions, SinkhornResult } from './solvers/sinkhorn.js';
export { sinkhornDivergence } from './solvers/divergence.js';
export type { DivergenceOptions, DivergenceResult } from './solvers/divergence.js';
export { sinkhornUnbalanced } from './solvers/unbalanced.js';
export type { UnbalancedOptions } from './solvers/unbalanced.js';
