#!/usr/bin/env node
// monge benchmark: native and WASM backends against Python references (POT, the Python Optimal
// Transport library, and scipy) and, for linearSumAssignment, the npm packages munkres and
// munkres-js. Cases: wasserstein1d, slicedWasserstein, linearSumAssignment, emd (against POT's
// emd2) and auction (against scipy, with monge's linearSumAssignment beside it), plus the peak
// memory of one native emd solve at n = m = 10,000 in a child process (bench/emd-memory.mjs).
//
//   node bench/run.mjs [--reps N] [--quick] [--no-pot]
//
// Each case gets seeded data, one warm-up call per implementation, then N repetitions that
// alternate native, wasm, the Python reference and the JS peers within each repetition; medians
// are reported. The Python references run in a persistent worker (bench/reference.py) fed raw
// float64 files, so only the reference call is timed; --no-pot skips that worker. A full run
// overwrites bench/RESULTS.md and saves raw timings to bench/runs/<date>.json; --quick (reps 2,
// sizes / 10, no memory child) is a smoke run and writes nothing.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { cloud, mulberry32, normals, weights } from '../examples/random.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const log = (msg) => process.stderr.write(`[bench] ${msg}\n`);

// --- options ----------------------------------------------------------------------------------
const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const usePot = !argv.includes('--no-pot');
const repsAt = argv.indexOf('--reps');
const reps = repsAt >= 0 ? Number(argv[repsAt + 1]) : quick ? 2 : 7;
if (argv.includes('--help') || !(Number.isInteger(reps) && reps >= 1)) {
  console.log('usage: node bench/run.mjs [--reps N] [--quick] [--no-pot]');
  process.exit(argv.includes('--help') ? 0 : 2);
}
const scale = quick ? 10 : 1;

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

// --- cases ------------------------------------------------------------------------------------
// Each case names its Python `reference` (POT or scipy) and its `targets` (from the project's
// issues: ratio of medians → upper limit; null for an untargeted case). `make(dump, context)`
// builds the data (it may be async); `dump(name, array)` writes it for Python and returns a path;
// `context` holds `backends` and `note(key, text)`, which records a line printed under the case
// (the last text per key). `make` returns `monge` (backend → promise), optionally `value` (monge
// result → number, outside the timing; it throws if the result is unusable), the Python
// `reference` request and optional JS `peers` ({ name, call, value, maxReps, against }; `against`:
// the backends to compare it with, default native and wasm). An optional `repBudgetS` caps the
// case at 3 repetitions when its warm-up round says the full count would take longer.
const POT_TARGETS = { 'native / POT': 0.5, 'wasm / native': 2 }; // the large wasserstein1d and sliced cases
const SCIPY_TARGETS = { 'native / scipy': 0.6, 'wasm / native': 2 }; // assignment, issue #4
const MUNKRES_TARGETS = { 'native / munkres': 0.5, 'wasm / munkres': 1 }; // assignment, issue #4
const EMD_TARGETS = { 'native / POT': 0.8, 'wasm / native': 2 }; // emd, issue #4
const AUCTION_TARGETS = { 'native / scipy': 1.0, 'wasm / native': 2 }; // auction, issue #4
const EMD_MAX_ITER = 100_000_000; // monge's maxIter and POT's numItermax: both reach 'optimal'
// Peak RSS of one native emd solve in a child process (issue #4: ≤ 1.5 GiB; POT needs about
// 4.5 GiB there, a figure quoted from the issue, not measured: POT is not run at this size).
const MEMORY = { n: 10000, limitGiB: 1.5, potGiB: 4.5 };
// A full run takes about 4.5 minutes; emd at n = 5,000 (≈ 6 s a repetition) is the one case that
// could push it past ~8 minutes on a slower machine: if its warm-up round says its repetitions
// would take longer than this, it gets 3 repetitions instead (said in the output).
const EMD_5000_BUDGET_S = 180;
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
  // munkres-js: n = 500 only (≈ 3 s a call), in a case of its own and last, because its garbage
  // slows whatever runs next (scipy and munkres at n = 500 by up to 2x when alternated with it).
  assignmentCase(500, 'uniform', null, { with: ['munkres-js'], python: false }),
];

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
        reference: { op: 'wasserstein_1d', u: dump('u', u), v: dump('v', v),
               u_weights: dump('uw', uWeights), v_weights: dump('vw', vWeights), p: 1 },
      };
    },
  };
}

function slicedCase(size, targets) {
  const n = size / scale;
  const dim = 3, nProjections = 100, p = 2;
  return {
    id: `sliced-${n}`,
    title: `slicedWasserstein, uniform weights, n = m = ${n.toLocaleString('en-US')}, d = ${dim}, ` +
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
        reference: { op: 'sliced', x: dump('x', x.data), y: dump('y', y.data), dim, a: null, b: null,
               n_projections: nProjections, p, seed: 0 },
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
  const what = kind === 'uniform' ? 'uniform random costs in [0, 1)'
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
            const dx = x[2 * i] - y[2 * j], dy = x[2 * i + 1] - y[2 * j + 1];
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
        name, call: () => peers[name].solve(nested), value: (r) => total(r, name),
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
  const seenRow = new Uint8Array(n), seenCol = new Uint8Array(n);
  let sum = 0, count = 0;
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
    title: `emd, n = m = ${ns}, points uniform in the unit square, squared Euclidean costs, uniform weights, ` +
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
          note(r.backend, `${r.backend}: status optimal after ${r.iterations.toLocaleString('en-US')} pivots, ` +
            `dual gap ${r.dualGap.toExponential(1)}, plan of ${r.plan.values.length.toLocaleString('en-US')} entries`);
          return r.cost;
        },
        reference: { op: 'emd2', a: dump('a', a), b: dump('b', b), cost: dump('cost', M.data), rows: n, cols: n,
          num_iter_max: EMD_MAX_ITER },
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
    title: `auction, ${ns} × ${ns}, squared Euclidean distances between two uniform point clouds in the unit ` +
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
          const dx = x[2 * i] - y[2 * j], dy = x[2 * i + 1] - y[2 * j + 1];
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
  const s = [...xs].sort((a, b) => a - b), h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
};

async function runCase(c, backends, worker, tmp) {
  log(`${c.title}: generating data`);
  const dumped = [];
  const dump = (name, array) => {
    const path = join(tmp, `${c.id}-${name}.f64`);
    dumped.push(path);
    writeFileSync(path, new Uint8Array(array.buffer, array.byteOffset, array.byteLength));
    return path;
  };
  const facts = new Map();
  const note = (key, text) => facts.set(key, text);
  const data = await c.make(dump, { note, backends });
  const impls = backends.map((backend) => ({
    name: backend,
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
      async time() {
        const r = await worker.ask(data.reference);
        if (r.status !== undefined) {
          if (r.status !== 'optimal') throw new Error(`${c.reference} ended with: ${r.status}`);
          note(c.reference, `${c.reference}: status optimal (no numItermax warning)`);
        }
        return { ms: r.seconds * 1e3, value: r.value };
      },
    });
  }
  for (const peer of data.peers ?? []) {
    impls.push({
      name: peer.name,
      maxReps: peer.maxReps,
      against: peer.against,
      async time() {
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
  let warmupMs = 0;
  for (const impl of impls) warmupMs += await attempt(impl, false); // warm-up
  let caseReps = reps, repsNote = null;
  if (c.repBudgetS && reps > 3 && (warmupMs / 1e3) * reps > c.repBudgetS) {
    caseReps = 3;
    repsNote = `${c.label}: 3 repetitions instead of ${reps}: its warm-up round took ${(warmupMs / 1e3).toFixed(1)} s, ` +
      `so ${reps} would have taken about ${((warmupMs / 1e3) * reps).toFixed(0)} s (budget ${c.repBudgetS} s, ` +
      'to keep the full run under about 8 minutes)';
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
  }
  const against = Object.fromEntries(impls.filter((i) => i.against).map((i) => [i.name, i.against]));
  return { ...c, results, peers: (data.peers ?? []).map((p) => p.name), facts: [...facts.values()],
    warmup_ms: warmupMs, reps: caseReps, repsNote, ...compare(c, results, against) };
}

// Ratios of medians, target verdicts and value checks for one case.
function compare(c, results, against = {}) {
  const med = (name) => results[name]?.median_ms;
  const ref = c.reference;
  const peerNames = Object.keys(results).filter((name) => !['native', 'wasm', ref].includes(name));
  const ratios = {};
  for (const [a, b] of [...(ref ? [['native', ref]] : []), ['wasm', 'native'], ...(ref ? [['wasm', ref]] : []),
    ...peerNames.flatMap((p) => (against[p] ?? ['native', 'wasm']).map((b) => [b, p]))]) {
    const key = `${a} / ${b}`;
    ratios[key] = med(a) && med(b) ? med(a) / med(b) : null;
  }
  const verdicts = {};
  for (const [key, limit] of Object.entries(c.targets ?? {})) {
    const r = ratios[key];
    if (!(key in ratios)) ratios[key] = null;
    verdicts[key] = r == null ? 'not measured' : r <= limit ? `meets ≤ ${limit}x` : `misses: ${fmtRatio(r)}`;
  }
  const checks = [];
  const value = (name) => (results[name]?.error ? null : results[name]?.value);
  const rel = (a, b) => Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), Number.MIN_VALUE);
  const check = (a, b, tol, what) => {
    if (value(a) == null || value(b) == null) return;
    const d = rel(value(a), value(b));
    const ok = d <= tol;
    checks.push({ pair: `${a} vs ${b}`, relative_difference: d, tolerance: tol, ok,
      text: `${a} vs ${b}: relative difference ${d.toExponential(1)} (${what}; flagged above ${tol}): ${ok ? 'ok' : 'WARNING: too large'}` });
  };
  check('wasm', 'native', 1e-9, c.exact ? 'same solver, same data' : 'same solver, same data and directions');
  if (ref && c.exact) check('native', ref, 1e-9, 'exact solver, identical data');
  else if (ref) check('native', ref, 0.1, 'different random directions, so only approximate: at 100 directions the seed alone moves SW by several percent');
  for (const p of peerNames) check('native', p, 1e-9, 'exact solver, identical data');
  return { ratios, verdicts, checks };
}

// Peak memory of one native emd solve at n = m = MEMORY.n, in a child process of its own
// (bench/emd-memory.mjs) so that nothing else this process did counts.
function measureEmdMemory(backends) {
  const { n, limitGiB } = MEMORY;
  if (!backends.includes('native')) return { n, error: 'native backend unavailable' };
  log(`emd peak memory, n = m = ${n.toLocaleString('en-US')}, native: child process`);
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [join(root, 'bench/emd-memory.mjs'), String(n)], {
    cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 300e3,
  });
  const wall_s = (performance.now() - t0) / 1e3;
  if (r.status !== 0) return { n, error: `child failed (${r.error?.message ?? r.signal ?? `exit ${r.status}`})` };
  const out = JSON.parse(r.stdout.trim().split('\n').pop());
  const peakGiB = out.peak_rss_mib / 1024;
  const ok = out.status === 'optimal' && peakGiB <= limitGiB;
  const verdict = out.status !== 'optimal' ? `not measured: status ${out.status}`
    : ok ? `meets ≤ ${limitGiB} GiB` : `misses: ${peakGiB.toFixed(2)} GiB`;
  return { ...out, peak_rss_gib: peakGiB, limit_gib: limitGiB, verdict, child_wall_s: wall_s };
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
      'then solved once. RSS is `process.memoryUsage().rss`; the peak is the kernel\'s high-water mark ' +
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
      (mem.peak_rss_gib <= MEMORY.limitGiB ? ` (${(100 * mem.peak_rss_gib / MEMORY.limitGiB).toFixed(0)}% of the limit)` : ''),
    `- POT needs about ${MEMORY.potGiB} GiB at this size, a figure quoted from issue #4, not measured here ` +
      `(POT is not run at n = ${ns}).`,
  );
  return lines.join('\n');
}

// --- reporting --------------------------------------------------------------------------------
const fmtRatio = (r) => `${r.toPrecision(3)}x`;
const fmtMs = (ms) => (ms == null ? '—' : ms >= 100 ? ms.toFixed(1) : ms >= 1 ? ms.toFixed(2) : ms.toFixed(3));

function caseMarkdown(r) {
  const lines = [`### ${r.title}`, '', '| implementation | median ms | min ms | value |', '|---|---:|---:|---:|'];
  for (const [name, x] of Object.entries(r.results)) {
    const value = x.error ? `error: ${x.error}` : x.value?.toPrecision(12) ?? '—';
    const few = x.times_ms.length && x.times_ms.length < reps ? ` (${x.times_ms.length} reps)` : '';
    lines.push(`| ${name}${few} | ${fmtMs(x.median_ms)} | ${fmtMs(x.min_ms)} | ${value} |`);
  }
  lines.push('', '| ratio of medians | value | target |', '|---|---:|---|');
  for (const [key, ratio] of Object.entries(r.ratios)) {
    lines.push(`| ${key} | ${ratio == null ? '—' : fmtRatio(ratio)} | ${r.verdicts[key] ?? '—'} |`);
  }
  lines.push('', ...r.checks.map((c) => `- Values, ${c.text}`), ...(r.facts ?? []).map((f) => `- Result, ${f}`));
  return lines.join('\n');
}

function machine() {
  const cpus = os.cpus();
  let cpu = cpus[0]?.model?.trim();
  if (!cpu) {
    try { cpu = readFileSync('/proc/cpuinfo', 'utf8').match(/^model name\s*:\s*(.*)$/m)?.[1]; } catch {}
  }
  let distro = '';
  try { distro = readFileSync('/etc/os-release', 'utf8').match(/^PRETTY_NAME="?([^"\n]*)/m)?.[1] ?? ''; } catch {}
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
const notes = backendList.filter((b) => !b.available).map((b) => `backend ${b.name} unavailable${b.reason ? `: ${b.reason}` : ''}`);

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
for (const n of notes) log(n);

const tmp = mkdtempSync(join(os.tmpdir(), 'monge-bench-'));
const results = [];
try {
  for (const c of cases) results.push(await runCase(c, backends, worker, tmp));
} finally {
  worker?.close();
  rmSync(tmp, { recursive: true, force: true });
}
// After the cases, with the Python worker gone; skipped in --quick.
const memory = quick ? null : measureEmdMemory(backends);
notes.push(...results.filter((r) => r.repsNote).map((r) => r.repsNote));

const runSeconds = (Date.now() - started.getTime()) / 1e3;
const m = machine();
m.load_average_1min = { start: loadBefore, end: os.loadavg()[0] };
const stamp = started.toISOString().replace(/\.\d+Z$/, 'Z');
const runFile = `runs/${stamp.replace(/:/g, '-')}.json`;
const versionLine = [`Node ${versions.node}`, `monge ${versions.monge}`,
  versions.pot ? `POT ${versions.pot}, scipy ${versions.scipy}, NumPy ${versions.numpy}, Python ${versions.python}`
    : 'POT and scipy not run',
  ...Object.keys(peers).map((name) => `${name} ${versions[name]} (npm)`)].join(', ');
// Targets with the cases they apply to; targets applying to the same cases share a line, and
// labels differing only in n are merged ("… n = 1,000, 2,000").
const targetCases = new Map();
for (const c of cases.filter((c) => c.targets)) {
  for (const [key, limit] of Object.entries(c.targets)) {
    const [a, b] = key.split(' / ');
    const text = `${a === 'wasm' ? 'WASM' : a} ≤ ${limit}x ${b}`;
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
  targetLines.set(`emd n = ${MEMORY.n.toLocaleString('en-US')}, native, peak memory (own section at the end)`,
    [`peak RSS ≤ ${MEMORY.limitGiB} GiB`]);
}
const cappedReps = results.flatMap((r) => Object.entries(r.results)
  .filter(([, x]) => x.times_ms.length && x.times_ms.length < reps)
  .map(([name, x]) => `${name} at ${r.label} (${x.times_ms.length})`));
const soloPeer = (name) => results.some((r) => !r.reference && r.peers.includes(name));
const peerSizes = (name) => results.filter((r) => r.peers.includes(name)).map((r) => r.params.n)
  .filter((n, k, all) => all.indexOf(n) === k).map((n) => n.toLocaleString('en-US')).join(', ');
const header = [
  '# monge benchmark results',
  '',
  `- Date: ${stamp}`,
  `- Machine: ${m.cpu}, ${m.cores} cores, ${m.ram_gib} GiB RAM, ${m.os}; 1-min load average ` +
    `${m.load_average_1min.start.toFixed(2)} at start, ${m.load_average_1min.end.toFixed(2)} at end`,
  `- Versions: ${versionLine}`,
  `- Run time: ${(runSeconds / 60).toFixed(1)} min in all`,
  `- Command: \`${command}\` (after \`bash scripts/setup.sh\`; \`npm run bench\` does both)`,
  `- Method: seeded data (examples/random.mjs); per case one warm-up call per implementation, then ${reps} ` +
    `repetitions alternating ${[...backends, ...(worker ? ['the Python reference (POT or scipy)'] : [])].join(', ')}` +
    (Object.keys(peers).length
      ? ` and, for \`linearSumAssignment\`, the npm packages ${Object.keys(peers)
        .map((name) => `${name} (n = ${peerSizes(name) || 'none'}${soloPeer(name) ? ', in a case of its own, last, ' +
          'without scipy: alternated with them, its garbage slowed scipy and munkres by up to 2x' : ''})`).join(' and ')}`
      : '') +
    (cappedReps.length ? `, with fewer repetitions for ${cappedReps.join(', ')}` : '') + '. ' +
    'monge times are `performance.now()` around the awaited call (input conversion included); ' +
    'POT and scipy times are `time.perf_counter()` around the library call in a persistent Python worker ' +
    '(loading the data not timed)' +
    (Object.keys(peers).length
      ? '; munkres and munkres-js times are `performance.now()` around the call on a `number[][]` built ' +
        'once beforehand from the same Float64Array (that conversion not timed, unlike monge\'s)'
      : '') +
    '. Times are medians, with the minimum beside them. `linearSumAssignment` and `auction` values are the total ' +
    'cost; every returned assignment is checked to be a permutation, outside the timing. `emd` values are the ' +
    `optimal cost (POT: \`ot.emd2\`, with \`numItermax\` = monge's \`maxIter\` = ${EMD_MAX_ITER.toLocaleString('en-US')}); ` +
    'every call is checked to end with status optimal (POT: its result code, i.e. no numItermax warning), and its ' +
    'cost matrix is built once with `dist`, outside the timing. `auction` runs on integer costs and every call is ' +
    'checked to return gapBound 0 (provably optimal); monge\'s `linearSumAssignment` on the same matrix is timed ' +
    'beside it, untargeted.',
  '- Targets (from the project\'s issues; verdicts in each case\'s ratio table):',
  ...[...targetLines].map(([where, texts]) => `  - ${texts.join(', ')}: ${where}`),
  `- Threads: native \`slicedWasserstein\` spreads its directions over all ${m.cores} cores and native ` +
    '`wasserstein1d` sorts u and v on two threads (for large inputs); WASM runs on one thread, so ' +
    'wasm / native includes the thread count. `linearSumAssignment`, `emd` and `auction` (native and WASM), ' +
    'POT, scipy, munkres and munkres-js run on one thread.',
  ...(quick ? ['- **Quick run** (sizes / 10, reps 2, no memory child): a smoke test, not a measurement.'] : []),
  ...notes.map((n) => `- Note: ${n}`),
  ...(quick ? [] : [`- Raw per-repetition timings: \`bench/${runFile}\``]),
].join('\n');
const report = `${header}\n\n${results.map(caseMarkdown).join('\n\n')}\n` +
  (memory ? `\n${memoryMarkdown(memory)}\n` : '');
console.log(`\n${report}`);

if (quick) {
  log('quick run: RESULTS.md and runs/ left untouched');
} else {
  writeFileSync(join(root, 'bench/RESULTS.md'), report);
  mkdirSync(join(root, 'bench/runs'), { recursive: true });
  const raw = {
    date: stamp, command, reps, run_seconds: runSeconds, machine: m, versions, notes,
    cases: results.map(({ id, title, params, reference, targets, results: impls, ratios, verdicts, checks, facts,
      reps: caseReps, repsNote, warmup_ms }) =>
      ({ id, title, params, reference, targets, reps: caseReps, reps_note: repsNote, warmup_ms, results: impls, ratios,
        verdicts, checks, facts })),
    memory,
  };
  writeFileSync(join(root, 'bench', runFile), `${JSON.stringify(raw, null, 2)}\n`);
  log(`wrote bench/RESULTS.md and bench/${runFile}`);
}
