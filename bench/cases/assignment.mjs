// The assignment cases: linearSumAssignment (against scipy's linear_sum_assignment and the npm
// packages munkres and munkres-js) and auction (against scipy, with monge's linearSumAssignment
// beside it), and the checks that a returned matching is a permutation. Each constructor takes the
// run's { ot, scale } (assignmentCase also `peers`, the loaded JS peers) before its own arguments.
import { mulberry32 } from '../../scripts/random.mjs';
import { squareCloud } from './clouds.mjs';

// Square linear sum assignment, n × n. `uniform`: costs uniform in [0, 1); `geometric`: squared
// Euclidean distances between two clouds of n points uniform in the unit square. The JS peers take
// `number[][]`, built once here, outside their timed calls (monge's times include its conversion).
// `with` names the JS peers (default munkres); `python: false` leaves scipy out.
export function assignmentCase(
  { ot, scale, peers },
  size,
  kind,
  targets,
  { with: peerNames = ['munkres'], python = true } = {},
) {
  const n = size / scale;
  const what =
    kind === 'uniform'
      ? 'uniform random costs in [0, 1)'
      : 'squared Euclidean distances between two uniform point clouds in the unit square';
  const against = python ? '' : `, against ${peerNames.join(', ')} only`;
  return {
    id: `assignment-${kind}-${n}${python ? '' : `-${peerNames.join('-')}`}`,
    title: `linearSumAssignment, ${n.toLocaleString('en-US')} × ${n.toLocaleString('en-US')}, ${what}${against}`,
    label: `linearSumAssignment ${kind} n = ${n.toLocaleString('en-US')}`,
    params: { fn: 'linearSumAssignment', n, m: n, kind, maximize: false, peers: peerNames },
    reference: python ? 'scipy' : null,
    targets,
    exact: true,
    make(dump) {
      const rand = mulberry32(kind === 'uniform' ? 3 : 4);
      const data = new Float64Array(n * n);
      if (kind === 'uniform') {
        for (let k = 0; k < n * n; k++) data[k] = rand();
      } else {
        const x = Float64Array.from({ length: 2 * n }, rand);
        const y = Float64Array.from({ length: 2 * n }, rand);
        for (let i = 0; i < n; i++) {
          for (let j = 0; j < n; j++) {
            const dx = x[2 * i] - y[2 * j],
              dy = x[2 * i + 1] - y[2 * j + 1];
            data[i * n + j] = dx * dx + dy * dy;
          }
        }
      }
      const M = { data, rows: n, cols: n };
      const total = (pairs, who) => assignmentTotal(data, n, pairs, who);
      const available = peerNames.filter((name) => peers[name]);
      const nested = available.length
        ? Array.from({ length: n }, (_, i) => Array.from(data.subarray(i * n, (i + 1) * n)))
        : null;
      const peerList = available.map((name) => ({
        name,
        call: () => peers[name].solve(nested),
        value: (r) => total(r, name),
      }));
      return {
        monge: (backend) => ot.linearSumAssignment(M, { maximize: false, backend }),
        value: (r) => mongeAssignmentValue(data, n, r, `monge (${r.backend})`),
        reference: python
          ? { op: 'linear_sum_assignment', cost: dump('cost', data), rows: n, cols: n, maximize: false }
          : null,
        peers: peerList,
      };
    },
  };
}

// The total of a matching of the n × n matrix `data` given as (row, column) pairs, after checking
// it is a permutation.
function assignmentTotal(data, n, pairs, who) {
  const seenRow = new Uint8Array(n),
    seenCol = new Uint8Array(n);
  let sum = 0,
    count = 0;
  for (const [i, j] of pairs) {
    if (!(i >= 0 && i < n && j >= 0 && j < n) || seenRow[i] || seenCol[j]) {
      throw new Error(`${who} returned an invalid assignment (pair ${i}, ${j})`);
    }
    seenRow[i] = seenCol[j] = 1;
    sum += data[i * n + j];
    count++;
  }
  if (count !== n) throw new Error(`${who} matched ${count} of ${n} rows`);
  return sum;
}

// A monge assignment result ({ rowInd, colInd, cost }) checked against the matrix: its cost.
function mongeAssignmentValue(data, n, r, who) {
  const pairs = Array.from(r.rowInd, (i, k) => [i, r.colInd[k]]);
  const sum = assignmentTotal(data, n, pairs, who);
  if (Math.abs(sum - r.cost) > 1e-12 * Math.max(1, Math.abs(sum))) {
    throw new Error(`${who} reported cost ${r.cost} but its assignment sums to ${sum}`);
  }
  return r.cost;
}

// Assignment by auction on 2-D geometric costs scaled to integers (squared Euclidean distances
// between two clouds of n points uniform in the unit square, × 10⁶, rounded): with integer costs
// the auction's result is provably optimal (gapBound 0, checked). scipy's linear_sum_assignment is
// the reference; monge's linearSumAssignment on the same matrix is reported beside it, untargeted.
export function auctionCase({ ot, scale }, size, targets) {
  const n = size / scale;
  const ns = n.toLocaleString('en-US');
  const factor = 1e6;
  return {
    id: `auction-geometric-integer-${n}`,
    title:
      `auction, ${ns} × ${ns}, squared Euclidean distances between two uniform point clouds in the unit ` +
      `square × 10⁶, rounded to integers`,
    label: `auction integer geometric n = ${ns}`,
    params: { fn: 'auction', n, m: n, kind: 'geometric-integer', factor, maximize: false },
    reference: 'scipy',
    targets,
    exact: true,
    make(dump, { note, backends }) {
      const rand = mulberry32(6);
      const x = squareCloud(rand, n).data;
      const y = squareCloud(rand, n).data;
      const data = new Float64Array(n * n);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          const dx = x[2 * i] - y[2 * j],
            dy = x[2 * i + 1] - y[2 * j + 1];
          data[i * n + j] = Math.round((dx * dx + dy * dy) * factor);
        }
      }
      const M = { data, rows: n, cols: n };
      return {
        monge: (backend) => ot.auction(M, { maximize: false, backend }),
        value(r) {
          if (r.gapBound !== 0) throw new Error(`monge (${r.backend}) auction gapBound is ${r.gapBound}, not 0`);
          note(r.backend, `${r.backend}: gapBound 0 (integer costs: provably optimal)`);
          return mongeAssignmentValue(data, n, r, `monge (${r.backend}) auction`);
        },
        reference: { op: 'linear_sum_assignment', cost: dump('cost', data), rows: n, cols: n, maximize: false },
        peers: backends.map((backend) => ({
          name: `linearSumAssignment (${backend})`,
          against: [backend],
          call: () => ot.linearSumAssignment(M, { maximize: false, backend }),
          value: (r) => mongeAssignmentValue(data, n, r, `monge (${backend}) linearSumAssignment`),
        })),
      };
    },
  };
}
