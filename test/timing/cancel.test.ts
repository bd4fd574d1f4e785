/**
 * Long solves can be stopped and watched on every backend: an AbortSignal stops a running solve
 * (native: on the thread pool, at its next unit of work; WASM: at its next slice), `onProgress`
 * hears it at most about 10 times a second, and a WASM solve on the calling thread lets timers
 * fire while it runs. A solve that is not aborted gives the same bits however it was sliced.
 */
import * as ot from 'monge';
import { beforeAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../../scripts/random.mjs';
import { backend, rejectsWith, useBackend } from '../helpers/backend.js';

const now = (): number => performance.now();

function cloud(n: number, seed: number): ot.PointCloud {
  const r = mulberry32(seed);
  return { data: Float64Array.from({ length: 2 * n }, r), n, dim: 2 };
}

const cost = { x: cloud(800, 1), y: cloud(800, 2) };

/** How many Sinkhorn iterations on these clouds take a second here (measured in `beforeAll`). */
let ITERATIONS_PER_SECOND = 100;

/** A Sinkhorn solve that runs until aborted (or for about 4 seconds at most). */
function endless(options: Partial<ot.SinkhornOptions> = {}): Promise<ot.SinkhornResult> {
  const maxIter = Math.round(4 * ITERATIONS_PER_SECOND);
  return ot.sinkhorn(undefined, undefined, cost, { reg: 0.01, tol: 0, maxIter, ...options });
}

/** Aborts `controller` after `ms` and resolves with the time it did. */
function abortAfter(controller: AbortController, ms: number): Promise<number> {
  return new Promise((resolve) =>
    setTimeout(() => {
      const t = now();
      controller.abort(new Error('stop'));
      resolve(t);
    }, ms),
  );
}

describe(`cancellation and progress [${backend}]`, () => {
  useBackend();
  beforeAll(async () => {
    const started = now();
    await ot.sinkhorn(undefined, undefined, cost, { reg: 0.01, tol: 0, maxIter: 20 });
    ITERATIONS_PER_SECOND = Math.max(10, 20000 / (now() - started));
  });

  it('stops a running Sinkhorn solve soon after the abort', async () => {
    const controller = new AbortController();
    const aborted = abortAfter(controller, 100);
    const started = now();
    const e = await rejectsWith('ABORTED', () => endless({ signal: controller.signal }));
    const stopped = now();
    const at = await aborted;
    expect(e.cause).toBe(controller.signal.reason);
    // It ran until the abort, and stopped within 50 ms of it (a WASM slice is at most ~25 ms,
    // plus one advance; the margin covers a machine busy with the other test runs).
    expect(at - started).toBeGreaterThanOrEqual(90);
    expect(stopped - at).toBeLessThan(backend === 'native' ? 50 : 100);
  });

  it('stops emd, linearSumAssignment and auction too', async () => {
    const n = backend === 'native' ? 1500 : 600;
    const r = mulberry32(9);
    const M = { data: Float64Array.from({ length: n * n }, r), rows: n, cols: n };
    const calls: [string, (signal: AbortSignal) => Promise<unknown>][] = [
      ['emd', (signal) => ot.emd(undefined, undefined, M, { signal })],
      ['linearSumAssignment', (signal) => ot.linearSumAssignment(M, { signal })],
      ['auction', (signal) => ot.auction(M, { signal, epsilon: 1e-12 })],
    ];
    for (const [name, call] of calls) {
      const controller = new AbortController();
      const started = now();
      let settledAt = 0;
      const pending = call(controller.signal).then(
        () => ((settledAt = now()), 'resolved'),
        (err: unknown) => ((settledAt = now()), err instanceof ot.MongeError ? err.code : String(err)),
      );
      const at = await abortAfter(controller, 5);
      const outcome = await pending;
      // A solve may legitimately finish before the abort; if it was still running, it stops.
      if (settledAt > at) {
        expect(outcome, name).toBe('ABORTED');
        expect(settledAt - at, name).toBeLessThan(backend === 'native' ? 50 : 100);
      }
      expect(settledAt - started, name).toBeLessThan(5000);
    }
  });

  it('reports progress at most about 10 times a second, with rising iterations', async () => {
    const reports: ot.Progress[] = [];
    const times: number[] = [];
    const iterations = Math.round(0.6 * ITERATIONS_PER_SECOND);
    const started = now();
    const out = await endless({
      maxIter: iterations,
      tol: 1e-300, // never met, but measured: the progress carries the marginal error
      onProgress: (p) => {
        reports.push(p);
        times.push(now());
      },
    });
    const elapsed = now() - started;
    expect(out.iterations).toBe(iterations);
    expect(reports.length).toBeLessThanOrEqual(Math.ceil(elapsed / 100) + 1);
    if (elapsed > 300) expect(reports.length).toBeGreaterThanOrEqual(1);
    for (let k = 1; k < reports.length; k++) {
      expect(reports[k]!.iteration).toBeGreaterThan(reports[k - 1]!.iteration);
      expect(times[k]! - times[k - 1]!).toBeGreaterThanOrEqual(90);
    }
    for (const p of reports) {
      expect(p.iteration).toBeLessThanOrEqual(iterations);
      expect(typeof p.error).toBe('number');
    }
  });

  it('lets timers fire while a solve runs, and slicing does not change the result', async () => {
    let ticks = 0;
    let last = now();
    let longestGap = 0;
    const timer = setInterval(() => {
      const t = now();
      longestGap = Math.max(longestGap, t - last);
      last = t;
      ticks++;
    }, 5);
    const iterations = Math.round(0.4 * ITERATIONS_PER_SECOND);
    let busy: ot.SinkhornResult;
    const started = now();
    try {
      busy = await endless({ maxIter: iterations });
    } finally {
      clearInterval(timer);
    }
    const elapsed = now() - started;
    // The timer kept firing during the solve: never held off by much more than one slice.
    expect(ticks).toBeGreaterThanOrEqual(Math.floor(elapsed / 100));
    if (elapsed > 200) expect(longestGap).toBeLessThan(backend === 'native' ? 100 : 150);
    // The same solve with the event loop quiet is sliced differently: same bits.
    const quiet = await endless({ maxIter: iterations });
    expect(quiet.f).toEqual(busy.f);
    expect(quiet.cost).toBe(busy.cost);
  });

  it('rejects a progress listener that is not a function', async () => {
    await rejectsWith('INVALID_INPUT', () =>
      ot.sinkhorn(undefined, undefined, [[0]], { reg: 1, onProgress: 3 as unknown as () => void }),
    );
  });
});
