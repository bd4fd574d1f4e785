/**
 * The backend this run tests (set per vitest project in vitest.config.ts). Every suite calls
 * `useBackend()` so that all calls without a `backend` option go to it.
 */
import * as ot from 'monge';
import { beforeAll, inject } from 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    backend: 'native' | 'wasm';
  }
}

export const backend = inject('backend');

/** Makes the backend under test the default for the suite. */
export function useBackend(): void {
  beforeAll(async () => {
    await ot.setBackend(backend);
  });
}

/** Relative difference, safe at zero. */
export function relDiff(a: number, b: number): number {
  return Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), 1e-300);
}

/** Runs `fn`, which must reject with a MongeError of `code`; returns the error. */
export async function rejectsWith(code: string, fn: () => Promise<unknown>): Promise<ot.MongeError> {
  try {
    await fn();
  } catch (err) {
    if (!(err instanceof ot.MongeError)) throw new Error(`expected MongeError ${code}, got ${String(err)}`);
    if (err.code !== code) throw new Error(`expected code ${code}, got ${err.code}: ${err.message}`);
    return err;
  }
  throw new Error(`expected MongeError ${code}, but the call succeeded`);
}
