#!/usr/bin/env node
// Peak memory of one native point-cloud `sinkhorn` solve, for bench/run.mjs (which spawns it, so
// that nothing else has touched this process's memory):
//
//   node bench/sinkhorn-memory.mjs [n] [maxIter] [seed]
//
// Loads monge (native backend), builds two seeded clouds of n points uniform in the unit cube
// (d = 3), then records the baseline: the peak resident set size (RSS) so far
// (`process.resourceUsage().maxRSS`, the kernel's high-water mark). It then runs one float32
// solve on the clouds with squared Euclidean costs computed on the fly (reg 0.01, tol 0, maxIter
// iterations, all cores), and prints one JSON line: RSS at each step and the peak RSS of the
// whole process, in MiB, with the solve time and the result's iterations and cost. The solver's
// own memory is the peak after the solve less the baseline: O(n + m), no n × m array.
import { mulberry32 } from '../scripts/random.mjs';

const n = Number(process.argv[2] ?? 20000);
const maxIter = Number(process.argv[3] ?? 10);
const seed = Number(process.argv[4] ?? 11);
const dim = 3,
  reg = 0.01;
const mib = (bytes) => bytes / 2 ** 20;
const rss = () => mib(process.memoryUsage().rss);
const peak = () => mib(process.resourceUsage().maxRSS * 1024); // maxRSS is in KiB

const ot = await import('../dist/node.js');
await ot.setBackend('native');
const afterLoad = rss();

const rand = mulberry32(seed);
const x = { data: Float64Array.from({ length: dim * n }, rand), n, dim };
const y = { data: Float64Array.from({ length: dim * n }, rand), n, dim };
const beforeSolve = rss();
const baseline = peak(); // the peak before the solve

const t0 = performance.now();
const r = await ot.sinkhorn(
  undefined,
  undefined,
  { x, y, metric: 'sqeuclidean' },
  { reg, tol: 0, maxIter, dtype: 'float32', backend: 'native' },
);
const seconds = (performance.now() - t0) / 1e3;
const peakAfter = peak();

console.log(
  JSON.stringify({
    n,
    m: n,
    dim,
    seed,
    reg,
    max_iter: maxIter,
    dtype: 'float32',
    metric: 'sqeuclidean',
    after_load_rss_mib: afterLoad,
    before_solve_rss_mib: beforeSolve,
    baseline_peak_rss_mib: baseline,
    after_solve_rss_mib: rss(),
    peak_rss_mib: peakAfter,
    peak_above_baseline_mib: peakAfter - baseline,
    seconds,
    iterations: r.iterations,
    cost: r.cost,
    marginal_error: r.marginalError,
    backend: r.backend,
  }),
);
