import * as ot from 'monge';
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../scripts/random.mjs';
import fixtures from './fixtures/sinkhorn.json' with { type: 'json' };
import { backend, rejectsWith, relDiff, useBackend } from './helpers/backend.js';

interface DivergenceCase {
  name: string;
  x: number[][];
  y: number[][];
  a: number[] | null;
  b: number[] | null;
  metric: ot.Metric;
  reg: number;
  value: number;
}

function cloud(n: number, dim: number, seed: number, shift = 0): ot.PointCloud {
  const r = mulberry32(seed);
  return { data: Float64Array.from({ length: n * dim }, () => r() + shift), n, dim };
}

function positiveWeights(n: number, seed: number): Float64Array {
  const r = mulberry32(seed);
  const w = Float64Array.from({ length: n }, () => 0.2 + r());
  const total = w.reduce((s, v) => s + v, 0);
  return w.map((v) => v / total);
}

const tight = { tol: 1e-12, maxIter: 100_000 };

describe(`sinkhornDivergence [${backend}]`, () => {
  useBackend();

  it.each((fixtures.divergence as DivergenceCase[]).map((c) => [c.name, c] as const))(
    'matches the POT reference %s',
    async (_name, c) => {
      const r = await ot.sinkhornDivergence(c.x, c.y, {
        a: c.a ?? undefined,
        b: c.b ?? undefined,
        reg: c.reg,
        metric: c.metric,
        ...tight,
      });
      expect(r.converged).toBe(true);
      expect(Math.abs(r.value - c.value)).toBeLessThanOrEqual(1e-8 * Math.max(Math.abs(c.value), 1e-3));
    },
  );

  it('is zero on equal measures and positive otherwise', async () => {
    const x = cloud(40, 2, 1);
    const a = positiveWeights(40, 2);
    for (const metric of ['sqeuclidean', 'euclidean'] as const) {
      const same = await ot.sinkhornDivergence(x, x, { a, b: a, reg: 0.05, metric, ...tight });
      expect(Math.abs(same.value)).toBeLessThan(1e-9);
      for (let seed = 3; seed < 8; seed++) {
        const y = cloud(30, 2, seed, 0.1 * (seed - 3));
        const r = await ot.sinkhornDivergence(x, y, { a, reg: 0.05, metric, ...tight });
        expect(r.value).toBeGreaterThan(0);
      }
    }
  });

  it('has gradients that match central finite differences', async () => {
    const x = cloud(10, 2, 11);
    const y = cloud(14, 2, 12, 0.3);
    const a = positiveWeights(10, 13);
    const opts = { a, reg: 0.05, ...tight };
    const r = await ot.sinkhornDivergence(x, y, { ...opts, gradient: true });
    const [gradX, gradA] = [r.gradX!, r.gradA!];
    expect(gradX.length).toBe(20);
    const value = async (xs: Float64Array, ws: Float64Array) =>
      (await ot.sinkhornDivergence({ data: xs, n: 10, dim: 2 }, y, { ...opts, a: ws })).value;
    const h = 1e-6;
    const scaleX = Math.max(...gradX.map(Math.abs));
    for (const k of [0, 3, 19]) {
      const plus = x.data.slice();
      const minus = x.data.slice();
      plus[k]! += h;
      minus[k]! -= h;
      const fd = ((await value(plus as Float64Array, a)) - (await value(minus as Float64Array, a))) / (2 * h);
      expect(Math.abs(fd - gradX[k]!)).toBeLessThanOrEqual(1e-4 * scaleX);
    }
    // Weights live on the simplex: differentiate along a_i − a_j.
    const scaleA = Math.max(...gradA.map(Math.abs));
    for (const [i, j] of [
      [0, 1],
      [4, 9],
    ] as const) {
      const plus = a.slice();
      const minus = a.slice();
      plus[i]! += h;
      plus[j]! -= h;
      minus[i]! -= h;
      minus[j]! += h;
      const fd = ((await value(x.data as Float64Array, plus)) - (await value(x.data as Float64Array, minus))) / (2 * h);
      expect(Math.abs(fd - (gradA[i]! - gradA[j]!))).toBeLessThanOrEqual(1e-4 * scaleA);
    }
  });

  it('computes in float32 on request', async () => {
    const x = cloud(50, 3, 21);
    const y = cloud(60, 3, 22, 0.2);
    const r64 = await ot.sinkhornDivergence(x, y, { reg: 0.05, gradient: true });
    const r32 = await ot.sinkhornDivergence(x, y, { reg: 0.05, gradient: true, dtype: 'float32', tol: 1e-5 });
    expect(r32.dtype).toBe('float32');
    expect(relDiff(r32.value, r64.value)).toBeLessThan(1e-3);
    expect(r32.gradX).toBeInstanceOf(Float64Array);
  });

  it('rejects bad input', async () => {
    const x = [[0, 0]];
    for (const reg of [0, -1, Number.NaN]) {
      await rejectsWith('INVALID_INPUT', () => ot.sinkhornDivergence(x, x, { reg }));
    }
    await rejectsWith('SHAPE_MISMATCH', () => ot.sinkhornDivergence(x, [[0, 0, 0]], { reg: 1 }));
    await rejectsWith('NEGATIVE_WEIGHT', () => ot.sinkhornDivergence(x, x, { reg: 1, a: [-1] }));
    await rejectsWith('SHAPE_MISMATCH', () => ot.sinkhornDivergence(x, x, { reg: 1, b: [0.5, 0.5] }));
    await rejectsWith('NON_FINITE', () => ot.sinkhornDivergence([[0, Number.NaN]], x, { reg: 1 }));
    await rejectsWith('INVALID_INPUT', () =>
      ot.sinkhornDivergence(x, x, { reg: 1, dtype: 'int8' as ot.DivergenceOptions['dtype'] }),
    );
  });
});
