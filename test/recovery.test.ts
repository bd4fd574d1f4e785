/**
 * A Rust panic must neither kill the process (native: caught at the binding) nor leave the
 * WASM instance unusable (a trap schedules a fresh instance). The kernels are loaded from the
 * TypeScript sources here, since the panic hook is not part of the public API.
 */
import { describe, expect, it } from 'vitest';
import type { Backend } from '../ts/backends/kernels.js';
import { fromBackendError } from '../ts/errors.js';
import { backend } from './helpers/backend.js';

async function load(): Promise<Backend> {
  if (backend === 'native') {
    const { createRequire } = await import('node:module');
    const binding = createRequire(import.meta.url)('../native/index.cjs') as typeof import('../native/index.cjs');
    const control = new binding.SolveControl();
    return {
      kernels: {
        wasserstein1d: (args) => binding.wasserstein1d(args, control),
        emd1d: (args) => binding.emd1d(args, control),
      },
      panicForTests: binding.panicForTests,
    };
  }
  const { loadWasm } = await import('../ts/backends/wasm.js');
  if (typeof process !== 'undefined' && process.versions?.node !== undefined && typeof window === 'undefined') {
    const { readFile } = await import('node:fs/promises');
    return loadWasm(() => readFile(new URL('../wasm/monge_wasm_bg.wasm', import.meta.url)));
  }
  return loadWasm(() => fetch(new URL('../wasm/monge_wasm_bg.wasm', import.meta.url)));
}

describe(`panic recovery [${backend}]`, () => {
  it('turns a panic into an INTERNAL error and keeps working', async () => {
    const { kernels: k, panicForTests } = await load();
    const args = { u: new Float64Array([0, 1]), v: new Float64Array([2, 3]), p: 1 };
    expect((await k.wasserstein1d!(args, {})).value).toBe(2);
    for (let round = 0; round < 3; round++) {
      let thrown: unknown;
      try {
        panicForTests!();
      } catch (err) {
        thrown = err;
      }
      expect(thrown).toBeDefined();
      const e = fromBackendError(thrown, backend);
      expect(e.code).toBe('INTERNAL');
      expect(e.details).toEqual({ backend });
      // The very next call, with arguments, computes correctly.
      expect((await k.wasserstein1d!(args, {})).value).toBe(2);
      expect((await k.emd1d!({ ...args, p: 2 }, {})).cost).toBe(4);
    }
  });
});
