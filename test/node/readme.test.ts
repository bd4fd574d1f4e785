/**
 * The README's TypeScript examples, run as written (each block in its own scope, with `ot` the
 * built package), so that they stay true. A line `await expr; // 2` also checks the value:
 * exactly for a plain number, to 5% for `// ≈ number`.
 */
import { readFileSync } from 'node:fs';
import * as ot from 'monge';
import { describe, expect, it } from 'vitest';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);

type Check = (actual: unknown, expected: number, approx: boolean, line: string) => void;
const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (
  ...args: string[]
) => (ot: unknown, check: Check) => Promise<void>;

/** The block as a function body: the import of monge dropped, value comments turned into checks. */
function runnable(block: string): string {
  return block
    .split('\n')
    .filter((line) => !/^import .* from 'monge';/.test(line))
    .map((line) => {
      const m = /^(await [^;]+);\s*\/\/\s*(≈\s*)?(-?\d[\d.]*(?:e-?\d+)?)\b/.exec(line);
      return m ? `check(${m[1]}, ${m[3]}, ${m[2] !== undefined}, ${JSON.stringify(line)});` : line;
    })
    .join('\n');
}

const check: Check = (actual, expected, approx, line) => {
  expect(typeof actual, line).toBe('number');
  const tolerance = approx ? 0.05 * Math.abs(expected) : 1e-12 * Math.max(1, Math.abs(expected));
  expect(Math.abs((actual as number) - expected), line).toBeLessThanOrEqual(tolerance);
};

describe('README examples', () => {
  it('has TypeScript examples with values to check', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(4);
    expect(blocks.map(runnable).join('\n')).toMatch(/check\(/);
  });

  for (const [k, block] of blocks.entries()) {
    it(`runs block ${k + 1} (${block.split('\n')[0]})`, { timeout: 60000 }, async () => {
      await ot.setBackend('native');
      await new AsyncFunction('ot', 'check', runnable(block))(ot, check);
    });
  }
});
