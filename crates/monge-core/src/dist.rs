//! Cost matrices between two point clouds (POT's `ot.dist`).
//!
//! Each entry is computed directly from the coordinate differences rather than through
//! `|x|² + |y|² − 2⟨x, y⟩`: slower than a matrix product for large dimensions, but exact to a few
//! ulps even for nearly equal points, which matters for costs that feed exact solvers.

use crate::error::{Detail, Error, ErrorKind, Result};
use crate::input::{check_exponent, check_pair, dense_output, Points};

/// The ground metric of a cost matrix.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Metric {
    /// `Σ_k (x_k − y_k)²`, the default (the cost of W₂).
    SqEuclidean,
    /// `(Σ_k (x_k − y_k)²)^{1/2}`.
    Euclidean,
    /// `Σ_k |x_k − y_k|`.
    Cityblock,
    /// `(Σ_k |x_k − y_k|^p)^{1/p}` for a finite `p ≥ 1`.
    Minkowski(f64),
}

impl Metric {
    /// Parses a metric name as the JavaScript API spells it; `p` is used by `"minkowski"` only.
    pub fn parse(name: &str, p: f64) -> Result<Metric> {
        match name {
            "sqeuclidean" => Ok(Metric::SqEuclidean),
            "euclidean" => Ok(Metric::Euclidean),
            "cityblock" => Ok(Metric::Cityblock),
            "minkowski" => {
                check_exponent("p", p)?;
                Ok(Metric::Minkowski(p))
            }
            _ => Err(Error::about(
                ErrorKind::InvalidInput,
                "metric",
                format!("unknown metric \"{name}\": use sqeuclidean, euclidean, cityblock or minkowski"),
            )
            .with("value", Detail::Text(name.to_string()))),
        }
    }

    /// The distance between two points of equal dimension.
    #[inline]
    pub fn eval(self, x: &[f64], y: &[f64]) -> f64 {
        match self {
            Metric::SqEuclidean => sq_euclidean(x, y),
            Metric::Euclidean => sq_euclidean(x, y).sqrt(),
            Metric::Cityblock => x.iter().zip(y).map(|(a, b)| (a - b).abs()).sum(),
            Metric::Minkowski(p) => {
                let s: f64 = x.iter().zip(y).map(|(a, b)| libm::pow((a - b).abs(), p)).sum();
                libm::pow(s, 1.0 / p)
            }
        }
    }
}

#[inline]
fn sq_euclidean(x: &[f64], y: &[f64]) -> f64 {
    x.iter().zip(y).map(|(a, b)| (a - b) * (a - b)).sum()
}

/// The `n × m` cost matrix `M_ij = metric(x_i, y_j)`, row-major.
///
/// Errors: empty or non-finite points, different dimensions ([`ErrorKind::ShapeMismatch`]),
/// an output past [`crate::input::MAX_DENSE_ELEMENTS`] ([`ErrorKind::TooLarge`]).
///
/// ```
/// use monge_core::{dist, Metric, Points};
/// let x = Points::new(&[0.0, 0.0, 1.0, 0.0], 2, 2);
/// let y = Points::new(&[0.0, 1.0], 1, 2);
/// assert_eq!(dist(x, y, Metric::SqEuclidean).unwrap(), vec![1.0, 2.0]);
/// ```
pub fn dist(x: Points<'_>, y: Points<'_>, metric: Metric) -> Result<Vec<f64>> {
    check_pair(x, y)?;
    let mut out = dense_output("dist(x, y)", x.n, y.n)?;
    for (i, row) in out.chunks_exact_mut(y.n).enumerate() {
        let xi = x.row(i);
        for (j, cell) in row.iter_mut().enumerate() {
            *cell = metric.eval(xi, y.row(j));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metrics_on_a_3_4_5_triangle() {
        let x = Points::new(&[0.0, 0.0], 1, 2);
        let y = Points::new(&[3.0, 4.0], 1, 2);
        assert_eq!(dist(x, y, Metric::SqEuclidean).unwrap(), vec![25.0]);
        assert_eq!(dist(x, y, Metric::Euclidean).unwrap(), vec![5.0]);
        assert_eq!(dist(x, y, Metric::Cityblock).unwrap(), vec![7.0]);
        let m3 = dist(x, y, Metric::Minkowski(3.0)).unwrap()[0];
        assert!((m3 - 91f64.powf(1.0 / 3.0)).abs() < 1e-12);
    }

    #[test]
    fn rejects_bad_input() {
        let x = Points::new(&[0.0, 0.0], 1, 2);
        let y3 = Points::new(&[0.0, 0.0, 0.0], 1, 3);
        assert_eq!(dist(x, y3, Metric::SqEuclidean).unwrap_err().kind(), ErrorKind::ShapeMismatch);
        assert_eq!(Metric::parse("cosine", 2.0).unwrap_err().kind(), ErrorKind::InvalidInput);
        assert_eq!(Metric::parse("minkowski", 0.5).unwrap_err().kind(), ErrorKind::InvalidInput);
    }
}
