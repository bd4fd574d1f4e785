//! Runtime choice of instruction set for the vector kernels (Sinkhorn's, the simplex's
//! pricing, the assignment's row scans): AVX-512, AVX2 with FMA, or portable code (which the WASM build compiles to
//! SIMD128). A kernel is compiled once per level by `#[target_feature]` wrappers that the two
//! macros below write next to it; calling one is `unsafe` because it would fault on a CPU
//! without those instructions, and this module is where every such call is written. Simple
//! kernels go through [`at_level!`]; generic ones (the Sinkhorn kernels, over their float type
//! and cost source) through [`dispatched!`].
//! [`Level`] can only be made by [`Level::detect`] (which checks the CPU first) or
//! `Level::portable`, so holding an `Avx512` or `Avx2` level proves the check passed: that is
//! what each wrapper's `SAFETY` comment relies on.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Isa {
    Portable,
    #[cfg(target_arch = "x86_64")]
    Avx2,
    #[cfg(target_arch = "x86_64")]
    Avx512,
}

/// An instruction set the running CPU is known to support.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Level(pub(crate) Isa);

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

/// `$kernel($args…)` run at `$level`: on x86-64 through a `#[target_feature]` wrapper per
/// level, so that `$kernel` (which must be `#[inline(always)]` and non-generic) is compiled once
/// per instruction set; elsewhere (WASM: SIMD128 for the whole module) directly.
macro_rules! at_level {
    ($level:expr, $kernel:ident($($arg:ident: $ty:ty),* $(,)?) -> $ret:ty) => {{
        #[allow(unsafe_code, unused_variables)] // `level` is unused off x86-64
        fn run(level: $crate::simd::Level, $($arg: $ty),*) -> $ret {
            #[cfg(target_arch = "x86_64")]
            {
                #[target_feature(enable = "avx512f,avx512bw,avx512dq,avx512vl,avx2,fma")]
                fn avx512($($arg: $ty),*) -> $ret {
                    $kernel($($arg),*)
                }
                #[target_feature(enable = "avx2,fma")]
                fn avx2($($arg: $ty),*) -> $ret {
                    $kernel($($arg),*)
                }
                match level.0 {
                    // SAFETY: a Level holding Avx512 or Avx2 is only made by Level::detect,
                    // after is_x86_feature_detected! confirmed each feature enabled above.
                    $crate::simd::Isa::Avx512 => return unsafe { avx512($($arg),*) },
                    // SAFETY: as above.
                    $crate::simd::Isa::Avx2 => return unsafe { avx2($($arg),*) },
                    $crate::simd::Isa::Portable => {}
                }
            }
            $kernel($($arg),*)
        }
        run($level, $($arg),*)
    }};
}
pub(crate) use at_level;

/// Defines `$name(level, args…)`, which runs the generic kernel `$kernel` compiled for
/// `level`'s instruction set: `$kernel::<generics…, true>` (fused multiply-adds) inside a
/// `#[target_feature]` wrapper per x86-64 level, `$kernel::<generics…, false>` on portable
/// code. The generic sibling of [`at_level!`], for kernels written once over their float type
/// and cost source.
macro_rules! dispatched {
    (
        $(#[$doc:meta])*
        fn $name:ident<$($g:ident: $bound:path),*>($($arg:ident: $ty:ty),* $(,)?) -> $ret:ty = $($kernel:ident)::+
    ) => {
        $(#[$doc])*
        #[allow(clippy::too_many_arguments, unused_variables)] // `level` is unused off x86-64
        pub(super) fn $name<$($g: $bound),*>(level: $crate::simd::Level, $($arg: $ty),*) -> $ret {
            #[cfg(target_arch = "x86_64")]
            {
                #[allow(clippy::too_many_arguments)]
                #[target_feature(enable = "avx512f,avx512bw,avx512dq,avx512vl,avx2,fma")]
                fn avx512<$($g: $bound),*>($($arg: $ty),*) -> $ret {
                    $($kernel)::+::<$($g,)* true>($($arg),*)
                }
                #[allow(clippy::too_many_arguments)]
                #[target_feature(enable = "avx2,fma")]
                fn avx2<$($g: $bound),*>($($arg: $ty),*) -> $ret {
                    $($kernel)::+::<$($g,)* true>($($arg),*)
                }
                #[allow(unsafe_code)]
                match level.0 {
                    // SAFETY: a Level holding Avx512 or Avx2 is only made by Level::detect,
                    // after is_x86_feature_detected! confirmed each feature enabled above.
                    $crate::simd::Isa::Avx512 => return unsafe { avx512::<$($g),*>($($arg),*) },
                    // SAFETY: as above.
                    $crate::simd::Isa::Avx2 => return unsafe { avx2::<$($g),*>($($arg),*) },
                    $crate::simd::Isa::Portable => {}
                }
            }
            $($kernel)::+::<$($g,)* false>($($arg),*)
        }
    };
}
pub(crate) use dispatched;
