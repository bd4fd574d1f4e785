//! The two floating-point types Sinkhorn runs in, and the exponential its kernels use.
//!
//! The exponential is branch-free (clamp, round by a magic constant, a polynomial, then the
//! exponent written into the bits), so the compiler vectorises it inside the kernels' loops for
//! whatever instruction set the caller was compiled for. Libm's `exp` cannot be vectorised and
//! takes a slow path for arguments that underflow, which Sinkhorn produces on most entries.
//!
//! Accuracy (tested below against `libm` over the whole range `[LO, HI]`): relative error below
//! `2.5 · 2^-52` for `f64` and below `2 · 2^-23` for `f32`, about two units in the last place. Below `LO` the result is exactly 0 (where the true value
//! is below the smallest normal number, about `1.2e-38` for `f32` and `2.2e-308` for `f64`),
//! above `HI` it saturates at `exp(HI)`; callers detect sums that leave their trusted range.

use std::ops::{Add, Mul, Neg, Sub};

/// `f32` or `f64`: what the kernels need of a float type.
pub trait Real:
    Copy
    + Send
    + Sync
    + PartialOrd
    + Add<Output = Self>
    + Sub<Output = Self>
    + Mul<Output = Self>
    + Neg<Output = Self>
    + std::fmt::Debug
    + Into<f64>
    + Default
    + 'static
{
    /// 0.
    const ZERO: Self;
    /// The name of the type in the JavaScript API (`"float32"`, `"float64"`).
    const DTYPE: &'static str;
    /// Smallest trusted value of a shifted sum of exponentials: below it, terms the exponential
    /// flushed to zero could matter, and the row or column is recomputed with its exact maximum.
    const SUM_MIN: f64;
    /// Largest trusted value of a shifted sum of exponentials (overflow guard).
    const SUM_MAX: f64;
    /// The smallest positive normal number, as `f64`.
    const MIN_NORMAL: f64;
    /// A mass small enough to drop from a column sum of at least [`Real::MASS_MIN`].
    const NEGLIGIBLE: f64;
    /// Smallest trusted column mass computed from plan entries: below it, entries the
    /// exponential flushed to zero could matter.
    const MASS_MIN: f64;

    /// Rounds from `f64`.
    fn from_f64(x: f64) -> Self;
    /// Widens to `f64`.
    fn to_f64(self) -> f64;
    /// `a · b + c`, fused when `FMA` (the caller was compiled with FMA instructions), otherwise
    /// a plain multiply and add (a software fused multiply-add would be far slower).
    fn madd<const FMA: bool>(a: Self, b: Self, c: Self) -> Self;
    /// The larger of two numbers (either when equal; never NaN here).
    #[inline(always)]
    fn max(a: Self, b: Self) -> Self {
        if a > b {
            a
        } else {
            b
        }
    }
    /// `e^x`, branch-free: see the module documentation for its range and accuracy.
    fn exp<const FMA: bool>(x: Self) -> Self;
}

impl Real for f64 {
    const ZERO: Self = 0.0;
    const DTYPE: &'static str = "float64";
    const SUM_MIN: f64 = 1e-200;
    const SUM_MAX: f64 = 1e200;
    const MIN_NORMAL: f64 = f64::MIN_POSITIVE;
    const NEGLIGIBLE: f64 = 1e-290;
    const MASS_MIN: f64 = 1e-270;

    #[inline(always)]
    fn from_f64(x: f64) -> Self {
        x
    }
    #[inline(always)]
    fn to_f64(self) -> f64 {
        self
    }
    #[inline(always)]
    fn madd<const FMA: bool>(a: Self, b: Self, c: Self) -> Self {
        if FMA {
            a.mul_add(b, c)
        } else {
            a * b + c
        }
    }

    #[inline(always)]
    fn exp<const FMA: bool>(x: f64) -> f64 {
        const LO: f64 = -708.0;
        const HI: f64 = 709.0;
        const LOG2E: f64 = std::f64::consts::LOG2_E;
        // ln 2 split so that k · LN2_HI is exact for |k| < 2^11 (Cody and Waite).
        const LN2_HI: f64 = 6.931_457_519_531_25e-1;
        const LN2_LO: f64 = 1.428_606_820_309_417_2e-6;
        const MAGIC: f64 = 6_755_399_441_055_744.0; // 1.5 · 2^52: adding it rounds to an integer
        let c = x.clamp(LO, HI);
        let t = Self::madd::<FMA>(c, LOG2E, MAGIC);
        let k = t.to_bits().wrapping_sub(MAGIC.to_bits()) as i64;
        let kf = t - MAGIC;
        let r = Self::madd::<FMA>(kf, -LN2_LO, Self::madd::<FMA>(kf, -LN2_HI, c));
        // Taylor series to degree 12 on |r| <= ln2/2: truncation error below 2e-16.
        let mut p = 1.0 / 479_001_600.0;
        for coefficient in [
            1.0 / 39_916_800.0,
            1.0 / 3_628_800.0,
            1.0 / 362_880.0,
            1.0 / 40_320.0,
            1.0 / 5_040.0,
            1.0 / 720.0,
            1.0 / 120.0,
            1.0 / 24.0,
            1.0 / 6.0,
            0.5,
            1.0,
            1.0,
        ] {
            p = Self::madd::<FMA>(p, r, coefficient);
        }
        let scale = f64::from_bits(((k + 1023) as u64) << 52);
        let y = p * scale;
        if x < LO {
            0.0
        } else {
            y
        }
    }
}

impl Real for f32 {
    const ZERO: Self = 0.0;
    const DTYPE: &'static str = "float32";
    const SUM_MIN: f64 = 1e-10;
    const SUM_MAX: f64 = 1e30;
    const MIN_NORMAL: f64 = f32::MIN_POSITIVE as f64;
    const NEGLIGIBLE: f64 = 1e-30;
    const MASS_MIN: f64 = 1e-20;

    #[inline(always)]
    fn from_f64(x: f64) -> Self {
        x as f32
    }
    #[inline(always)]
    fn to_f64(self) -> f64 {
        self as f64
    }
    #[inline(always)]
    fn madd<const FMA: bool>(a: Self, b: Self, c: Self) -> Self {
        if FMA {
            a.mul_add(b, c)
        } else {
            a * b + c
        }
    }

    #[inline(always)]
    fn exp<const FMA: bool>(x: f32) -> f32 {
        const LO: f32 = -87.0;
        const HI: f32 = 88.0;
        const LOG2E: f32 = std::f32::consts::LOG2_E;
        const LN2_HI: f32 = 0.693_359_4; // 0.693359375, exact in 10 bits
        const LN2_LO: f32 = -2.121_944_4e-4;
        const MAGIC: f32 = 12_582_912.0; // 1.5 · 2^23
        let c = x.clamp(LO, HI);
        let t = Self::madd::<FMA>(c, LOG2E, MAGIC);
        let k = t.to_bits().wrapping_sub(MAGIC.to_bits()) as i32;
        let kf = t - MAGIC;
        let r = Self::madd::<FMA>(kf, -LN2_LO, Self::madd::<FMA>(kf, -LN2_HI, c));
        // Cephes' minimax polynomial for expf on |r| <= ln2/2.
        let mut p = 1.987_569_1e-4;
        for coefficient in [1.398_199_9e-3, 8.333_452e-3, 4.166_579_6e-2, 1.666_666_5e-1, 0.5]
        // Cephes: 5.0000001e-1, which is 0.5 in f32
        {
            p = Self::madd::<FMA>(p, r, coefficient);
        }
        let p = Self::madd::<FMA>(p, r * r, r) + 1.0;
        let scale = f32::from_bits(((k + 127) as u32) << 23);
        let y = p * scale;
        if x < LO {
            0.0
        } else {
            y
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ulps64(a: f64, b: f64) -> f64 {
        (a - b).abs() / (b.abs() * f64::EPSILON)
    }

    fn ulps32(a: f32, b: f32) -> f64 {
        ((a as f64) - (b as f64)).abs() / ((b as f64).abs() * f32::EPSILON as f64)
    }

    #[test]
    fn f64_exp_is_within_2_ulp() {
        let mut worst = 0.0f64;
        let mut x = -708.0;
        while x <= 709.0 {
            for fma in [false, true] {
                let got = if fma { <f64 as Real>::exp::<true>(x) } else { <f64 as Real>::exp::<false>(x) };
                worst = worst.max(ulps64(got, libm::exp(x)));
            }
            x += 0.000_731_3;
        }
        assert!(worst <= 2.5, "worst error {worst} ulp");
        assert_eq!(<f64 as Real>::exp::<false>(-708.5), 0.0);
        assert_eq!(<f64 as Real>::exp::<false>(f64::NEG_INFINITY), 0.0);
        assert_eq!(<f64 as Real>::exp::<false>(0.0), 1.0);
        assert!(<f64 as Real>::exp::<false>(1000.0).is_finite());
    }

    #[test]
    fn f32_exp_is_within_2_ulp() {
        let mut worst = 0.0f64;
        let mut x = -87.0f32;
        while x <= 88.0 {
            for fma in [false, true] {
                let got = if fma { <f32 as Real>::exp::<true>(x) } else { <f32 as Real>::exp::<false>(x) };
                worst = worst.max(ulps32(got, libm::expf(x)));
            }
            x += 0.000_173;
        }
        assert!(worst <= 2.0, "worst error {worst} ulp");
        assert_eq!(<f32 as Real>::exp::<false>(-87.5), 0.0);
        assert_eq!(<f32 as Real>::exp::<false>(f32::NEG_INFINITY), 0.0);
        assert_eq!(<f32 as Real>::exp::<false>(0.0), 1.0);
        assert!(<f32 as Real>::exp::<false>(100.0).is_finite());
    }
}
