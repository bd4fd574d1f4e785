// The wasserstein1d and slicedWasserstein cases (against POT's wasserstein_1d and
// sliced_wasserstein_distance). Each constructor takes the run's { ot, scale } (the loaded package,
// and 10 under --quick, 1 otherwise: sizes are divided by it) before its own arguments.
import { cloud, mulberry32, normals, weights } from '../../scripts/random.mjs';

export function w1dCase({ ot, scale }, size, targets) {
  const n = size / scale;
  return {
    id: `wasserstein1d-${n}`,
    title: `wasserstein1d, weighted, n = m = ${n.toLocaleString('en-US')}, p = 1`,
    label: `wasserstein1d n = ${n.toLocaleString('en-US')}`,
    params: { fn: 'wasserstein1d', n, m: n, p: 1, weighted: true },
    reference: 'POT',
    targets,
    exact: true,
    make(dump) {
      const rand = mulberry32(1);
      const u = normals(rand, n);
      const v = normals(rand, n, 0.5, 1.5);
      const uWeights = weights(rand, n); // normalised: POT gets the very same arrays
      const vWeights = weights(rand, n);
      return {
        monge: (backend) => ot.wasserstein1d(u, v, { uWeights, vWeights, p: 1, backend }),
        reference: {
          op: 'wasserstein_1d',
          u: dump('u', u),
          v: dump('v', v),
          u_weights: dump('uw', uWeights),
          v_weights: dump('vw', vWeights),
          p: 1,
        },
      };
    },
  };
}

export function slicedCase({ ot, scale }, size, targets) {
  const n = size / scale;
  const dim = 3,
    nProjections = 100,
    p = 2;
  return {
    id: `sliced-${n}`,
    title:
      `slicedWasserstein, uniform weights, n = m = ${n.toLocaleString('en-US')}, d = ${dim}, ` +
      `${nProjections} projections, p = ${p}`,
    label: `slicedWasserstein n = ${n.toLocaleString('en-US')}`,
    params: { fn: 'slicedWasserstein', n, m: n, dim, nProjections, p, seed: 0, weighted: false },
    reference: 'POT',
    targets,
    exact: false, // different random directions: values agree only approximately
    make(dump) {
      const rand = mulberry32(2);
      const x = cloud(rand, n, dim);
      const y = cloud(rand, n, dim, [1, -0.5, 0.25], 1.5);
      return {
        monge: (backend) => ot.slicedWasserstein(x, y, { nProjections, p, seed: 0, backend }),
        reference: {
          op: 'sliced',
          x: dump('x', x.data),
          y: dump('y', y.data),
          dim,
          a: null,
          b: null,
          n_projections: nProjections,
          p,
          seed: 0,
        },
      };
    },
  };
}
