// Built-in example data for the showcase: deterministic (seeded), no files needed.

/** mulberry32: a small seeded generator, uniform in [0, 1). */
export function rng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal samples by Box–Muller. */
function normal(r) {
  return Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
}

function cloud(n, dim, r, make) {
  const data = new Float64Array(n * dim);
  for (let i = 0; i < n; i++) make(data.subarray(i * dim, (i + 1) * dim), r);
  return { data, n, dim };
}

export function exampleData() {
  const r = rng(2026);
  // 1-D: a bimodal sample against a skewed one, with uneven weights.
  const u = Float64Array.from({ length: 40 }, (_, i) => (i < 24 ? -1.6 : 1.4) + 0.45 * normal(r));
  const v = Float64Array.from({ length: 30 }, () => 0.3 + 0.8 * Math.abs(normal(r)) - 0.2 * normal(r));
  const uWeights = Float64Array.from(u, () => 0.2 + r());
  const vWeights = Float64Array.from(v, () => 0.2 + r());
  // 2-D: a ring against an off-centre Gaussian blob.
  const x = cloud(300, 2, r, (p, r) => {
    const t = 2 * Math.PI * r();
    const rad = 1 + 0.08 * normal(r);
    p[0] = rad * Math.cos(t);
    p[1] = rad * Math.sin(t);
  });
  const y = cloud(250, 2, r, (p, r) => {
    p[0] = 0.6 + 0.35 * normal(r);
    p[1] = -0.3 + 0.5 * normal(r);
  });
  // 3-D, larger: a unit cube against a shifted, stretched Gaussian.
  const bigX = cloud(50000, 3, r, (p, r) => p.forEach((_, k) => (p[k] = r())));
  const bigY = cloud(40000, 3, r, (p, r) => p.forEach((_, k) => (p[k] = 0.5 + (k + 1) * 0.2 * normal(r))));
  return { u, v, weights1d: { uWeights, vWeights }, x, y, bigX, bigY };
}
