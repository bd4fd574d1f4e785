// The main job (`npm start`): every solver monge has, on built-in example data, on every
// backend available here. Prints a table (value, backend, time) and writes an SVG picture of
// the 1-D optimal plan and of sliced-Wasserstein projections.
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as ot from '../dist/node.js';
import { exampleData } from '../examples/data.mjs';
import { renderExact, renderShowcase } from '../examples/svg.mjs';

const data = exampleData();
const backends = (await ot.listBackends()).filter((b) => b.available).map((b) => b.name);
const unavailable = (await ot.listBackends()).filter((b) => !b.available);

/** Median wall time of `reps` awaited calls, after one warm-up. */
async function timed(fn, reps = 5) {
  let value = await fn();
  const times = [];
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    value = await fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { value, ms: times[Math.floor(reps / 2)] };
}

const jobs = [
  ['dist (sqeuclidean)', `${data.x.n}x${data.y.n}, d=2`, (backend) => ot.dist(data.x, data.y, { backend }), (m) => `mean ${mean(m.data).toFixed(6)}`],
  ['wasserstein1d p=1', `n=${data.u.length}, m=${data.v.length}, weighted`, (backend) => ot.wasserstein1d(data.u, data.v, { ...data.weights1d, backend }), fmt],
  ['wasserstein1d p=2', `n=${data.u.length}, m=${data.v.length}, weighted`, (backend) => ot.wasserstein1d(data.u, data.v, { ...data.weights1d, p: 2, backend }), fmt],
  ['emd1d p=2', `n=${data.u.length}, m=${data.v.length}, weighted`, (backend) => ot.emd1d(data.u, data.v, { ...data.weights1d, p: 2, backend }), (r) => `${fmt(r.cost)} (${r.plan.values.length} plan entries)`],
  ['slicedWasserstein p=2', `n=${data.x.n}, m=${data.y.n}, d=2, L=200`, (backend) => ot.slicedWasserstein(data.x, data.y, { nProjections: 200, seed: 0, backend }), fmt],
  ["emd (sqeuclidean)", `${data.x.n}x${data.y.n}, d=2, incl. dist`, async (backend) => ot.emd(undefined, undefined, await ot.dist(data.x, data.y), { backend }), (r) => `${fmt(r.cost)} (${r.plan.values.length} entries, gap ${r.dualGap.toExponential(1)})`],
  ["linearSumAssignment", `${data.x.n}x${data.y.n}, d=2, incl. dist`, async (backend) => ot.linearSumAssignment(await ot.dist(data.x, data.y), { backend }), (r) => fmt(r.cost)],
  ["auction (integer costs)", `${data.y.n}x${data.x.n}, d=2, incl. dist`, async (backend) => ot.auction(await integerCosts(data.y, data.x), { backend }), (r) => `${fmt(r.cost)} (gapBound ${r.gapBound})`],
  ['slicedWasserstein p=2', `n=${data.bigX.n}, m=${data.bigY.n}, d=3, L=100`, (backend) => ot.slicedWasserstein(data.bigX, data.bigY, { nProjections: 100, seed: 0, backend }), fmt],
];

/** Squared distances scaled by 1e4 and rounded: integer costs make the auction provably optimal. */
async function integerCosts(x, y) {
  const M = await ot.dist(x, y);
  return { ...M, data: M.data.map((v) => Math.round(v * 1e4)) };
}

function fmt(x) {
  return typeof x === 'number' ? x.toPrecision(12) : String(x);
}
function mean(a) {
  return a.reduce((s, x) => s + x, 0) / a.length;
}

const rows = [];
for (const [solver, size, run, show] of jobs) {
  for (const backend of backends) {
    const { value, ms } = await timed(() => run(backend));
    rows.push([solver, size, show(value), backend, ms < 1 ? ms.toFixed(3) : ms.toFixed(1)]);
  }
}

const header = ['solver', 'size', 'value', 'backend', 'ms (median of 5)'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (cells) => cells.map((c, i) => c.padEnd(widths[i])).join('  ');
console.log(`monge showcase: backends ${backends.join(', ')}`);
for (const b of unavailable) console.log(`  (${b.name} unavailable: ${b.reason})`);
console.log(`\n${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}`);
for (const r of rows) console.log(line(r));

const plan = await ot.emd1d(data.u, data.v, { ...data.weights1d, p: 2 });
const directions = [0, 1, 2, 3, 4, 5].map((k) => [Math.cos((k * Math.PI) / 6 + 0.2), Math.sin((k * Math.PI) / 6 + 0.2)]);
const perDirection = [];
for (const d of directions) perDirection.push(await ot.slicedWasserstein(data.x, data.y, { projections: [d] }));
const sw = await ot.slicedWasserstein(data.x, data.y, { nProjections: 200, seed: 0 });
const svg = renderShowcase({ data, plan, directions, perDirection, sw });
const outDir = fileURLToPath(new URL('../showcase-out/', import.meta.url));
mkdirSync(outDir, { recursive: true });
writeFileSync(`${outDir}showcase.svg`, svg);

// Exact solvers on two small clouds: the EMD plan (uneven weights) and the assignment.
const small = { x: { data: data.x.data.slice(0, 60), n: 30, dim: 2 }, y: { data: data.y.data.slice(0, 60), n: 30, dim: 2 } };
const M = await ot.dist(small.x, small.y);
// emd needs equal total masses: normalise both weight vectors.
const normalised = (w) => w.map((v) => v / w.reduce((sum, t) => sum + t, 0));
const exact = await ot.emd(normalised(data.weights1d.uWeights.slice(0, 30)), normalised(data.weights1d.vWeights.slice(0, 30)), M);
const assignment = await ot.linearSumAssignment(M);
writeFileSync(`${outDir}exact.svg`, renderExact({ ...small, plan: exact.plan, emdCost: exact.cost, assignment }));
console.log(`\nwrote ${outDir}showcase.svg and ${outDir}exact.svg`);
