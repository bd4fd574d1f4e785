//! Sliced Wasserstein distance: the average of 1-D transport costs along random directions.
//!
//! ```text
//! SW_p(μ, ν) = ( 1/L Σ_{l=1..L} W_p^p(⟨θ_l, ·⟩_# μ, ⟨θ_l, ·⟩_# ν) )^{1/p}
//! ```
//!
//! with `θ_l` uniform on the unit sphere. Each projection is an exact 1-D problem
//! ([`crate::one_d`]); projections are independent, so they run in parallel natively. The
//! directions come from [`random_projections`] with a seed, so the same seed gives the same
//! number on every backend.
//!
//! Reference: Bonneel, Rabin, Peyré & Pfister, *Sliced and Radon Wasserstein barycenters of
//! measures*, JMIV 2015.

use crate::error::{Error, ErrorKind, Result};
use crate::input::{check_exponent, check_finite, check_pair, normalized_weights, Points};
use crate::one_d::{check_index_range, root, sorted_cost, SortedSample};
use crate::parallel::for_each_slot;
use crate::rng::Rng;

/// Options of [`sliced_wasserstein`].
#[derive(Clone, Copy, Debug)]
pub struct SlicedOptions<'a> {
    /// Weights of `x`; `None` for uniform.
    pub a: Option<&'a [f64]>,
    /// Weights of `y`; `None` for uniform.
    pub b: Option<&'a [f64]>,
    /// Number of random directions, at least 1. Default 50.
    pub n_projections: usize,
    /// The exponent p ≥ 1. Default 2.
    pub p: f64,
    /// Seed of the directions. Default 0.
    pub seed: u64,
    /// Explicit directions instead of random ones: `n_projections × dim`, row-major, one
    /// direction per row, used as given (POT takes the transpose, `dim × n_projections`).
    pub projections: Option<&'a [f64]>,
}

impl Default for SlicedOptions<'_> {
    fn default() -> Self {
        SlicedOptions { a: None, b: None, n_projections: 50, p: 2.0, seed: 0, projections: None }
    }
}

/// `count` directions uniform on the unit sphere of dimension `dim`, row-major
/// (`count × dim`), from normal samples normalised to length 1.
///
/// ```
/// let d = monge_core::random_projections(4, 3, 0);
/// assert_eq!(d.len(), 12);
/// let norm: f64 = d[..3].iter().map(|x| x * x).sum::<f64>().sqrt();
/// assert!((norm - 1.0).abs() < 1e-12);
/// ```
pub fn random_projections(count: usize, dim: usize, seed: u64) -> Vec<f64> {
    let mut rng = Rng::new(seed);
    let mut out = Vec::with_capacity(count * dim);
    for _ in 0..count {
        let start = out.len();
        while out.len() < start + dim {
            let (g0, g1) = rng.normal_pair();
            out.push(g0);
            if out.len() < start + dim {
                out.push(g1);
            }
        }
        let norm = out[start..].iter().map(|x| x * x).sum::<f64>().sqrt();
        out[start..].iter_mut().for_each(|x| *x /= norm);
    }
    out
}

/// The sliced p-Wasserstein distance `SW_p` between two weighted point clouds of the same
/// dimension (POT's `sliced_wasserstein_distance`).
///
/// ```
/// use monge_core::{sliced_wasserstein, Points, SlicedOptions};
/// let x = Points::new(&[0.0, 0.0, 1.0, 1.0], 2, 2);
/// let sw = sliced_wasserstein(x, x, SlicedOptions::default()).unwrap();
/// assert_eq!(sw, 0.0);
/// ```
pub fn sliced_wasserstein(x: Points<'_>, y: Points<'_>, options: SlicedOptions<'_>) -> Result<f64> {
    check_pair(x, y)?;
    check_index_range("x", x.n)?;
    check_index_range("y", y.n)?;
    check_exponent("p", options.p)?;
    let a = options.a.map(|a| normalized_weights("a", Some(a), x.n)).transpose()?;
    let b = options.b.map(|b| normalized_weights("b", Some(b), y.n)).transpose()?;
    let directions = match options.projections {
        Some(given) => {
            if given.is_empty() || given.len() % x.dim != 0 {
                return Err(Error::about(
                    ErrorKind::ShapeMismatch,
                    "projections",
                    format!(
                        "projections has {} values: give one row of {} coordinates per direction",
                        given.len(),
                        x.dim
                    ),
                ));
            }
            check_finite("projections", given)?;
            given.to_vec()
        }
        None => {
            if options.n_projections == 0 {
                return Err(Error::about(
                    ErrorKind::InvalidInput,
                    "nProjections",
                    "nProjections = 0: use at least one projection",
                ));
            }
            random_projections(options.n_projections, x.dim, options.seed)
        }
    };
    let count = directions.len() / x.dim;
    let mut costs = vec![0.0; count];
    for_each_slot(
        &mut costs,
        count.saturating_mul(x.n + y.n),
        || (SortedSample::default(), SortedSample::default()),
        |l, (su, sv)| {
            let theta = &directions[l * x.dim..(l + 1) * x.dim];
            su.fill(x.data.chunks_exact(x.dim).map(|row| dot(row, theta)), a.as_deref(), false);
            sv.fill(y.data.chunks_exact(y.dim).map(|row| dot(row, theta)), b.as_deref(), false);
            sorted_cost(su, sv, options.p)
        },
    );
    let mean = costs.iter().sum::<f64>() / count as f64;
    if mean.is_nan() {
        // Finite points whose projections overflow to ±∞ on both sides give ∞ − ∞.
        return Err(Error::new(
            ErrorKind::InvalidInput,
            "the projected points overflow float64 (coordinates near 1e308): rescale x and y",
        ));
    }
    Ok(root(mean, options.p))
}

#[inline]
fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn translation_along_an_axis() {
        // In 1-D every direction is ±1, so SW_p is the 1-D distance.
        let x = [0.0, 1.0, 3.0];
        let y = [2.0, 3.0, 5.0];
        let sw = sliced_wasserstein(Points::new(&x, 3, 1), Points::new(&y, 3, 1), SlicedOptions::default())
            .unwrap();
        assert!((sw - 2.0).abs() < 1e-14);
    }

    #[test]
    fn explicit_projections_and_seeds() {
        let x = [0.0, 0.0, 1.0, 0.0];
        let y = [0.0, 1.0, 1.0, 1.0];
        let (px, py) = (Points::new(&x, 2, 2), Points::new(&y, 2, 2));
        let along_y = SlicedOptions { projections: Some(&[0.0, 1.0]), ..Default::default() };
        assert!((sliced_wasserstein(px, py, along_y).unwrap() - 1.0).abs() < 1e-15);
        let seeded = |seed| SlicedOptions { seed, ..Default::default() };
        let s0 = sliced_wasserstein(px, py, seeded(0)).unwrap();
        assert_eq!(s0, sliced_wasserstein(px, py, seeded(0)).unwrap());
        assert_ne!(s0, sliced_wasserstein(px, py, seeded(1)).unwrap());
    }

    #[test]
    fn rejects_bad_input() {
        let x = Points::new(&[0.0, 0.0], 1, 2);
        let y = Points::new(&[0.0, 0.0, 0.0], 1, 3);
        let kind = |r: Result<f64>| r.unwrap_err().kind();
        assert_eq!(kind(sliced_wasserstein(x, y, SlicedOptions::default())), ErrorKind::ShapeMismatch);
        let none = SlicedOptions { n_projections: 0, ..Default::default() };
        assert_eq!(kind(sliced_wasserstein(x, x, none)), ErrorKind::InvalidInput);
        let odd = SlicedOptions { projections: Some(&[1.0, 0.0, 0.0]), ..Default::default() };
        assert_eq!(kind(sliced_wasserstein(x, x, odd)), ErrorKind::ShapeMismatch);
        let huge = Points::new(&[1e308, 1e308], 1, 2);
        let diagonal = SlicedOptions { projections: Some(&[1.0, 1.0]), ..Default::default() };
        assert_eq!(kind(sliced_wasserstein(huge, huge, diagonal)), ErrorKind::InvalidInput);
    }
}
