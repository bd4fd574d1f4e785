#!/usr/bin/env node
// Before and after a change, in the same run: the main benchmark cases timed on two builds of
// monge, alternating between them within every repetition so that both see the same machine.
//
//   node bench/compare.mjs <other checkout> [--reps N] [--only SUBSTRING] [--write TITLE]
//
// `<other checkout>` is another working tree of this repository (e.g. `git worktree add
// /tmp/before <commit>`, then `bash scripts/setup.sh` there) whose dist/ is loaded as "before";
// this tree's dist/ is "after". Cases (the ones issue #10 holds within 5%): emd n = 2000,
// linearSumAssignment n = 2000 (uniform costs), Sinkhorn dense float32 4096² (reg 0.01, tol 0,
// 100 iterations), slicedWasserstein n = 1e5 (d = 3, 100 projections), each on the native and
// WASM backends. Prints a table of medians and after/before ratios. With `--write TITLE`, also
// saves the raw timings to bench/runs/compare-<date>.json and puts the table in bench/RESULTS.md
// under "## Before and after" (replacing the previous one; `node bench/run.mjs` keeps it).
import { execSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { cloud, mulberry32 } from '../scripts/random.mjs';
import { COMPARE_MARKS } from './config.mjs';

const argv = process.argv.slice(2);
const other = argv[0] !== undefined && !argv[0].startsWith('--') ? argv[0] : undefined;
const repsAt = argv.indexOf('--reps');
const reps = repsAt >= 0 ? Number(argv[repsAt + 1]) : 5;
const onlyAt = argv.indexOf('--only');
const only = onlyAt >= 0 ? argv[onlyAt + 1].toLowerCase() : null;
const writeAt = argv.indexOf('--write');
const title = writeAt >= 0 ? argv[writeAt + 1] : null;
if (!other || !(reps >= 1)) {
  console.log('usage: node bench/compare.mjs <other checkout> [--reps N] [--only SUBSTRING] [--write TITLE]');
  process.exit(2);
}
const { start: MARK_START, end: MARK_END } = COMPARE_MARKS;

const load = (dir) => import(pathToFileURL(resolve(dir, 'dist/node.js')).href);
const builds = { before: await load(other), after: await load(new URL('..', import.meta.url).pathname) };
const ot = builds.after;

const square = (rand, n) => ({ data: Float64Array.from({ length: 2 * n }, rand), n, dim: 2 });

async function cases() {
  const out = [];
  {
    const rand = mulberry32(5);
    const M = await ot.dist(square(rand, 2000), square(rand, 2000));
    out.push([
      'emd n = 2000',
      (o, backend) => o.emd(undefined, undefined, M, { maxIter: 1e8, backend }),
      ['native', 'wasm'],
    ]);
  }
  {
    const rand = mulberry32(6);
    const n = 2000;
    const M = { data: Float64Array.from({ length: n * n }, rand), rows: n, cols: n };
    out.push([
      'linearSumAssignment n = 2000',
      (o, backend) => o.linearSumAssignment(M, { backend }),
      ['native', 'wasm'],
    ]);
  }
  {
    const rand = mulberry32(12);
    const n = 4096;
    const M = { data: Float32Array.from((await ot.dist(square(rand, n), square(rand, n))).data), rows: n, cols: n };
    const opts = { reg: 0.01, tol: 0, maxIter: 100, dtype: 'float32' };
    out.push([
      'sinkhorn dense float32 4096²',
      (o, backend) => o.sinkhorn(undefined, undefined, M, { ...opts, backend }),
      ['native', 'wasm'],
    ]);
  }
  {
    const rand = mulberry32(2);
    const n = 1e5;
    const x = cloud(rand, n, 3);
    const y = cloud(rand, n, 3, [1, -0.5, 0.25], 1.5);
    const opts = { nProjections: 100, p: 2, seed: 0 };
    out.push([
      'slicedWasserstein n = 1e5',
      (o, backend) => o.slicedWasserstein(x, y, { ...opts, backend }),
      ['native', 'wasm'],
    ]);
  }
  return out;
}

const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
const rows = [];
for (const [label, call, backends] of await cases()) {
  for (const backend of backends) {
    if (only !== null && !`${label} ${backend}`.toLowerCase().includes(only)) continue;
    const times = { before: [], after: [] };
    for (const name of ['before', 'after']) await call(builds[name], backend); // warm-up
    for (let r = 0; r < reps; r++) {
      // Alternate which build goes first, so neither always runs on a warmer machine.
      const order = r % 2 === 0 ? ['before', 'after'] : ['after', 'before'];
      for (const name of order) {
        const t = performance.now();
        await call(builds[name], backend);
        times[name].push(performance.now() - t);
      }
    }
    const [b, a] = [median(times.before), median(times.after)];
    rows.push({
      raw: times,
      case: label,
      backend,
      'before ms': b.toFixed(1),
      'after ms': a.toFixed(1),
      'after / before': (a / b).toFixed(3),
    });
    process.stderr.write(`[compare] ${label} ${backend}: ${b.toFixed(1)} -> ${a.toFixed(1)} ms\n`);
  }
}
console.table(rows.map(({ raw, ...row }) => row));

if (title !== null) {
  const root = new URL('..', import.meta.url).pathname;
  const date = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const git = (dir) => execSync('git rev-parse --short HEAD', { cwd: dir, encoding: 'utf8' }).trim();
  const [before, after] = [git(resolve(other)), git(root)];
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  mkdirSync(`${root}bench/runs`, { recursive: true });
  const runFile = `bench/runs/compare-${date.replace(/[:]/g, '-')}.json`;
  writeFileSync(`${root}${runFile}`, `${JSON.stringify({ date, title, before, after, reps, rows }, null, 1)}\n`);
  const lines = [
    MARK_START,
    '## Before and after',
    '',
    `${title}. \`node bench/compare.mjs <checkout of ${before}> --reps ${reps}\` on ${date}: ${cpu}, ` +
      `${os.cpus().length} cores, Node ${process.version}; "before" is ${before}, "after" ${after} (the tree ` +
      `measured), alternating within every repetition; medians. Raw timings: ${runFile}.`,
    '',
    '| case | backend | before (ms) | after (ms) | after / before |',
    '|---|---|---:|---:|---:|',
    ...rows.map((r) => `| ${r.case} | ${r.backend} | ${r['before ms']} | ${r['after ms']} | ${r['after / before']} |`),
    MARK_END,
  ];
  const results = `${root}bench/RESULTS.md`;
  const text = readFileSync(results, 'utf8');
  const at = text.indexOf(MARK_START);
  const end = text.indexOf(MARK_END);
  const kept = at >= 0 && end > at ? text.slice(0, at) + text.slice(end + MARK_END.length) : text;
  writeFileSync(results, `${kept.trimEnd()}\n\n${lines.join('\n')}\n`);
  process.stderr.write(`[compare] wrote ${runFile} and the "Before and after" section of bench/RESULTS.md\n`);
}
