// Seeded random data for the benchmark and the showcase: the same seed gives the same
// Float64Arrays on every run and every machine (mulberry32 is pure 32-bit integer arithmetic;
// Box–Muller gives the normals).

/** mulberry32: a small 32-bit PRNG, returns a function yielding uniforms in [0, 1). */
export function mulberry32(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `n` samples of N(mean, sd²). */
export function normals(rand, n, mean = 0, sd = 1) {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i += 2) {
    const r = Math.sqrt(-2 * Math.log(1 - rand())); // 1 - u ∈ (0, 1]: no log(0)
    const t = 2 * Math.PI * rand();
    out[i] = mean + sd * r * Math.cos(t);
    if (i + 1 < n) out[i + 1] = mean + sd * r * Math.sin(t);
  }
  return out;
}

/** `n` positive weights, uniform in [0.5, 1.5) before normalising to sum 1. */
export function weights(rand, n) {
  const w = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += w[i] = 0.5 + rand();
  for (let i = 0; i < n; i++) w[i] /= sum;
  return w;
}

/** A point cloud `{ data, n, dim }` (row-major), coordinate k ~ N(shift[k], scale²). */
export function cloud(rand, n, dim, shift = 0, scale = 1) {
  const data = normals(rand, n * dim);
  for (let i = 0; i < n * dim; i++) {
    const k = i % dim;
    data[i] = (Array.isArray(shift) ? shift[k] : shift) + scale * data[i];
  }
  return { data, n, dim };
}
