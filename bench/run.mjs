#!/usr/bin/env node
// monge benchmark: native and WASM backends against Python references (POT, the Python Optimal
// Transport library, and scipy) and, for linearSumAssignment, the npm packages munkres and
// munkres-js. Cases: wasserstein1d, slicedWasserstein, linearSumAssignment, emd (against POT's
// emd2), auction (against scipy, with monge's linearSumAssignment beside it) and sinkhorn (issue
// #5: dense float32 against POT's sinkhorn_log and the exp roofline, point clouds, epsilon
// scaling), plus the peak memory of one native emd solve at n = m = 10,000 and of one native
// point-cloud sinkhorn solve at n = m = 20,000, each in a child process (bench/emd-memory.mjs,
// bench/sinkhorn-memory.mjs).
//
//   node bench/run.mjs [--reps N] [--quick] [--no-pot] [--only SUBSTRING]
//
// Each case gets seeded data, one warm-up call per implementation, then N repetitions that
// alternate native, wasm, the Python reference and the JS peers within each repetition; medians
// are reported. The Python references run in a persistent worker (bench/reference.py) fed raw
// float64 files (float32 for the float32 Sinkhorn case), so only the reference call is timed;
// --no-pot skips that worker. A full run overwrites bench/RESULTS.md and saves raw timings to
// bench/runs/<date>.json; --quick (reps 2, sizes / 10, no memory child) is a smoke run and writes
// nothing. --only SUBSTRING runs only the cases whose id or label contains SUBSTRING
// (case-insensitive; ids such as sinkhorn-dense-float32-4096, labels such as "sinkhorn dense
// float32 n = 4,096"), and the memory children named "emd memory" and "sinkhorn memory" if they
// match (not with --quick); e.g. `--only sinkhorn`, `--only "sinkhorn dense"`, `--only memory`. It
// writes nothing either.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { cloud, mulberry32, normals, weights } from '../scripts/random.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const log = (msg) => process.stderr.write(`[bench] ${msg}\n`);

// --- options ----------------------------------------------------------------------------------
const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const usePot = !argv.includes('--no-pot');
const repsAt = argv.indexOf('--reps');
const reps = repsAt >= 0 ? Number(argv[repsAt + 1]) : quick ? 2 : 7;
const onlyAt = argv.indexOf('--only');
const only = onlyAt >= 0 ? argv[onlyAt + 1] : null;
if (
  argv.includes('--help') ||
  !(Number.isInteger(reps) && reps >= 1) ||
  (onlyAt >= 0 && !(only && !only.startsWith('--')))
) {
  console.log('usage: node bench/run.mjs [--reps N] [--quick] [--no-pot] [--only SUBSTRING]');
  process.exit(argv.includes('--help') ? 0 : 2);
}
const scale = quick ? 10 : 1;
const writes = !quick && only == null; // a full run writes RESULTS.md and runs/; --quick and --only do not
const selected = (...names) => only == null || names.some((name) => name.toLowerCase().includes(only.toLowerCase()));
// (--only matches case ids and labels, and the names of the memory children: 'emd memory', 'sinkhorn memory'.)

let ot;
try {
  ot = await import('../dist/node.js');
} catch (e) {
  log(`cannot load dist/node.js (${e.message}); run \`bash scripts/setup.sh\` first`);
  process.exit(1);
}
if (os.endianness() !== 'LE') throw new Error('the raw files for Python assume a little-endian host');

// JS peers for linearSumAssignment (devDependencies); missing ones are skipped with a note.
const require = createRequire(join(root, 'package.json'));
const peers = {};
const peerNotes = [];
for (const [name, load] of [
  ['munkres', async () => (await import('munkres')).munkres],
  ['munkres-js', async () => require('munkres-js')],
]) {
  try {
    const { version } = JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8'));
    peers[name] = { solve: await load(), version };
  } catch (e) {
    peerNotes.push(`${name} skipped: cannot load it (${e.message.split('\n')[0]}); run \`npm install\``);
  }
}

// Roofline kernels for the Sinkhorn cases, not in the public API: Σ exp(v) over a Float32Array with
// the Sinkhorn kernels' vectorised exp, and the instruction set they use. Native: the addon's
// `expSumRoofline` on all cores. WASM: a module instance of its own (the wasm-bindgen glue in wasm/,
// as ts/backends/wasm.ts loads it), one thread; wasm-bindgen copies the array into the module's
// memory on every call, so `copy` calls an export that only receives the array, to time that apart.
// A missing one is skipped with a note.
const roofline = { native: null, wasm: null, simd: {}, notes: [] };
try {
  const binding = require(join(root, 'native/index.cjs'));
  roofline.simd.native = binding.simdLevel();
  roofline.native = (values) => binding.expSumRoofline(values, 0);
} catch (e) {
  roofline.notes.push(`native Sinkhorn roofline skipped: ${e.message.split('\n')[0]}`);
}
try {
  const glue = await import('../wasm/monge_wasm.js');
  let bytes;
  for (const path of ['dist/monge_wasm_bg.wasm', 'wasm/monge_wasm_bg.wasm']) {
    try {
      bytes = readFileSync(join(root, path));
      break;
    } catch {}
  }
  if (!bytes) throw new Error('no monge_wasm_bg.wasm in dist/ or wasm/');
  await glue.default({ module_or_path: bytes });
  roofline.simd.wasm = glue.simdLevel();
  roofline.wasm = {
    sum: (values) => glue.expSumRoofline(values, 1),
    // An export that only receives `values`: what passing them costs (the glue's copy in).
    copy: (values) => glue.copyInForBenchmarks(values),
  };
} catch (e) {
  roofline.notes.push(`WASM Sinkhorn roofline skipped: ${e.message.split('\n')[0]}`);
}

// --- cases ------------------------------------------------------------------------------------
// Each case names its Python `reference` (POT or scipy) and its `targets` (from the project's
// issues: ratio of medians → upper limit; null for an untargeted case). `make(dump, context)`
// builds the data (it may be async); `dump(name, array)` writes it for Python and returns a path;
// `context` holds `backends` (those the case runs) and `note(key, text)`, which records a line
// printed under the case (the last text per key; `remark(key, text)` likewise, printed as a note). `make` returns `monge` (backend → promise), optionally `value` (monge
// result → number, outside the timing; it throws if the result is unusable), the Python
// `reference` request, optional `referenceCheck(reply)` (throws if the reply is unusable), optional
// JS `peers` ({ name, call, value, maxReps, against }; `against`: the backends to compare it with,
// default native and wasm; `timed` instead of `call`: an async function timing itself, returning
// { ms, result }), optional value `checks` ([a, b, tolerance, why] replacing the default ones) and
// an optional `summary(results)` → lines printed under the case. An optional `repBudgetS` caps the
// case at 3 repetitions when its warm-up round says the full count would take longer. Optional case
// fields: `backends` (the monge backends to run, default both), `maxReps` ({ implementation: most
// repetitions }, for slow references), `perEntry` (entries × half-iterations of one call: adds
// ns per entry per half-iteration) and `relativeTo` (a ratio of that figure to another case's).
// A target is a ratio of medians ('a / b' → upper limit), or { max, unit } on an implementation's
// ns per entry per half-iteration ('wasm ns per entry per half-iteration').
const POT_TARGETS = { 'native / POT': 0.5, 'wasm / native': 2 }; // the large wasserstein1d and sliced cases
const SCIPY_TARGETS = { 'native / scipy': 0.6, 'wasm / native': 2 }; // assignment, issue #4
const MUNKRES_TARGETS = { 'native / munkres': 0.5, 'wasm / munkres': 1 }; // assignment, issue #4
const EMD_TARGETS = { 'native / POT': 0.8, 'wasm / native': 2 }; // emd, issue #4
const AUCTION_TARGETS = { 'native / scipy': 1.0, 'wasm / native': 2 }; // auction, issue #4
const EMD_MAX_ITER = 100_000_000; // monge's maxIter and POT's numItermax: both reach 'optimal'
// Peak RSS of one native emd solve in a child process (issue #4: ≤ 1.5 GiB; POT needs about
// 4.5 GiB there, a figure quoted from the issue, not measured: POT is not run at this size).
const MEMORY = { n: 10000, limitGiB: 1.5, potGiB: 4.5 };
// A full run takes about 9 minutes on 2 cores (4.5 of them for the cases before Sinkhorn); emd at
// n = 5,000 (≈ 6 s a repetition) could stretch it on a slower machine: if its warm-up round says
// its repetitions would take longer than this, it gets 3 repetitions instead (said in the output).
const EMD_5000_BUDGET_S = 180;
// Sinkhorn, issue #5 (dense float32 at n = m = 4,096 against POT's sinkhorn_log and the roofline,
// which times Σ exp over the same entries with the same vectorised exp: the least work any
// Sinkhorn pass can do; point clouds against that dense case, per entry per half-iteration).
const SINKHORN_DENSE_TARGETS = {
  'native / POT': 0.1,
  'native / roofline (native)': 1.3,
  'wasm / POT': 0.333,
  'wasm ns per entry per half-iteration': { max: 2.5, unit: 'ns' },
};
const SINKHORN_CLOUD_KEY = 'native / dense native (ns per entry per half-iteration)';
const SINKHORN_CLOUD_TARGETS = { [SINKHORN_CLOUD_KEY]: 1.5 };
// Peak RSS of one native point-cloud sinkhorn solve (float32, d = 3, maxIter 10) above the peak
// before it, in a child process (issue #5: ≤ 64 MB; read as 64 MiB).
const SINKHORN_MEMORY = { n: 20000, maxIter: 10, limitMiB: 64 };
// Epsilon scaling at n = 2,000 takes ≈ 10 s a call on 2 cores: 3 repetitions when 7 would be long.
const SINKHORN_EPS_2000_BUDGET_S = 60;
const cases = [
  w1dCase(1e4, null),
  w1dCase(1e6, POT_TARGETS),
  slicedCase(1e4, null),
  slicedCase(1e5, POT_TARGETS),
  assignmentCase(500, 'uniform', MUNKRES_TARGETS),
  assignmentCase(1000, 'uniform', SCIPY_TARGETS),
  assignmentCase(2000, 'uniform', { ...SCIPY_TARGETS, ...MUNKRES_TARGETS }),
  assignmentCase(5000, 'uniform', { ...SCIPY_TARGETS, ...MUNKRES_TARGETS }),
  assignmentCase(1000, 'geometric', null),
  assignmentCase(2000, 'geometric', null),
  emdCase(1000, EMD_TARGETS),
  emdCase(2000, EMD_TARGETS),
  emdCase(5000, EMD_TARGETS, { repBudgetS: EMD_5000_BUDGET_S }),
  auctionCase(2000, AUCTION_TARGETS),
  sinkhornDenseCase(4096, SINKHORN_DENSE_TARGETS),
  sinkhornCloudCase(20000, SINKHORN_CLOUD_TARGETS),
  sinkhornEpsCase(1000),
  sinkhornEpsCase(2000, { repBudgetS: SINKHORN_EPS_2000_BUDGET_S }),
  // munkres-js: n = 500 only (≈ 3 s a call), in a case of its own and last, because its garbage
  // slows whatever runs next (scipy and munkres at n = 500 by up to 2x when alternated with it).
  assignmentCase(500, 'uniform', null, { with: ['munkres-js'], python: false }),
].filter((c) => selected(c.id, c.label));
if (!cases.length && !selected('emd memory') && !selected('sinkhorn memory')) {
  log(`--only ${only}: no case or memory child matches`);
  process.exit(2);
}

function w1dCase(size, targets) {
  const n = size / scale;
  return {
    id: `wasserstein1d-${n}`,
    title: `wasserstein1d, weighted, n = m = ${n.toLocaleString('en-US')}, p = 1`,
    label: `wasserstein1d n = ${n.toLocaleString('en-US')}`,
    params: { fn: 'wasserstein1d', n, m: n, p: 1, weighted: true },
    reference: 'POT',
    targets,
    exact: true,
    make(dump) {
      const rand = mulberry32(1);
      const u = normals(rand, n);
      const v = normals(rand, n, 0.5, 1.5);
      const uWeights = weights(rand, n); // normalised: POT gets the very same arrays
      const vWeights = weights(rand, n);
      return {
        monge: (backend) => ot.wasserstein1d(u, v, { uWeights, vWeights, p: 1, backend }),
        reference: {
          op: 'wasserstein_1d',
          u: dump('u', u),
          v: dump('v', v),
          u_weights: dump('uw', uWeights),
          v_weights: dump('vw', vWeights),
          p: 1,
        },
      };
    },
  };
}

function slicedCase(size, targets) {
  const n = size / scale;
  const dim = 3,
    nProjections = 100,
    p = 2;
  return {
    id: `sliced-${n}`,
    title:
      `slicedWasserstein, uniform weights, n = m = ${n.toLocaleString('en-US')}, d = ${dim}, ` +
      `${nProjections} projections, p = ${p}`,
    label: `slicedWasserstein n = ${n.toLocaleString('en-US')}`,
    params: { fn: 'slicedWasserstein', n, m: n, dim, nProjections, p, seed: 0, weighted: false },
    reference: 'POT',
    targets,
    exact: false, // different random directions: values agree only approximately
    make(dump) {
      const rand = mulberry32(2);
      const x = cloud(rand, n, dim);
      const y = cloud(rand, n, dim, [1, -0.5, 0.25], 1.5);
      return {
        monge: (backend) => ot.slicedWasserstein(x, y, { nProjections, p, seed: 0, backend }),
        reference: {
          op: 'sliced',
          x: dump('x', x.data),
          y: dump('y', y.data),
          dim,
          a: null,
          b: null,
          n_projections: nProjections,
          p,
          seed: 0,
        },
      };
    },
  };
}

// Square linear sum assignment, n × n. `uniform`: costs uniform in [0, 1); `geometric`: squared
// Euclidean distances between two clouds of n points uniform in the unit square. The JS peers take
// `number[][]`, built once here, outside their timed calls (monge's times include its conversion).
// `with` names the JS peers (default munkres); `python: false` leaves scipy out.
function assignmentCase(size, kind, targets, { with: peerNames = ['munkres'], python = true } = {}) {
  const n = size / scale;
  const what =
    kind === 'uniform'
      ? 'uniform random costs in [0, 1)'
      : 'squared Euclidean distances between two uniform point clouds in the unit square';
  const against = python ? '' : `, against ${peerNames.join(', ')} only`;
  return {
    id: `assignment-${kind}-${n}${python ? '' : `-${peerNames.join('-')}`}`,
    title: `linearSumAssignment, ${n.toLocaleString('en-US')} × ${n.toLocaleString('en-US')}, ${what}${against}`,
    label: `linearSumAssignment ${kind} n = ${n.toLocaleString('en-US')}`,
    params: { fn: 'linearSumAssignment', n, m: n, kind, maximize: false, peers: peerNames },
    reference: python ? 'scipy' : null,
    targets,
    exact: true,
    make(dump) {
      const rand = mulberry32(kind === 'uniform' ? 3 : 4);
      const data = new Float64Array(n * n);
      if (kind === 'uniform') {
        for (let k = 0; k < n * n; k++) data[k] = rand();
      } else {
        const x = Float64Array.from({ length: 2 * n }, rand);
        const y = Float64Array.from({ length: 2 * n }, rand);
        for (let i = 0; i < n; i++) {
          for (let j = 0; j < n; j++) {
            const dx = x[2 * i] - y[2 * j],
              dy = x[2 * i + 1] - y[2 * j + 1];
            data[i * n + j] = dx * dx + dy * dy;
          }
        }
      }
      const M = { data, rows: n, cols: n };
      const total = (pairs, who) => assignmentTotal(data, n, pairs, who);
      const available = peerNames.filter((name) => peers[name]);
      const nested = available.length
        ? Array.from({ length: n }, (_, i) => Array.from(data.subarray(i * n, (i + 1) * n)))
        : null;
      const peerList = available.map((name) => ({
        name,
        call: () => peers[name].solve(nested),
        value: (r) => total(r, name),
      }));
      return {
        monge: (backend) => ot.linearSumAssignment(M, { maximize: false, backend }),
        value: (r) => mongeAssignmentValue(data, n, r, `monge (${r.backend})`),
        reference: python
          ? { op: 'linear_sum_assignment', cost: dump('cost', data), rows: n, cols: n, maximize: false }
          : null,
        peers: peerList,
      };
    },
  };
}

// The total of a matching of the n × n matrix `data` given as (row, column) pairs, after checking
// it is a permutation.
function assignmentTotal(data, n, pairs, who) {
  const seenRow = new Uint8Array(n),
    seenCol = new Uint8Array(n);
  let sum = 0,
    count = 0;
  for (const [i, j] of pairs) {
    if (!(i >= 0 && i < n && j >= 0 && j < n) || seenRow[i] || seenCol[j]) {
      throw new Error(`${who} returned an invalid assignment (pair ${i}, ${j})`);
    }
    seenRow[i] = seenCol[j] = 1;
    sum += data[i * n + j];
    count++;
  }
  if (count !== n) throw new Error(`${who} matched ${count} of ${n} rows`);
  return sum;
}

// A monge assignment result ({ rowInd, colInd, cost }) checked against the matrix: its cost.
function mongeAssignmentValue(data, n, r, who) {
  const pairs = Array.from(r.rowInd, (i, k) => [i, r.colInd[k]]);
  const sum = assignmentTotal(data, n, pairs, who);
  if (Math.abs(sum - r.cost) > 1e-12 * Math.max(1, Math.abs(sum))) {
    throw new Error(`${who} reported cost ${r.cost} but its assignment sums to ${sum}`);
  }
  return r.cost;
}

// n points uniform in the unit square, row-major { data, n, dim: 2 }.
const squareCloud = (rand, n) => ({ data: Float64Array.from({ length: 2 * n }, rand), n, dim: 2 });

// Exact optimal transport between two clouds of n points uniform in the unit square, squared
// Euclidean costs (built once with monge's `dist`, outside the timing), uniform weights. POT runs
// `ot.emd2` on the same arrays; every call must end 'optimal' (POT: no numItermax warning).
function emdCase(size, targets, { repBudgetS } = {}) {
  const n = size / scale;
  const ns = n.toLocaleString('en-US');
  return {
    id: `emd-${n}`,
    title:
      `emd, n = m = ${ns}, points uniform in the unit square, squared Euclidean costs, uniform weights, ` +
      `maxIter ${EMD_MAX_ITER.toLocaleString('en-US')}`,
    label: `emd n = ${ns}`,
    params: { fn: 'emd', n, m: n, dim: 2, metric: 'sqeuclidean', weighted: false, maxIter: EMD_MAX_ITER },
    reference: 'POT',
    targets,
    exact: true,
    repBudgetS,
    async make(dump, { note }) {
      const rand = mulberry32(5);
      const x = squareCloud(rand, n);
      const y = squareCloud(rand, n);
      const M = await ot.dist(x, y, { metric: 'sqeuclidean' });
      const a = new Float64Array(n).fill(1 / n);
      const b = new Float64Array(n).fill(1 / n);
      return {
        monge: (backend) => ot.emd(a, b, M, { maxIter: EMD_MAX_ITER, backend }),
        value(r) {
          if (r.status !== 'optimal') {
            throw new Error(`monge (${r.backend}) ended with status ${r.status} after ${r.iterations} pivots`);
          }
          note(
            r.backend,
            `${r.backend}: status optimal after ${r.iterations.toLocaleString('en-US')} pivots, ` +
              `dual gap ${r.dualGap.toExponential(1)}, plan of ${r.plan.values.length.toLocaleString('en-US')} entries`,
          );
          return r.cost;
        },
        reference: {
          op: 'emd2',
          a: dump('a', a),
          b: dump('b', b),
          cost: dump('cost', M.data),
          rows: n,
          cols: n,
          num_iter_max: EMD_MAX_ITER,
        },
      };
    },
  };
}

// Assignment by auction on 2-D geometric costs scaled to integers (squared Euclidean distances
// between two clouds of n points uniform in the unit square, × 10⁶, rounded): with integer costs
// the auction's result is provably optimal (gapBound 0, checked). scipy's linear_sum_assignment is
// the reference; monge's linearSumAssignment on the same matrix is reported beside it, untargeted.
function auctionCase(size, targets) {
  const n = size / scale;
  const ns = n.toLocaleString('en-US');
  const factor = 1e6;
  return {
    id: `auction-geometric-integer-${n}`,
    title:
      `auction, ${ns} × ${ns}, squared Euclidean distances between two uniform point clouds in the unit ` +
      `square × 10⁶, rounded to integers`,
    label: `auction integer geometric n = ${ns}`,
    params: { fn: 'auction', n, m: n, kind: 'geometric-integer', factor, maximize: false },
    reference: 'scipy',
    targets,
    exact: true,
    make(dump, { note, backends }) {
      const rand = mulberry32(6);
      const x = squareCloud(rand, n).data;
      const y = squareCloud(rand, n).data;
      const data = new Float64Array(n * n);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          const dx = x[2 * i] - y[2 * j],
            dy = x[2 * i + 1] - y[2 * j + 1];
          data[i * n + j] = Math.round((dx * dx + dy * dy) * factor);
        }
      }
      const M = { data, rows: n, cols: n };
      return {
        monge: (backend) => ot.auction(M, { maximize: false, backend }),
        value(r) {
          if (r.gapBound !== 0) throw new Error(`monge (${r.backend}) auction gapBound is ${r.gapBound}, not 0`);
          note(r.backend, `${r.backend}: gapBound 0 (integer costs: provably optimal)`);
          return mongeAssignmentValue(data, n, r, `monge (${r.backend}) auction`);
        },
        reference: { op: 'linear_sum_assignment', cost: dump('cost', data), rows: n, cols: n, maximize: false },
        peers: backends.map((backend) => ({
          name: `linearSumAssignment (${backend})`,
          against: [backend],
          call: () => ot.linearSumAssignment(M, { maximize: false, backend }),
          value: (r) => mongeAssignmentValue(data, n, r, `monge (${backend}) linearSumAssignment`),
        })),
      };
    },
  };
}

// Sinkhorn with tol 0: exactly maxIter iterations (checked), the value being the transport cost
// <P, M>. `note` gets the iterations and marginal error per backend.
function sinkhornValue(maxIter, note) {
  return (r) => {
    if (r.iterations !== maxIter)
      throw new Error(`monge (${r.backend}) ran ${r.iterations} iterations, not ${maxIter}`);
    note(
      r.backend,
      `${r.backend}: ${r.iterations} iterations (tol 0), ${r.dtype}, marginal error ` +
        `${r.marginalError.toExponential(2)}, cost ${r.cost.toPrecision(8)}`,
    );
    return r.cost;
  };
}

// The kernels' instruction sets and threads, for the notes of the Sinkhorn cases.
function simdNote(backends) {
  const cores = os.availableParallelism?.() ?? os.cpus().length;
  const parts = [];
  if (backends.includes('native'))
    parts.push(`native ${roofline.simd.native ?? 'unknown'} on ${cores} threads (one per core)`);
  if (backends.includes('wasm')) parts.push(`WASM ${roofline.simd.wasm ?? 'unknown'} on one thread`);
  return `kernels: ${parts.join(', ')}`;
}

// The roofline of a Sinkhorn case as peers: `calls` calls (one per half-iteration) of Σ exp over
// `values` (the n·m entries −M/reg), timed as one measurement. The WASM one reports its time less
// the argument copy wasm-bindgen makes on every call (timed right after, on its own; both figures
// are noted), so that it times the exp as the native one does (napi passes the array in place).
function rooflinePeers(values, calls, note) {
  const peers = [];
  if (roofline.native) {
    peers.push({
      name: 'roofline (native)',
      against: ['native'],
      call() {
        let sum = 0;
        for (let k = 0; k < calls; k++) sum = roofline.native(values);
        return sum;
      },
      value: (sum) => sum,
    });
  }
  if (roofline.wasm) {
    peers.push({
      name: 'roofline (wasm)',
      against: ['wasm'],
      timed() {
        let sum = 0;
        const t0 = performance.now();
        for (let k = 0; k < calls; k++) sum = roofline.wasm.sum(values);
        const t1 = performance.now();
        for (let k = 0; k < calls; k++) roofline.wasm.copy(values);
        const t2 = performance.now();
        const total = t1 - t0,
          copy = t2 - t1;
        note(
          'roofline (wasm)',
          `roofline (wasm): the time shown is the ${calls} calls (${fmtMs(total)} ms as measured) ` +
            `less the copy of the ${(values.byteLength / 2 ** 20).toFixed(1)} MiB array into the module's memory that ` +
            `wasm-bindgen makes on each call (${fmtMs(copy)} ms for ${calls} copies, timed right after; last repetition)`,
        );
        return { ms: total - copy, result: sum };
      },
      value: (sum) => sum,
    });
  }
  return peers;
}

// Log-domain Sinkhorn on a dense float32 cost matrix: squared Euclidean costs between two clouds of
// n points uniform in the unit square (built with `dist`, then rounded to float32, outside the
// timing), uniform weights, tol 0 so that every implementation runs exactly maxIter iterations.
// POT: ot.sinkhorn(method='sinkhorn_log', stopThr=0) on the same float32 matrix. The rooflines time
// Σ exp over the n·m values −M/reg, once per half-iteration.
function sinkhornDenseCase(size, targets) {
  const n = Math.round(size / scale);
  const ns = n.toLocaleString('en-US');
  const reg = 0.01,
    maxIter = 100,
    halfIterations = 2 * maxIter;
  return {
    id: `sinkhorn-dense-float32-${n}`,
    title:
      `sinkhorn, dense float32, n = m = ${ns}, points uniform in the unit square, squared Euclidean costs, ` +
      `uniform weights, reg ${reg}, tol 0, maxIter ${maxIter}`,
    label: `sinkhorn dense float32 n = ${ns}`,
    params: {
      fn: 'sinkhorn',
      n,
      m: n,
      dim: 2,
      metric: 'sqeuclidean',
      dtype: 'float32',
      weighted: false,
      reg,
      tol: 0,
      maxIter,
    },
    reference: 'POT',
    targets,
    exact: false,
    perEntry: halfIterations * n * n,
    maxReps: { POT: 3, 'roofline (wasm)': 3 }, // ≈ 20 s and ≈ 5 s a call on 2 cores
    async make(dump, { note, remark, backends }) {
      const rand = mulberry32(12);
      const x = squareCloud(rand, n);
      const y = squareCloud(rand, n);
      const M = { data: Float32Array.from((await ot.dist(x, y, { metric: 'sqeuclidean' })).data), rows: n, cols: n };
      const values = M.data.map((c) => -c / reg); // a Float32Array, as the kernels round it
      remark('simd', simdNote(backends));
      remark(
        'per entry',
        `ns per entry per half-iteration = median time / (${halfIterations} · n · m), ${halfIterations} ` +
          `half-iterations being ${maxIter} iterations of an f update and a g update. monge reads each cost entry once ` +
          'per iteration (one fused sweep for both updates) and makes 2 more half-passes at the end to measure the ' +
          'marginals and the cost; POT makes 2 log-sum-exp passes per iteration, plus one error pass every 10th ' +
          'iteration and one for the plan; each roofline time is ' +
          `${halfIterations} calls of Σ exp over the n·m entries. POT runs on one thread (NumPy / scipy logsumexp).`,
      );
      return {
        monge: (backend) => ot.sinkhorn(undefined, undefined, M, { reg, maxIter, tol: 0, dtype: 'float32', backend }),
        value: sinkhornValue(maxIter, note),
        reference: {
          op: 'sinkhorn_log',
          cost: dump('cost', M.data),
          rows: n,
          cols: n,
          a: null,
          b: null,
          reg,
          num_iter_max: maxIter,
          stop_thr: 0,
          dtype: 'float32',
        },
        referenceCheck(reply) {
          if (reply.iterations !== maxIter) throw new Error(`POT ran ${reply.iterations} iterations, not ${maxIter}`);
          if (reply.dtype !== 'float32') throw new Error(`POT computed in ${reply.dtype}, not float32`);
          note(
            'POT',
            `POT: ${reply.iterations} iterations (stopThr 0: POT stops only when its error, checked every ` +
              `10th iteration, is below stopThr, which a norm never is), ${reply.error_checks} error passes, plan in ` +
              `${reply.dtype}, cost ${reply.value.toPrecision(8)}`,
          );
        },
        peers: rooflinePeers(values, halfIterations, note),
        checks: [
          ['wasm', 'native', 1e-5, 'same algorithm in float32, different exp vectorisation and summation order'],
          [
            'native',
            'POT',
            1e-4,
            `float32, ${maxIter} iterations short of convergence, and POT updates g before f ` +
              'where monge updates f first, so the plans differ slightly',
          ],
          [
            'roofline (wasm)',
            'roofline (native)',
            1e-3,
            `float32 sums of ${(n * n).toLocaleString('en-US')} terms in different orders`,
          ],
        ],
      };
    },
  };
}

// Log-domain Sinkhorn on two point clouds, costs computed on the fly (no n × m array): n points
// uniform in the unit cube each, float32, tol 0. No POT: ot.sinkhorn needs the n × m matrix.
function sinkhornCloudCase(size, targets) {
  const n = size / scale;
  const ns = n.toLocaleString('en-US');
  const dim = 3,
    reg = 0.01,
    maxIter = 10,
    halfIterations = 2 * maxIter;
  return {
    id: `sinkhorn-clouds-float32-${n}`,
    title:
      `sinkhorn, point clouds float32, n = m = ${ns}, d = ${dim}, points uniform in the unit cube, squared ` +
      `Euclidean costs computed on the fly, uniform weights, reg ${reg}, tol 0, maxIter ${maxIter}`,
    label: `sinkhorn point clouds float32 n = ${ns}`,
    params: {
      fn: 'sinkhorn',
      n,
      m: n,
      dim,
      metric: 'sqeuclidean',
      costs: 'on the fly',
      dtype: 'float32',
      weighted: false,
      reg,
      tol: 0,
      maxIter,
    },
    reference: null,
    targets,
    exact: false,
    perEntry: halfIterations * n * n,
    relativeTo: {
      key: SINKHORN_CLOUD_KEY,
      idPrefix: 'sinkhorn-dense-float32-',
      impl: 'native',
      halfIterations,
      extraHalfPasses: 2,
    },
    maxReps: { wasm: 3 }, // ≈ 10 s a call
    make(_dump, { note, remark, backends }) {
      const rand = mulberry32(13);
      const cube = () => ({ data: Float64Array.from({ length: dim * n }, rand), n, dim });
      const cost = { x: cube(), y: cube(), metric: 'sqeuclidean' };
      remark('simd', simdNote(backends));
      remark(
        'per entry',
        `ns per entry per half-iteration = median time / (${halfIterations} · n · m); monge makes 2 ` +
          'more half-passes at the end to measure the marginals and the cost (10% more work at this maxIter, 1% in ' +
          'the dense case).',
      );
      remark(
        'no POT',
        `No POT: ot.sinkhorn needs the ${ns} × ${ns} cost matrix (${((4 * n * n) / 1e9).toPrecision(2)} GB ` +
          `in float32); POT's lazy empirical_sinkhorn(isLazy=True) is not benchmarked.`,
      );
      return {
        monge: (backend) =>
          ot.sinkhorn(undefined, undefined, cost, { reg, maxIter, tol: 0, dtype: 'float32', backend }),
        value: sinkhornValue(maxIter, note),
        checks: [
          ['wasm', 'native', 1e-5, 'same algorithm in float32, different exp vectorisation and summation order'],
        ],
      };
    },
  };
}

// Epsilon scaling: the iterations and time to reach tol 1e-6 at reg 1e-3 without and with
// `epsScaling` (native, float64), on the squared Euclidean costs between two clouds of n points
// uniform in the unit square. Untargeted: issue #5 asks for the numbers.
function sinkhornEpsCase(size, { repBudgetS } = {}) {
  const n = size / scale;
  const ns = n.toLocaleString('en-US');
  const reg = 1e-3,
    tol = 1e-6,
    maxIter = 100_000;
  const scaled = 'native (epsScaling)';
  return {
    id: `sinkhorn-eps-scaling-${n}`,
    title:
      `sinkhorn epsilon scaling, n = m = ${ns}, float64, native, points uniform in the unit square, squared ` +
      `Euclidean costs, uniform weights, reg ${reg}, tol ${tol.toExponential()}, ` +
      `maxIter ${maxIter.toLocaleString('en-US')}: ` +
      `epsScaling false (native) and true (${scaled})`,
    label: `sinkhorn epsilon scaling n = ${ns}`,
    params: {
      fn: 'sinkhorn',
      n,
      m: n,
      dim: 2,
      metric: 'sqeuclidean',
      dtype: 'float64',
      weighted: false,
      reg,
      tol,
      maxIter,
      epsScaling: [false, true],
    },
    reference: null,
    targets: null,
    exact: false,
    backends: ['native'],
    repBudgetS,
    async make(_dump, { note, remark, backends }) {
      const rand = mulberry32(14);
      const x = squareCloud(rand, n);
      const y = squareCloud(rand, n);
      const M = await ot.dist(x, y, { metric: 'sqeuclidean' });
      const solve = (epsScaling) =>
        ot.sinkhorn(undefined, undefined, M, { reg, maxIter, tol, epsScaling, backend: 'native' });
      const last = {};
      const value = (name) => (r) => {
        if (!r.converged)
          throw new Error(`${name} did not reach tol ${tol.toExponential()} in ${r.iterations} iterations`);
        last[name] = r;
        note(
          name,
          `${name}: ${r.iterations.toLocaleString('en-US')} iterations` +
            `${name === scaled ? ' (annealing stages included)' : ''}, marginal error ${r.marginalError.toExponential(2)}`,
        );
        return r.cost;
      };
      remark('simd', simdNote(backends));
      return {
        monge: () => solve(false),
        value: value('native'),
        peers: [{ name: scaled, against: ['native'], call: () => solve(true), value: value(scaled) }],
        checks: [
          [
            scaled,
            'native',
            1e-4,
            `both stop once the marginal error is ≤ ${tol.toExponential()}, from different starts`,
          ],
        ],
        summary(results) {
          const [a, b] = [last.native, last[scaled]];
          const [ta, tb] = [results.native?.median_ms, results[scaled]?.median_ms];
          if (!a || !b || !ta || !tb) return [];
          const pct = (x, y, less, more) => `${Math.abs(100 * (1 - x / y)).toFixed(0)}% ${x <= y ? less : more}`;
          return [
            `epsScaling: ${b.iterations.toLocaleString('en-US')} iterations instead of ` +
              `${a.iterations.toLocaleString('en-US')} (${pct(b.iterations, a.iterations, 'fewer', 'more')}), median ` +
              `time ${fmtMs(tb)} ms instead of ${fmtMs(ta)} ms (${pct(tb, ta, 'less', 'more')}); ` +
              `${(ta / a.iterations).toPrecision(3)} and ${(tb / b.iterations).toPrecision(3)} ms per iteration`,
          ];
        },
      };
    },
  };
}

// --- Python reference worker ------------------------------------------------------------------
// Returns the path of a Python with POT and scipy (scripts/python-env.sh creates .venv if needed), or
// { reason } if impossible.
function ensurePython() {
  const r = spawnSync('bash', [join(root, 'scripts/python-env.sh')], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 2],
    timeout: 600e3,
  });
  if (r.status !== 0) return { reason: `scripts/python-env.sh failed (${r.error?.message ?? `exit ${r.status}`})` };
  return { py: r.stdout.trim() };
}

function startWorker(py) {
  const child = spawn(py, [join(root, 'bench/reference.py')], { stdio: ['pipe', 'pipe', 'inherit'] });
  const waiting = [];
  let dead = null;
  const die = (why) => {
    dead ??= `Python reference worker ${why}`;
    for (const w of waiting.splice(0)) w.reject(new Error(dead));
  };
  createInterface({ input: child.stdout }).on('line', (line) => waiting.shift()?.resolve(JSON.parse(line)));
  child.on('exit', (code, signal) => die(`exited (${signal ?? `code ${code}`})`));
  child.on('error', (e) => die(`failed to start (${e.message})`));
  child.stdin.on('error', () => {}); // EPIPE after a crash: reported through 'exit'
  return {
    async ask(request) {
      if (dead) throw new Error(dead);
      const reply = await new Promise((resolve, reject) => {
        waiting.push({ resolve, reject });
        child.stdin.write(`${JSON.stringify(request)}\n`);
      });
      if (reply.error) throw new Error(`Python: ${reply.error}`);
      return reply;
    },
    close: () => child.stdin.end(),
  };
}

// --- measuring --------------------------------------------------------------------------------
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b),
    h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
};

async function runCase(c, allBackends, worker, tmp, done) {
  log(`${c.title}: generating data`);
  const backends = allBackends.filter((b) => !c.backends || c.backends.includes(b));
  const dumped = [];
  const dump = (name, array) => {
    const path = join(tmp, `${c.id}-${name}.f${8 * array.BYTES_PER_ELEMENT}`);
    dumped.push(path);
    writeFileSync(path, new Uint8Array(array.buffer, array.byteOffset, array.byteLength));
    return path;
  };
  const facts = new Map(),
    remarks = new Map();
  const note = (key, text) => facts.set(key, text);
  const remark = (key, text) => remarks.set(key, text);
  const data = await c.make(dump, { note, remark, backends });
  const impls = backends.map((backend) => ({
    name: backend,
    maxReps: c.maxReps?.[backend],
    async time() {
      const t0 = performance.now();
      const result = await data.monge(backend);
      const ms = performance.now() - t0;
      return { ms, value: data.value ? data.value(result) : result };
    },
  }));
  if (worker && c.reference) {
    impls.push({
      name: c.reference,
      maxReps: c.maxReps?.[c.reference],
      async time() {
        const r = await worker.ask(data.reference);
        if (r.status !== undefined) {
          if (r.status !== 'optimal') throw new Error(`${c.reference} ended with: ${r.status}`);
          note(c.reference, `${c.reference}: status optimal (no numItermax warning)`);
        }
        data.referenceCheck?.(r);
        return { ms: r.seconds * 1e3, value: r.value };
      },
    });
  }
  for (const peer of data.peers ?? []) {
    impls.push({
      name: peer.name,
      maxReps: peer.maxReps ?? c.maxReps?.[peer.name],
      against: peer.against,
      async time() {
        if (peer.timed) {
          const { ms, result } = await peer.timed();
          return { ms, value: peer.value(result) };
        }
        const t0 = performance.now();
        const result = await peer.call();
        const ms = performance.now() - t0;
        return { ms, value: peer.value(result) };
      },
    });
  }
  const results = Object.fromEntries(impls.map((i) => [i.name, { times_ms: [], value: null, error: null }]));
  const attempt = async (impl, record) => {
    const r = results[impl.name];
    if (r.error) return 0;
    try {
      const { ms, value } = await impl.time();
      r.value = value;
      if (record) r.times_ms.push(ms);
      return ms;
    } catch (e) {
      r.error = e.message;
      log(`${c.title}: ${impl.name} failed: ${e.message}`);
      return 0;
    }
  };
  let warmupMs = 0,
    estimateMs = 0;
  for (const impl of impls) {
    // warm-up
    const ms = await attempt(impl, false);
    warmupMs += ms;
    estimateMs += ms * Math.min(reps, impl.maxReps ?? Infinity);
  }
  let caseReps = reps,
    repsNote = null;
  if (c.repBudgetS && reps > 3 && estimateMs / 1e3 > c.repBudgetS) {
    caseReps = 3;
    repsNote =
      `${c.label}: 3 repetitions instead of ${reps}: its warm-up round took ${(warmupMs / 1e3).toFixed(1)} s, ` +
      `so ${reps} would have taken about ${(estimateMs / 1e3).toFixed(0)} s (budget ${c.repBudgetS} s, ` +
      'to keep the full run from growing much longer)';
    log(repsNote);
  }
  for (let rep = 0; rep < caseReps; rep++) {
    log(`${c.title}: repetition ${rep + 1}/${caseReps}`);
    for (const impl of impls) {
      if (rep < (impl.maxReps ?? Infinity)) await attempt(impl, true); // alternate within each repetition
    }
  }
  for (const file of dumped) rmSync(file, { force: true });
  for (const r of Object.values(results)) {
    if (r.times_ms.length) Object.assign(r, { median_ms: median(r.times_ms), min_ms: Math.min(...r.times_ms) });
    if (r.times_ms.length && c.perEntry) r.ns_per_entry_half_iteration = (r.median_ms * 1e6) / c.perEntry;
  }
  const against = Object.fromEntries(impls.filter((i) => i.against).map((i) => [i.name, i.against]));
  const compared = compare({ ...c, checks: data.checks }, results, against, done);
  return {
    ...c,
    results,
    peers: (data.peers ?? []).map((p) => p.name),
    facts: [...facts.values(), ...(data.summary?.(results) ?? []), ...compared.facts],
    remarks: [...remarks.values()],
    warmup_ms: warmupMs,
    reps: caseReps,
    repsNote,
    ratios: compared.ratios,
    verdicts: compared.verdicts,
    checks: compared.checks,
  };
}

// Ratios of medians, target verdicts and value checks for one case; `done`: the cases run before
// it (for `relativeTo`). Also returns `facts`, lines to print under the case.
function compare(c, results, against = {}, done = []) {
  const med = (name) => results[name]?.median_ms;
  const ref = c.reference;
  const peerNames = Object.keys(results).filter((name) => !['native', 'wasm', ref].includes(name));
  const ratios = {};
  const facts = [];
  for (const [a, b] of [
    ...(ref ? [['native', ref]] : []),
    ['wasm', 'native'],
    ...(ref ? [['wasm', ref]] : []),
    ...peerNames.flatMap((p) => (against[p] ?? ['native', 'wasm']).map((b) => [b, p])),
  ]) {
    if (!(a in results && b in results)) continue; // a backend the case does not run
    const key = `${a} / ${b}`;
    ratios[key] = med(a) && med(b) ? med(a) / med(b) : null;
  }
  for (const [key, limit] of Object.entries(c.targets ?? {})) {
    // targets on ns per entry per half-iteration
    const name =
      typeof limit === 'object' &&
      key.endsWith(' ns per entry per half-iteration') &&
      key.slice(0, -' ns per entry per half-iteration'.length);
    if (name) ratios[key] = results[name]?.ns_per_entry_half_iteration ?? null;
  }
  if (c.relativeTo) {
    // ns per entry per half-iteration against another case's
    const { key, idPrefix, impl, halfIterations, extraHalfPasses } = c.relativeTo;
    const other = done.find((r) => r.id.startsWith(idPrefix));
    const mine = results[impl]?.ns_per_entry_half_iteration;
    const theirs = other?.results[impl]?.ns_per_entry_half_iteration;
    ratios[key] = mine && theirs ? mine / theirs : null;
    if (ratios[key] != null) {
      const theirHalf = other.params.maxIter * 2;
      const fair =
        (ratios[key] * (halfIterations / (halfIterations + extraHalfPasses))) /
        (theirHalf / (theirHalf + extraHalfPasses));
      facts.push(
        `${impl}: ${mine.toPrecision(3)} ns per entry per half-iteration against ${theirs.toPrecision(3)} in ` +
          `${other.label} (ratio ${fmtRatio(ratios[key])}); counting the ${extraHalfPasses} measuring half-passes as ` +
          `work (${halfIterations + extraHalfPasses} half-passes here, ${theirHalf + extraHalfPasses} there), ` +
          `${fmtRatio(fair)}`,
      );
    } else if (!other) {
      facts.push(`${key}: not measured (the case ${idPrefix}… did not run)`);
    }
  }
  const verdicts = {};
  for (const [key, limit] of Object.entries(c.targets ?? {})) {
    const r = ratios[key];
    if (!(key in ratios)) ratios[key] = null;
    verdicts[key] =
      r == null
        ? 'not measured'
        : typeof limit === 'object'
          ? r <= limit.max
            ? `meets ≤ ${limit.max} ${limit.unit}`
            : `misses: ${r.toPrecision(3)} ${limit.unit}`
          : r <= limit
            ? `meets ≤ ${limit}x`
            : `misses: ${fmtRatio(r)}`;
  }
  const checks = [];
  const value = (name) => (results[name]?.error ? null : results[name]?.value);
  const rel = (a, b) => Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), Number.MIN_VALUE);
  const check = (a, b, tol, what) => {
    if (value(a) == null || value(b) == null) return;
    const d = rel(value(a), value(b));
    const ok = d <= tol;
    checks.push({
      pair: `${a} vs ${b}`,
      relative_difference: d,
      tolerance: tol,
      ok,
      text: `${a} vs ${b}: relative difference ${d.toExponential(1)} (${what}; flagged above ${tol}): ${ok ? 'ok' : 'WARNING: too large'}`,
    });
  };
  if (c.checks) {
    for (const [a, b, tol, what] of c.checks) check(a, b, tol, what);
    return { ratios, verdicts, checks, facts };
  }
  check('wasm', 'native', 1e-9, c.exact ? 'same solver, same data' : 'same solver, same data and directions');
  if (ref && c.exact) check('native', ref, 1e-9, 'exact solver, identical data');
  else if (ref)
    check(
      'native',
      ref,
      0.1,
      'different random directions, so only approximate: at 100 directions the seed alone moves SW by several percent',
    );
  for (const p of peerNames) check('native', p, 1e-9, 'exact solver, identical data');
  return { ratios, verdicts, checks, facts };
}

// Peak memory of one native emd solve at n = m = MEMORY.n, in a child process of its own
// (bench/emd-memory.mjs) so that nothing else this process did counts.
function measureEmdMemory(backends) {
  const { n, limitGiB } = MEMORY;
  if (!backends.includes('native')) return { n, error: 'native backend unavailable' };
  log(`emd peak memory, n = m = ${n.toLocaleString('en-US')}, native: child process`);
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [join(root, 'bench/emd-memory.mjs'), String(n)], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    timeout: 300e3,
  });
  const wall_s = (performance.now() - t0) / 1e3;
  if (r.status !== 0) return { n, error: `child failed (${r.error?.message ?? r.signal ?? `exit ${r.status}`})` };
  const out = JSON.parse(r.stdout.trim().split('\n').pop());
  const peakGiB = out.peak_rss_mib / 1024;
  const ok = out.status === 'optimal' && peakGiB <= limitGiB;
  const verdict =
    out.status !== 'optimal'
      ? `not measured: status ${out.status}`
      : ok
        ? `meets ≤ ${limitGiB} GiB`
        : `misses: ${peakGiB.toFixed(2)} GiB`;
  return { ...out, peak_rss_gib: peakGiB, limit_gib: limitGiB, verdict, child_wall_s: wall_s };
}

// Peak memory of one native point-cloud sinkhorn solve at n = m = SINKHORN_MEMORY.n, in a child
// process of its own (bench/sinkhorn-memory.mjs): the peak RSS after the solve less the peak before it.
function measureSinkhornMemory(backends) {
  const { n, maxIter, limitMiB } = SINKHORN_MEMORY;
  if (!backends.includes('native')) return { n, error: 'native backend unavailable' };
  log(`sinkhorn peak memory, point clouds n = m = ${n.toLocaleString('en-US')}, native: child process`);
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [join(root, 'bench/sinkhorn-memory.mjs'), String(n), String(maxIter)], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    timeout: 300e3,
  });
  const wall_s = (performance.now() - t0) / 1e3;
  if (r.status !== 0) return { n, error: `child failed (${r.error?.message ?? r.signal ?? `exit ${r.status}`})` };
  const out = JSON.parse(r.stdout.trim().split('\n').pop());
  const above = out.peak_above_baseline_mib;
  const verdict =
    out.iterations !== maxIter
      ? `not measured: ${out.iterations} iterations, not ${maxIter}`
      : above <= limitMiB
        ? `meets ≤ ${limitMiB} MiB`
        : `misses: ${above.toFixed(1)} MiB`;
  return { ...out, limit_mib: limitMiB, verdict, child_wall_s: wall_s };
}

function sinkhornMemoryMarkdown(mem) {
  const { n, maxIter, limitMiB } = SINKHORN_MEMORY;
  const ns = n.toLocaleString('en-US');
  const lines = [`## Peak memory: sinkhorn, point clouds, n = m = ${ns}, native backend`, ''];
  if (mem.error) return [...lines, `Not measured: ${mem.error}.`].join('\n');
  const f = (mib) => `${mib.toFixed(1)} MiB`;
  const dense = (4 * n * n) / 2 ** 20;
  lines.push(
    'One native float32 `sinkhorn` solve on two clouds of ' +
      `${ns} points uniform in the unit cube (d = ${mem.dim}), squared Euclidean costs computed on the fly, uniform ` +
      `weights, reg ${mem.reg}, tol 0, maxIter ${maxIter}, all cores, in a child process of its own ` +
      `(\`node bench/sinkhorn-memory.mjs ${n} ${maxIter}\`). The baseline is the peak RSS ` +
      "(`process.resourceUsage().maxRSS`, the kernel's high-water mark for the whole process) after loading monge " +
      "and building the clouds, just before the solve; the solver's memory is the peak after the solve less that.",
    '',
    '| measure | value |',
    '|---|---:|',
    `| RSS after loading monge | ${f(mem.after_load_rss_mib)} |`,
    `| RSS before the solve (clouds built) | ${f(mem.before_solve_rss_mib)} |`,
    `| peak RSS before the solve (baseline) | ${f(mem.baseline_peak_rss_mib)} |`,
    `| RSS after the solve | ${f(mem.after_solve_rss_mib)} |`,
    `| peak RSS after the solve | ${f(mem.peak_rss_mib)} |`,
    `| **peak above baseline** | **${f(mem.peak_above_baseline_mib)}** |`,
    `| solve time | ${mem.seconds.toFixed(2)} s |`,
    `| iterations | ${mem.iterations} |`,
    `| cost | ${mem.cost.toPrecision(8)} |`,
    '',
    `- Target (issue #5): peak RSS above baseline ≤ 64 MB (read as ${limitMiB} MiB): ${mem.verdict}` +
      (mem.peak_above_baseline_mib <= limitMiB
        ? ` (${((100 * mem.peak_above_baseline_mib) / limitMiB).toFixed(0)}% of the limit)`
        : ''),
    `- For scale: the dense ${ns} × ${ns} cost matrix alone would take ${f(dense)} in float32.`,
  );
  return lines.join('\n');
}

function memoryMarkdown(mem) {
  const ns = MEMORY.n.toLocaleString('en-US');
  const lines = [`## Peak memory: emd, n = m = ${ns}, native backend`, ''];
  if (mem.error) return [...lines, `Not measured: ${mem.error}.`].join('\n');
  const f = (mib) => `${mib.toFixed(1)} MiB`;
  lines.push(
    'One native `emd` solve (uniform weights, squared Euclidean costs between two clouds of ' +
      `${ns} points uniform in the unit square, maxIter ${EMD_MAX_ITER.toLocaleString('en-US')}) in a child ` +
      `process of its own (\`node bench/emd-memory.mjs ${MEMORY.n}\`): the cost matrix is built with \`dist\`, ` +
      "then solved once. RSS is `process.memoryUsage().rss`; the peak is the kernel's high-water mark " +
      'for the whole child process (`process.resourceUsage().maxRSS`), which includes Node itself and the matrix.',
    '',
    '| measure | value |',
    '|---|---:|',
    `| RSS after loading monge (baseline) | ${f(mem.baseline_rss_mib)} |`,
    `| RSS after building M (M itself: ${f(mem.matrix_mib)}) | ${f(mem.after_matrix_rss_mib)} |`,
    `| RSS after the solve | ${f(mem.after_solve_rss_mib)} |`,
    `| **peak RSS** | **${f(mem.peak_rss_mib)}** (${mem.peak_rss_gib.toFixed(2)} GiB) |`,
    `| peak − baseline − M (the solver's own memory, roughly) | ${f(mem.peak_rss_mib - mem.baseline_rss_mib - mem.matrix_mib)} |`,
    `| solve time | ${mem.seconds.toFixed(2)} s |`,
    `| pivots (iterations) | ${mem.iterations.toLocaleString('en-US')} |`,
    `| status | ${mem.status} |`,
    `| cost | ${mem.cost.toPrecision(12)} |`,
    '',
    `- Target (issue #4): peak RSS ≤ ${MEMORY.limitGiB} GiB: ${mem.verdict}` +
      (mem.peak_rss_gib <= MEMORY.limitGiB
        ? ` (${((100 * mem.peak_rss_gib) / MEMORY.limitGiB).toFixed(0)}% of the limit)`
        : ''),
    `- POT needs about ${MEMORY.potGiB} GiB at this size, a figure quoted from issue #4, not measured here ` +
      `(POT is not run at n = ${ns}).`,
  );
  return lines.join('\n');
}

// --- reporting --------------------------------------------------------------------------------
const fmtRatio = (r) => `${r.toPrecision(3)}x`;
const fmtMs = (ms) => (ms == null ? '—' : ms >= 100 ? ms.toFixed(1) : ms >= 1 ? ms.toFixed(2) : ms.toFixed(3));

function caseMarkdown(r) {
  const perEntry = Boolean(r.perEntry);
  const lines = [
    `### ${r.title}`,
    '',
    `| implementation | median ms | min ms |${perEntry ? ' ns / entry / half-iteration |' : ''} value |`,
    `|---|---:|---:|${perEntry ? '---:|' : ''}---:|`,
  ];
  for (const [name, x] of Object.entries(r.results)) {
    const value = x.error ? `error: ${x.error}` : (x.value?.toPrecision(12) ?? '—');
    const few = x.times_ms.length && x.times_ms.length < reps ? ` (${x.times_ms.length} reps)` : '';
    const ns = perEntry ? ` ${x.ns_per_entry_half_iteration?.toPrecision(3) ?? '—'} |` : '';
    lines.push(`| ${name}${few} | ${fmtMs(x.median_ms)} | ${fmtMs(x.min_ms)} |${ns} ${value} |`);
  }
  const unit = (key) => (typeof r.targets?.[key] === 'object' ? r.targets[key].unit : null);
  const measures = Object.keys(r.ratios).some(unit);
  lines.push('', `| ratio of medians${measures ? ', or measure' : ''} | value | target |`, '|---|---:|---|');
  for (const [key, ratio] of Object.entries(r.ratios)) {
    const value = ratio == null ? '—' : unit(key) ? `${ratio.toPrecision(3)} ${unit(key)}` : fmtRatio(ratio);
    lines.push(`| ${key} | ${value} | ${r.verdicts[key] ?? '—'} |`);
  }
  lines.push(
    '',
    ...r.checks.map((c) => `- Values, ${c.text}`),
    ...(r.facts ?? []).map((f) => `- Result, ${f}`),
    ...(r.remarks ?? []).map((f) => `- Note: ${f}`),
  );
  return lines.join('\n');
}

function machine() {
  const cpus = os.cpus();
  let cpu = cpus[0]?.model?.trim();
  if (!cpu) {
    try {
      cpu = readFileSync('/proc/cpuinfo', 'utf8').match(/^model name\s*:\s*(.*)$/m)?.[1];
    } catch {}
  }
  let distro = '';
  try {
    distro = readFileSync('/etc/os-release', 'utf8').match(/^PRETTY_NAME="?([^"\n]*)/m)?.[1] ?? '';
  } catch {}
  return {
    cpu: cpu ?? 'unknown',
    cores: os.availableParallelism?.() ?? cpus.length,
    ram_gib: +(os.totalmem() / 2 ** 30).toFixed(1),
    os: `${distro ? `${distro}, ` : ''}${os.type()} ${os.release()} ${os.arch()}`,
  };
}

// --- main -------------------------------------------------------------------------------------
const started = new Date();
const loadBefore = os.loadavg()[0];
const command = ['node', 'bench/run.mjs', ...argv].join(' ');
const backendList = await ot.listBackends();
const backends = ['native', 'wasm'].filter((name) => backendList.find((b) => b.name === name)?.available);
const notes = backendList
  .filter((b) => !b.available)
  .map((b) => `backend ${b.name} unavailable${b.reason ? `: ${b.reason}` : ''}`);

let worker = null;
let versions = { node: process.version, monge: JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version };
if (usePot) {
  const py = ensurePython();
  if (py.py) {
    worker = startWorker(py.py);
    try {
      versions = { ...versions, ...(await worker.ask({ op: 'versions' })).versions };
    } catch (e) {
      notes.push(`Python references (POT, scipy) skipped: ${e.message}`);
      worker = null;
    }
  } else {
    notes.push(`Python references (POT, scipy) skipped: ${py.reason}`);
  }
} else {
  notes.push('Python references (POT, scipy) skipped (--no-pot)');
}
for (const [name, p] of Object.entries(peers)) versions[name] = p.version;
notes.push(...peerNotes);
if (cases.some((c) => c.params.fn === 'sinkhorn')) notes.push(...roofline.notes);
for (const n of notes) log(n);

const tmp = mkdtempSync(join(os.tmpdir(), 'monge-bench-'));
const results = [];
try {
  for (const c of cases) results.push(await runCase(c, backends, worker, tmp, results));
} finally {
  worker?.close();
  rmSync(tmp, { recursive: true, force: true });
}
// After the cases, with the Python worker gone; skipped in --quick (and by --only unless selected).
const memory = quick || !selected('emd memory') ? null : measureEmdMemory(backends);
const sinkhornMemory = quick || !selected('sinkhorn memory') ? null : measureSinkhornMemory(backends);
notes.push(...results.filter((r) => r.repsNote).map((r) => r.repsNote));

const runSeconds = (Date.now() - started.getTime()) / 1e3;
const m = machine();
m.load_average_1min = { start: loadBefore, end: os.loadavg()[0] };
const stamp = started.toISOString().replace(/\.\d+Z$/, 'Z');
const runFile = `runs/${stamp.replace(/:/g, '-')}.json`;
const versionLine = [
  `Node ${versions.node}`,
  `monge ${versions.monge}`,
  versions.pot
    ? `POT ${versions.pot}, scipy ${versions.scipy}, NumPy ${versions.numpy}, Python ${versions.python}`
    : 'POT and scipy not run',
  ...Object.keys(peers).map((name) => `${name} ${versions[name]} (npm)`),
].join(', ');
// Targets with the cases they apply to; targets applying to the same cases share a line, and
// labels differing only in n are merged ("… n = 1,000, 2,000").
const targetCases = new Map();
for (const c of cases.filter((c) => c.targets)) {
  for (const [key, limit] of Object.entries(c.targets)) {
    const [a, b] = key.split(' / ');
    const text =
      typeof limit === 'object'
        ? `${key.replace(/^wasm /, 'WASM ')} ≤ ${limit.max} ${limit.unit}`
        : `${a === 'wasm' ? 'WASM' : a} ≤ ${limit}x ${b}`;
    targetCases.set(text, [...(targetCases.get(text) ?? []), c.label]);
  }
}
const targetLines = new Map();
for (const [text, labels] of targetCases) {
  const byStem = new Map();
  for (const label of labels) {
    const [stem, n] = label.split(' n = ');
    byStem.set(stem, [...(byStem.get(stem) ?? []), n]);
  }
  const where = [...byStem].map(([stem, ns]) => `${stem} n = ${ns.join(', ')}`).join('; ');
  targetLines.set(where, [...(targetLines.get(where) ?? []), text]);
}
if (memory) {
  targetLines.set(`emd n = ${MEMORY.n.toLocaleString('en-US')}, native, peak memory (own section at the end)`, [
    `peak RSS ≤ ${MEMORY.limitGiB} GiB`,
  ]);
}
if (sinkhornMemory) {
  targetLines.set(
    `sinkhorn point clouds n = ${SINKHORN_MEMORY.n.toLocaleString('en-US')}, native, peak memory ` +
      '(own section at the end)',
    [`peak RSS above the peak before the solve ≤ 64 MB (read as ${SINKHORN_MEMORY.limitMiB} MiB)`],
  );
}
const usedPeers = Object.keys(peers).filter((name) => results.some((r) => r.peers.includes(name)));
const hasSinkhorn = results.some((r) => r.params.fn === 'sinkhorn');
const cappedReps = results.flatMap((r) =>
  Object.entries(r.results)
    .filter(([, x]) => x.times_ms.length && x.times_ms.length < reps)
    .map(([name, x]) => `${name} at ${r.label} (${x.times_ms.length})`),
);
const soloPeer = (name) => results.some((r) => !r.reference && r.peers.includes(name));
const peerSizes = (name) =>
  results
    .filter((r) => r.peers.includes(name))
    .map((r) => r.params.n)
    .filter((n, k, all) => all.indexOf(n) === k)
    .map((n) => n.toLocaleString('en-US'))
    .join(', ');
const header = [
  '# monge benchmark results',
  '',
  `- Date: ${stamp}`,
  `- Machine: ${m.cpu}, ${m.cores} cores, ${m.ram_gib} GiB RAM, ${m.os}; 1-min load average ` +
    `${m.load_average_1min.start.toFixed(2)} at start, ${m.load_average_1min.end.toFixed(2)} at end`,
  `- Versions: ${versionLine}`,
  `- Run time: ${(runSeconds / 60).toFixed(1)} min in all`,
  `- Command: \`${command}\` (after \`bash scripts/setup.sh\`; \`npm run bench\` does both)`,
  `- Method: seeded data (scripts/random.mjs); per case one warm-up call per implementation, then ${reps} ` +
    `repetitions alternating ${[...backends, ...(worker ? ['the Python reference (POT or scipy)'] : [])].join(', ')}` +
    (usedPeers.length
      ? ` and, for \`linearSumAssignment\`, the npm packages ${usedPeers
          .map(
            (name) =>
              `${name} (n = ${peerSizes(name) || 'none'}${
                soloPeer(name)
                  ? ', in a case of its own, last, ' +
                    'without scipy: alternated with them, its garbage slowed scipy and munkres by up to 2x'
                  : ''
              })`,
          )
          .join(' and ')}`
      : '') +
    (cappedReps.length ? `, with fewer repetitions for ${cappedReps.join(', ')}` : '') +
    '. ' +
    'monge times are `performance.now()` around the awaited call (input conversion included); ' +
    'POT and scipy times are `time.perf_counter()` around the library call in a persistent Python worker ' +
    '(loading the data not timed)' +
    (usedPeers.length
      ? '; munkres and munkres-js times are `performance.now()` around the call on a `number[][]` built ' +
        "once beforehand from the same Float64Array (that conversion not timed, unlike monge's)"
      : '') +
    '. Times are medians, with the minimum beside them. `linearSumAssignment` and `auction` values are the total ' +
    'cost; every returned assignment is checked to be a permutation, outside the timing. `emd` values are the ' +
    `optimal cost (POT: \`ot.emd2\`, with \`numItermax\` = monge's \`maxIter\` = ${EMD_MAX_ITER.toLocaleString('en-US')}); ` +
    'every call is checked to end with status optimal (POT: its result code, i.e. no numItermax warning), and its ' +
    'cost matrix is built once with `dist`, outside the timing. `auction` runs on integer costs and every call is ' +
    "checked to return gapBound 0 (provably optimal); monge's `linearSumAssignment` on the same matrix is timed " +
    'beside it, untargeted.' +
    (hasSinkhorn
      ? ' `sinkhorn` values are the transport cost ⟨P, M⟩ (POT: of the plan `ot.sinkhorn` returns, summed outside ' +
        'the timing); with tol 0 every call runs exactly maxIter iterations, checked for monge and for POT (whose ' +
        '`stopThr = 0` never stops early); the cost matrix or the point clouds are built once, outside the timing. ' +
        'ns per entry per half-iteration = median time / (2 · maxIter · n · m). The rooflines time 2 · maxIter calls ' +
        "(one per half-iteration) of Σ exp over the n·m values −M/reg with the Sinkhorn kernels' vectorised exp, " +
        'as one measurement, alternated with the rest.'
      : ''),
  "- Targets (from the project's issues; verdicts in each case's ratio table):",
  ...[...targetLines].map(([where, texts]) => `  - ${texts.join(', ')}: ${where}`),
  `- Threads: native \`slicedWasserstein\` spreads its directions over all ${m.cores} cores and native ` +
    '`wasserstein1d` sorts u and v on two threads (for large inputs); WASM runs on one thread, so ' +
    'wasm / native includes the thread count. `linearSumAssignment`, `emd` and `auction` (native and WASM), ' +
    'POT, scipy, munkres and munkres-js run on one thread.' +
    (hasSinkhorn
      ? ` Native \`sinkhorn\` and its roofline run on all ${m.cores} cores (SIMD: ${roofline.simd.native ?? 'unknown'}), ` +
        `WASM \`sinkhorn\` and its roofline on one thread (SIMD: ${roofline.simd.wasm ?? 'unknown'}), POT's ` +
        "`sinkhorn_log` on one thread (NumPy and scipy's logsumexp)."
      : ''),
  ...(quick ? ['- **Quick run** (sizes / 10, reps 2, no memory child): a smoke test, not a measurement.'] : []),
  ...(only != null
    ? [`- **Subset** (\`--only ${only}\`): only the matching cases and memory children; nothing written.`]
    : []),
  ...notes.map((n) => `- Note: ${n}`),
  ...(writes ? [`- Raw per-repetition timings: \`bench/${runFile}\``] : []),
].join('\n');
const report =
  `${header}\n\n${results.map(caseMarkdown).join('\n\n')}\n` +
  (memory ? `\n${memoryMarkdown(memory)}\n` : '') +
  (sinkhornMemory ? `\n${sinkhornMemoryMarkdown(sinkhornMemory)}\n` : '');
console.log(`\n${report}`);

if (!writes) {
  log(`${quick ? 'quick run' : `--only ${only}`}: RESULTS.md and runs/ left untouched`);
} else {
  writeFileSync(join(root, 'bench/RESULTS.md'), report);
  mkdirSync(join(root, 'bench/runs'), { recursive: true });
  const raw = {
    date: stamp,
    command,
    reps,
    run_seconds: runSeconds,
    machine: m,
    versions,
    notes,
    cases: results.map(
      ({
        id,
        title,
        params,
        reference,
        targets,
        results: impls,
        ratios,
        verdicts,
        checks,
        facts,
        remarks,
        reps: caseReps,
        repsNote,
        warmup_ms,
        perEntry,
      }) => ({
        id,
        title,
        params,
        reference,
        targets,
        reps: caseReps,
        reps_note: repsNote,
        warmup_ms,
        results: impls,
        ratios,
        verdicts,
        checks,
        facts,
        ...(remarks?.length ? { notes: remarks } : {}),
        ...(perEntry ? { entries_times_half_iterations: perEntry } : {}),
      }),
    ),
    memory,
    sinkhorn_memory: sinkhornMemory,
  };
  writeFileSync(join(root, 'bench', runFile), `${JSON.stringify(raw, null, 2)}\n`);
  log(`wrote bench/RESULTS.md and bench/${runFile}`);
}
