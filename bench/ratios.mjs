// The comparisons of one measured case: ratios of medians, ns per entry per half-iteration against
// another case's, target verdicts and the value checks between implementations.
import { fmtRatio } from './format.mjs';

// Ratios of medians, target verdicts and value checks for one case; `done`: the cases run before
// it (for `relativeTo`). Also returns `facts`, lines to print under the case.
export function compare(c, results, against = {}, done = []) {
  const med = (name) => results[name]?.median_ms;
  const ref = c.reference;
  const peerNames = Object.keys(results).filter((name) => !['native', 'wasm', ref].includes(name));
  const ratios = {};
  const facts = [];
  for (const [a, b] of [
    ...(ref ? [['native', ref]] : []),
    ['wasm', 'native'],
    ...(ref ? [['wasm', ref]] : []),
    ...peerNames.flatMap((p) => (against[p] ?? ['native', 'wasm']).map((b) => [b, p])),
  ]) {
    if (!(a in results && b in results)) continue; // a backend the case does not run
    const key = `${a} / ${b}`;
    ratios[key] = med(a) && med(b) ? med(a) / med(b) : null;
  }
  for (const [key, limit] of Object.entries(c.targets ?? {})) {
    // targets on ns per entry per half-iteration
    const name =
      typeof limit === 'object' &&
      key.endsWith(' ns per entry per half-iteration') &&
      key.slice(0, -' ns per entry per half-iteration'.length);
    if (name) ratios[key] = results[name]?.ns_per_entry_half_iteration ?? null;
  }
  if (c.relativeTo) {
    // ns per entry per half-iteration against another case's
    const { key, idPrefix, impl, halfIterations, extraHalfPasses } = c.relativeTo;
    const other = done.find((r) => r.id.startsWith(idPrefix));
    const mine = results[impl]?.ns_per_entry_half_iteration;
    const theirs = other?.results[impl]?.ns_per_entry_half_iteration;
    ratios[key] = mine && theirs ? mine / theirs : null;
    if (ratios[key] != null) {
      const theirHalf = other.params.maxIter * 2;
      const fair =
        (ratios[key] * (halfIterations / (halfIterations + extraHalfPasses))) /
        (theirHalf / (theirHalf + extraHalfPasses));
      facts.push(
        `${impl}: ${mine.toPrecision(3)} ns per entry per half-iteration against ${theirs.toPrecision(3)} in ` +
          `${other.label} (ratio ${fmtRatio(ratios[key])}); counting the ${extraHalfPasses} measuring half-passes as ` +
          `work (${halfIterations + extraHalfPasses} half-passes here, ${theirHalf + extraHalfPasses} there), ` +
          `${fmtRatio(fair)}`,
      );
    } else if (!other) {
      facts.push(`${key}: not measured (the case ${idPrefix}… did not run)`);
    }
  }
  const verdicts = {};
  for (const [key, limit] of Object.entries(c.targets ?? {})) {
    const r = ratios[key];
    if (!(key in ratios)) ratios[key] = null;
    verdicts[key] =
      r == null
        ? 'not measured'
        : typeof limit === 'object'
          ? r <= limit.max
            ? `meets ≤ ${limit.max} ${limit.unit}`
            : `misses: ${r.toPrecision(3)} ${limit.unit}`
          : r <= limit
            ? `meets ≤ ${limit}x`
            : `misses: ${fmtRatio(r)}`;
  }
  const checks = [];
  const value = (name) => (results[name]?.error ? null : results[name]?.value);
  const rel = (a, b) => Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), Number.MIN_VALUE);
  const check = (a, b, tol, what) => {
    if (value(a) == null || value(b) == null) return;
    const d = rel(value(a), value(b));
    const ok = d <= tol;
    checks.push({
      pair: `${a} vs ${b}`,
      relative_difference: d,
      tolerance: tol,
      ok,
      text: `${a} vs ${b}: relative difference ${d.toExponential(1)} (${what}; flagged above ${tol}): ${ok ? 'ok' : 'WARNING: too large'}`,
    });
  };
  if (c.checks) {
    for (const [a, b, tol, what] of c.checks) check(a, b, tol, what);
    return { ratios, verdicts, checks, facts };
  }
  check('wasm', 'native', 1e-9, c.exact ? 'same solver, same data' : 'same solver, same data and directions');
  if (ref && c.exact) check('native', ref, 1e-9, 'exact solver, identical data');
  else if (ref)
    check(
      'native',
      ref,
      0.1,
      'different random directions, so only approximate: at 100 directions the seed alone moves SW by several percent',
    );
  for (const p of peerNames) check('native', p, 1e-9, 'exact solver, identical data');
  return { ratios, verdicts, checks, facts };
}
