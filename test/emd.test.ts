import * as ot from 'monge';
import { describe, expect, it } from 'vitest';
import fixtures from './fixtures/emd.json' with { type: 'json' };
import { backend, rejectsWith, useBackend } from './helpers/backend.js';

interface Case {
  name: string;
  a: number[];
  b: number[];
  M: number[][];
  cost: number;
}

/** Checks the optimality certificates of an EMD result. */
function certify(a: number[], b: number[], M: number[][], r: ot.EmdResult): void {
  const scale = Math.max(...M.flat().map(Math.abs), 1e-300);
  const rows = new Float64Array(a.length);
  const cols = new Float64Array(b.length);
  r.plan.values.forEach((x, k) => {
    const [i, j] = [r.plan.rows[k]!, r.plan.cols[k]!];
    rows[i]! += x;
    cols[j]! += x;
    // Complementary slackness: equality on the support.
    expect(Math.abs(r.u[i]! + r.v[j]! - M[i]![j]!)).toBeLessThanOrEqual(1e-9 * scale);
  });
  a.forEach((w, i) => expect(Math.abs(rows[i]! - w)).toBeLessThanOrEqual(1e-9));
  b.forEach((w, j) => expect(Math.abs(cols[j]! - w)).toBeLessThanOrEqual(1e-9));
  // Dual feasibility everywhere.
  M.forEach((row, i) => row.forEach((c, j) => expect(r.u[i]! + r.v[j]!).toBeLessThanOrEqual(c + 1e-9 * scale)));
  expect(r.plan.values.length).toBeLessThanOrEqual(a.length + b.length - 1);
  expect(r.dualGap).toBeLessThanOrEqual(1e-9 * Math.max(Math.abs(r.cost), 1e-12));
  expect(r.status).toBe('optimal');
}

describe(`emd against POT, with certificates [${backend}]`, () => {
  useBackend();

  it.each((fixtures.cases as Case[]).map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const r = await ot.emd(c.a, c.b, c.M, { maxIter: 10_000_000 });
    expect(r.backend).toBe(backend);
    expect(Math.abs(r.cost - c.cost)).toBeLessThanOrEqual(1e-9 * Math.max(Math.abs(c.cost), 1e-12));
    certify(c.a, c.b, c.M, r);
    expect(await ot.emd2(c.a, c.b, c.M, { maxIter: 10_000_000 })).toBe(r.cost);
  });
});

describe(`emd behaviour [${backend}]`, () => {
  useBackend();

  it('runs the README examples', async () => {
    const r = await ot.emd(
      [0.5, 0.5],
      [0.5, 0.5],
      [
        [0, 1],
        [1, 0],
      ],
    );
    expect([r.cost, ...r.plan.values, r.status]).toEqual([0, 0.5, 0.5, 'optimal']);
    expect(
      await ot.emd2(undefined, undefined, [
        [0, 1],
        [1, 0],
      ]),
    ).toBe(0);
    expect(r.plan.toDense().data).toEqual(new Float64Array([0.5, 0, 0, 0.5]));
  });

  it('rescales b within the mass tolerance and reports maxIterReached', async () => {
    const r = await ot.emd(
      [0.5, 0.5],
      [0.5, 0.5 + 1e-9],
      [
        [0, 1],
        [1, 0],
      ],
    );
    expect(r.status).toBe('optimal');
    const few = await ot.emd(
      undefined,
      undefined,
      [
        [1, 2, 3],
        [3, 1, 2],
        [2, 3, 1],
      ],
      { maxIter: 0 },
    );
    expect(few.status).toBe('maxIterReached');
  });

  it('rejects bad input with typed errors', async () => {
    const M = [
      [0, 1],
      [1, 0],
    ];
    let e = await rejectsWith('MASS_MISMATCH', () => ot.emd([0.5, 0.5], [0.6, 0.6], M));
    expect(e.details).toMatchObject({ a: 1, b: 1.2 });
    e = await rejectsWith('NEGATIVE_WEIGHT', () => ot.emd([1.5, -0.5], [0.5, 0.5], M));
    expect(e.details).toMatchObject({ argument: 'a', index: 1 });
    await rejectsWith('NON_FINITE', () =>
      ot.emd(undefined, undefined, [
        [0, NaN],
        [1, 0],
      ]),
    );
    await rejectsWith('NON_FINITE', () =>
      ot.emd(undefined, undefined, [
        [0, -Infinity],
        [1, 0],
      ]),
    );
    e = await rejectsWith('SHAPE_MISMATCH', () => ot.emd([1], [0.5, 0.5], M));
    expect(e.details).toMatchObject({ argument: 'M', shape: [2, 2] });
    await rejectsWith('INVALID_INPUT', () => ot.emd([0, 0], [0, 0], M));
    await rejectsWith('INVALID_INPUT', () => ot.emd(undefined, undefined, []));
    await rejectsWith('INVALID_INPUT', () => ot.emd(undefined, undefined, M, { maxIter: -1 }));
  });
});
