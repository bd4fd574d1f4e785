//! Runtime choice of instruction set for the kernels: AVX-512, AVX2 with FMA, or portable code
//! (which the WASM build compiles to SIMD128).
//!
//! This is the crate's only `unsafe`: calling a `#[target_feature]` function is unsafe because
//! it would fault on a CPU without those instructions. [`Level`] can only be made by
//! [`Level::detect`] (which checks the CPU first) or [`Level::portable`], so holding an
//! `Avx512` or `Avx2` level proves the check passed.
#![allow(unsafe_code)]

use super::cost::CostSource;
use super::kernels;
use super::real::Real;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Isa {
    Portable,
    #[cfg(target_arch = "x86_64")]
    Avx2,
    #[cfg(target_arch = "x86_64")]
    Avx512,
}

/// An instruction set the running CPU is known to support.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Level(Isa);

impl Level {
    /// The best level this CPU supports.
    pub fn detect() -> Level {
        #[cfg(target_arch = "x86_64")]
        {
            if std::is_x86_feature_detected!("avx512f")
                && std::is_x86_feature_detected!("avx512bw")
                && std::is_x86_feature_detected!("avx512dq")
                && std::is_x86_feature_detected!("avx512vl")
                && std::is_x86_feature_detected!("avx2")
                && std::is_x86_feature_detected!("fma")
            {
                return Level(Isa::Avx512);
            }
            if std::is_x86_feature_detected!("avx2") && std::is_x86_feature_detected!("fma") {
                return Level(Isa::Avx2);
            }
        }
        Level(Isa::Portable)
    }

    /// Portable code only (SIMD128 in WASM, SSE2 on x86-64).
    #[cfg(test)]
    pub fn portable() -> Level {
        Level(Isa::Portable)
    }

    /// Every level this CPU supports, best first (for tests that compare them).
    #[cfg(test)]
    pub fn all_supported() -> Vec<Level> {
        let mut levels = vec![Level::portable()];
        #[cfg(target_arch = "x86_64")]
        {
            let best = Level::detect();
            if best.0 == Isa::Avx512 {
                levels.push(best);
            }
            if best.0 != Isa::Portable {
                levels.push(Level(Isa::Avx2));
            }
        }
        levels
    }

    /// The name reported in benchmarks.
    pub fn name(self) -> &'static str {
        match self.0 {
            Isa::Portable => {
                if cfg!(target_arch = "wasm32") {
                    "simd128"
                } else {
                    "portable"
                }
            }
            #[cfg(target_arch = "x86_64")]
            Isa::Avx2 => "avx2+fma",
            #[cfg(target_arch = "x86_64")]
            Isa::Avx512 => "avx512",
        }
    }
}

/// Defines `$name(level, args…)`, which runs the generic kernel `kernels::$name` compiled for
/// `level`'s instruction set.
macro_rules! dispatched {
    ($(#[$doc:meta])* fn $name:ident<T, S>($($arg:ident: $ty:ty),* $(,)?) -> $ret:ty) => {
        $(#[$doc])*
        #[allow(clippy::too_many_arguments)]
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
