/**
 * Native and WASM run the same Rust code with the same arithmetic (a pure-Rust libm, no FMA
 * contraction, results reduced in a fixed order), so they must agree bit for bit.
 */
import * as ot from 'monge';
import { describe, expect, it } from 'vitest';
import { mulberry32 as rng } from '../../scripts/random.mjs';
import { relDiff } from '../helpers/backend.js';

function sample(n: number, seed: number): Float64Array {
  const r = rng(seed);
  return Float64Array.from({ length: n }, () => (r() - 0.5) * 10);
}

function weights(n: number, seed: number): Float64Array {
  const r = rng(seed);
  return Float64Array.from({ length: n }, () => (r() < 0.1 ? 0 : r()));
}

const both = async <T>(f: (backend: ot.BackendName) => Promise<T>): Promise<[T, T]> => [
  await f('native'),
  await f('wasm'),
];

describe('native and WASM agree exactly', () => {
  it.each([
    [1, 1, 1],
    [17, 5, 1.5],
    [1000, 777, 2],
    [4096, 4096, 3],
  ])('1-D n=%i m=%i p=%f', async (n, m, p) => {
    const u = sample(n, n);
    const v = sample(m, m + 1);
    const opts = { uWeights: weights(n, 3), vWeights: weights(m, 4), p };
    const [wn, ww] = await both((backend) => ot.wasserstein1d(u, v, { ...opts, backend }));
    expect(ww).toBe(wn);
    const [en, ew] = await both((backend) => ot.emd1d(u, v, { ...opts, backend }));
    expect(ew.cost).toBe(en.cost);
    expect(ew.plan.rows).toEqual(en.plan.rows);
    expect(ew.plan.cols).toEqual(en.plan.cols);
    expect(ew.plan.values).toEqual(en.plan.values);
  });

  it.each(['sqeuclidean', 'euclidean', 'cityblock', 'minkowski'] as const)('dist %s', async (metric) => {
    const x = { data: sample(60 * 4, 1), n: 60, dim: 4 };
    const y = { data: sample(45 * 4, 2), n: 45, dim: 4 };
    const [dn, dw] = await both((backend) => ot.dist(x, y, { metric, p: 2.5, backend }));
    expect(dw.data).toEqual(dn.data);
  });

  it.each([
    [1, 1],
    [30, 70],
    [200, 200],
  ])('emd %ix%i', async (n, m) => {
    const M = { data: sample(n * m, n + 7).map(Math.abs), rows: n, cols: m };
    const a = weights(n, 1);
    const b = weights(m, 2).map((x) => x * (a.reduce((s, y) => s + y, 0) / weights(m, 2).reduce((s, y) => s + y, 0)));
    const [en, ew] = await both((backend) => ot.emd(a, b, M, { backend }));
    expect(ew.cost).toBe(en.cost);
    expect(ew.plan.values).toEqual(en.plan.values);
    expect(ew.u).toEqual(en.u);
    expect(ew.iterations).toBe(en.iterations);
  });

  it.each([
    [1, 1],
    [40, 40],
    [300, 300],
    [120, 200],
    [200, 120],
  ])('linearSumAssignment %ix%i', async (rows, cols) => {
    const data = sample(rows * cols, rows + cols).map((x) => Math.round(x));
    const M = { data, rows, cols };
    const [an, aw] = await both((backend) => ot.linearSumAssignment(M, { backend }));
    expect(aw.cost).toBe(an.cost);
    expect(aw.rowInd).toEqual(an.rowInd);
    expect(aw.colInd).toEqual(an.colInd);
    if (rows <= cols) {
      const [un, uw] = await both((backend) => ot.auction(M, { backend }));
      expect(uw.cost).toBe(un.cost);
      expect(uw.colInd).toEqual(un.colInd);
      expect(uw.prices).toEqual(un.prices);
      expect(un.cost).toBe(an.cost);
    }
  });

  it.each([
    [2, 500, 300, 1],
    [3, 2000, 2000, 2],
    [7, 100, 900, 3],
  ])('slicedWasserstein d=%i n=%i m=%i p=%f', async (dim, n, m, p) => {
    const x = { data: sample(n * dim, 10), n, dim };
    const y = { data: sample(m * dim, 11), n: m, dim };
    const opts = { a: weights(n, 5), b: weights(m, 6), p, nProjections: 64, seed: 1234 };
    const [sn, sw] = await both((backend) => ot.slicedWasserstein(x, y, { ...opts, backend }));
    expect(sw).toBe(sn);
  });
});

/**
 * Sinkhorn's kernels are compiled per instruction set (AVX-512 or AVX2 with fused multiply-adds
 * natively, SIMD128 without in WASM), so the backends agree to rounding, not bit for bit.
 */
describe('native and WASM Sinkhorn agree to rounding', () => {
  const maxRel = (x: ArrayLike<number>, y: ArrayLike<number>, scale: number) =>
    Array.from(x).reduce((m, v, k) => Math.max(m, Math.abs(v - y[k]!)), 0) / scale;

  it.each([
    ['float64', 1e-10],
    ['float32', 1e-5],
  ] as const)('%s, dense and point clouds', async (dtype, tolerance) => {
    const x = { data: sample(300 * 3, 20).map((v) => v / 10), n: 300, dim: 3 };
    const y = { data: sample(500 * 3, 21).map((v) => v / 10), n: 500, dim: 3 };
    const a = weights(300, 22).map((w) => w + 0.01);
    const M = await ot.dist(x, y);
    for (const cost of [M, { x, y }]) {
      for (const epsScaling of [false, true]) {
        // float32 stops on a fixed count: its marginal error has rounding noise near 1e-7, which
        // could move a tolerance crossing by an iteration between backends.
        const tol = dtype === 'float64' ? 1e-7 : 0;
        const opts = { reg: 0.05, maxIter: dtype === 'float64' ? 200 : 60, tol, dtype, epsScaling, returnPlan: true };
        const [rn, rw] = await both((backend) => ot.sinkhorn(a, undefined, cost, { ...opts, backend }));
        expect(rn.dtype).toBe(dtype);
        expect(rw.iterations).toBe(rn.iterations);
        expect(relDiff(rw.cost, rn.cost)).toBeLessThan(tolerance);
        expect(relDiff(rw.objective, rn.objective)).toBeLessThan(tolerance);
        const scale = Math.max(...Array.from(rn.f).map(Math.abs), 1e-3);
        expect(maxRel(rw.f, rn.f, scale)).toBeLessThan(tolerance);
        expect(maxRel(rw.g, rn.g, scale)).toBeLessThan(tolerance);
        const planScale = Array.from(rn.plan!.data).reduce((m, v) => Math.max(m, v), 0);
        expect(maxRel(rw.plan!.data, rn.plan!.data, planScale)).toBeLessThan(tolerance);
      }
    }
  });
});
