//! Where the kernels read costs from: a dense matrix, or two point clouds whose costs are
//! computed on the fly, a row at a time, so that memory stays O(n + m).

use super::real::Real;
use crate::dist::Metric;
use crate::input::Points;

/// A source of cost rows `M[i, ..]`.
pub(crate) trait CostSource<T: Real>: Sync {
    /// Number of rows (source atoms).
    fn rows(&self) -> usize;
    /// Number of columns (target atoms).
    fn cols(&self) -> usize;
    /// Row `i` of the costs: borrowed from the matrix, or computed into `scratch` (which holds
    /// at least `cols()` values).
    fn row<'s>(&'s self, i: usize, scratch: &'s mut [T]) -> &'s [T];
}

/// A row-major dense cost matrix.
pub(crate) struct Dense<'a, T> {
    pub data: &'a [T],
    pub rows: usize,
    pub cols: usize,
}

impl<T: Real> CostSource<T> for Dense<'_, T> {
    fn rows(&self) -> usize {
        self.rows
    }
    fn cols(&self) -> usize {
        self.cols
    }
    #[inline(always)]
    fn row<'s>(&'s self, i: usize, scratch: &'s mut [T]) -> &'s [T] {
        // Copied rather than borrowed: a plain copy streams from memory at full bandwidth,
        // while the kernels' loads, spread among their arithmetic, got a third of it
        // (0.178 against 0.114 ns per entry per half-iteration at 4096², float32, 2 cores).
        let out = &mut scratch[..self.cols];
        out.copy_from_slice(&self.data[i * self.cols..(i + 1) * self.cols]);
        out
    }
}

/// Two point clouds and a metric: `M_ij = metric(x_i, y_j)`, computed when asked for.
pub(crate) struct Cloud<T> {
    /// `x`, row-major `n × dim`, in the working type.
    x: Vec<T>,
    /// `y` transposed (`dim × m`), so that one coordinate of consecutive points is contiguous
    /// and the costs of a row vectorise across points.
    y_t: Vec<T>,
    n: usize,
    m: usize,
    dim: usize,
    metric: Metric,
}

impl<T: Real> Cloud<T> {
    /// Copies the clouds into the working type (O((n + m) · dim) memory). Both must be checked.
    pub fn new(x: Points<'_>, y: Points<'_>, metric: Metric) -> Self {
        let mut y_t = vec![T::ZERO; y.n * y.dim];
        for j in 0..y.n {
            for (k, &v) in y.row(j).iter().enumerate() {
                y_t[k * y.n + j] = T::from_f64(v);
            }
        }
        Cloud { x: x.data.iter().map(|&v| T::from_f64(v)).collect(), y_t, n: x.n, m: y.n, dim: x.dim, metric }
    }
}

impl<T: Real> CostSource<T> for Cloud<T> {
    fn rows(&self) -> usize {
        self.n
    }
    fn cols(&self) -> usize {
        self.m
    }
    #[inline(always)]
    fn row<'s>(&'s self, i: usize, scratch: &'s mut [T]) -> &'s [T] {
        let out = &mut scratch[..self.m];
        out.fill(T::ZERO);
        let xi = &self.x[i * self.dim..(i + 1) * self.dim];
        // Coordinate differences, not |x|² + |y|² − 2⟨x, y⟩: no cancellation for close points,
        // and the same bits as `dist` in float64, so dense and point modes agree exactly.
        for (k, &xk) in xi.iter().enumerate() {
            let yk = &self.y_t[k * self.m..(k + 1) * self.m];
            match self.metric {
                Metric::SqEuclidean | Metric::Euclidean => {
                    for (o, &y) in out.iter_mut().zip(yk) {
                        let d = xk - y;
                        *o = *o + d * d;
                    }
                }
                Metric::Cityblock => {
                    for (o, &y) in out.iter_mut().zip(yk) {
                        let d = xk - y;
                        *o = *o + if d < T::ZERO { -d } else { d };
                    }
                }
                Metric::Minkowski(p) => {
                    for (o, &y) in out.iter_mut().zip(yk) {
                        *o = T::from_f64(o.to_f64() + libm::pow((xk - y).to_f64().abs(), p));
                    }
                }
            }
        }
        match self.metric {
            Metric::Euclidean => out.iter_mut().for_each(|o| *o = T::from_f64(o.to_f64().sqrt())),
            Metric::Minkowski(p) => {
                out.iter_mut().for_each(|o| *o = T::from_f64(libm::pow(o.to_f64(), 1.0 / p)))
            }
            Metric::SqEuclidean | Metric::Cityblock => {}
        }
        out
    }
}

/// The cost of a solve in progress: a view of the caller's matrix (handed in again by every
/// call), or the clouds the solve copied when it started.
pub(crate) enum Source<'a, T> {
    Dense(Dense<'a, T>),
    Cloud(&'a Cloud<T>),
}

impl<T: Real> CostSource<T> for Source<'_, T> {
    fn rows(&self) -> usize {
        match self {
            Source::Dense(d) => d.rows,
            Source::Cloud(c) => c.n,
        }
    }
    fn cols(&self) -> usize {
        match self {
            Source::Dense(d) => d.cols,
            Source::Cloud(c) => c.m,
        }
    }
    #[inline(always)]
    fn row<'s>(&'s self, i: usize, scratch: &'s mut [T]) -> &'s [T] {
        // One branch per row, not per entry.
        match self {
            Source::Dense(d) => d.row(i, scratch),
            Source::Cloud(c) => c.row(i, scratch),
        }
    }
}
