#!/usr/bin/env node
// monge benchmark: native and WASM backends against Python references (POT, the Python Optimal
// Transport library, and scipy) and, for linearSumAssignment, the npm packages munkres and
// munkres-js.
//
//   node bench/run.mjs [--reps N] [--quick] [--no-pot]
//
// Each case gets seeded data, one warm-up call per implementation, then N repetitions that
// alternate native, wasm, the Python reference and the JS peers within each repetition; medians
// are reported. The Python references run in a persistent worker (bench/reference.py) fed raw
// float64 files, so only the reference call is timed; --no-pot skips that worker. A full run
// overwrites bench/RESULTS.md and saves raw timings to bench/runs/<date>.json; --quick (reps 2,
// sizes / 10) is a smoke run and writes nothing.
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
// issues: ratio of medians → upper limit; null for an untargeted case). `make(dump)` builds the
// data; `dump(name, array)` writes it for Python and returns a path. `make` returns `monge`
// (backend → promise), optionally `value` (monge result → number, outside the timing), the
// Python `reference` request and optional JS `peers` ({ name, call, value, maxReps }).
const POT_TARGETS = { 'native / POT': 0.5, 'wasm / native': 2 }; // the large wasserstein1d and sliced cases
const SCIPY_TARGETS = { 'native / scipy': 0.6, 'wasm / native': 2 }; // assignment, issue #4
const MUNKRES_TARGETS = { 'native / munkres': 0.5, 'wasm / munkres': 1 }; // assignment, issue #4
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
      // The total of a matching given as (row, column) pairs, after checking it is a permutation.
      const total = (pairs, who) => {
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
      };
      const available = peerNames.filter((name) => peers[name]);
      const nested = available.length
        ? Array.from({ length: n }, (_, i) => Array.from(data.subarray(i * n, (i + 1) * n)))
        : null;
      const peerList = available.map((name) => ({
        name, call: () => peers[name].solve(nested), value: (r) => total(r, name),
      }));
      return {
        monge: (backend) => ot.linearSumAssignment(M, { maximize: false, backend }),
        value(r) {
          const pairs = Array.from(r.rowInd, (i, k) => [i, r.colInd[k]]);
          const sum = total(pairs, `monge (${r.backend})`);
          if (Math.abs(sum - r.cost) > 1e-12 * Math.max(1, Math.abs(sum))) {
            throw new Error(`monge (${r.backend}) reported cost ${r.cost} but its assignment sums to ${sum}`);
          }
          return r.cost;
        },
        reference: python
          ? { op: 'linear_sum_assignment', cost: dump('cost', data), rows: n, cols: n, maximize: false }
          : null,
        peers: peerList,
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
  const data = c.make(dump);
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
        return { ms: r.seconds * 1e3, value: r.value };
      },
    });
  }
  for (const peer of data.peers ?? []) {
    impls.push({
      name: peer.name,
      maxReps: peer.maxReps,
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
    if (r.error) return;
    try {
      const { ms, value } = await impl.time();
      r.value = value;
      if (record) r.times_ms.push(ms);
    } catch (e) {
      r.error = e.message;
      log(`${c.title}: ${impl.name} failed: ${e.message}`);
    }
  };
  for (const impl of impls) await attempt(impl, false); // warm-up
  for (let rep = 0; rep < reps; rep++) {
    log(`${c.title}: repetition ${rep + 1}/${reps}`);
    for (const impl of impls) {
      if (rep < (impl.maxReps ?? Infinity)) await attempt(impl, true); // alternate within each repetition
    }
  }
  for (const file of dumped) rmSync(file, { force: true });
  for (const r of Object.values(results)) {
    if (r.times_ms.length) Object.assign(r, { median_ms: median(r.times_ms), min_ms: Math.min(...r.times_ms) });
  }
  return { ...c, results, peers: (data.peers ?? []).map((p) => p.name), ...compare(c, results) };
}

// Ratios of medians, target verdicts and value checks for one case.
function compare(c, results) {
  const med = (name) => results[name]?.median_ms;
  const ref = c.reference;
  const peerNames = Object.keys(results).filter((name) => !['native', 'wasm', ref].includes(name));
  const ratios = {};
  for (const [a, b] of [...(ref ? [['native', ref]] : []), ['wasm', 'native'], ...(ref ? [['wasm', ref]] : []),
    ...peerNames.flatMap((p) => [['native', p], ['wasm', p]])]) {
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
  lines.push('', ...r.checks.map((c) => `- Values, ${c.text}`));
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
    '. Times are medians, with the minimum beside them. `linearSumAssignment` values are the total ' +
    'cost; every returned assignment is checked to be a permutation, outside the timing.',
  '- Targets (from the project\'s issues; verdicts in each case\'s ratio table):',
  ...[...targetLines].map(([where, texts]) => `  - ${texts.join(', ')}: ${where}`),
  `- Threads: native \`slicedWasserstein\` spreads its directions over all ${m.cores} cores and native ` +
    '`wasserstein1d` sorts u and v on two threads (for large inputs); WASM runs on one thread, so ' +
    'wasm / native includes the thread count. `linearSumAssignment` (native and WASM), POT, scipy, ' +
    'munkres and munkres-js run on one thread.',
  ...(quick ? ['- **Quick run** (sizes / 10, reps 2): a smoke test, not a measurement.'] : []),
  ...notes.map((n) => `- Note: ${n}`),
  ...(quick ? [] : [`- Raw per-repetition timings: \`bench/${runFile}\``]),
].join('\n');
const report = `${header}\n\n${results.map(caseMarkdown).join('\n\n')}\n`;
console.log(`\n${report}`);

if (quick) {
  log('quick run: RESULTS.md and runs/ left untouched');
} else {
  writeFileSync(join(root, 'bench/RESULTS.md'), report);
  mkdirSync(join(root, 'bench/runs'), { recursive: true });
  const raw = {
    date: stamp, command, reps, machine: m, versions, notes,
    cases: results.map(({ id, title, params, reference, targets, results: impls, ratios, verdicts, checks }) =>
      ({ id, title, params, reference, targets, results: impls, ratios, verdicts, checks })),
  };
  writeFileSync(join(root, 'bench', runFile), `${JSON.stringify(raw, null, 2)}\n`);
  log(`wrote bench/RESULTS.md and bench/${runFile}`);
}
