//! Compensated floating-point arithmetic for exact solvers.
//!
//! The 1-D solvers move masses of order `1/n` between atoms whose costs can span many orders of
//! magnitude (heavy tails). Rounding in running sums and running differences of masses, about
//! `ε` per step and growing with the number of steps, then turns into relative cost errors of
//! 1e-13 and more. Two tools keep errors at the level of the inputs' own rounding:
//! [`Sum`] (Neumaier's compensated summation) and [`DoubleDouble`] (a mass held as an unevaluated
//! sum `hi + lo`, exact through subtractions).
//!
//! Reference: Ogita, Rump & Oishi, *Accurate sum and dot product*, SIAM J. Sci. Comput. 2005.

/// `a + b` as `(s, e)` with `s = fl(a + b)` and `s + e = a + b` exactly (Knuth's TwoSum).
#[inline]
fn two_sum(a: f64, b: f64) -> (f64, f64) {
    let s = a + b;
    let bb = s - a;
    (s, (a - (s - bb)) + (b - bb))
}

/// A running sum with compensation (Neumaier's, in the branch-free TwoSum form): error about one
/// ulp of the result, whatever the number of terms.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Sum {
    sum: f64,
    compensation: f64,
}

impl Sum {
    /// Adds one term.
    #[inline]
    pub fn add(&mut self, x: f64) {
        let (t, e) = two_sum(self.sum, x);
        self.compensation += e;
        self.sum = t;
    }

    /// The sum so far.
    #[inline]
    pub fn value(self) -> f64 {
        self.sum + self.compensation
    }
}

/// The compensated sum of `values` (see [`Sum`]).
pub fn accurate_sum(values: &[f64]) -> f64 {
    let mut s = Sum::default();
    values.iter().for_each(|&x| s.add(x));
    s.value()
}

/// A non-negative quantity held as `hi + lo` (|lo| ≤ ulp(hi)/2): subtracting doubles from it is
/// exact up to about `ε²`, so a mass that is used up piece by piece never drifts.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct DoubleDouble {
    hi: f64,
    lo: f64,
}

impl DoubleDouble {
    /// The double `x`.
    #[inline]
    pub fn new(x: f64) -> Self {
        DoubleDouble { hi: x, lo: 0.0 }
    }

    /// The nearest double.
    #[inline]
    pub fn value(self) -> f64 {
        self.hi + self.lo
    }

    /// `self − other`, renormalised.
    #[inline]
    pub fn minus(self, other: DoubleDouble) -> DoubleDouble {
        let (s, e) = two_sum(self.hi, -other.hi);
        let e = e + (self.lo - other.lo);
        let hi = s + e;
        DoubleDouble { hi, lo: e - (hi - s) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_recover_cancelled_terms() {
        assert_eq!(accurate_sum(&[1.0, 1e100, 1.0, -1e100]), 2.0);
        assert_eq!(accurate_sum(&[0.1; 10]), 1.0);
    }

    #[test]
    fn double_double_subtraction_does_not_drift() {
        // Using up 1 in steps of 0.1 leaves exactly what the decimal arithmetic says: the
        // rounding of each 0.1 itself, not an accumulation of subtraction errors.
        let mut left = DoubleDouble::new(1.0);
        for _ in 0..10 {
            left = left.minus(DoubleDouble::new(0.1));
        }
        let naive = (0..10).fold(1.0, |acc: f64, _| acc - 0.1);
        // 1 - 10 * fl(0.1) exactly is -5.551115123125783e-17.
        assert_eq!(left.value(), -5.551115123125783e-17);
        assert_ne!(naive, left.value());
    }
}
