import * as ot from 'monge';
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../scripts/random.mjs';
import fixtures from './fixtures/sinkhorn.json' with { type: 'json' };
import { backend, rejectsWith, relDiff, useBackend } from './helpers/backend.js';

/** `n` uniform points in the unit cube of dimension `dim`, as a point cloud. */
function cloud(n: number, dim: number, seed: number): ot.PointCloud {
  const r = mulberry32(seed);
  return { data: Float64Array.from({ length: n * dim }, r), n, dim };
}

function positiveWeights(n: number, seed: number): Float64Array {
  const r = mulberry32(seed);
  return Float64Array.from({ length: n }, () => 0.2 + r());
}

/** Row and column sums of a dense plan. */
function marginals(plan: ot.Matrix): [Float64Array, Float64Array] {
  const rows = new Float64Array(plan.rows);
  const cols = new Float64Array(plan.cols);
  for (let i = 0; i < plan.rows; i++) {
    for (let j = 0; j < plan.cols; j++) {
      const p = plan.data[i * plan.cols + j]!;
      rows[i]! += p;
      cols[j]! += p;
    }
  }
  return [rows, cols];
}

const l1 = (x: ArrayLike<number>, y: ArrayLike<number>) =>
  Array.from(x).reduce((s, v, k) => s + Math.abs(v - y[k]!), 0);
const normalised = (w: Float64Array) => w.map((v) => v / w.reduce((s, x) => s + x, 0));

interface Case {
  name: string;
  a: number[] | null;
  b: number[] | null;
  M: number[][];
  x: number[][] | null;
  y: number[][] | null;
  metric: ot.Metric | null;
  reg: number;
  regRelative: number;
  cost: number;
  objective: number;
  f: number[];
  g: number[];
}

/** Potentials are defined up to f + c, g − c: fix c so that f has mean zero. */
function centred(f: ArrayLike<number>, g: ArrayLike<number>): [number[], number[]] {
  const c = Array.from(f).reduce((s, v) => s + v, 0) / f.length;
  return [Array.from(f, (v) => v - c), Array.from(g, (v) => v + c)];
}

const maxAbsDiff = (x: number[], y: number[]) => x.reduce((m, v, k) => Math.max(m, Math.abs(v - y[k]!)), 0);

describe(`sinkhorn against POT sinkhorn_log [${backend}]`, () => {
  useBackend();
  const cases = (fixtures.cases as Case[]).map((c) => [c.name, c] as const);

  it.each(cases)('%s (float64)', async (_name, c) => {
    const opts = { reg: c.reg, tol: 1e-11, maxIter: 2_000_000, epsScaling: c.regRelative < 0.01 };
    const costs: (ot.MatrixLike | ot.CloudCost)[] = [c.M];
    if (c.x && c.y && c.metric) costs.push({ x: c.x, y: c.y, metric: c.metric });
    const scale = Math.max(...c.M.flat().map(Math.abs), 1e-300);
    for (const M of costs) {
      const r = await ot.sinkhorn(c.a ?? undefined, c.b ?? undefined, M, opts);
      expect(r.converged).toBe(true);
      expect(relDiff(r.cost, c.cost)).toBeLessThan(1e-8);
      expect(relDiff(r.objective, c.objective)).toBeLessThan(1e-8);
      const [f, g] = centred(r.f, r.g);
      const [fRef, gRef] = centred(c.f, c.g);
      expect(maxAbsDiff(f, fRef) / scale).toBeLessThan(1e-6);
      expect(maxAbsDiff(g, gRef) / scale).toBeLessThan(1e-6);
    }
  });

  it.each(cases)('%s (float32)', async (_name, c) => {
    const opts = {
      reg: c.reg,
      tol: 1e-5,
      maxIter: 200_000,
      epsScaling: c.regRelative < 0.01,
      dtype: 'float32' as const,
    };
    const r = await ot.sinkhorn(c.a ?? undefined, c.b ?? undefined, c.M, opts);
    expect(r.f).toBeInstanceOf(Float32Array);
    expect(relDiff(r.cost, c.cost)).toBeLessThan(1e-4);
  });
});

describe(`sinkhorn behaviour [${backend}]`, () => {
  useBackend();

  it('runs the documented examples', async () => {
    const r = await ot.sinkhorn(
      undefined,
      undefined,
      [
        [0, 1],
        [1, 0],
      ],
      { reg: 0.1 },
    );
    expect(r.backend).toBe(backend);
    expect(r.dtype).toBe('float64');
    expect(r.converged).toBe(true);
    expect(relDiff(r.cost, 4.5397868702434395e-5)).toBeLessThan(1e-9);
    expect(
      await ot.sinkhorn2(
        undefined,
        undefined,
        [
          [0, 1],
          [1, 0],
        ],
        { reg: 0.1 },
      ),
    ).toBe(r.cost);
    const s = await ot.sinkhorn(
      undefined,
      undefined,
      {
        x: [
          [0, 0],
          [1, 1],
        ],
        y: [[0, 1]],
      },
      { reg: 0.05, dtype: 'float32' },
    );
    expect(s.f).toBeInstanceOf(Float32Array);
    expect(s.cost).toBeCloseTo(1, 6);
  });

  it.each(['float64', 'float32'] as const)(
    'returns a plan with the reported marginal error and cost (%s)',
    async (dtype) => {
      const x = cloud(40, 2, 1);
      const y = cloud(30, 2, 2);
      const a = positiveWeights(40, 3);
      const b = positiveWeights(30, 4);
      const M = await ot.dist(x, y);
      const r = await ot.sinkhorn(a, b, M, {
        reg: 0.05,
        returnPlan: true,
        dtype,
        tol: dtype === 'float64' ? 1e-10 : 1e-5,
      });
      expect(r.converged).toBe(true);
      expect(r.plan!.data).toBeInstanceOf(dtype === 'float64' ? Float64Array : Float32Array);
      const [rows, cols] = marginals(r.plan!);
      const tolerance = dtype === 'float64' ? 1e-12 : 1e-5;
      expect(Math.abs(l1(rows, normalised(a)) + l1(cols, normalised(b)) - r.marginalError)).toBeLessThan(tolerance);
      const cost = Array.from(r.plan!.data).reduce((s, p, k) => s + p * M.data[k]!, 0);
      expect(relDiff(cost, r.cost)).toBeLessThan(dtype === 'float64' ? 1e-12 : 1e-5);
      // The plan is a_i b_j exp((f_i + g_j - M_ij) / reg).
      const [an, bn] = [normalised(a), normalised(b)];
      const k = 7 * 30 + 11;
      const expected = an[7]! * bn[11]! * Math.exp((r.f[7]! + r.g[11]! - M.data[k]!) / 0.05);
      expect(relDiff(r.plan!.data[k]!, expected)).toBeLessThan(dtype === 'float64' ? 1e-10 : 1e-4);
    },
  );

  it('runs exactly maxIter iterations with tol 0, and reports non-convergence', async () => {
    const M = await ot.dist(cloud(20, 2, 5), cloud(25, 2, 6));
    const r = await ot.sinkhorn(undefined, undefined, M, { reg: 0.001, maxIter: 7, tol: 0 });
    expect(r.iterations).toBe(7);
    expect(r.converged).toBe(false);
    const s = await ot.sinkhorn(undefined, undefined, M, { reg: 0.001, maxIter: 3, tol: 1e-9 });
    expect([s.iterations, s.converged]).toEqual([3, false]);
    expect(s.marginalError).toBeGreaterThan(1e-9);
  });

  it.each(['float64', 'float32'] as const)('stays finite at reg = 1e-4 of the cost scale (%s)', async (dtype) => {
    const x = cloud(60, 2, 7);
    const y = cloud(50, 2, 8);
    const M = await ot.dist(x, y);
    const scale = Math.max(...M.data);
    for (const epsScaling of [false, true]) {
      const r = await ot.sinkhorn(undefined, undefined, M, { reg: 1e-4 * scale, maxIter: 300, dtype, epsScaling });
      for (const v of [...r.f, ...r.g, r.cost, r.objective, r.marginalError]) expect(Number.isFinite(v)).toBe(true);
      const p = await ot.sinkhorn(
        undefined,
        undefined,
        { x, y },
        { reg: 1e-4 * scale, maxIter: 300, dtype, epsScaling },
      );
      for (const v of [...p.f, ...p.g, p.cost]) expect(Number.isFinite(v)).toBe(true);
    }
  });

  it.each(['sqeuclidean', 'euclidean', 'cityblock', 'minkowski'] as const)(
    'gives the same result on a matrix and on point clouds (%s)',
    async (metric) => {
      const x = cloud(70, 3, 9);
      const y = cloud(90, 3, 10);
      const M = await ot.dist(x, y, { metric, p: 3 });
      const opts = { reg: 0.02, maxIter: 50, tol: 0 };
      const dense = await ot.sinkhorn(undefined, undefined, M, opts);
      const points = await ot.sinkhorn(undefined, undefined, { x, y, metric, p: 3 }, opts);
      // Same costs bit for bit in float64, same kernels: the same result.
      expect(points.f).toEqual(dense.f);
      expect(points.g).toEqual(dense.g);
      expect(points.cost).toBe(dense.cost);
      const d32 = await ot.sinkhorn(undefined, undefined, M, { ...opts, dtype: 'float32' });
      const p32 = await ot.sinkhorn(undefined, undefined, { x, y, metric, p: 3 }, { ...opts, dtype: 'float32' });
      expect(relDiff(p32.cost, d32.cost)).toBeLessThan(1e-5);
      expect(relDiff(d32.cost, dense.cost)).toBeLessThan(1e-4);
    },
  );

  it('epsilon scaling reaches the same solution in fewer iterations', async () => {
    const M = { x: cloud(200, 2, 11), y: cloud(200, 2, 12) };
    const plain = await ot.sinkhorn(undefined, undefined, M, { reg: 1e-3, tol: 1e-6, maxIter: 100_000 });
    const scaled = await ot.sinkhorn(undefined, undefined, M, {
      reg: 1e-3,
      tol: 1e-6,
      maxIter: 100_000,
      epsScaling: true,
    });
    expect(plain.converged && scaled.converged).toBe(true);
    expect(relDiff(plain.cost, scaled.cost)).toBeLessThan(1e-5);
    expect(scaled.iterations).toBeLessThan(plain.iterations);
  });

  it('never mutates its inputs', async () => {
    const M = await ot.dist(cloud(10, 2, 13), cloud(12, 2, 14));
    const a = positiveWeights(10, 15);
    const [mCopy, aCopy] = [M.data.slice(), a.slice()];
    await ot.sinkhorn(a, undefined, M, { reg: 0.1, dtype: 'float32' });
    await ot.sinkhorn(a, undefined, M, { reg: 0.1 });
    expect(M.data).toEqual(mCopy);
    expect(a).toEqual(aCopy);
  });
});

describe(`sinkhorn bad input [${backend}]`, () => {
  useBackend();
  const M = [
    [0, 1],
    [1, 0],
  ];

  it('rejects bad regularization and options', async () => {
    for (const reg of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      const e = await rejectsWith('INVALID_INPUT', () => ot.sinkhorn(undefined, undefined, M, { reg }));
      expect(e.details?.argument).toBe('reg');
    }
    await rejectsWith('INVALID_INPUT', () => ot.sinkhorn(undefined, undefined, M, {} as ot.SinkhornOptions));
    await rejectsWith('INVALID_INPUT', () => ot.sinkhorn(undefined, undefined, M, { reg: 1, maxIter: 0 }));
    await rejectsWith('INVALID_INPUT', () => ot.sinkhorn(undefined, undefined, M, { reg: 1, tol: -1 }));
    const e = await rejectsWith('INVALID_INPUT', () =>
      ot.sinkhorn(undefined, undefined, M, { reg: 1, dtype: 'float16' as ot.SinkhornOptions['dtype'] }),
    );
    expect(e.details?.argument).toBe('dtype');
  });

  it.each(['float64', 'float32'] as const)('rejects bad costs and weights (%s)', async (dtype) => {
    const opts = { reg: 1, dtype };
    const e = await rejectsWith('NON_FINITE', () =>
      ot.sinkhorn(
        undefined,
        undefined,
        [
          [0, Number.NaN],
          [1, 0],
        ],
        opts,
      ),
    );
    expect(e.details).toMatchObject({ argument: 'M', index: 1 });
    await rejectsWith('NON_FINITE', () =>
      ot.sinkhorn(
        undefined,
        undefined,
        [
          [0, 1e300],
          [1, 0],
        ],
        { ...opts, dtype: 'float32' },
      ),
    );
    await rejectsWith('SHAPE_MISMATCH', () => ot.sinkhorn([0.5, 0.5, 0], undefined, M, opts));
    await rejectsWith('SHAPE_MISMATCH', () =>
      ot.sinkhorn(undefined, undefined, { data: new Float64Array(3), rows: 2, cols: 2 }, opts),
    );
    await rejectsWith('NEGATIVE_WEIGHT', () => ot.sinkhorn([1, -1], undefined, M, opts));
    await rejectsWith('NON_FINITE', () => ot.sinkhorn(undefined, [1, Number.NaN], M, opts));
    await rejectsWith('INVALID_INPUT', () => ot.sinkhorn([0, 0], undefined, M, opts));
    await rejectsWith('INVALID_INPUT', () => ot.sinkhorn(undefined, undefined, [], opts));
  });

  it('rejects bad point clouds', async () => {
    const e = await rejectsWith('SHAPE_MISMATCH', () =>
      ot.sinkhorn(undefined, undefined, { x: [[0, 0]], y: [[0, 0, 0]] }, { reg: 1 }),
    );
    expect(e.details).toMatchObject({ x: [1, 2], y: [1, 3] });
    await rejectsWith('NON_FINITE', () =>
      ot.sinkhorn(undefined, undefined, { x: [[0, Number.NaN]], y: [[0, 0]] }, { reg: 1 }),
    );
    await rejectsWith('INVALID_INPUT', () =>
      ot.sinkhorn(undefined, undefined, { x: [[0]], y: [[1]], metric: 'cosine' as ot.Metric }, { reg: 1 }),
    );
  });

  it('refuses a plan too large to allocate before computing anything', async () => {
    const n = 2 ** 16;
    const x = { data: new Float64Array(n), n, dim: 1 };
    const y = { data: new Float64Array(n / 2), n: n / 2, dim: 1 };
    const e = await rejectsWith('TOO_LARGE', () =>
      ot.sinkhorn(undefined, undefined, { x, y }, { reg: 1, returnPlan: true, dtype: 'float32' }),
    );
    expect(e.details?.shape).toEqual([n, n / 2]);
  });
});

describe(`sinkhorn warm start [${backend}]`, () => {
  useBackend();
  const M = [
    [0, 1, 4],
    [1, 0, 1],
    [4, 1, 0],
  ];
  const a = [0.2, 0.5, 0.3];
  const b = [0.4, 0.4, 0.2];

  it('starts from given potentials: a converged start needs one iteration, same solution', async () => {
    for (const dtype of ['float64', 'float32'] as const) {
      const tol = dtype === 'float32' ? 1e-5 : 1e-10;
      const cold = await ot.sinkhorn(a, b, M, { reg: 0.05, tol, dtype });
      const warm = await ot.sinkhorn(a, b, M, { reg: 0.05, tol, dtype, init: { f: cold.f, g: cold.g } });
      expect(cold.iterations).toBeGreaterThan(3);
      expect(warm.iterations).toBeLessThanOrEqual(2);
      expect(warm.converged).toBe(true);
      expect(relDiff(warm.cost, cold.cost)).toBeLessThan(dtype === 'float32' ? 1e-4 : 1e-9);
      // Unbalanced solves take it too.
      const u = await ot.sinkhornUnbalanced(a, b, M, { reg: 0.05, regM: 1, tol, dtype });
      const uw = await ot.sinkhornUnbalanced(a, b, M, { reg: 0.05, regM: 1, tol, dtype, init: { f: u.f, g: u.g } });
      expect(uw.iterations).toBeLessThan(u.iterations);
    }
  });

  it('rejects potentials of the wrong length or with NaN, and a malformed init', async () => {
    let e = await rejectsWith('SHAPE_MISMATCH', () =>
      ot.sinkhorn(a, b, M, { reg: 0.05, init: { f: [0, 0], g: [0, 0, 0] } }),
    );
    expect(e.details).toMatchObject({ argument: 'init.f', expected: 3, actual: 2 });
    e = await rejectsWith('NON_FINITE', () =>
      ot.sinkhorn(a, b, M, { reg: 0.05, init: { f: [0, 0, 0], g: [0, NaN, 0] } }),
    );
    expect(e.details).toMatchObject({ argument: 'init.g', index: 1 });
    await rejectsWith('INVALID_INPUT', () =>
      ot.sinkhorn(a, b, M, { reg: 0.05, init: { f: [0, 0, 0] } as unknown as { f: number[]; g: number[] } }),
    );
  });
});
