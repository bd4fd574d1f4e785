// The emd cases (exact optimal transport against POT's emd2). The constructor takes the run's
// { ot, scale } before its own arguments.
import { mulberry32 } from '../../scripts/random.mjs';
import { EMD_MAX_ITER } from '../config.mjs';
import { squareCloud } from './clouds.mjs';

// Exact optimal transport between two clouds of n points uniform in the unit square, squared
// Euclidean costs (built once with monge's `dist`, outside the timing), uniform weights. POT runs
// `ot.emd2` on the same arrays; every call must end 'optimal' (POT: no numItermax warning).
export function emdCase({ ot, scale }, size, targets, { repBudgetS } = {}) {
  const n = size / scale;
  const ns = n.toLocaleString('en-US');
  return {
    id: `emd-${n}`,
    title:
      `emd, n = m = ${ns}, points uniform in the unit square, squared Euclidean costs, uniform weights, ` +
      `maxIter ${EMD_MAX_ITER.toLocaleString('en-US')}`,
    label: `emd n = ${ns}`,
    params: { fn: 'emd', n, m: n, dim: 2, metric: 'sqeuclidean', weighted: false, maxIter: EMD_MAX_ITER },
    reference: 'POT',
    targets,
    exact: true,
    repBudgetS,
    async make(dump, { note }) {
      const rand = mulberry32(5);
      const x = squareCloud(rand, n);
      const y = squareCloud(rand, n);
      const M = await ot.dist(x, y, { metric: 'sqeuclidean' });
      const a = new Float64Array(n).fill(1 / n);
      const b = new Float64Array(n).fill(1 / n);
      return {
        monge: (backend) => ot.emd(a, b, M, { maxIter: EMD_MAX_ITER, backend }),
        value(r) {
          if (r.status !== 'optimal') {
            throw new Error(`monge (${r.backend}) ended with status ${r.status} after ${r.iterations} pivots`);
          }
          note(
            r.backend,
            `${r.backend}: status optimal after ${r.iterations.toLocaleString('en-US')} pivots, ` +
              `dual gap ${r.dualGap.toExponential(1)}, plan of ${r.plan.values.length.toLocaleString('en-US')} entries`,
          );
          return r.cost;
        },
        reference: {
          op: 'emd2',
          a: dump('a', a),
          b: dump('b', b),
          cost: dump('cost', M.data),
          rows: n,
          cols: n,
          num_iter_max: EMD_MAX_ITER,
        },
      };
    },
  };
}
