// The benchmark's harness: the JS peers and the Sinkhorn roofline kernels (loaded), the Python
// reference worker (bench/reference.py, fed raw files), the timing loop of a case (a warm-up call per
// implementation, then repetitions alternating them; medians and minimums), and the two memory
// children (bench/emd-memory.mjs, bench/sinkhorn-memory.mjs).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { MEMORY, SINKHORN_MEMORY } from './config.mjs';
import { fmtMs } from './format.mjs';
import { compare } from './ratios.mjs';

export const root = fileURLToPath(new URL('..', import.meta.url));
export const log = (msg) => process.stderr.write(`[bench] ${msg}\n`);
const require = createRequire(join(root, 'package.json'));

// --- JS peers and rooflines -------------------------------------------------------------------
// JS peers for linearSumAssignment (devDependencies); missing ones are skipped with a note.
// Returns { peers: { name: { solve, version } }, notes }.
export async function loadPeers() {
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
  return { peers, notes: peerNotes };
}

// Roofline kernels for the Sinkhorn cases, not in the public API: Σ exp(v) over a Float32Array with
// the Sinkhorn kernels' vectorised exp, and the instruction set they use. Native: the addon's
// `expSumRoofline` on all cores. WASM: a module instance of its own (the wasm-bindgen glue in wasm/,
// as ts/backends/wasm.ts loads it), one thread; wasm-bindgen copies the array into the module's
// memory on every call, so `copy` calls an export that only receives the array, to time that apart.
// A missing one is skipped with a note. Returns { native, wasm, simd: { native, wasm }, notes }.
export async function loadRoofline() {
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
  return roofline;
}

// The kernels' instruction sets and threads, for the notes of the Sinkhorn cases.
export function simdNote(roofline, backends) {
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
export function rooflinePeers(roofline, values, calls, note) {
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

// Starts the Python reference worker unless --no-pot (`usePot` false); returns { worker, versions }
// (the references' versions), the worker null when it cannot run, with a line in `notes` saying why.
export async function startReferences(usePot, notes) {
  let worker = null;
  let versions = {};
  if (usePot) {
    const py = ensurePython();
    if (py.py) {
      worker = startWorker(py.py);
      try {
        versions = (await worker.ask({ op: 'versions' })).versions;
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
  return { worker, versions };
}

// --- measuring --------------------------------------------------------------------------------
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b),
    h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
};

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
async function runCase(c, allBackends, worker, tmp, done, reps) {
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

// Runs the cases in order, each against the cases run before it, with the raw files for Python in a
// temporary folder removed at the end (and the worker closed); returns the measured cases.
export async function runCases(cases, { backends, worker, reps }) {
  const tmp = mkdtempSync(join(os.tmpdir(), 'monge-bench-'));
  const results = [];
  try {
    for (const c of cases) results.push(await runCase(c, backends, worker, tmp, results, reps));
  } finally {
    worker?.close();
    rmSync(tmp, { recursive: true, force: true });
  }
  return results;
}

// --- memory children -------------------------------------------------------------------------
// Runs a memory child (a script printing one JSON line last) and returns that line, parsed, with
// its wall time, or the reason it failed.
function runChild(script, args) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [join(root, script), ...args.map(String)], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    timeout: 300e3,
  });
  const wall_s = (performance.now() - t0) / 1e3;
  if (r.status !== 0) return { error: `child failed (${r.error?.message ?? r.signal ?? `exit ${r.status}`})` };
  return { out: JSON.parse(r.stdout.trim().split('\n').pop()), wall_s };
}

// Peak memory of one native emd solve at n = m = MEMORY.n, in a child process of its own
// (bench/emd-memory.mjs) so that nothing else this process did counts.
export function measureEmdMemory(backends) {
  const { n, limitGiB } = MEMORY;
  if (!backends.includes('native')) return { n, error: 'native backend unavailable' };
  log(`emd peak memory, n = m = ${n.toLocaleString('en-US')}, native: child process`);
  const { out, wall_s, error } = runChild('bench/emd-memory.mjs', [n]);
  if (error) return { n, error };
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
export function measureSinkhornMemory(backends) {
  const { n, maxIter, limitMiB } = SINKHORN_MEMORY;
  if (!backends.includes('native')) return { n, error: 'native backend unavailable' };
  log(`sinkhorn peak memory, point clouds n = m = ${n.toLocaleString('en-US')}, native: child process`);
  const { out, wall_s, error } = runChild('bench/sinkhorn-memory.mjs', [n, maxIter]);
  if (error) return { n, error };
  const above = out.peak_above_baseline_mib;
  const verdict =
    out.iterations !== maxIter
      ? `not measured: ${out.iterations} iterations, not ${maxIter}`
      : above <= limitMiB
        ? `meets ≤ ${limitMiB} MiB`
        : `misses: ${above.toFixed(1)} MiB`;
  return { ...out, limit_mib: limitMiB, verdict, child_wall_s: wall_s };
}
