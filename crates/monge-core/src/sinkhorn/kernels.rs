//! The inner loops of Sinkhorn, generic over the float type and over fused multiply-add.
//!
//! Every function here is `#[inline(always)]` so that it is compiled inside the
//! `#[target_feature]` wrappers of `dispatch`, once per instruction set: written as plain
//! element-wise loops (the exponential is branch-free), they vectorise to AVX-512, AVX2 or WASM
//! SIMD128 without intrinsics. Sums along a row keep `LANES` independent partial sums, which is
//! what lets the compiler vectorise a reduction without reordering floating-point additions.
//!
//! The block functions work on a run of consecutive rows `i0 ..` and read each cost row once
//! from memory: a sweep computes a row's log-sum-exp (the `f` update) and, while the row is
//! still in cache, adds its terms to the column sums of the next `g` update.
//!
//! Notation: `h_j = log b_j + g_j / ε` and `r_i = log a_i + f_i / ε`, so that
//! `log P_ij = h_j + r_i − M_ij / ε`.

use super::cost::CostSource;
use super::real::Real;

/// Independent partial sums per reduction: two AVX-512 registers of `f32`.
const LANES: usize = 32;

/// Rows a sweep reads together (its scratch holds `GROUP` rows).
pub(super) const GROUP: usize = 8;

/// Whether a shifted sum of exponentials can be trusted (see `Real::SUM_MIN`).
#[inline(always)]
pub(super) fn trusted<T: Real>(sum: f64) -> bool {
    (T::SUM_MIN..=T::SUM_MAX).contains(&sum)
}

/// `Σ_j exp(c_j · neg_inv + h_j + shift)`, accumulated in `T` lanes, reduced in `f64`.
#[inline(always)]
fn shifted_sum<T: Real, const FMA: bool>(c: &[T], h: &[T], neg_inv: T, shift: T) -> f64 {
    let mut acc = [T::ZERO; LANES];
    let body = c.len() / LANES * LANES;
    for (cc, hh) in c[..body].chunks_exact(LANES).zip(h[..body].chunks_exact(LANES)) {
        for k in 0..LANES {
            acc[k] = acc[k] + T::exp::<FMA>(T::madd::<FMA>(cc[k], neg_inv, hh[k]) + shift);
        }
    }
    let mut total: f64 = acc.iter().map(|v| v.to_f64()).sum();
    for (&ck, &hk) in c[body..].iter().zip(&h[body..]) {
        total += T::exp::<FMA>(T::madd::<FMA>(ck, neg_inv, hk) + shift).to_f64();
    }
    total
}

/// `max_j (c_j · neg_inv + h_j)`.
#[inline(always)]
fn max_z<T: Real, const FMA: bool>(c: &[T], h: &[T], neg_inv: T) -> T {
    let start = T::from_f64(f64::NEG_INFINITY);
    let mut acc = [start; LANES];
    let body = c.len() / LANES * LANES;
    for (cc, hh) in c[..body].chunks_exact(LANES).zip(h[..body].chunks_exact(LANES)) {
        for k in 0..LANES {
            acc[k] = T::max(acc[k], T::madd::<FMA>(cc[k], neg_inv, hh[k]));
        }
    }
    let mut best = acc.iter().fold(start, |m, &v| T::max(m, v));
    for (&ck, &hk) in c[body..].iter().zip(&h[body..]) {
        best = T::max(best, T::madd::<FMA>(ck, neg_inv, hk));
    }
    best
}

/// `log Σ_j exp(c_j · neg_inv + h_j)`, shifted by `shift` first and, when that sum is not
/// trusted, recomputed shifted by its exact maximum.
#[inline(always)]
fn row_lse<T: Real, const FMA: bool>(c: &[T], h: &[T], neg_inv: T, shift: T) -> f64 {
    let sum = shifted_sum::<T, FMA>(c, h, neg_inv, shift);
    if trusted::<T>(sum) {
        return libm::log(sum) - shift.to_f64();
    }
    let top = max_z::<T, FMA>(c, h, neg_inv);
    libm::log(shifted_sum::<T, FMA>(c, h, neg_inv, -top)) + top.to_f64()
}

/// `acc_j += exp(c_j · neg_inv + r + shift_j)` over a row.
#[inline(always)]
fn add_column_terms<T: Real, const FMA: bool>(c: &[T], r: T, neg_inv: T, shift: &[T], acc: &mut [T]) {
    for ((a, &ck), &sk) in acc.iter_mut().zip(c).zip(shift) {
        *a = *a + T::exp::<FMA>(T::madd::<FMA>(ck, neg_inv, r) + sk);
    }
}

/// `acc_j += exp(c0_j · neg_inv + r0 + shift_j) + exp(c1_j · neg_inv + r1 + shift_j)`.
#[inline(always)]
fn add_column_terms2<T: Real, const FMA: bool>(
    c: [&[T]; 2],
    r: [T; 2],
    neg_inv: T,
    shift: &[T],
    acc: &mut [T],
) {
    for (((a, &c0), &c1), &sk) in acc.iter_mut().zip(c[0]).zip(c[1]).zip(shift) {
        let e0 = T::exp::<FMA>(T::madd::<FMA>(c0, neg_inv, r[0]) + sk);
        let e1 = T::exp::<FMA>(T::madd::<FMA>(c1, neg_inv, r[1]) + sk);
        *a = *a + (e0 + e1);
    }
}

/// The rows `i0 .. i0 + lse.len()` of a sweep: `lse_i = log Σ_j exp(h_j − M_ij / ε)` for each
/// (with `f_old_i / ε` as the shift), and, when `column` is given, the column terms of the
/// updated row (`f_i = −λ ε lse_i`) `exp(log a_i − λ lse_i − M_ij / ε + shift_j)` added to its
/// sums.
#[allow(clippy::too_many_arguments)]
#[inline(always)]
pub(super) fn sweep<T: Real, S: CostSource<T>, const FMA: bool>(
    src: &S,
    i0: usize,
    h: &[T],
    neg_inv: T,
    row_shift: &[f64],
    log_a: &[f64],
    lambda: f64,
    column: Option<(&[T], &mut [T])>,
    lse: &mut [f64],
    scratch: &mut [T],
) {
    let mut column = column;
    let m = src.cols();
    for (group, lse) in lse.chunks_mut(GROUP).enumerate() {
        let first = group * GROUP;
        // The group's rows stream from memory once, in the row updates; their column terms
        // then read them again from cache.
        let mut rows: [&[T]; GROUP] = [&[]; GROUP];
        for (k, slot) in scratch.chunks_mut(m).take(lse.len()).enumerate() {
            rows[k] = src.row(i0 + first + k, slot);
        }
        for (k, out) in lse.iter_mut().enumerate() {
            *out = row_lse::<T, FMA>(rows[k], h, neg_inv, T::from_f64(row_shift[first + k]));
        }
        if let Some((shift, acc)) = column.as_mut() {
            let r = |k: usize| T::from_f64(log_a[first + k] - lambda * lse[k]);
            // Two rows per visit of the sums: half the loads and stores of `acc`.
            let pairs = lse.len() / 2;
            for k in (0..2 * pairs).step_by(2) {
                add_column_terms2::<T, FMA>([rows[k], rows[k + 1]], [r(k), r(k + 1)], neg_inv, shift, acc);
            }
            if lse.len() % 2 == 1 {
                let k = lse.len() - 1;
                add_column_terms::<T, FMA>(rows[k], r(k), neg_inv, shift, acc);
            }
        }
    }
}

/// Column terms of rows `i0 .. i0 + r.len()`: `acc_j = Σ_i exp(r_i − M_ij / ε + shift_j)` and,
/// when `cost` is given, `cost_j = Σ_i exp(…) · M_ij`.
#[allow(clippy::too_many_arguments)]
#[inline(always)]
pub(super) fn columns<T: Real, S: CostSource<T>, const FMA: bool>(
    src: &S,
    i0: usize,
    r: &[T],
    neg_inv: T,
    shift: &[T],
    acc: &mut [T],
    cost: Option<&mut [T]>,
    scratch: &mut [T],
) {
    acc.fill(T::ZERO);
    match cost {
        None => {
            for (k, &ri) in r.iter().enumerate() {
                let c = src.row(i0 + k, scratch);
                add_column_terms::<T, FMA>(c, ri, neg_inv, shift, acc);
            }
        }
        Some(cost) => {
            cost.fill(T::ZERO);
            for (k, &ri) in r.iter().enumerate() {
                let c = src.row(i0 + k, scratch);
                for (((a, q), &ck), &sk) in acc.iter_mut().zip(cost.iter_mut()).zip(c).zip(shift) {
                    let p = T::exp::<FMA>(T::madd::<FMA>(ck, neg_inv, ri) + sk);
                    *a = *a + p;
                    *q = T::madd::<FMA>(p, ck, *q);
                }
            }
        }
    }
}

/// `best_j = max_i (r_i − M_ij / ε)` over rows `i0 .. i0 + r.len()`.
#[inline(always)]
pub(super) fn column_max<T: Real, S: CostSource<T>, const FMA: bool>(
    src: &S,
    i0: usize,
    r: &[T],
    neg_inv: T,
    best: &mut [T],
    scratch: &mut [T],
) {
    best.fill(T::from_f64(f64::NEG_INFINITY));
    for (k, &ri) in r.iter().enumerate() {
        let c = src.row(i0 + k, scratch);
        for (b, &ck) in best.iter_mut().zip(c) {
            *b = T::max(*b, T::madd::<FMA>(ck, neg_inv, ri));
        }
    }
}

/// Writes row `i` of the plan, `P_ij = exp(h_j − M_ij / ε + r_i)`, into `out`.
#[inline(always)]
pub(super) fn plan_row<T: Real, S: CostSource<T>, const FMA: bool>(
    src: &S,
    i: usize,
    h: &[T],
    ri: T,
    neg_inv: T,
    out: &mut [T],
    scratch: &mut [T],
) {
    let c = src.row(i, scratch);
    for ((o, &ck), &hk) in out.iter_mut().zip(c).zip(h) {
        *o = T::exp::<FMA>(T::madd::<FMA>(ck, neg_inv, hk) + ri);
    }
}

/// The roofline the benchmarks compare Sinkhorn with: `Σ exp(c_j)` over a slice, the least
/// work any Sinkhorn half-iteration does per entry.
#[inline(always)]
pub(super) fn exp_sum<T: Real, const FMA: bool>(c: &[T]) -> f64 {
    let mut acc = [T::ZERO; LANES];
    let body = c.len() / LANES * LANES;
    for cc in c[..body].chunks_exact(LANES) {
        for k in 0..LANES {
            acc[k] = acc[k] + T::exp::<FMA>(cc[k]);
        }
    }
    let tail: f64 = c[body..].iter().map(|&v| T::exp::<FMA>(v).to_f64()).sum();
    acc.iter().map(|v| v.to_f64()).sum::<f64>() + tail
}
