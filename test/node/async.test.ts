/**
 * The native Sinkhorn kernels and exact solvers run on Node's thread pool: a long solve must
 * leave the event loop free, and several solves may run at once.
 */
import * as ot from 'monge';
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../scripts/random.mjs';

function cloud(n: number, seed: number): ot.PointCloud {
  const r = mulberry32(seed);
  return { data: Float64Array.from({ length: 3 * n }, r), n, dim: 3 };
}

describe('native Sinkhorn runs off the JavaScript thread', () => {
  it('returns to the event loop during a solve', async () => {
    const cost = { x: cloud(3000, 1), y: cloud(3000, 2) };
    let settled = false;
    const pending = ot
      .sinkhorn(undefined, undefined, cost, { reg: 0.01, maxIter: 60, tol: 0, backend: 'native' })
      .then((r) => ((settled = true), r));
    // A solve on the JavaScript thread would settle (in microtasks) before this timer fires.
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(settled).toBe(false);
    expect((await pending).iterations).toBe(60);
  });

  it('runs concurrent solves and divergences with the same results as one at a time', async () => {
    const x = cloud(300, 3);
    const y = cloud(400, 4);
    const opts = { reg: 0.05, backend: 'native' as const };
    const alone = await ot.sinkhorn(undefined, undefined, { x, y }, opts);
    const together = await Promise.all([
      ot.sinkhorn(undefined, undefined, { x, y }, opts),
      ot.sinkhorn(undefined, undefined, { x, y }, { ...opts, dtype: 'float32' }),
      ot.sinkhornDivergence(x, y, { ...opts, gradient: true }),
      ot.sinkhorn(undefined, undefined, { x, y }, opts),
    ]);
    expect(together[0].cost).toBe(alone.cost);
    expect(together[3].f).toEqual(alone.f);
    expect(together[2].value).toBeGreaterThan(0);
  });

  it('rejects bad input with the usual MongeError', async () => {
    await expect(
      ot.sinkhorn(undefined, undefined, [[0, Number.NaN]], { reg: 1, backend: 'native' }),
    ).rejects.toMatchObject({
      name: 'MongeError',
      code: 'NON_FINITE',
    });
  });
});

describe('native exact solvers run off the JavaScript thread', () => {
  it('returns to the event loop while emd, linearSumAssignment and auction run', async () => {
    const M = await ot.dist(cloud(1500, 5), cloud(1500, 6));
    const solves: Array<() => Promise<unknown>> = [
      () => ot.emd(undefined, undefined, M, { maxIter: 1e8, backend: 'native' }),
      () => ot.linearSumAssignment(M, { backend: 'native' }),
      () => ot.auction(M, { backend: 'native' }),
    ];
    for (const solve of solves) {
      let settled = false;
      const pending = solve().then(() => (settled = true));
      // A solve on the JavaScript thread would finish (and its promise settle, in microtasks)
      // before this timer could fire; one on the thread pool is still running (each takes
      // milliseconds at this size).
      await new Promise((resolve) => setTimeout(resolve, 0));
      expect(settled).toBe(false);
      await pending;
      expect(settled).toBe(true);
    }
  });

  it('gives the same results concurrently as one at a time', async () => {
    const small = await ot.dist(cloud(200, 7), cloud(200, 8));
    const opts = { backend: 'native' as const };
    const alone = await ot.emd(undefined, undefined, small, opts);
    const lsa = await ot.linearSumAssignment(small, opts);
    const together = await Promise.all([
      ot.emd(undefined, undefined, small, opts),
      ot.linearSumAssignment(small, opts),
      ot.auction(small, opts),
      ot.emd(undefined, undefined, small, opts),
    ]);
    expect(together[0].cost).toBe(alone.cost);
    expect(together[3].u).toEqual(alone.u);
    expect(together[1].colInd).toEqual(lsa.colInd);
    expect(together[2].cost).toBeGreaterThanOrEqual(lsa.cost - 1e-12);
  });

  it('rejects bad input with the usual MongeError', async () => {
    await expect(
      ot.emd(
        [0.5, 0.5],
        [0.5, 0.5],
        [
          [0, Number.NaN],
          [1, 0],
        ],
        { backend: 'native' },
      ),
    ).rejects.toMatchObject({
      name: 'MongeError',
      code: 'NON_FINITE',
    });
  });
});
