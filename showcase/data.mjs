// Built-in example data for the showcase: deterministic (seeded), no files needed.
import { cloud, mulberry32, normals, weights } from '../scripts/random.mjs';

export function exampleData() {
  const r = mulberry32(2026);
  // 1-D: a bimodal sample against a skewed one, with uneven weights.
  const u = normals(r, 40, 0, 0.45).map((t, i) => t + (i < 24 ? -1.6 : 1.4));
  const v = normals(r, 30, 0, 0.8).map((t) => 0.3 + Math.abs(t));
  const uWeights = weights(r, u.length);
  const vWeights = weights(r, v.length);
  // 2-D: a ring against an off-centre Gaussian blob.
  const angle = normals(r, 300);
  const radius = normals(r, 300, 1, 0.08);
  const x = { data: new Float64Array(600), n: 300, dim: 2 };
  for (let i = 0; i < 300; i++) {
    x.data[2 * i] = radius[i] * Math.cos(angle[i] * 2);
    x.data[2 * i + 1] = radius[i] * Math.sin(angle[i] * 2);
  }
  const y = cloud(r, 250, 2, [0.6, -0.3], 0.45);
  // 3-D, larger: a Gaussian against a shifted, wider one.
  const bigX = cloud(r, 50000, 3);
  const bigY = cloud(r, 40000, 3, [0.5, 0.2, -0.3], 1.3);
  return { u, v, weights1d: { uWeights, vWeights }, x, y, bigX, bigY };
}

/**
 * Two 1-D histograms on a grid of `n` bins over [0, 1] (POT's classic Sinkhorn picture): a
 * two-bump mixture against a wide bump with a small shoulder, and their squared-distance costs.
 */
export function histogramData(n = 80) {
  const grid = Float64Array.from({ length: n }, (_, i) => i / (n - 1));
  const bump = (t, mean, sd) => Math.exp(-0.5 * ((t - mean) / sd) ** 2);
  const normalise = (w) => w.map((v) => v / w.reduce((s, t) => s + t, 0));
  const a = normalise(grid.map((t) => 0.6 * bump(t, 0.22, 0.06) + 0.4 * bump(t, 0.55, 0.09)));
  const b = normalise(grid.map((t) => bump(t, 0.72, 0.11) + 0.3 * bump(t, 0.3, 0.05)));
  const M = { data: new Float64Array(n * n), rows: n, cols: n };
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) M.data[i * n + j] = (grid[i] - grid[j]) ** 2;
  return { grid, a, b, M };
}

/** A tight Gaussian blob of `n` points and a noisy ring of `m` points beside it, both unit-scale. */
export function flowData(n = 250, m = 300) {
  const r = mulberry32(5);
  const x = cloud(r, n, 2, [-0.55, -0.35], 0.12);
  const radius = normals(r, m, 0.55, 0.03);
  const y = { data: new Float64Array(2 * m), n: m, dim: 2 };
  for (let j = 0; j < m; j++) {
    const angle = (2 * Math.PI * (j + r())) / m; // evenly spread, jittered
    y.data[2 * j] = 0.25 + radius[j] * Math.cos(angle);
    y.data[2 * j + 1] = 0.1 + radius[j] * Math.sin(angle);
  }
  return { x, y };
}
