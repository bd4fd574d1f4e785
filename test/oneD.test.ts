import * as ot from 'monge';
import { describe, expect, it } from 'vitest';
import fixtures from './fixtures/one_d.json' with { type: 'json' };
import { backend, rejectsWith, relDiff, useBackend } from './helpers/backend.js';

interface Case {
  name: string;
  u: number[];
  v: number[];
  uWeights: number[] | null;
  vWeights: number[] | null;
  p: number;
  w: number;
  emdCost: number;
  exactCost: number;
}
const cases = fixtures.cases as Case[];
const opts = (c: Case) => ({ uWeights: c.uWeights ?? undefined, vWeights: c.vWeights ?? undefined, p: c.p });

/** Sums a sparse plan's rows and columns. */
function marginals(plan: ot.SparsePlan): [Float64Array, Float64Array] {
  const rows = new Float64Array(plan.shape[0]);
  const cols = new Float64Array(plan.shape[1]);
  plan.values.forEach((m, k) => {
    rows[plan.rows[k]!]! += m;
    cols[plan.cols[k]!]! += m;
  });
  return [rows, cols];
}

function normalized(w: number[] | null, n: number): number[] {
  if (w === null) return new Array<number>(n).fill(1 / n);
  const total = w.reduce((s, x) => s + x, 0);
  return w.map((x) => x / total);
}

describe(`wasserstein1d and emd1d against POT/scipy and exact values [${backend}]`, () => {
  useBackend();

  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const w = await ot.wasserstein1d(c.u, c.v, opts(c));
    expect(relDiff(w, c.w)).toBeLessThan(1e-12);
    const r = await ot.emd1d(c.u, c.v, opts(c));
    expect(r.backend).toBe(backend);
    expect(relDiff(r.cost, c.emdCost)).toBeLessThan(1e-12);
    // Against the exact rational value: tighter than POT itself gets (3e-14 at worst).
    expect(relDiff(r.cost, c.exactCost)).toBeLessThan(1e-13);
    expect(relDiff(w ** c.p, c.exactCost)).toBeLessThan(1e-13);
    // The plan is a transport plan between the normalised measures, as sparse as a tree.
    expect(r.plan.values.length).toBeLessThanOrEqual(c.u.length + c.v.length - 1);
    const [rows, cols] = marginals(r.plan);
    normalized(c.uWeights, c.u.length).forEach((a, i) => expect(Math.abs(rows[i]! - a)).toBeLessThan(1e-14));
    normalized(c.vWeights, c.v.length).forEach((b, j) => expect(Math.abs(cols[j]! - b)).toBeLessThan(1e-14));
    // Its cost is the reported cost.
    let cost = 0;
    r.plan.values.forEach((m, k) => (cost += m * Math.abs(c.u[r.plan.rows[k]!]! - c.v[r.plan.cols[k]!]!) ** c.p));
    expect(relDiff(cost, r.cost)).toBeLessThan(1e-12);
  });
});

describe(`1-D API behaviour [${backend}]`, () => {
  useBackend();

  it('runs the README examples', async () => {
    expect(await ot.wasserstein1d([0, 1], [2, 3])).toBe(2);
    expect(await ot.wasserstein1d([0, 1], [0, 1], { vWeights: [1, 3], p: 2 })).toBeCloseTo(0.5, 15);
    const { cost, plan } = await ot.emd1d([1, 0], [0.5]);
    expect(cost).toBe(0.5);
    expect([...plan.rows]).toEqual([1, 0]);
    expect([...plan.cols]).toEqual([0, 0]);
    expect([...plan.values]).toEqual([0.5, 0.5]);
    expect(plan.shape).toEqual([2, 1]);
    const d = plan.toDense();
    expect([d.rows, d.cols, ...d.data]).toEqual([2, 1, 0.5, 0.5]);
  });

  it('refuses a dense plan too large to allocate', async () => {
    const big = Float64Array.from({ length: 40000 }, (_, i) => i);
    const { plan } = await ot.emd1d(big, big);
    expect(plan.values.length).toBe(40000);
    try {
      plan.toDense();
      throw new Error('toDense should have failed');
    } catch (e) {
      expect(e).toBeInstanceOf(ot.MongeError);
      expect((e as ot.MongeError).code).toBe('TOO_LARGE');
      expect((e as ot.MongeError).details).toMatchObject({ shape: [40000, 40000] });
    }
  });

  it('accepts Float32Array, Float64Array and plain arrays alike, and never mutates inputs', async () => {
    const u = new Float64Array([3, 1, 2]);
    const v = new Float32Array([0.5, 2.5, 1.5]);
    const w64 = await ot.wasserstein1d(u, v, { p: 2 });
    const w32 = await ot.wasserstein1d([3, 1, 2], [0.5, 2.5, 1.5], { p: 2 });
    expect(w64).toBe(w32);
    expect([...u]).toEqual([3, 1, 2]);
    expect([...v]).toEqual([0.5, 2.5, 1.5]);
  });

  it('rejects bad input with typed errors', async () => {
    let e = await rejectsWith('NON_FINITE', () => ot.wasserstein1d([0, NaN], [1]));
    expect(e.details).toMatchObject({ argument: 'u', index: 1 });
    e = await rejectsWith('NON_FINITE', () => ot.emd1d([0], [1], { vWeights: [Infinity] }));
    expect(e.details).toMatchObject({ argument: 'vWeights', index: 0 });
    e = await rejectsWith('NEGATIVE_WEIGHT', () => ot.wasserstein1d([0, 1], [1], { uWeights: [1, -2] }));
    expect(e.details).toMatchObject({ argument: 'uWeights', index: 1, value: -2 });
    await rejectsWith('INVALID_INPUT', () => ot.wasserstein1d([0, 1], [1], { uWeights: [0, 0] }));
    e = await rejectsWith('SHAPE_MISMATCH', () => ot.wasserstein1d([0, 1], [1], { uWeights: [1] }));
    expect(e.details).toMatchObject({ argument: 'uWeights', expected: 2, actual: 1 });
    e = await rejectsWith('INVALID_INPUT', () => ot.wasserstein1d([], [1]));
    expect(e.details).toMatchObject({ argument: 'u' });
    await rejectsWith('INVALID_INPUT', () => ot.emd1d([0], [1], { p: 0.5 }));
    await rejectsWith('INVALID_INPUT', () => ot.emd1d([0], [1], { p: NaN }));
    await rejectsWith('INVALID_INPUT', () => ot.wasserstein1d([0, '1' as unknown as number], [1]));
    await rejectsWith('INVALID_INPUT', () => ot.wasserstein1d('abc' as unknown as number[], [1]));
    await rejectsWith('INVALID_INPUT', () => ot.wasserstein1d([0], [1], { p: '2' as unknown as number }));
  });
});
