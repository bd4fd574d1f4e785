/**
 * The surface every compute backend offers: the ops declared once, for both bindings, in
 * `crates/surface.rs`. Their argument and result types are read from the declarations napi-rs
 * generates from that table (`native/index.d.cts`), not written again here; the WASM module
 * takes and returns the same objects. Arguments are already converted and structurally
 * checked by the solvers; the core checks the numbers.
 */
import type * as Surface from '../../native/index.cjs';
import type { Progress } from '../types.js';

type Exports = typeof Surface;

/** The names of the ops: the binding's functions that take an argument object and a control. */
export type Op = {
  [K in keyof Exports]: Exports[K] extends (args: never, control: Surface.SolveControl) => Promise<unknown> ? K : never;
}[keyof Exports];

/** The argument object of op `K`. */
export type ArgsOf<K extends Op> = Exports[K] extends (args: infer A, control: never) => unknown ? A : never;

/** The result object of op `K`. */
export type ResultOf<K extends Op> = Exports[K] extends (...args: never[]) => Promise<infer R> ? R : never;

export type { Progress };

/** How a caller steers a running solve. */
export interface Job {
  /** Stops the solve; the kernel then rejects with the core's `ABORTED` error. */
  signal?: AbortSignal | undefined;
  /** Hears the progress, at most about 10 times a second. */
  onProgress?: ((progress: Progress) => void) | undefined;
}

/** One op as a backend runs it. Errors are thrown as the core's JSON messages. */
export type Kernel<K extends Op> = (args: ArgsOf<K>, job: Job) => Promise<ResultOf<K>>;

/** The ops of one backend: a backend may offer only some. */
export type Kernels = { [K in Op]?: Kernel<K> };

/** A loaded backend: its ops, and a deliberate panic for the tests. */
export interface Backend {
  kernels: Kernels;
  /** Panics inside Rust on purpose: the tests prove a panic is survivable. */
  panicForTests?(): void;
}

/** How often progress is reported, at most (ms). */
export const PROGRESS_INTERVAL_MS = 100;

/** The `ABORTED` error in the core's wire format, for kernels that stop before the core does. */
export function abortedError(): Error {
  return new Error('{"code":"ABORTED","message":"the solve was aborted","details":{}}');
}
