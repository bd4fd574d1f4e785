import * as ot from 'monge';
import { describe, expect, it } from 'vitest';
import fixtures from './fixtures/unbalanced.json' with { type: 'json' };
import { backend, rejectsWith, relDiff, useBackend } from './helpers/backend.js';

interface Case {
  name: string;
  a: number[];
  b: number[];
  M: number[][];
  reg: number;
  regM: number;
  plan: number[][];
  cost: number;
  objective: number;
  f: number[];
  g: number[];
}

const maxAbsDiff = (x: ArrayLike<number>, y: number[]) =>
  Array.from(x).reduce((m, v, k) => Math.max(m, Math.abs(v - y[k]!)), 0);

describe(`sinkhornUnbalanced against POT [${backend}]`, () => {
  useBackend();

  it.each((fixtures.cases as Case[]).map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const r = await ot.sinkhornUnbalanced(c.a, c.b, c.M, {
      reg: c.reg,
      regM: c.regM,
      tol: 1e-13,
      maxIter: 1_000_000,
      returnPlan: true,
    });
    expect(r.converged).toBe(true);
    expect(relDiff(r.cost, c.cost)).toBeLessThan(1e-8);
    expect(relDiff(r.objective, c.objective)).toBeLessThan(1e-8);
    // Unbalanced potentials are unique: no centring.
    const scale = Math.max(...c.M.flat().map(Math.abs), 1e-300);
    expect(maxAbsDiff(r.f, c.f) / scale).toBeLessThan(1e-6);
    expect(maxAbsDiff(r.g, c.g) / scale).toBeLessThan(1e-6);
    const planScale = Math.max(...c.plan.flat());
    expect(maxAbsDiff(r.plan!.data, c.plan.flat()) / planScale).toBeLessThan(1e-8);
    const r32 = await ot.sinkhornUnbalanced(c.a, c.b, c.M, {
      reg: c.reg,
      regM: c.regM,
      tol: 1e-9,
      maxIter: 20_000,
      dtype: 'float32',
    });
    expect(relDiff(r32.cost, c.cost)).toBeLessThan(1e-4);
  });

  it('keeps masses and rejects a bad regM', async () => {
    const r = await ot.sinkhornUnbalanced([1, 1], [1], [[0], [1]], { reg: 0.1, regM: 1, returnPlan: true });
    const total = Array.from(r.plan!.data).reduce((s, v) => s + v, 0);
    expect(total).toBeGreaterThan(1);
    expect(total).toBeLessThan(2);
    for (const regM of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      const e = await rejectsWith('INVALID_INPUT', () => ot.sinkhornUnbalanced([1], [1], [[0]], { reg: 0.1, regM }));
      expect(e.details?.argument).toBe('regM');
    }
    await rejectsWith('INVALID_INPUT', () =>
      ot.sinkhornUnbalanced([1], [1], [[0]], { reg: 0.1 } as ot.UnbalancedOptions),
    );
    await rejectsWith('NEGATIVE_WEIGHT', () => ot.sinkhornUnbalanced([-1], [1], [[0]], { reg: 0.1, regM: 1 }));
    await rejectsWith('SHAPE_MISMATCH', () => ot.sinkhornUnbalanced([1, 1], [1], [[0]], { reg: 0.1, regM: 1 }));
  });
});
