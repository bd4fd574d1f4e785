/**
 * The WebAssembly backend: the module built from `crates/monge-wasm` by wasm-pack (SIMD128).
 *
 * Copies: wasm-bindgen copies each argument once into the module's memory and each result once
 * out into a fresh typed array.
 *
 * Panics: the module aborts on panic, which traps the instance (`WebAssembly.RuntimeError`).
 * The Rust side has already scheduled a fresh instance; calling the argument-free
 * `recoverAfterTrap` export makes the swap happen before the next real call.
 */
import init, * as glue from '../../wasm/monge_wasm.js';
import type { Kernels } from './kernels.js';

/** Where the module's bytes come from: a `Response` (streaming compile) or raw bytes. */
export type WasmSource = () => Promise<Response | BufferSource>;

function recovering<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R {
  return (...args: A): R => {
    try {
      return fn(...args);
    } catch (err) {
      if (err instanceof WebAssembly.RuntimeError) glue.recoverAfterTrap();
      throw err;
    }
  };
}

/** Instantiates the module and wraps its exports as kernels. */
export async function loadWasm(source: WasmSource): Promise<Kernels> {
  if (typeof WebAssembly !== 'object') throw new Error('this JavaScript engine has no WebAssembly');
  await init({ module_or_path: await source() });
  return {
    dist: recovering(glue.dist),
    wasserstein1d: recovering(glue.wasserstein1d),
    emd1d: recovering((u, v, uWeights, vWeights, p) => {
      // The module returns a handle to Rust memory: copy its fields out, then free it.
      const r = glue.emd1d(u, v, uWeights, vWeights, p);
      try {
        return { cost: r.cost, rows: r.rows, cols: r.cols, values: r.values };
      } finally {
        r.free();
      }
    }),
    slicedWasserstein: recovering(glue.slicedWasserstein),
    auction: recovering((cost, rows, cols, maximize, epsilon, scaling) => {
      const r = glue.auction(cost, rows, cols, maximize, epsilon, scaling);
      try {
        return { rowInd: r.rowInd, colInd: r.colInd, cost: r.cost, prices: r.prices, gapBound: r.gapBound };
      } finally {
        r.free();
      }
    }),
    emd: recovering((a, b, cost, maxIter) => {
      const r = glue.emd(a, b, cost, maxIter);
      try {
        const { cost: total, rows, cols, values, u, v, dualGap, iterations, status } = r;
        return { cost: total, rows, cols, values, u, v, dualGap, iterations, status };
      } finally {
        r.free();
      }
    }),
    linearSumAssignment: recovering((cost, rows, cols, maximize) => {
      const r = glue.linearSumAssignment(cost, rows, cols, maximize);
      try {
        return { rowInd: r.rowInd, colInd: r.colInd, cost: r.cost };
      } finally {
        r.free();
      }
    }),
    sinkhorn64: recovering((...args: Parameters<typeof glue.sinkhorn64>) => {
      const r = glue.sinkhorn64(...args);
      try {
        const { f, g, cost, objective, plan, iterations, marginalError, converged } = r;
        return { f, g, cost, objective, plan, iterations, marginalError, converged };
      } finally {
        r.free();
      }
    }),
    sinkhorn32: recovering((...args: Parameters<typeof glue.sinkhorn32>) => {
      const r = glue.sinkhorn32(...args);
      try {
        const { f, g, cost, objective, plan, iterations, marginalError, converged } = r;
        return { f, g, cost, objective, plan, iterations, marginalError, converged };
      } finally {
        r.free();
      }
    }),
    sinkhornDivergence: recovering((...args: Parameters<typeof glue.sinkhornDivergence>) => {
      const r = glue.sinkhornDivergence(...args);
      try {
        const { value, gradX, gradA, iterations, converged } = r;
        return { value, gradX, gradA, iterations, converged };
      } finally {
        r.free();
      }
    }),
    panicForTests: recovering(glue.panicForTests),
  };
}
