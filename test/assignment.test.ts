import * as ot from 'monge';
import { describe, expect, it } from 'vitest';
import fixtures from './fixtures/assignment.json' with { type: 'json' };
import { mulberry32 } from '../scripts/random.mjs';
import { backend, rejectsWith, useBackend } from './helpers/backend.js';

type Entry = number | 'inf' | '-inf';
interface Case {
  name: string;
  rows: number;
  cols: number;
  cost: Entry[][];
  maximize: boolean;
  infeasible: boolean;
  rowInd?: number[];
  colInd?: number[];
  value?: number;
}

const decode = (rows: Entry[][]): number[][] =>
  rows.map((r) => r.map((x) => (x === 'inf' ? Infinity : x === '-inf' ? -Infinity : x)));

/** The best total over all injections of rows into columns (brute force, small sizes). */
function bruteForce(c: number[][], maximize: boolean): number {
  const [n, m] = [c.length, c[0]!.length];
  if (n > m)
    return bruteForce(
      c[0]!.map((_, j) => c.map((row) => row[j]!)),
      maximize,
    );
  const used = new Array<boolean>(m).fill(false);
  const go = (i: number): number => {
    if (i === n) return 0;
    let best = maximize ? -Infinity : Infinity;
    for (let j = 0; j < m; j++) {
      if (used[j]) continue;
      used[j] = true;
      const total = c[i]![j]! + go(i + 1);
      best = maximize ? Math.max(best, total) : Math.min(best, total);
      used[j] = false;
    }
    return best;
  };
  return go(0);
}

/** Checks the result is a valid matching whose cost is its reported total. */
function checkMatching(c: number[][], r: ot.AssignmentResult): void {
  const k = Math.min(c.length, c[0]!.length);
  expect(r.rowInd.length).toBe(k);
  expect(new Set(r.colInd).size).toBe(k);
  expect([...r.rowInd]).toEqual([...r.rowInd].sort((a, b) => a - b));
  let total = 0;
  r.rowInd.forEach((i, t) => (total += c[i]![r.colInd[t]!]!));
  expect(Math.abs(total - r.cost)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(total)));
}

describe(`linearSumAssignment against scipy [${backend}]`, () => {
  useBackend();

  it.each((fixtures.cases as Case[]).map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const M = decode(c.cost);
    if (c.infeasible) {
      const e = await rejectsWith('INVALID_INPUT', () => ot.linearSumAssignment(M, { maximize: c.maximize }));
      expect(e.message).toMatch(/infeasible/);
      return;
    }
    const r = await ot.linearSumAssignment(M, { maximize: c.maximize });
    expect(r.backend).toBe(backend);
    checkMatching(M, r);
    const scale = Math.max(1, Math.abs(c.value!));
    expect(Math.abs(r.cost - c.value!)).toBeLessThanOrEqual(1e-9 * scale);
  });
});

describe(`linearSumAssignment behaviour [${backend}]`, () => {
  useBackend();

  it('runs the README example', async () => {
    const { rowInd, colInd, cost } = await ot.linearSumAssignment([
      [4, 1, 3],
      [2, 0, 5],
      [3, 2, 2],
    ]);
    expect([...rowInd, ...colInd, cost]).toEqual([0, 1, 2, 1, 0, 2, 5]);
  });

  it('matches brute force on every shape up to 7, min and max, floats and ties', async () => {
    const rand = mulberry32(11);
    for (let n = 1; n <= 6; n++) {
      for (let m = 1; m <= 7; m++) {
        const ties = (n + m) % 2 === 0;
        const c = Array.from({ length: n }, () =>
          Array.from({ length: m }, () => (ties ? Math.floor(rand() * 4) : rand())),
        );
        for (const maximize of [false, true]) {
          const r = await ot.linearSumAssignment({ data: Float64Array.from(c.flat()), rows: n, cols: m }, { maximize });
          checkMatching(c, r);
          expect(Math.abs(r.cost - bruteForce(c, maximize))).toBeLessThan(1e-12);
        }
      }
    }
  });

  it('rejects bad input with typed errors', async () => {
    let e = await rejectsWith('NON_FINITE', () => ot.linearSumAssignment([[1, NaN]]));
    expect(e.details).toMatchObject({ argument: 'M', index: 1 });
    await rejectsWith('NON_FINITE', () => ot.linearSumAssignment([[1, -Infinity]]));
    await rejectsWith('NON_FINITE', () => ot.linearSumAssignment([[1, Infinity]], { maximize: true }));
    e = await rejectsWith('INVALID_INPUT', () =>
      ot.linearSumAssignment([
        [Infinity, Infinity],
        [1, 2],
      ]),
    );
    expect(e.details).toMatchObject({ argument: 'M', shape: [2, 2] });
    await rejectsWith('INVALID_INPUT', () => ot.linearSumAssignment([]));
    await rejectsWith('SHAPE_MISMATCH', () => ot.linearSumAssignment([[1, 2], [3]]));
    await rejectsWith('SHAPE_MISMATCH', () => ot.linearSumAssignment({ data: new Float64Array(3), rows: 2, cols: 2 }));
    await rejectsWith('INVALID_INPUT', () => ot.linearSumAssignment([[1]], { maximize: 'yes' as unknown as boolean }));
  });
});

describe(`auction against scipy and brute force [${backend}]`, () => {
  useBackend();
  const finite = (fixtures.cases as Case[]).filter(
    (c) => !c.infeasible && c.rows <= c.cols && c.cost.every((r) => r.every((x) => typeof x === 'number')),
  );

  it.each(finite.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const M = decode(c.cost);
    const r = await ot.auction(M, { maximize: c.maximize });
    expect(r.backend).toBe(backend);
    checkMatching(M, r);
    expect(r.prices.length).toBe(c.cols);
    const worse = c.maximize ? c.value! - r.cost : r.cost - c.value!;
    const tol = 1e-9 * Math.max(1, Math.abs(c.value!));
    expect(worse).toBeGreaterThanOrEqual(-tol);
    expect(worse).toBeLessThanOrEqual(r.gapBound + tol);
    if (M.flat().every(Number.isInteger)) expect(r.gapBound).toBe(0);
  });

  it('runs the README example and matches brute force up to 7 columns', async () => {
    const r = await ot.auction([
      [4, 1, 3],
      [2, 0, 5],
      [3, 2, 2],
    ]);
    expect([...r.colInd, r.cost, r.gapBound]).toEqual([1, 0, 2, 5, 0]);
    const rand = mulberry32(12);
    for (let n = 1; n <= 6; n++) {
      for (let m = n; m <= 7; m++) {
        const integer = (n * m) % 2 === 0;
        const c = Array.from({ length: n }, () =>
          Array.from({ length: m }, () => (integer ? Math.floor(rand() * 9) : rand())),
        );
        for (const maximize of [false, true]) {
          const a = await ot.auction(c, { maximize });
          checkMatching(c, a);
          const gap = Math.abs(a.cost - bruteForce(c, maximize));
          expect(gap).toBeLessThanOrEqual(a.gapBound + 1e-12);
          if (integer) expect(gap).toBe(0);
        }
      }
    }
  });

  it('rejects bad input with typed errors', async () => {
    await rejectsWith('INVALID_INPUT', () => ot.auction([[1], [2]]));
    await rejectsWith('NON_FINITE', () => ot.auction([[1, Infinity]]));
    await rejectsWith('INVALID_INPUT', () => ot.auction([[1]], { epsilon: 0 }));
    await rejectsWith('INVALID_INPUT', () => ot.auction([[1]], { scaling: 1 }));
    await rejectsWith('INVALID_INPUT', () => ot.auction([[1]], { epsilon: '1' as unknown as number }));
  });
});
