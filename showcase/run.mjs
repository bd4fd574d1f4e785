// The main job (`npm start`): every solver monge has, on built-in example data, on every
// backend available here. Prints a table (value, backend, time) and writes SVG pictures: the 1-D
// optimal plan and sliced-Wasserstein projections, the exact plans, Sinkhorn plans at two
// regularizations, and a Sinkhorn-divergence gradient flow.
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as ot from '../dist/node.js';
import { exampleData, flowData, histogramData } from './data.mjs';
import { renderExact, renderFlow, renderShowcase, renderSinkhorn } from './svg.mjs';

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

// The entropic rows: reg = 0.05 is about 9% of the exact (emd) cost on these clouds, a visible
// blur that converges in a couple of hundred iterations. tol = 1e-6 for both dtypes (float32 is
// documented not to go much below it), so the float32 and float64 rows run the same iterations.
const entropic = { reg: 0.05, tol: 1e-6 };
// Unbalanced: the blob (y) carries twice the ring's mass; with regM = 1 (of the order of the
// squared distances here) the plan's mass settles in between.
const regM = 1;
const massX = new Float64Array(data.x.n).fill(1 / data.x.n);
const massY = new Float64Array(data.y.n).fill(2 / data.y.n);

const jobs = [
  [
    'dist (sqeuclidean)',
    `${data.x.n}x${data.y.n}, d=2`,
    (backend) => ot.dist(data.x, data.y, { backend }),
    (m) => `mean ${mean(m.data).toFixed(6)}`,
  ],
  [
    'wasserstein1d p=1',
    `n=${data.u.length}, m=${data.v.length}, weighted`,
    (backend) => ot.wasserstein1d(data.u, data.v, { ...data.weights1d, backend }),
    fmt,
  ],
  [
    'wasserstein1d p=2',
    `n=${data.u.length}, m=${data.v.length}, weighted`,
    (backend) => ot.wasserstein1d(data.u, data.v, { ...data.weights1d, p: 2, backend }),
    fmt,
  ],
  [
    'emd1d p=2',
    `n=${data.u.length}, m=${data.v.length}, weighted`,
    (backend) => ot.emd1d(data.u, data.v, { ...data.weights1d, p: 2, backend }),
    (r) => `${fmt(r.cost)} (${r.plan.values.length} plan entries)`,
  ],
  [
    'slicedWasserstein p=2',
    `n=${data.x.n}, m=${data.y.n}, d=2, L=200`,
    (backend) => ot.slicedWasserstein(data.x, data.y, { nProjections: 200, seed: 0, backend }),
    fmt,
  ],
  [
    'emd (sqeuclidean)',
    `${data.x.n}x${data.y.n}, d=2, incl. dist`,
    async (backend) => ot.emd(undefined, undefined, await ot.dist(data.x, data.y), { backend }),
    (r) => `${fmt(r.cost)} (${r.plan.values.length} entries, gap ${r.dualGap.toExponential(1)})`,
  ],
  [
    'linearSumAssignment',
    `${data.x.n}x${data.y.n}, d=2, incl. dist`,
    async (backend) => ot.linearSumAssignment(await ot.dist(data.x, data.y), { backend }),
    (r) => fmt(r.cost),
  ],
  [
    'auction (integer costs)',
    `${data.y.n}x${data.x.n}, d=2, incl. dist`,
    async (backend) => ot.auction(await integerCosts(data.y, data.x), { backend }),
    (r) => `${fmt(r.cost)} (gapBound ${r.gapBound})`,
  ],
  [
    'slicedWasserstein p=2',
    `n=${data.bigX.n}, m=${data.bigY.n}, d=3, L=100`,
    (backend) => ot.slicedWasserstein(data.bigX, data.bigY, { nProjections: 100, seed: 0, backend }),
    fmt,
  ],
  [
    `sinkhorn reg=${entropic.reg} float64`,
    `${data.x.n}x${data.y.n}, d=2, incl. dist`,
    async (backend) => ot.sinkhorn(undefined, undefined, await ot.dist(data.x, data.y), { ...entropic, backend }),
    showSinkhorn,
  ],
  [
    `sinkhorn reg=${entropic.reg} float32`,
    `${data.x.n}x${data.y.n}, d=2, incl. dist`,
    async (backend) =>
      ot.sinkhorn(undefined, undefined, await ot.dist(data.x, data.y), { ...entropic, dtype: 'float32', backend }),
    showSinkhorn,
  ],
  [
    `sinkhorn reg=${entropic.reg} clouds f32`,
    `${data.x.n}x${data.y.n}, d=2, costs on the fly`,
    (backend) =>
      ot.sinkhorn(undefined, undefined, { x: data.x, y: data.y }, { ...entropic, dtype: 'float32', backend }),
    showSinkhorn,
  ],
  [
    `sinkhornDivergence reg=${entropic.reg} f32`,
    `n=${data.x.n}, m=${data.y.n}, d=2, with gradX`,
    (backend) => ot.sinkhornDivergence(data.x, data.y, { ...entropic, gradient: true, dtype: 'float32', backend }),
    (r) => `${fmt(r.value)} ${iterated(r)}`,
  ],
  [
    `sinkhornUnbalanced reg=${entropic.reg} f32`,
    `${data.x.n}x${data.y.n}, masses 1 vs 2, regM=${regM}`,
    async (backend) =>
      ot.sinkhornUnbalanced(massX, massY, await ot.dist(data.x, data.y), {
        ...entropic,
        regM,
        dtype: 'float32',
        backend,
      }),
    showUnbalanced,
  ],
];

/** Squared distances scaled by 1e4 and rounded: integer costs make the auction provably optimal. */
async function integerCosts(x, y) {
  const M = await ot.dist(x, y);
  return { ...M, data: M.data.map((v) => Math.round(v * 1e4)) };
}

function iterated(r) {
  return `(${r.iterations} it, ${r.converged ? 'converged' : 'NOT converged'})`;
}
function showSinkhorn(r) {
  return `${fmt(r.cost)} ${iterated(r)}`;
}
/** At the optimum the plan's row sums are a·exp(−f/regM): its mass without asking for the plan. */
function showUnbalanced(r) {
  let mass = 0;
  for (let i = 0; i < massX.length; i++) mass += massX[i] * Math.exp(-r.f[i] / regM);
  return `${fmt(r.cost)} (mass ${mass.toFixed(4)}, ${r.iterations} it${r.converged ? '' : ', NOT converged'})`;
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
const directions = [0, 1, 2, 3, 4, 5].map((k) => [
  Math.cos((k * Math.PI) / 6 + 0.2),
  Math.sin((k * Math.PI) / 6 + 0.2),
]);
const perDirection = [];
for (const d of directions) perDirection.push(await ot.slicedWasserstein(data.x, data.y, { projections: [d] }));
const sw = await ot.slicedWasserstein(data.x, data.y, { nProjections: 200, seed: 0 });
const svg = renderShowcase({ data, plan, directions, perDirection, sw });
const outDir = fileURLToPath(new URL('../showcase-out/', import.meta.url));
mkdirSync(outDir, { recursive: true });
writeFileSync(`${outDir}showcase.svg`, svg);

// Exact solvers on two small clouds: the EMD plan (uneven weights) and the assignment.
const small = {
  x: { data: data.x.data.slice(0, 60), n: 30, dim: 2 },
  y: { data: data.y.data.slice(0, 60), n: 30, dim: 2 },
};
const M = await ot.dist(small.x, small.y);
// emd needs equal total masses: normalise both weight vectors.
const normalised = (w) => w.map((v) => v / w.reduce((sum, t) => sum + t, 0));
const exact = await ot.emd(
  normalised(data.weights1d.uWeights.slice(0, 30)),
  normalised(data.weights1d.vWeights.slice(0, 30)),
  M,
);
const assignment = await ot.linearSumAssignment(M);
writeFileSync(`${outDir}exact.svg`, renderExact({ ...small, plan: exact.plan, emdCost: exact.cost, assignment }));

// Entropic plans between two 1-D histograms: a large reg blurs the plan, a small one approaches
// the sharp exact plan (epsScaling: a warm start, 1144 instead of 1594 iterations at the small reg).
const hist = histogramData(80);
const panels = [];
for (const reg of [0.01, 0.0005]) {
  panels.push({
    reg,
    result: await ot.sinkhorn(hist.a, hist.b, hist.M, {
      reg,
      tol: 1e-6,
      maxIter: 5000,
      epsScaling: true,
      returnPlan: true,
    }),
  });
}
const histEmd = await ot.emd(hist.a, hist.b, hist.M);
writeFileSync(`${outDir}sinkhorn.svg`, renderSinkhorn({ ...hist, panels, emdCost: histEmd.cost }));

// A Sinkhorn-divergence gradient flow: a blob of points flows onto a ring.
const flowSetup = { reg: 0.01, lr: 0.15, steps: 20, keep: [0, 1, 3, 6, 10, 20] };
const t0 = performance.now();
const frames = await flow(flowData(), flowSetup);
const flowMs = performance.now() - t0;
writeFileSync(`${outDir}flow.svg`, renderFlow({ y: flowData().y, frames, ...flowSetup }));
console.log(
  `\nflow: S = ${frames[0].value.toExponential(2)} → ${frames.at(-1).value.toExponential(2)} in ${flowSetup.steps} steps (${flowMs.toFixed(0)} ms)`,
);
console.log(`wrote ${['showcase', 'exact', 'sinkhorn', 'flow'].map((name) => `${outDir}${name}.svg`).join(', ')}`);

/**
 * Explicit Euler steps of x along −∂S/∂x (S the Sinkhorn divergence to y), keeping the frames at
 * the steps in `keep`. With weights 1/n, n·gradX_i ≈ 2(x_i − T(x_i)) for the squared Euclidean
 * cost (T the entropic barycentric map), so lr = 0.5 would jump to T in one step; a smaller lr
 * shows the path. A loose tol (the flow only needs the direction) and epsScaling (once the
 * points sit near y, a warm start from a large ε converges in ~90 iterations instead of ~300)
 * keep the 21 solves under half a second; float32 halves the time of each iteration.
 */
async function flow({ x, y }, { reg, lr, steps, keep }) {
  const points = { ...x, data: Float64Array.from(x.data) };
  const frames = [];
  for (let step = 0; ; step++) {
    const last = step === steps;
    const d = await ot.sinkhornDivergence(points, y, {
      reg,
      tol: 1e-3,
      epsScaling: true,
      dtype: 'float32',
      gradient: !last,
      backend: 'native',
    });
    if (keep.includes(step))
      frames.push({ step, value: d.value, x: { ...points, data: Float64Array.from(points.data) } });
    if (last) return frames;
    for (let k = 0; k < points.data.length; k++) points.data[k] -= lr * points.n * d.gradX[k];
  }
}
