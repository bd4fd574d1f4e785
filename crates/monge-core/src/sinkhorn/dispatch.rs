//! The Sinkhorn kernels compiled for each [`Level`](crate::simd::Level) (see [`crate::simd`]
//! for why the calls are sound).

use super::cost::CostSource;
use super::kernels;
use super::real::Real;
use crate::simd::dispatched;

dispatched! {
    /// See [`kernels::sweep`].
    fn sweep<T: Real, S: CostSource<T>>(
        src: &S, i0: usize, h: &[T], neg_inv: T, row_shift: &[f64], log_a: &[f64], lambda: f64,
        plan_columns: Option<&mut [T]>, lse: &mut [f64], scratch: &mut [T],
    ) -> bool = kernels::sweep
}
dispatched! {
    /// See [`kernels::columns`].
    fn columns<T: Real, S: CostSource<T>>(
        src: &S, i0: usize, r: &[T], neg_inv: T, shift: &[T], acc: &mut [T], cost: Option<&mut [T]>,
        scratch: &mut [T],
    ) -> () = kernels::columns
}
dispatched! {
    /// See [`kernels::column_max`].
    fn column_max<T: Real, S: CostSource<T>>(
        src: &S, i0: usize, r: &[T], neg_inv: T, best: &mut [T], scratch: &mut [T],
    ) -> () = kernels::column_max
}
dispatched! {
    /// See [`kernels::plan_row`].
    fn plan_row<T: Real, S: CostSource<T>>(
        src: &S, i: usize, h: &[T], ri: T, neg_inv: T, out: &mut [T], scratch: &mut [T],
    ) -> () = kernels::plan_row
}
dispatched! {
    /// `Σ exp(c_j)` (the benchmarks' roofline; see [`kernels::exp_sum`]).
    fn exp_sum<T: Real>(c: &[T]) -> f64 = kernels::exp_sum
}
