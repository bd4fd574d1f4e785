// Point clouds the emd, auction and sinkhorn cases share, beside those of scripts/random.mjs.

// n points uniform in the unit square, row-major { data, n, dim: 2 }.
export const squareCloud = (rand, n) => ({ data: Float64Array.from({ length: 2 * n }, rand), n, dim: 2 });
