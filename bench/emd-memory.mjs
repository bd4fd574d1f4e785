#!/usr/bin/env node
// Peak memory of one native `emd` solve, for bench/run.mjs (which spawns it, so that nothing else
// has touched this process's memory):
//
//   node bench/emd-memory.mjs [n] [seed]
//
// Loads monge (native backend), records the resident set size (RSS) as the baseline, builds the
// n × n squared-Euclidean cost matrix between two seeded clouds of n points uniform in the unit
// square with `dist` (8 n² bytes: 800 MB at n = 10,000), solves it once with uniform weights and
// prints one JSON line: RSS at each step and the peak RSS of the whole process
// (`process.resourceUsage().maxRSS`, the kernel's high-water mark), in MiB, with the solve time,
// pivots and status.
import { mulberry32 } from '../scripts/random.mjs';

const n = Number(process.argv[2] ?? 10000);
const seed = Number(process.argv[3] ?? 5);
const mib = (bytes) => bytes / 2 ** 20;
const rss = () => mib(process.memoryUsage().rss);
const peak = () => mib(process.resourceUsage().maxRSS * 1024); // maxRSS is in KiB

const ot = await import('../dist/node.js');
await ot.setBackend('native');
const baseline = rss();

const rand = mulberry32(seed);
const x = { data: Float64Array.from({ length: 2 * n }, rand), n, dim: 2 };
const y = { data: Float64Array.from({ length: 2 * n }, rand), n, dim: 2 };
const M = await ot.dist(x, y, { backend: 'native' });
const afterM = rss();
const peakBeforeSolve = peak();

const w = new Float64Array(n).fill(1 / n);
const t0 = performance.now();
const r = await ot.emd(w, w, M, { maxIter: 100_000_000, backend: 'native' });
const seconds = (performance.now() - t0) / 1e3;

console.log(
  JSON.stringify({
    n,
    m: n,
    seed,
    matrix_mib: mib(M.data.byteLength),
    baseline_rss_mib: baseline,
    after_matrix_rss_mib: afterM,
    peak_before_solve_mib: peakBeforeSolve,
    after_solve_rss_mib: rss(),
    peak_rss_mib: peak(),
    seconds,
    iterations: r.iterations,
    status: r.status,
    cost: r.cost,
    dual_gap: r.dualGap,
    backend: r.backend,
  }),
);
