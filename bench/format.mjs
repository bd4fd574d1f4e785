// Number formats the benchmark's console table, RESULTS.md and case notes share: ratios ("1.23x")
// and milliseconds (4 significant figures or so, '—' for none).
export const fmtRatio = (r) => `${r.toPrecision(3)}x`;
export const fmtMs = (ms) => (ms == null ? '—' : ms >= 100 ? ms.toFixed(1) : ms >= 1 ? ms.toFixed(2) : ms.toFixed(3));
