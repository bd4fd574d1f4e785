// Draws the showcase picture: the 1-D optimal plan, and a 2-D pair of clouds with the
// directions sliced Wasserstein projects on. Plain SVG strings, no dependencies.

const BLUE = '#2b6cb0';
const ORANGE = '#dd6b20';

const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;');
const f = (x) => x.toFixed(1);

function onePlanPanel({ u, v, weights1d }, plan, x0) {
  const lo = Math.min(...u, ...v);
  const hi = Math.max(...u, ...v);
  const X = (t) => x0 + 40 + ((t - lo) / (hi - lo)) * 380;
  const sum = (w) => w.reduce((s, x) => s + x, 0);
  const [su, sv] = [sum(weights1d.uWeights), sum(weights1d.vWeights)];
  const maxW = Math.max(...weights1d.uWeights.map((w) => w / su), ...weights1d.vWeights.map((w) => w / sv));
  const maxMass = Math.max(...plan.plan.values);
  const out = [
    `<text x="${x0 + 20}" y="36" class="title">emd1d: the monotone optimal plan, W₂² = ${plan.cost.toFixed(4)}</text>`,
  ];
  plan.plan.values.forEach((m, k) => {
    const a = X(u[plan.plan.rows[k]]);
    const b = X(v[plan.plan.cols[k]]);
    out.push(
      `<line x1="${f(a)}" y1="150" x2="${f(b)}" y2="310" stroke="#555" stroke-opacity="0.45" stroke-width="${(0.4 + (3.6 * m) / maxMass).toFixed(2)}"/>`,
    );
  });
  u.forEach((t, i) => {
    const h = (weights1d.uWeights[i] / su / maxW) * 70;
    out.push(`<rect x="${f(X(t) - 1.5)}" y="${f(146 - h)}" width="3" height="${f(h)}" fill="${BLUE}"/>`);
  });
  v.forEach((t, j) => {
    const h = (weights1d.vWeights[j] / sv / maxW) * 70;
    out.push(`<rect x="${f(X(t) - 1.5)}" y="314" width="3" height="${f(h)}" fill="${ORANGE}"/>`);
  });
  out.push(`<line x1="${x0 + 40}" y1="148" x2="${x0 + 420}" y2="148" stroke="#999"/>`);
  out.push(`<line x1="${x0 + 40}" y1="312" x2="${x0 + 420}" y2="312" stroke="#999"/>`);
  out.push(`<text x="${x0 + 40}" y="${70}" class="label" fill="${BLUE}">u: ${u.length} weighted atoms</text>`);
  out.push(`<text x="${x0 + 40}" y="${410}" class="label" fill="${ORANGE}">v: ${v.length} weighted atoms</text>`);
  out.push(
    `<text x="${x0 + 40}" y="${432}" class="note">line width ∝ mass moved; ${plan.plan.values.length} entries ≤ n + m − 1</text>`,
  );
  return out.join('\n');
}

function slicedPanel({ x, y }, directions, perDirection, sw, x0) {
  const cx = x0 + 230;
  const cy = 240;
  const s = 95;
  const P = (data, i) => [cx + data[2 * i] * s, cy - data[2 * i + 1] * s];
  const out = [
    `<text x="${x0 + 10}" y="36" class="title">slicedWasserstein: SW₂ = ${sw.toFixed(4)} (200 directions)</text>`,
  ];
  directions.forEach(([dx, dy], k) => {
    const [ax, ay] = [cx - dx * 190, cy + dy * 190];
    const [bx, by] = [cx + dx * 190, cy - dy * 190];
    out.push(`<line x1="${f(ax)}" y1="${f(ay)}" x2="${f(bx)}" y2="${f(by)}" stroke="#888" stroke-dasharray="4 4"/>`);
    out.push(
      `<text x="${f(cx + dx * 200)}" y="${f(cy - dy * 200 + 4)}" class="note" text-anchor="middle">${perDirection[k].toFixed(2)}</text>`,
    );
  });
  // The projections on the first direction, as ticks beside its line.
  const [dx, dy] = directions[0];
  const tick = (data, n, color, off) => {
    for (let i = 0; i < n; i++) {
      const t = data[2 * i] * dx + data[2 * i + 1] * dy;
      const [px, py] = [cx + dx * t * s - dy * off, cy - dy * t * s - dx * off];
      out.push(`<circle cx="${f(px)}" cy="${f(py)}" r="1.3" fill="${color}" fill-opacity="0.6"/>`);
    }
  };
  tick(x.data, x.n, BLUE, 6);
  tick(y.data, y.n, ORANGE, -6);
  for (let i = 0; i < x.n; i++) {
    const [px, py] = P(x.data, i);
    out.push(`<circle cx="${f(px)}" cy="${f(py)}" r="2" fill="${BLUE}" fill-opacity="0.7"/>`);
  }
  for (let j = 0; j < y.n; j++) {
    const [px, py] = P(y.data, j);
    out.push(`<circle cx="${f(px)}" cy="${f(py)}" r="2" fill="${ORANGE}" fill-opacity="0.7"/>`);
  }
  out.push(
    `<text x="${x0 + 10}" y="420" class="note">dashed: 6 directions, each labelled with W₂ of the projected clouds;</text>`,
  );
  out.push(
    `<text x="${x0 + 10}" y="434" class="note">dots along the first one: the projected points of both clouds</text>`,
  );
  return out.join('\n');
}

/** The whole picture as an SVG document. */
export function renderShowcase({ data, plan, directions, perDirection, sw }) {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="980" height="450" viewBox="0 0 980 450" font-family="system-ui, sans-serif">
<style>.title{font-size:15px;font-weight:600}.label{font-size:13px}.note{font-size:11px;fill:#555}</style>
<rect width="980" height="450" fill="white"/>
${onePlanPanel(data, plan, 0)}
<line x1="470" y1="20" x2="470" y2="430" stroke="#ddd"/>
${slicedPanel(data, directions, perDirection, sw, 490)}
<text x="970" y="446" class="note" text-anchor="end">${esc('monge showcase')}</text>
</svg>
`;
}

/** Segments between two clouds for a sparse plan (width ∝ mass) or an assignment. */
function pairsPanel(title, note, x, y, pairs, x0) {
  const all = [...x.data, ...y.data];
  const lo = Math.min(...all);
  const hi = Math.max(...all);
  const P = (d, i) => [x0 + 30 + ((d[2 * i] - lo) / (hi - lo)) * 400, 410 - ((d[2 * i + 1] - lo) / (hi - lo)) * 340];
  const maxMass = Math.max(...pairs.map((p) => p[2]));
  const out = [`<text x="${x0 + 20}" y="36" class="title">${esc(title)}</text>`];
  for (const [i, j, mass] of pairs) {
    const [ax, ay] = P(x.data, i);
    const [bx, by] = P(y.data, j);
    out.push(
      `<line x1="${f(ax)}" y1="${f(ay)}" x2="${f(bx)}" y2="${f(by)}" stroke="#555" stroke-opacity="0.6" stroke-width="${(0.5 + (2.5 * mass) / maxMass).toFixed(2)}"/>`,
    );
  }
  for (let i = 0; i < x.n; i++) {
    const [px, py] = P(x.data, i);
    out.push(`<circle cx="${f(px)}" cy="${f(py)}" r="3.5" fill="${BLUE}"/>`);
  }
  for (let j = 0; j < y.n; j++) {
    const [px, py] = P(y.data, j);
    out.push(`<circle cx="${f(px)}" cy="${f(py)}" r="3.5" fill="${ORANGE}"/>`);
  }
  out.push(`<text x="${x0 + 20}" y="436" class="note">${esc(note)}</text>`);
  return out.join('\n');
}

/** The exact-solver picture: the EMD plan and the optimal assignment between two clouds. */
export function renderExact({ x, y, plan, emdCost, assignment }) {
  const planPairs = [...plan.values].map((m, k) => [plan.rows[k], plan.cols[k], m]);
  const assignPairs = [...assignment.rowInd].map((i, k) => [i, assignment.colInd[k], 1]);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="980" height="450" viewBox="0 0 980 450" font-family="system-ui, sans-serif">
<style>.title{font-size:15px;font-weight:600}.note{font-size:11px;fill:#555}</style>
<rect width="980" height="450" fill="white"/>
${pairsPanel(`emd: optimal plan, cost ${emdCost.toFixed(4)}`, `${plan.values.length} entries (≤ n + m − 1), width ∝ mass; blue weighted ${x.n} points, orange ${y.n}`, x, y, planPairs, 0)}
<line x1="470" y1="20" x2="470" y2="430" stroke="#ddd"/>
${pairsPanel(`linearSumAssignment: total ${assignment.cost.toFixed(4)}`, `each blue point matched to a distinct orange point (${assignment.rowInd.length} pairs)`, x, y, assignPairs, 490)}
</svg>
`;
}

const INK = '#322659';

/**
 * One entropic plan between two 1-D histograms: the plan as a heatmap (rows: source bins, top
 * to bottom; columns: target bins, left to right), `a` drawn leftwards beside the rows and `b`
 * upwards above the columns, as in POT's `plot1D_mat`.
 */
function heatmapPanel({ a, b }, { reg, result }, x0) {
  const [n, m] = [a.length, b.length];
  const [left, top, size] = [x0 + 120, 120, 290];
  const [cw, ch] = [size / m, size / n];
  const maxA = Math.max(...a);
  const maxB = Math.max(...b);
  const plan = result.plan.data;
  let maxP = 0;
  for (const p of plan) maxP = Math.max(maxP, p);
  const out = [
    `<text x="${x0 + 20}" y="36" class="title">sinkhorn, reg = ${reg}: cost ${result.cost.toFixed(4)}</text>`,
  ];
  out.push(
    `<text x="${x0 + 20}" y="54" class="note">${result.iterations} iterations, marginal error ${result.marginalError.toExponential(1)}</text>`,
  );
  // Cells under 0.2% of the largest are invisible anyway: skipping them keeps the file small.
  out.push(`<g fill="${INK}">`);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      const p = plan[i * m + j] / maxP;
      if (p < 0.002) continue;
      out.push(
        `<rect x="${f(left + j * cw)}" y="${f(top + i * ch)}" width="${f(cw + 0.3)}" height="${f(ch + 0.3)}" fill-opacity="${p.toFixed(3)}"/>`,
      );
    }
  }
  out.push('</g>');
  out.push(`<rect x="${left}" y="${top}" width="${size}" height="${size}" fill="none" stroke="#999"/>`);
  for (let i = 0; i < n; i++) {
    const w = (a[i] / maxA) * 80;
    out.push(`<rect x="${f(left - 4 - w)}" y="${f(top + i * ch)}" width="${f(w)}" height="${f(ch)}" fill="${BLUE}"/>`);
  }
  for (let j = 0; j < m; j++) {
    const h = (b[j] / maxB) * 44;
    out.push(
      `<rect x="${f(left + j * cw)}" y="${f(top - 4 - h)}" width="${f(cw)}" height="${f(h)}" fill="${ORANGE}"/>`,
    );
  }
  out.push(`<text x="${left - 84}" y="${top + size + 16}" class="label" fill="${BLUE}">a (${n} bins)</text>`);
  out.push(
    `<text x="${left + size}" y="${top - 54}" class="label" fill="${ORANGE}" text-anchor="end">b (${m} bins)</text>`,
  );
  return out.join('\n');
}

/** Sinkhorn plans between the same two histograms at a large and a small `reg`, side by side. */
export function renderSinkhorn({ a, b, panels, emdCost }) {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="980" height="450" viewBox="0 0 980 450" font-family="system-ui, sans-serif">
<style>.title{font-size:15px;font-weight:600}.label{font-size:13px}.note{font-size:11px;fill:#555}</style>
<rect width="980" height="450" fill="white"/>
${heatmapPanel({ a, b }, panels[0], 0)}
<line x1="470" y1="20" x2="470" y2="430" stroke="#ddd"/>
${heatmapPanel({ a, b }, panels[1], 490)}
<text x="20" y="440" class="note">${esc(`cost M_ij = (t_i − t_j)² on a grid over [0, 1]; shade ∝ plan mass. Large reg blurs the plan (cost above the exact ${emdCost.toFixed(4)}); small reg approaches the sharp optimal plan.`)}</text>
</svg>
`;
}

/** One frame of the flow: the target faintly, the moving points strongly, the divergence below. */
function flowFrame(y, { step, x, value }, P, x0, y0) {
  const out = [`<rect x="${x0}" y="${y0}" width="300" height="250" fill="none" stroke="#ddd"/>`];
  for (let j = 0; j < y.n; j++) {
    const [px, py] = P(y.data, j, x0, y0);
    out.push(`<circle cx="${f(px)}" cy="${f(py)}" r="2" fill="${ORANGE}" fill-opacity="0.3"/>`);
  }
  for (let i = 0; i < x.n; i++) {
    const [px, py] = P(x.data, i, x0, y0);
    out.push(`<circle cx="${f(px)}" cy="${f(py)}" r="1.7" fill="${BLUE}" fill-opacity="0.85"/>`);
  }
  out.push(
    `<text x="${x0 + 150}" y="${y0 + 270}" class="label" text-anchor="middle">step ${step}: S = ${value.toExponential(2)}</text>`,
  );
  return out.join('\n');
}

/** The gradient flow as small multiples: 3 × 2 frames on one common scale. */
export function renderFlow({ y, frames, reg, lr }) {
  const clouds = [y.data, ...frames.map((fr) => fr.x.data)];
  const range = (axis) => {
    const v = clouds.flatMap((d) => [...d].filter((_, k) => k % 2 === axis));
    return [Math.min(...v), Math.max(...v)];
  };
  const [[x0, x1], [y0, y1]] = [range(0), range(1)];
  const s = Math.min(280 / (x1 - x0), 230 / (y1 - y0)); // one scale for both axes: the ring stays round
  const P = (d, i, left, top) => [
    left + 150 + (d[2 * i] - (x0 + x1) / 2) * s,
    top + 125 - (d[2 * i + 1] - (y0 + y1) / 2) * s,
  ];
  const cells = frames.map((fr, k) => flowFrame(y, fr, P, 20 + (k % 3) * 320, 70 + Math.floor(k / 3) * 295));
  return `<svg xmlns="http://www.w3.org/2000/svg" width="980" height="650" viewBox="0 0 980 650" font-family="system-ui, sans-serif">
<style>.title{font-size:15px;font-weight:600}.label{font-size:13px}.note{font-size:11px;fill:#555}</style>
<rect width="980" height="650" fill="white"/>
<text x="20" y="36" class="title">${esc(`sinkhornDivergence gradient flow: ${frames[0].x.n} points (blue) flow to ${y.n} (orange)`)}</text>
<text x="20" y="54" class="note">${esc(`x ← x − lr · n · ∂S/∂x, reg = ${reg}, lr = ${lr}, squared Euclidean cost, ${frames.at(-1).step} steps`)}</text>
${cells.join('\n')}
</svg>
`;
}
