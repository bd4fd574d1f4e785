//! Borrowed inputs and the checks every solver runs on them.
//!
//! The core is the one place where numeric content is validated (finite values, signs, masses),
//! so every backend reports the same error for the same input. Bindings only convert.

use crate::compensated::accurate_sum;
use crate::error::{Detail, Error, ErrorKind, Result};

/// Largest number of elements of a dense output (2^30 float64 = 8 GiB): past this a request is
/// refused with [`ErrorKind::TooLarge`] before anything is allocated.
pub const MAX_DENSE_ELEMENTS: usize = 1 << 30;

/// A row-major `n × dim` point cloud, borrowed.
#[derive(Clone, Copy, Debug)]
pub struct Points<'a> {
    /// The coordinates, point after point.
    pub data: &'a [f64],
    /// Number of points.
    pub n: usize,
    /// Dimension of each point.
    pub dim: usize,
}

impl<'a> Points<'a> {
    /// Wraps `data` as `n` points of dimension `dim`, without checking (see [`Points::check`]).
    pub fn new(data: &'a [f64], n: usize, dim: usize) -> Self {
        Points { data, n, dim }
    }

    /// Point `i` as a slice of `dim` coordinates.
    #[inline]
    pub fn row(&self, i: usize) -> &'a [f64] {
        &self.data[i * self.dim..(i + 1) * self.dim]
    }

    /// Checks that the cloud is non-empty, that `data` holds exactly `n × dim` values, and that
    /// all of them are finite. `name` is the argument name used in errors.
    pub fn check(&self, name: &str) -> Result<()> {
        if self.n == 0 || self.dim == 0 {
            return Err(Error::about(
                ErrorKind::InvalidInput,
                name,
                format!(
                    "{name} is empty ({} points of dimension {}): give at least one point",
                    self.n, self.dim
                ),
            )
            .with("shape", Detail::Shape(vec![self.n, self.dim])));
        }
        if self.n.checked_mul(self.dim) != Some(self.data.len()) {
            return Err(Error::about(
                ErrorKind::ShapeMismatch,
                name,
                format!(
                    "{name} has {} values, but {} points of dimension {} need {}",
                    self.data.len(),
                    self.n,
                    self.dim,
                    self.n.saturating_mul(self.dim)
                ),
            )
            .with("shape", Detail::Shape(vec![self.n, self.dim])));
        }
        check_finite(name, self.data)
    }
}

/// Checks two point clouds `x` and `y` (each with [`Points::check`]) and that they share one
/// dimension ([`ErrorKind::ShapeMismatch`] with both shapes otherwise).
pub fn check_pair(x: Points<'_>, y: Points<'_>) -> Result<()> {
    x.check("x")?;
    y.check("y")?;
    if x.dim != y.dim {
        return Err(Error::new(
            ErrorKind::ShapeMismatch,
            format!(
                "x has dimension {} but y has dimension {}: both clouds must live in the same space",
                x.dim, y.dim
            ),
        )
        .with("x", Detail::Shape(vec![x.n, x.dim]))
        .with("y", Detail::Shape(vec![y.n, y.dim])));
    }
    Ok(())
}

/// Fails with [`ErrorKind::NonFinite`] at the first NaN or infinite value of `values`.
pub fn check_finite<V: Copy + Into<f64>>(name: &str, values: &[V]) -> Result<()> {
    match values.iter().position(|&x| !x.into().is_finite()) {
        None => Ok(()),
        Some(i) => {
            let value: f64 = values[i].into();
            Err(Error::about(
                ErrorKind::NonFinite,
                name,
                format!("{name}[{i}] is {value}: every value must be finite"),
            )
            .with("index", Detail::Count(i))
            .with("value", Detail::Number(value)))
        }
    }
}

/// Fails with [`ErrorKind::InvalidInput`] unless `values` has at least one element.
pub fn check_non_empty(name: &str, values: &[f64]) -> Result<()> {
    if values.is_empty() {
        return Err(Error::about(
            ErrorKind::InvalidInput,
            name,
            format!("{name} is empty: give at least one value"),
        ));
    }
    Ok(())
}

/// Checks the weights of a measure with `n` atoms and returns them normalised to sum 1;
/// `None` means uniform weights.
///
/// Errors: wrong length ([`ErrorKind::ShapeMismatch`]), NaN or infinity
/// ([`ErrorKind::NonFinite`]), a negative entry ([`ErrorKind::NegativeWeight`]), zero total
/// mass ([`ErrorKind::InvalidInput`]).
pub fn normalized_weights(name: &str, weights: Option<&[f64]>, n: usize) -> Result<Vec<f64>> {
    let Some(w) = weights else {
        return Ok(vec![1.0 / n as f64; n]);
    };
    if w.len() != n {
        return Err(Error::about(
            ErrorKind::ShapeMismatch,
            name,
            format!("{name} has {} weights for {n} points: give one weight per point", w.len()),
        )
        .with("expected", Detail::Count(n))
        .with("actual", Detail::Count(w.len())));
    }
    check_weight_values(name, w)?;
    // A compensated total keeps Σ a_i within the rounding of the a_i themselves; a naive one
    // leaves it off 1 by up to n·ε, which shifts every quantile of an exact 1-D solve.
    let total = accurate_sum(w);
    if total <= 0.0 {
        return Err(Error::about(
            ErrorKind::InvalidInput,
            name,
            format!("{name} has zero total mass: at least one weight must be positive"),
        )
        .with("mass", Detail::Number(total)));
    }
    if !total.is_finite() {
        // Finite weights whose sum overflows (the compensated sum then reads NaN): scale them by
        // the largest one first.
        let largest = w.iter().fold(0.0f64, |m, &x| m.max(x));
        let scaled: Vec<f64> = w.iter().map(|&x| x / largest).collect();
        let total = accurate_sum(&scaled);
        return Ok(scaled.iter().map(|&x| x / total).collect());
    }
    Ok(w.iter().map(|&x| x / total).collect())
}

/// Fails at the first weight that is NaN, infinite ([`ErrorKind::NonFinite`]) or negative
/// ([`ErrorKind::NegativeWeight`]).
pub fn check_weight_values(name: &str, w: &[f64]) -> Result<()> {
    check_finite(name, w)?;
    if let Some(i) = w.iter().position(|&x| x < 0.0) {
        return Err(Error::about(
            ErrorKind::NegativeWeight,
            name,
            format!("{name}[{i}] is {}: weights must be non-negative", w[i]),
        )
        .with("index", Detail::Count(i))
        .with("value", Detail::Number(w[i])));
    }
    Ok(())
}

/// Checks that a row-major matrix named `name` is non-empty ([`ErrorKind::InvalidInput`]), holds
/// exactly `rows × cols` values ([`ErrorKind::ShapeMismatch`]) and has fewer than 2^32 rows and
/// columns, since indices cross to JavaScript as 32-bit ([`ErrorKind::TooLarge`]).
pub fn check_matrix_shape<V>(name: &str, data: &[V], rows: usize, cols: usize) -> Result<()> {
    if rows == 0 || cols == 0 {
        return Err(Error::about(
            ErrorKind::InvalidInput,
            name,
            format!("{name} is empty ({rows} x {cols}): give at least one row and one column"),
        )
        .with("shape", Detail::Shape(vec![rows, cols])));
    }
    if rows.checked_mul(cols) != Some(data.len()) {
        return Err(Error::about(
            ErrorKind::ShapeMismatch,
            name,
            format!(
                "{name} has {} values, but {rows} x {cols} needs {}",
                data.len(),
                rows.saturating_mul(cols)
            ),
        )
        .with("shape", Detail::Shape(vec![rows, cols])));
    }
    if rows.max(cols) > u32::MAX as usize {
        return Err(Error::about(
            ErrorKind::TooLarge,
            name,
            format!("{name} has more than 2^32 rows or columns"),
        ));
    }
    Ok(())
}

/// Checks an exponent `p` of a cost `|x - y|^p`: finite and at least 1.
pub fn check_exponent(name: &str, p: f64) -> Result<()> {
    if !(p.is_finite() && p >= 1.0) {
        return Err(Error::about(
            ErrorKind::InvalidInput,
            name,
            format!("{name} = {p}: the exponent must be a finite number >= 1"),
        )
        .with("value", Detail::Number(p)));
    }
    Ok(())
}

/// Allocates a zeroed dense output of `rows × cols` values, or fails with
/// [`ErrorKind::TooLarge`] (past [`MAX_DENSE_ELEMENTS`], or when the allocator refuses).
pub fn dense_output<V: Copy + Default>(name: &str, rows: usize, cols: usize) -> Result<Vec<V>> {
    let too_large = || {
        Error::about(
            ErrorKind::TooLarge,
            name,
            format!("{name} would be {rows} x {cols} values, too large to allocate: use smaller inputs"),
        )
        .with("shape", Detail::Shape(vec![rows, cols]))
    };
    let len = rows.checked_mul(cols).filter(|&len| len <= MAX_DENSE_ELEMENTS).ok_or_else(too_large)?;
    let mut out = Vec::new();
    out.try_reserve_exact(len).map_err(|_| too_large())?;
    out.resize(len, V::default());
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_are_normalised_and_checked() {
        assert_eq!(normalized_weights("a", None, 4).unwrap(), vec![0.25; 4]);
        assert_eq!(normalized_weights("a", Some(&[1.0, 3.0]), 2).unwrap(), vec![0.25, 0.75]);
        let kind = |w: &[f64]| normalized_weights("a", Some(w), w.len().max(1)).unwrap_err().kind();
        assert_eq!(kind(&[1.0, f64::NAN]), ErrorKind::NonFinite);
        assert_eq!(kind(&[1.0, -1.0]), ErrorKind::NegativeWeight);
        assert_eq!(kind(&[0.0, 0.0]), ErrorKind::InvalidInput);
        assert_eq!(normalized_weights("a", Some(&[f64::MAX, f64::MAX]), 2).unwrap(), vec![0.5, 0.5]);
        let e = normalized_weights("b", Some(&[1.0]), 2).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::ShapeMismatch);
    }

    #[test]
    fn points_are_checked() {
        assert!(Points::new(&[0.0, 1.0], 1, 2).check("x").is_ok());
        assert_eq!(Points::new(&[], 0, 2).check("x").unwrap_err().kind(), ErrorKind::InvalidInput);
        assert_eq!(Points::new(&[0.0], 1, 2).check("x").unwrap_err().kind(), ErrorKind::ShapeMismatch);
        let e = Points::new(&[0.0, f64::INFINITY], 1, 2).check("x").unwrap_err();
        assert_eq!(e.kind(), ErrorKind::NonFinite);
        assert!(e.details().contains(&("index", Detail::Count(1))));
    }

    #[test]
    fn exponent_and_output_size() {
        assert!(check_exponent("p", 1.0).is_ok());
        assert!(check_exponent("p", 0.5).is_err());
        assert!(check_exponent("p", f64::NAN).is_err());
        assert_eq!(dense_output::<f64>("M", 1 << 20, 1 << 20).unwrap_err().kind(), ErrorKind::TooLarge);
        assert_eq!(dense_output::<f32>("M", 2, 3).unwrap().len(), 6);
    }
}
