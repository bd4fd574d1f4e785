#!/usr/bin/env node
// monge benchmark: native and WASM backends against POT (the Python Optimal Transport library).
//
//   node bench/run.mjs [--reps N] [--quick] [--no-pot]
//
// Each case gets seeded data, one warm-up call per implementation, then N repetitions that
// alternate native, wasm, POT within each repetition; medians are reported. POT runs in a
// persistent worker (bench/reference.py) fed raw float64 files, so only the POT call is timed.
// A full run overwrites bench/RESULTS.md and saves raw timings to bench/runs/<date>.json;
// --quick (reps 2, sizes / 10) is a smoke run and writes nothing.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
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
if (os.endianness() !== 'LE') throw new Error('the raw files for POT assume a little-endian host');

// --- cases ------------------------------------------------------------------------------------
// Targets (from the project's issue) apply to the two large cases: native ≤ 0.5x POT, WASM ≤ 2x
// native. `make(dump)` builds the data; `dump(name, array)` writes it for POT and returns a path.
const TARGETS = { 'native / POT': 0.5, 'wasm / native': 2 };
const cases = [
  w1dCase(1e4, false),
  w1dCase(1e6, true),
  slicedCase(1e4, false),
  slicedCase(1e5, true),
];

function w1dCase(size, targeted) {
  const n = size / scale;
  return {
    id: `wasserstein1d-${n}`,
    title: `wasserstein1d, weighted, n = m = ${n.toLocaleString('en-US')}, p = 1`,
    params: { fn: 'wasserstein1d', n, m: n, p: 1, weighted: true },
    targeted,
    exact: true,
    make(dump) {
      const rand = mulberry32(1);
      const u = normals(rand, n);
      const v = normals(rand, n, 0.5, 1.5);
      const uWeights = weights(rand, n); // normalised: POT gets the very same arrays
      const vWeights = weights(rand, n);
      return {
        monge: (backend) => ot.wasserstein1d(u, v, { uWeights, vWeights, p: 1, backend }),
        pot: { op: 'wasserstein_1d', u: dump('u', u), v: dump('v', v),
               u_weights: dump('uw', uWeights), v_weights: dump('vw', vWeights), p: 1 },
      };
    },
  };
}

function slicedCase(size, targeted) {
  const n = size / scale;
  const dim = 3, nProjections = 100, p = 2;
  return {
    id: `sliced-${n}`,
    title: `slicedWasserstein, uniform weights, n = m = ${n.toLocaleString('en-US')}, d = ${dim}, ` +
      `${nProjections} projections, p = ${p}`,
    params: { fn: 'slicedWasserstein', n, m: n, dim, nProjections, p, seed: 0, weighted: false },
    targeted,
    exact: false, // different random directions: values agree only approximately
    make(dump) {
      const rand = mulberry32(2);
      const x = cloud(rand, n, dim);
      const y = cloud(rand, n, dim, [1, -0.5, 0.25], 1.5);
      return {
        monge: (backend) => ot.slicedWasserstein(x, y, { nProjections, p, seed: 0, backend }),
        pot: { op: 'sliced', x: dump('x', x.data), y: dump('y', y.data), dim, a: null, b: null,
               n_projections: nProjections, p, seed: 0 },
      };
    },
  };
}

// --- POT worker -------------------------------------------------------------------------------
// Returns the path of a Python with POT (scripts/python-env.sh creates .venv if needed), or
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
    dead ??= `POT worker ${why}`;
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
      if (reply.error) throw new Error(`POT: ${reply.error}`);
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
  const dump = (name, array) => {
    const path = join(tmp, `${c.id}-${name}.f64`);
    writeFileSync(path, new Uint8Array(array.buffer, array.byteOffset, array.byteLength));
    return path;
  };
  const data = c.make(dump);
  const impls = backends.map((backend) => ({
    name: backend,
    async time() {
      const t0 = performance.now();
      const value = await data.monge(backend);
      return { ms: performance.now() - t0, value };
    },
  }));
  if (worker) {
    impls.push({
      name: 'POT',
      async time() {
        const r = await worker.ask(data.pot);
        return { ms: r.seconds * 1e3, value: r.value };
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
    for (const impl of impls) await attempt(impl, true); // alternate within each repetition
  }
  for (const r of Object.values(results)) {
    if (r.times_ms.length) Object.assign(r, { median_ms: median(r.times_ms), min_ms: Math.min(...r.times_ms) });
  }
  return { ...c, results, ...compare(c, results) };
}

// Ratios of medians, target verdicts and value checks for one case.
function compare(c, results) {
  const med = (name) => results[name]?.median_ms;
  const ratios = {};
  for (const [a, b] of [['native', 'POT'], ['wasm', 'native'], ['wasm', 'POT']]) {
    const key = `${a} / ${b}`;
    ratios[key] = med(a) && med(b) ? med(a) / med(b) : null;
  }
  const verdicts = {};
  for (const [key, limit] of Object.entries(TARGETS)) {
    if (!c.targeted) continue;
    const r = ratios[key];
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
  check('wasm', 'native', 1e-9, 'same solver, same data and directions');
  if (c.exact) check('native', 'POT', 1e-9, 'exact solver, identical data');
  else check('native', 'POT', 0.1, 'different random directions, so only approximate: at 100 directions the seed alone moves SW by several percent');
  return { ratios, verdicts, checks };
}

// --- reporting --------------------------------------------------------------------------------
const fmtRatio = (r) => `${r.toPrecision(3)}x`;
const fmtMs = (ms) => (ms == null ? '—' : ms >= 100 ? ms.toFixed(1) : ms >= 1 ? ms.toFixed(2) : ms.toFixed(3));

function caseMarkdown(r) {
  const lines = [`### ${r.title}`, '', '| implementation | median ms | min ms | value |', '|---|---:|---:|---:|'];
  for (const [name, x] of Object.entries(r.results)) {
    const value = x.error ? `error: ${x.error}` : x.value?.toPrecision(12) ?? '—';
    lines.push(`| ${name} | ${fmtMs(x.median_ms)} | ${fmtMs(x.min_ms)} | ${value} |`);
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
      notes.push(`POT reference skipped: ${e.message}`);
      worker = null;
    }
  } else {
    notes.push(`POT reference skipped: ${py.reason}`);
  }
} else {
  notes.push('POT reference skipped (--no-pot)');
}
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
  versions.pot ? `POT ${versions.pot}, NumPy ${versions.numpy}, Python ${versions.python}` : 'POT not run'].join(', ');
const header = [
  '# monge benchmark results',
  '',
  `- Date: ${stamp}`,
  `- Machine: ${m.cpu}, ${m.cores} cores, ${m.ram_gib} GiB RAM, ${m.os}; 1-min load average ` +
    `${m.load_average_1min.start.toFixed(2)} at start, ${m.load_average_1min.end.toFixed(2)} at end`,
  `- Versions: ${versionLine}`,
  `- Command: \`${command}\` (after \`bash scripts/setup.sh\`; \`npm run bench\` does both)`,
  `- Method: seeded data (examples/random.mjs); per case one warm-up call per implementation, then ${reps} ` +
    `repetitions alternating ${[...backends, ...(worker ? ['POT'] : [])].join(', ')}. ` +
    'monge times are `performance.now()` around the awaited call (input conversion included); ' +
    'POT times are `time.perf_counter()` around the POT call in a persistent Python worker ' +
    '(loading the data not timed). Times are medians, with the minimum beside them.',
  `- Targets (large cases): native ≤ ${TARGETS['native / POT']}x POT, WASM ≤ ${TARGETS['wasm / native']}x native.`,
  `- Threads: native \`slicedWasserstein\` spreads its directions over all ${m.cores} cores and native ` +
    '`wasserstein1d` sorts u and v on two threads (for large inputs); WASM runs on one thread, so ' +
    'wasm / native includes the thread count. POT runs on one thread.',
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
    cases: results.map(({ id, title, params, targeted, results: impls, ratios, verdicts, checks }) =>
      ({ id, title, params, targeted, results: impls, ratios, verdicts, checks })),
  };
  writeFileSync(join(root, 'bench', runFile), `${JSON.stringify(raw, null, 2)}\n`);
  log(`wrote bench/RESULTS.md and bench/${runFile}`);
}
