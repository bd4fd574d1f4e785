// Built-in example data for the showcase: deterministic (seeded), no files needed.
import { cloud, mulberry32, normals, weights } from './random.mjs';

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
