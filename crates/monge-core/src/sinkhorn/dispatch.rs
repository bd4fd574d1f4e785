//! The Sinkhorn kernels compiled for each [`Level`] (see [`crate::simd`] for why the calls
//! below are sound).
#![allow(unsafe_code)]

use super::cost::CostSource;
use super::kernels;
use super::real::Real;
#[cfg(target_arch = "x86_64")]
use crate::simd::Isa;
use crate::simd::Level;

/// Defines `$name(level, args…)`, which runs the generic kernel `kernels::$name` compiled for
/// `level`'s instruction set.
macro_rules! dispatched {
    ($(#[$doc:meta])* fn $name:ident<T, S>($($arg:ident: $ty:ty),* $(,)?) -> $ret:ty) => {
        $(#[$doc])*
        #[allow(clippy::too_many_arguments, unused_variables)] // `level` is unused off x86-64
        pub(super) fn $name<T: Real, S: CostSource<T>>(level: Level, $($arg: $ty),*) -> $ret {
            #[cfg(target_arch = "x86_64")]
            {
                #[allow(clippy::too_many_arguments)]
                #[target_feature(enable = "avx512f,avx512bw,avx512dq,avx512vl,avx2,fma")]
                fn avx512<T: Real, S: CostSource<T>>($($arg: $ty),*) -> $ret {
                    kernels::$name::<T, S, true>($($arg),*)
                }
                #[allow(clippy::too_many_arguments)]
                #[target_feature(enable = "avx2,fma")]
                fn avx2<T: Real, S: CostSource<T>>($($arg: $ty),*) -> $ret {
                    kernels::$name::<T, S, true>($($arg),*)
                }
                match level.0 {
                    // SAFETY: a Level holding Avx512 or Avx2 is only made by Level::detect,
                    // after is_x86_feature_detected! confirmed each feature enabled above.
                    Isa::Avx512 => return unsafe { avx512::<T, S>($($arg),*) },
                    // SAFETY: as above.
                    Isa::Avx2 => return unsafe { avx2::<T, S>($($arg),*) },
                    Isa::Portable => {}
                }
            }
            kernels::$name::<T, S, false>($($arg),*)
        }
    };
}

dispatched! {
    /// See [`kernels::sweep`].
    fn sweep<T, S>(
        src: &S, i0: usize, h: &[T], neg_inv: T, row_shift: &[f64], log_a: &[f64], lambda: f64,
        plan_columns: Option<&mut [T]>, lse: &mut [f64], scratch: &mut [T],
    ) -> bool
}
dispatched! {
    /// See [`kernels::columns`].
    fn columns<T, S>(
        src: &S, i0: usize, r: &[T], neg_inv: T, shift: &[T], acc: &mut [T], cost: Option<&mut [T]>,
        scratch: &mut [T],
    ) -> ()
}
dispatched! {
    /// See [`kernels::column_max`].
    fn column_max<T, S>(src: &S, i0: usize, r: &[T], neg_inv: T, best: &mut [T], scratch: &mut [T]) -> ()
}
dispatched! {
    /// See [`kernels::plan_row`].
    fn plan_row<T, S>(src: &S, i: usize, h: &[T], ri: T, neg_inv: T, out: &mut [T], scratch: &mut [T]) -> ()
}

/// `Σ exp(c_j)` at `level` (the benchmarks' roofline; see [`kernels::exp_sum`]).
#[allow(unused_variables)] // `level` is unused off x86-64
pub(crate) fn exp_sum<T: Real>(level: Level, c: &[T]) -> f64 {
    #[cfg(target_arch = "x86_64")]
    {
        #[target_feature(enable = "avx512f,avx512bw,avx512dq,avx512vl,avx2,fma")]
        fn avx512<T: Real>(c: &[T]) -> f64 {
            kernels::exp_sum::<T, true>(c)
        }
        #[target_feature(enable = "avx2,fma")]
        fn avx2<T: Real>(c: &[T]) -> f64 {
            kernels::exp_sum::<T, true>(c)
        }
        match level.0 {
            // SAFETY: see the `dispatched!` macro: these levels come from Level::detect.
            Isa::Avx512 => return unsafe { avx512::<T>(c) },
            // SAFETY: as above.
            Isa::Avx2 => return unsafe { avx2::<T>(c) },
            Isa::Portable => {}
        }
    }
    kernels::exp_sum::<T, false>(c)
}
