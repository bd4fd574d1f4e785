import * as ot from 'monge';
import { describe, expect, it } from 'vitest';
import fixtures from './fixtures/dist.json' with { type: 'json' };
import { backend, rejectsWith, useBackend } from './helpers/backend.js';

interface Case {
  name: string;
  x: number[][];
  y: number[][];
  metric: ot.Metric;
  p: number | null;
  expected: number[][];
}

describe(`dist against scipy cdist [${backend}]`, () => {
  useBackend();

  it.each((fixtures.cases as Case[]).map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const M = await ot.dist(c.x, c.y, { metric: c.metric, ...(c.p === null ? {} : { p: c.p }) });
    expect([M.rows, M.cols, M.backend, M.dtype]).toEqual([c.x.length, c.y.length, backend, 'float64']);
    const scale = Math.max(...c.expected.flat().map(Math.abs), 1);
    c.expected.flat().forEach((want, k) => expect(Math.abs(M.data[k]! - want)).toBeLessThanOrEqual(1e-12 * scale));
  });
});

describe(`dist API behaviour [${backend}]`, () => {
  useBackend();

  it('runs the README example and defaults y to x', async () => {
    const M = await ot.dist(
      [
        [0, 0],
        [1, 0],
      ],
      [[0, 1]],
    );
    expect([...M.data]).toEqual([1, 2]);
    const self = await ot.dist({ data: new Float32Array([0, 0, 3, 4]), n: 2, dim: 2 }, undefined, {
      metric: 'euclidean',
    });
    expect([...self.data]).toEqual([0, 5, 5, 0]);
  });

  it('rejects bad input with typed errors', async () => {
    let e = await rejectsWith('SHAPE_MISMATCH', () => ot.dist([[0, 0]], [[1, 2, 3]]));
    expect(e.details).toMatchObject({ x: [1, 2], y: [1, 3] });
    e = await rejectsWith('SHAPE_MISMATCH', () => ot.dist([[0, 0], [1]]));
    expect(e.details).toMatchObject({ argument: 'x', index: 1 });
    e = await rejectsWith('SHAPE_MISMATCH', () => ot.dist({ data: new Float64Array(5), n: 2, dim: 3 }));
    expect(e.details).toMatchObject({ argument: 'x' });
    e = await rejectsWith('NON_FINITE', () => ot.dist([[0, 0]], [[1, -Infinity]]));
    expect(e.details).toMatchObject({ argument: 'y', index: 1 });
    e = await rejectsWith('INVALID_INPUT', () => ot.dist([[0]], [[1]], { metric: 'cosine' as ot.Metric }));
    expect(e.details).toMatchObject({ argument: 'metric', value: 'cosine' });
    await rejectsWith('INVALID_INPUT', () => ot.dist([[0]], [[1]], { metric: 'minkowski', p: 0.5 }));
    await rejectsWith('INVALID_INPUT', () => ot.dist([]));
    await rejectsWith('INVALID_INPUT', () => ot.dist({ data: new Float64Array(0), n: -1, dim: 2 }));
    e = await rejectsWith('TOO_LARGE', () =>
      ot.dist({ data: new Float64Array(40000), n: 40000, dim: 1 }, { data: new Float64Array(40000), n: 40000, dim: 1 }),
    );
    expect(e.details).toMatchObject({ shape: [40000, 40000] });
  });
});
