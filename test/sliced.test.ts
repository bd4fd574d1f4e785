import * as ot from 'monge';
import { describe, expect, it } from 'vitest';
import fixtures from './fixtures/sliced.json' with { type: 'json' };
import { backend, rejectsWith, relDiff, useBackend } from './helpers/backend.js';

interface Case {
  name: string;
  x: number[][];
  y: number[][];
  a: number[] | null;
  b: number[] | null;
  p: number;
  projections: number[][];
  expected: number;
}

describe(`slicedWasserstein against POT with given directions [${backend}]`, () => {
  useBackend();

  it.each((fixtures.cases as Case[]).map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const sw = await ot.slicedWasserstein(c.x, c.y, {
      a: c.a ?? undefined,
      b: c.b ?? undefined,
      p: c.p,
      projections: c.projections,
    });
    expect(relDiff(sw, c.expected)).toBeLessThan(1e-12);
  });
});

describe(`slicedWasserstein API behaviour [${backend}]`, () => {
  useBackend();
  const x = [
    [0, 0],
    [1, 0],
  ];
  const y = [
    [0, 1],
    [1, 1],
  ];

  it('runs the README examples', async () => {
    expect(await ot.slicedWasserstein(x, y, { projections: [[0, 1]] })).toBe(1);
    const sw = await ot.slicedWasserstein(x, y, { nProjections: 200, seed: 7 });
    expect(sw).toBeGreaterThan(0.6);
    expect(sw).toBeLessThan(0.8);
  });

  it('gives the same number for the same seed, on every backend', async () => {
    const pts = {
      data: Float64Array.from({ length: 300 }, (_, i) => ((i * 7919) % 1000) / 1000 - 0.5),
      n: 100,
      dim: 3,
    };
    const other = { data: Float64Array.from({ length: 150 }, (_, i) => ((i * 104729) % 997) / 500), n: 50, dim: 3 };
    const s1 = await ot.slicedWasserstein(pts, other, { seed: 42, nProjections: 20 });
    expect(await ot.slicedWasserstein(pts, other, { seed: 42, nProjections: 20 })).toBe(s1);
    expect(await ot.slicedWasserstein(pts, other, { seed: 43, nProjections: 20 })).not.toBe(s1);
    // Pinned value: the directions are generated in the Rust core, so every backend (and every
    // platform) computes exactly these bits.
    expect(s1).toBe(SEEDED_VALUE);
  });

  it('rejects bad input with typed errors', async () => {
    let e = await rejectsWith('SHAPE_MISMATCH', () => ot.slicedWasserstein(x, [[0, 1, 2]]));
    expect(e.details).toMatchObject({ x: [2, 2], y: [1, 3] });
    e = await rejectsWith('SHAPE_MISMATCH', () => ot.slicedWasserstein(x, y, { projections: [[1, 0, 0]] }));
    expect(e.details).toMatchObject({ argument: 'projections', expected: 2, actual: 3 });
    e = await rejectsWith('INVALID_INPUT', () => ot.slicedWasserstein(x, y, { nProjections: 0 }));
    expect(e.details).toMatchObject({ argument: 'nProjections' });
    await rejectsWith('INVALID_INPUT', () => ot.slicedWasserstein(x, y, { nProjections: 2.5 }));
    await rejectsWith('INVALID_INPUT', () => ot.slicedWasserstein(x, y, { seed: -1 }));
    await rejectsWith('INVALID_INPUT', () => ot.slicedWasserstein(x, y, { p: 0.9 }));
    await rejectsWith('INVALID_INPUT', () => ot.slicedWasserstein([], y));
    e = await rejectsWith('NON_FINITE', () => ot.slicedWasserstein([[0, NaN]], y));
    expect(e.details).toMatchObject({ argument: 'x', index: 1 });
    e = await rejectsWith('NEGATIVE_WEIGHT', () => ot.slicedWasserstein(x, y, { b: [1, -1] }));
    expect(e.details).toMatchObject({ argument: 'b', index: 1 });
    await rejectsWith('SHAPE_MISMATCH', () => ot.slicedWasserstein(x, y, { a: [1, 2, 3] }));
    await rejectsWith('NON_FINITE', () => ot.slicedWasserstein(x, y, { projections: [[NaN, 1]] }));
  });
});

const SEEDED_VALUE = 0.8709093232148545;
