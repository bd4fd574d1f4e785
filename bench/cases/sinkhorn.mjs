// The sinkhorn cases (issue #5): dense float32 against POT's sinkhorn_log and the exp roofline,
// point clouds with costs computed on the fly, and epsilon scaling. Each constructor takes the
// run's { ot, scale, roofline } (the roofline kernels: bench/harness.mjs, loadRoofline) before its
// own arguments.
import { mulberry32 } from '../../scripts/random.mjs';
import { SINKHORN_CLOUD_KEY } from '../config.mjs';
import { fmtMs } from '../format.mjs';
import { rooflinePeers, simdNote } from '../harness.mjs';
import { squareCloud } from './clouds.mjs';

// Sinkhorn with tol 0: exactly maxIter iterations (checked), the value being the transport cost
// <P, M>. `note` gets the iterations and marginal error per backend.
function sinkhornValue(maxIter, note) {
  return (r) => {
    if (r.iterations !== maxIter)
      throw new Error(`monge (${r.backend}) ran ${r.iterations} iterations, not ${maxIter}`);
    note(
      r.backend,
      `${r.backend}: ${r.iterations} iterations (tol 0), ${r.dtype}, marginal error ` +
        `${r.marginalError.toExponential(2)}, cost ${r.cost.toPrecision(8)}`,
    );
    return r.cost;
  };
}

// Log-domain Sinkhorn on a dense float32 cost matrix: squared Euclidean costs between two clouds of
// n points uniform in the unit square (built with `dist`, then rounded to float32, outside the
// timing), uniform weights, tol 0 so that every implementation runs exactly maxIter iterations.
// POT: ot.sinkhorn(method='sinkhorn_log', stopThr=0) on the same float32 matrix. The rooflines time
// Σ exp over the n·m values −M/reg, once per half-iteration.
export function sinkhornDenseCase({ ot, scale, roofline }, size, targets) {
  const n = Math.round(size / scale);
  const ns = n.toLocaleString('en-US');
  const reg = 0.01,
    maxIter = 100,
    halfIterations = 2 * maxIter;
  return {
    id: `sinkhorn-dense-float32-${n}`,
    title:
      `sinkhorn, dense float32, n = m = ${ns}, points uniform in the unit square, squared Euclidean costs, ` +
      `uniform weights, reg ${reg}, tol 0, maxIter ${maxIter}`,
    label: `sinkhorn dense float32 n = ${ns}`,
    params: {
      fn: 'sinkhorn',
      n,
      m: n,
      dim: 2,
      metric: 'sqeuclidean',
      dtype: 'float32',
      weighted: false,
      reg,
      tol: 0,
      maxIter,
    },
    reference: 'POT',
    targets,
    exact: false,
    perEntry: halfIterations * n * n,
    maxReps: { POT: 3, 'roofline (wasm)': 3 }, // ≈ 20 s and ≈ 5 s a call on 2 cores
    async make(dump, { note, remark, backends }) {
      const rand = mulberry32(12);
      const x = squareCloud(rand, n);
      const y = squareCloud(rand, n);
      const M = { data: Float32Array.from((await ot.dist(x, y, { metric: 'sqeuclidean' })).data), rows: n, cols: n };
      const values = M.data.map((c) => -c / reg); // a Float32Array, as the kernels round it
      remark('simd', simdNote(roofline, backends));
      remark(
        'per entry',
        `ns per entry per half-iteration = median time / (${halfIterations} · n · m), ${halfIterations} ` +
          `half-iterations being ${maxIter} iterations of an f update and a g update. monge reads each cost entry once ` +
          'per iteration (one fused sweep for both updates) and makes 2 more half-passes at the end to measure the ' +
          'marginals and the cost; POT makes 2 log-sum-exp passes per iteration, plus one error pass every 10th ' +
          'iteration and one for the plan; each roofline time is ' +
          `${halfIterations} calls of Σ exp over the n·m entries. POT runs on one thread (NumPy / scipy logsumexp).`,
      );
      return {
        monge: (backend) => ot.sinkhorn(undefined, undefined, M, { reg, maxIter, tol: 0, dtype: 'float32', backend }),
        value: sinkhornValue(maxIter, note),
        reference: {
          op: 'sinkhorn_log',
          cost: dump('cost', M.data),
          rows: n,
          cols: n,
          a: null,
          b: null,
          reg,
          num_iter_max: maxIter,
          stop_thr: 0,
          dtype: 'float32',
        },
        referenceCheck(reply) {
          if (reply.iterations !== maxIter) throw new Error(`POT ran ${reply.iterations} iterations, not ${maxIter}`);
          if (reply.dtype !== 'float32') throw new Error(`POT computed in ${reply.dtype}, not float32`);
          note(
            'POT',
            `POT: ${reply.iterations} iterations (stopThr 0: POT stops only when its error, checked every ` +
              `10th iteration, is below stopThr, which a norm never is), ${reply.error_checks} error passes, plan in ` +
              `${reply.dtype}, cost ${reply.value.toPrecision(8)}`,
          );
        },
        peers: rooflinePeers(roofline, values, halfIterations, note),
        checks: [
          ['wasm', 'native', 1e-5, 'same algorithm in float32, different exp vectorisation and summation order'],
          [
            'native',
            'POT',
            1e-4,
            `float32, ${maxIter} iterations short of convergence, and POT updates g before f ` +
              'where monge updates f first, so the plans differ slightly',
          ],
          [
            'roofline (wasm)',
            'roofline (native)',
            1e-3,
            `float32 sums of ${(n * n).toLocaleString('en-US')} terms in different orders`,
          ],
        ],
      };
    },
  };
}

// Log-domain Sinkhorn on two point clouds, costs computed on the fly (no n × m array): n points
// uniform in the unit cube each, float32, tol 0. No POT: ot.sinkhorn needs the n × m matrix.
export function sinkhornCloudCase({ ot, scale, roofline }, size, targets) {
  const n = size / scale;
  const ns = n.toLocaleString('en-US');
  const dim = 3,
    reg = 0.01,
    maxIter = 10,
    halfIterations = 2 * maxIter;
  return {
    id: `sinkhorn-clouds-float32-${n}`,
    title:
      `sinkhorn, point clouds float32, n = m = ${ns}, d = ${dim}, points uniform in the unit cube, squared ` +
      `Euclidean costs computed on the fly, uniform weights, reg ${reg}, tol 0, maxIter ${maxIter}`,
    label: `sinkhorn point clouds float32 n = ${ns}`,
    params: {
      fn: 'sinkhorn',
      n,
      m: n,
      dim,
      metric: 'sqeuclidean',
      costs: 'on the fly',
      dtype: 'float32',
      weighted: false,
      reg,
      tol: 0,
      maxIter,
    },
    reference: null,
    targets,
    exact: false,
    perEntry: halfIterations * n * n,
    relativeTo: {
      key: SINKHORN_CLOUD_KEY,
      idPrefix: 'sinkhorn-dense-float32-',
      impl: 'native',
      halfIterations,
      extraHalfPasses: 2,
    },
    maxReps: { wasm: 3 }, // ≈ 10 s a call
    make(_dump, { note, remark, backends }) {
      const rand = mulberry32(13);
      const cube = () => ({ data: Float64Array.from({ length: dim * n }, rand), n, dim });
      const cost = { x: cube(), y: cube(), metric: 'sqeuclidean' };
      remark('simd', simdNote(roofline, backends));
      remark(
        'per entry',
        `ns per entry per half-iteration = median time / (${halfIterations} · n · m); monge makes 2 ` +
          'more half-passes at the end to measure the marginals and the cost (10% more work at this maxIter, 1% in ' +
          'the dense case).',
      );
      remark(
        'no POT',
        `No POT: ot.sinkhorn needs the ${ns} × ${ns} cost matrix (${((4 * n * n) / 1e9).toPrecision(2)} GB ` +
          `in float32); POT's lazy empirical_sinkhorn(isLazy=True) is not benchmarked.`,
      );
      return {
        monge: (backend) =>
          ot.sinkhorn(undefined, undefined, cost, { reg, maxIter, tol: 0, dtype: 'float32', backend }),
        value: sinkhornValue(maxIter, note),
        checks: [
          ['wasm', 'native', 1e-5, 'same algorithm in float32, different exp vectorisation and summation order'],
        ],
      };
    },
  };
}

// Epsilon scaling: the iterations and time to reach tol 1e-6 at reg 1e-3 without and with
// `epsScaling` (native, float64), on the squared Euclidean costs between two clouds of n points
// uniform in the unit square. Untargeted: issue #5 asks for the numbers.
export function sinkhornEpsCase({ ot, scale, roofline }, size, { repBudgetS } = {}) {
  const n = size / scale;
  const ns = n.toLocaleString('en-US');
  const reg = 1e-3,
    tol = 1e-6,
    maxIter = 100_000;
  const scaled = 'native (epsScaling)';
  return {
    id: `sinkhorn-eps-scaling-${n}`,
    title:
      `sinkhorn epsilon scaling, n = m = ${ns}, float64, native, points uniform in the unit square, squared ` +
      `Euclidean costs, uniform weights, reg ${reg}, tol ${tol.toExponential()}, ` +
      `maxIter ${maxIter.toLocaleString('en-US')}: ` +
      `epsScaling false (native) and true (${scaled})`,
    label: `sinkhorn epsilon scaling n = ${ns}`,
    params: {
      fn: 'sinkhorn',
      n,
      m: n,
      dim: 2,
      metric: 'sqeuclidean',
      dtype: 'float64',
      weighted: false,
      reg,
      tol,
      maxIter,
      epsScaling: [false, true],
    },
    reference: null,
    targets: null,
    exact: false,
    backends: ['native'],
    repBudgetS,
    async make(_dump, { note, remark, backends }) {
      const rand = mulberry32(14);
      const x = squareCloud(rand, n);
      const y = squareCloud(rand, n);
      const M = await ot.dist(x, y, { metric: 'sqeuclidean' });
      const solve = (epsScaling) =>
        ot.sinkhorn(undefined, undefined, M, { reg, maxIter, tol, epsScaling, backend: 'native' });
      const last = {};
      const value = (name) => (r) => {
        if (!r.converged)
          throw new Error(`${name} did not reach tol ${tol.toExponential()} in ${r.iterations} iterations`);
        last[name] = r;
        note(
          name,
          `${name}: ${r.iterations.toLocaleString('en-US')} iterations` +
            `${name === scaled ? ' (annealing stages included)' : ''}, marginal error ${r.marginalError.toExponential(2)}`,
        );
        return r.cost;
      };
      remark('simd', simdNote(roofline, backends));
      return {
        monge: () => solve(false),
        value: value('native'),
        peers: [{ name: scaled, against: ['native'], call: () => solve(true), value: value(scaled) }],
        checks: [
          [
            scaled,
            'native',
            1e-4,
            `both stop once the marginal error is ≤ ${tol.toExponential()}, from different starts`,
          ],
        ],
        summary(results) {
          const [a, b] = [last.native, last[scaled]];
          const [ta, tb] = [results.native?.median_ms, results[scaled]?.median_ms];
          if (!a || !b || !ta || !tb) return [];
          const pct = (x, y, less, more) => `${Math.abs(100 * (1 - x / y)).toFixed(0)}% ${x <= y ? less : more}`;
          return [
            `epsScaling: ${b.iterations.toLocaleString('en-US')} iterations instead of ` +
              `${a.iterations.toLocaleString('en-US')} (${pct(b.iterations, a.iterations, 'fewer', 'more')}), median ` +
              `time ${fmtMs(tb)} ms instead of ${fmtMs(ta)} ms (${pct(tb, ta, 'less', 'more')}); ` +
              `${(ta / a.iterations).toPrecision(3)} and ${(tb / b.iterations).toPrecision(3)} ms per iteration`,
          ];
        },
      };
    },
  };
}
