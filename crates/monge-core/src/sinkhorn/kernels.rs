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

/// The scratch a sweep needs for rows of `m` values of `T`: the costs, and the terms of the
/// current and the previous row.
pub(super) fn sweep_scratch<T: Real>(m: usize) -> Vec<T> {
    vec![T::ZERO; 3 * m]
}

/// Entries per block of [`shifted_exps`] (a multiple of `LANES`).
const CARRY_BLOCK: usize = 512;

/// Whether a shifted sum of exponentials can be trusted (see `Real::SUM_MIN`).
#[inline(always)]
pub(super) fn trusted<T: Real>(sum: f64) -> bool {
    (T::SUM_MIN..=T::SUM_MAX).contains(&sum)
}

/// `e_j = exp(c_j · neg_inv + h_j + shift)` into `e`, and `Σ_j e_j` (accumulated in `T` lanes,
/// reduced in `f64`). With `carry = (e', ρ', acc)`, the same loop also adds the previous row's
/// plan entries `ρ' e'_j` to `acc_j`: the cost row streams from memory while that cheap work
/// fills the gaps, instead of stalling the stream in a separate loop.
#[inline(always)]
fn shifted_exps<T: Real, const FMA: bool>(
    c: &[T],
    h: &[T],
    neg_inv: T,
    shift: T,
    e: &mut [T],
    carry: Option<(&[T], T, &mut [T])>,
) -> f64 {
    let mut lanes = [T::ZERO; LANES];
    let body = c.len() / LANES * LANES;
    let term = |ck: T, hk: T| T::exp::<FMA>(T::madd::<FMA>(ck, neg_inv, hk) + shift);
    let mut carry = carry;
    // Blocks of a few hundred entries: each of the two loops stays simple enough to keep its
    // sums in registers, and the carried work still interleaves with the stream of costs.
    for start in (0..body).step_by(CARRY_BLOCK) {
        let end = (start + CARRY_BLOCK).min(body);
        let chunks = c[start..end].chunks_exact(LANES).zip(h[start..end].chunks_exact(LANES));
        for ((cc, hh), ee) in chunks.zip(e[start..end].chunks_exact_mut(LANES)) {
            // Computed into a local array first: written straight into `ee`, the sums were
            // kept in memory, not in a register.
            let v: [T; LANES] = std::array::from_fn(|k| term(cc[k], hh[k]));
            ee.copy_from_slice(&v);
            for k in 0..LANES {
                lanes[k] = lanes[k] + v[k];
            }
        }
        if let Some((previous, rho, acc)) = carry.as_mut() {
            for (a, &p) in acc[start..end].iter_mut().zip(&previous[start..end]) {
                *a = T::madd::<FMA>(p, *rho, *a);
            }
        }
    }
    if let Some((previous, rho, acc)) = carry {
        for (a, &p) in acc[body..].iter_mut().zip(&previous[body..]) {
            *a = T::madd::<FMA>(p, rho, *a);
        }
    }
    let mut total: f64 = lanes.iter().map(|v| v.to_f64()).sum();
    for ((&ck, &hk), ek) in c[body..].iter().zip(&h[body..]).zip(&mut e[body..]) {
        *ek = term(ck, hk);
        total += ek.to_f64();
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

/// A row's log-sum-exp: `lse = log Σ_j exp(c_j · neg_inv + h_j)`, with the terms
/// `e_j = exp(c_j · neg_inv + h_j + shift)` left in `e` and their sum `Σ_j e_j`. The shift is
/// `shift` when that sum is trusted, otherwise minus the row's exact maximum. `carry` is done
/// once, in the first reading (see [`shifted_exps`]).
#[inline(always)]
fn row_lse<T: Real, const FMA: bool>(
    c: &[T],
    h: &[T],
    neg_inv: T,
    shift: T,
    e: &mut [T],
    carry: Option<(&[T], T, &mut [T])>,
) -> Row {
    let sum = shifted_exps::<T, FMA>(c, h, neg_inv, shift, e, carry);
    if trusted::<T>(sum) {
        return Row { lse: libm::log(sum) - shift.to_f64(), shift: shift.to_f64(), sum };
    }
    let top = max_z::<T, FMA>(c, h, neg_inv);
    let sum = shifted_exps::<T, FMA>(c, h, neg_inv, -top, e, None);
    Row { lse: libm::log(sum) + top.to_f64(), shift: -top.to_f64(), sum }
}

/// What [`row_lse`] found.
struct Row {
    lse: f64,
    shift: f64,
    sum: f64,
}

/// `acc_j += exp(c_j · neg_inv + r + shift_j)` over a row.
#[inline(always)]
fn add_column_terms<T: Real, const FMA: bool>(c: &[T], r: T, neg_inv: T, shift: &[T], acc: &mut [T]) {
    for ((a, &ck), &sk) in acc.iter_mut().zip(c).zip(shift) {
        *a = *a + T::exp::<FMA>(T::madd::<FMA>(ck, neg_inv, r) + sk);
    }
}

/// The rows `i0 .. i0 + lse.len()` of a sweep: `lse_i = log Σ_j exp(h_j − M_ij / ε)` for each
/// (shifted by `row_shift_i`, the old `f_i / ε`), and, when `plan_columns` is given, the column
/// sums of the plan of the updated potentials (`f_i = −λ ε lse_i`, `g`) added to it.
///
/// Those plan entries cost no second exponential: `P_ij = ρ_i e_ij` with `e_ij` the row's terms
/// and `ρ_i = a_i exp(f_i / ε − shift_i)` one number per row; they are added while the next row
/// is read. Returns false when some `ρ_i` does not fit `T` (the sums are then incomplete: the
/// caller recomputes the columns exactly). `scratch` holds three rows.
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
    plan_columns: Option<&mut [T]>,
    lse: &mut [f64],
    scratch: &mut [T],
) -> bool {
    let m = src.cols();
    let (cost_slot, rest) = scratch.split_at_mut(m);
    let (mut current, mut previous) = rest.split_at_mut(m);
    let mut plan_columns = plan_columns;
    let mut pending: Option<T> = None;
    let mut complete = true;
    for (k, out) in lse.iter_mut().enumerate() {
        let c = src.row(i0 + k, cost_slot);
        let carry = match (pending, plan_columns.as_mut()) {
            (Some(rho), Some(acc)) => Some((&previous[..m], rho, &mut acc[..])),
            _ => None,
        };
        let row = row_lse::<T, FMA>(c, h, neg_inv, T::from_f64(row_shift[k]), current, carry);
        *out = row.lse;
        let factor = libm::exp(log_a[k] - lambda * row.lse - row.shift);
        // The row's plan mass is factor · sum: where factor underflows `T`, that mass must be
        // negligible, or the column sums would miss it.
        complete &= factor <= T::SUM_MAX && (factor >= T::MIN_NORMAL || factor * row.sum <= T::NEGLIGIBLE);
        pending = Some(T::from_f64(factor));
        std::mem::swap(&mut current, &mut previous);
    }
    if let (Some(rho), Some(acc)) = (pending, plan_columns) {
        for (a, &p) in acc.iter_mut().zip(&previous[..m]) {
            *a = T::madd::<FMA>(p, rho, *a);
        }
    }
    complete
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
