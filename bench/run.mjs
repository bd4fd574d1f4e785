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
//
// The parts: bench/harness.mjs runs the cases (timing loop, Python worker, memory children, JS
// peers, Sinkhorn rooflines), bench/ratios.mjs compares their implementations, bench/report.mjs
// builds the text of RESULTS.md and the raw runs/<date>.json; the cases are in bench/cases/
// (wasserstein, assignment, emd, sinkhorn), their targets and fixed sizes in bench/config.mjs, the
// number formats in bench/format.mjs. This file parses the options, loads the package, assembles
// the cases, runs them and writes the report.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { assignmentCase, auctionCase } from './cases/assignment.mjs';
import { emdCase } from './cases/emd.mjs';
import { sinkhornCloudCase, sinkhornDenseCase, sinkhornEpsCase } from './cases/sinkhorn.mjs';
import { slicedCase, w1dCase } from './cases/wasserstein.mjs';
import {
  AUCTION_TARGETS,
  COMPARE_MARKS,
  EMD_5000_BUDGET_S,
  EMD_TARGETS,
  MUNKRES_TARGETS,
  POT_TARGETS,
  SCIPY_TARGETS,
  SINKHORN_CLOUD_TARGETS,
  SINKHORN_DENSE_TARGETS,
  SINKHORN_EPS_2000_BUDGET_S,
} from './config.mjs';
import {
  loadPeers,
  loadRoofline,
  log,
  measureEmdMemory,
  measureSinkhornMemory,
  root,
  runCases,
  startReferences,
} from './harness.mjs';
import { machine, printReport, rawRun, reportMarkdown } from './report.mjs';

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

const { peers, notes: peerNotes } = await loadPeers();
const roofline = await loadRoofline();

// --- cases ------------------------------------------------------------------------------------
// The constructors (bench/cases/) take the package, the size divisor and what their data need; the
// shape of a case is described in bench/harness.mjs, above runCase.
const env = { ot, scale, peers, roofline };
const cases = [
  w1dCase(env, 1e4, null),
  w1dCase(env, 1e6, POT_TARGETS),
  slicedCase(env, 1e4, null),
  slicedCase(env, 1e5, POT_TARGETS),
  assignmentCase(env, 500, 'uniform', MUNKRES_TARGETS),
  assignmentCase(env, 1000, 'uniform', SCIPY_TARGETS),
  assignmentCase(env, 2000, 'uniform', { ...SCIPY_TARGETS, ...MUNKRES_TARGETS }),
  assignmentCase(env, 5000, 'uniform', { ...SCIPY_TARGETS, ...MUNKRES_TARGETS }),
  assignmentCase(env, 1000, 'geometric', null),
  assignmentCase(env, 2000, 'geometric', null),
  emdCase(env, 1000, EMD_TARGETS),
  emdCase(env, 2000, EMD_TARGETS),
  emdCase(env, 5000, EMD_TARGETS, { repBudgetS: EMD_5000_BUDGET_S }),
  auctionCase(env, 2000, AUCTION_TARGETS),
  sinkhornDenseCase(env, 4096, SINKHORN_DENSE_TARGETS),
  sinkhornCloudCase(env, 20000, SINKHORN_CLOUD_TARGETS),
  sinkhornEpsCase(env, 1000),
  sinkhornEpsCase(env, 2000, { repBudgetS: SINKHORN_EPS_2000_BUDGET_S }),
  // munkres-js: n = 500 only (≈ 3 s a call), in a case of its own and last, because its garbage
  // slows whatever runs next (scipy and munkres at n = 500 by up to 2x when alternated with it).
  assignmentCase(env, 500, 'uniform', null, { with: ['munkres-js'], python: false }),
].filter((c) => selected(c.id, c.label));
if (!cases.length && !selected('emd memory') && !selected('sinkhorn memory')) {
  log(`--only ${only}: no case or memory child matches`);
  process.exit(2);
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

const references = await startReferences(usePot, notes);
const worker = references.worker;
const versions = {
  node: process.version,
  monge: JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version,
  ...references.versions,
};
for (const [name, p] of Object.entries(peers)) versions[name] = p.version;
notes.push(...peerNotes);
if (cases.some((c) => c.params.fn === 'sinkhorn')) notes.push(...roofline.notes);
for (const n of notes) log(n);

const results = await runCases(cases, { backends, worker, reps });
// After the cases, with the Python worker gone; skipped in --quick (and by --only unless selected).
const memory = quick || !selected('emd memory') ? null : measureEmdMemory(backends);
const sinkhornMemory = quick || !selected('sinkhorn memory') ? null : measureSinkhornMemory(backends);
notes.push(...results.filter((r) => r.repsNote).map((r) => r.repsNote));

const runSeconds = (Date.now() - started.getTime()) / 1e3;
const m = machine();
m.load_average_1min = { start: loadBefore, end: os.loadavg()[0] };
const stamp = started.toISOString().replace(/\.\d+Z$/, 'Z');
const runFile = `runs/${stamp.replace(/:/g, '-')}.json`;
const run = {
  stamp,
  command,
  reps,
  runSeconds,
  machine: m,
  versions,
  notes,
  backends,
  python: Boolean(worker),
  peers,
  simd: roofline.simd,
  cases,
  results,
  memory,
  sinkhornMemory,
  quick,
  only,
  writes,
  runFile,
};
const report = reportMarkdown(run);
printReport(report);

if (!writes) {
  log(`${quick ? 'quick run' : `--only ${only}`}: RESULTS.md and runs/ left untouched`);
} else {
  // The "Before and after" section of bench/compare.mjs is not this run's: carry it over.
  let previous = '';
  try {
    previous = readFileSync(join(root, 'bench/RESULTS.md'), 'utf8');
  } catch {}
  const at = previous.indexOf(COMPARE_MARKS.start);
  const end = previous.indexOf(COMPARE_MARKS.end);
  const kept = at >= 0 && end > at ? `\n${previous.slice(at, end + COMPARE_MARKS.end.length)}\n` : '';
  writeFileSync(join(root, 'bench/RESULTS.md'), `${report.trimEnd()}\n${kept}`);
  mkdirSync(join(root, 'bench/runs'), { recursive: true });
  writeFileSync(join(root, 'bench', runFile), `${JSON.stringify(rawRun(run), null, 2)}\n`);
  log(`wrote bench/RESULTS.md and bench/${runFile}`);
}
