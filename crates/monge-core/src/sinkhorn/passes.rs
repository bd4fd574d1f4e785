//! Sinkhorn passes over all the cost rows, split over threads.
//!
//! Every log-sum-exp is first computed with a *shift*: the old potential. Once the other side
//! has been updated, every term is then at most `1 / weight`, so the shifted sum cannot overflow
//! and one pass over the entries suffices. A sum that still leaves its trusted range (the first
//! iteration, right after epsilon changes, or a marginal far from its target) is recomputed
//! exactly: a pass for the maximum, then the sum shifted by it (per row inside the kernels, for
//! all columns here).
//!
//! Rows are cut into a fixed number of blocks, whatever the thread count; column sums are added
//! per block and the blocks' sums in block order, so results do not depend on the threads.

use super::cost::CostSource;
use super::dispatch;
use super::kernels::{sweep_scratch, trusted};
use super::real::Real;
use crate::parallel::{for_each_row, map_slots};
use crate::simd::Level;
use std::ops::Range;

/// Row blocks of a pass, at most (fewer for smaller problems).
const BLOCKS: usize = 32;

/// Fewest cost entries per row block (fewer blocks for smaller problems).
const BLOCK_MIN_ENTRIES: usize = 1 << 14;

/// Everything a pass needs besides the potentials.
pub(super) struct Pass<'p, T, S> {
    pub src: &'p S,
    pub level: Level,
    pub threads: usize,
    /// `log a_i` (−∞ for zero weights).
    pub log_a: &'p [f64],
    /// `log b_j`.
    pub log_b: &'p [f64],
    pub precision: std::marker::PhantomData<T>,
}

/// Per block: the rows' log-sum-exps, the column sums, the column costs.
type BlockSums<T> = (Vec<f64>, Vec<T>, Vec<T>);

/// `Σ_blocks sums[j]` in `f64`, in block order.
fn add_blocks<T: Real>(parts: &[BlockSums<T>], pick: impl Fn(&BlockSums<T>) -> &[T], m: usize) -> Vec<f64> {
    let mut total = vec![0.0; m];
    for part in parts {
        total.iter_mut().zip(pick(part)).for_each(|(t, &v)| *t += v.to_f64());
    }
    total
}

impl<'p, T: Real, S: CostSource<T>> Pass<'p, T, S> {
    pub fn new(src: &'p S, level: Level, threads: usize, log_a: &'p [f64], log_b: &'p [f64]) -> Self {
        Pass { src, level, threads, log_a, log_b, precision: Default::default() }
    }

    fn blocks(&self, n: usize) -> Vec<Range<usize>> {
        // Enough entries per block that its own column sums (m values to clear and add up)
        // stay a small part of its work; the count depends on the shape only, never on threads.
        let entries = n.saturating_mul(self.src.cols());
        let count = n.min(BLOCKS).min(entries.div_ceil(BLOCK_MIN_ENTRIES)).max(1);
        (0..count).map(|b| b * n / count..(b + 1) * n / count).collect()
    }

    pub fn h(&self, g: &[f64], inv: f64) -> Vec<T> {
        self.log_b.iter().zip(g).map(|(&lb, &gj)| T::from_f64(lb + gj * inv)).collect()
    }

    pub fn r(&self, f: &[f64], inv: f64) -> Vec<T> {
        self.log_a.iter().zip(f).map(|(&la, &fi)| T::from_f64(la + fi * inv)).collect()
    }

    /// The row update and, in the same reading of the costs, the column sums for the next one.
    ///
    /// Returns `lse_i = log Σ_j b_j exp((g_j − M_ij) / ε)` (the row update is
    /// `f_i = −λ ε lse_i`: `λ = 1` for balanced problems) and, when every column sum could be
    /// trusted, `lse'_j = log Σ_i a_i exp((f'_i − M_ij) / ε)` with `f'` the updated `f`
    /// (otherwise `None`: run [`Pass::columns`] with `f'`). Columns of zero weight are left
    /// out of the sums (their plan entries are 0): their `lse'_j` keeps `g_j` where it is, and
    /// the caller sets them once at the end.
    pub fn sweep(
        &self,
        f: &[f64],
        g: &[f64],
        b: &[f64],
        eps: f64,
        lambda: f64,
    ) -> (Vec<f64>, Option<Vec<f64>>) {
        let inv = 1.0 / eps;
        let h = self.h(g, inv);
        let shift: Vec<f64> = f.iter().map(|&fi| fi * inv).collect();
        let neg_inv = T::from_f64(-inv);
        let (src, level, m) = (self.src, self.level, self.src.cols());
        let blocks = self.blocks(src.rows());
        let mut parts: Vec<(BlockSums<T>, bool)> =
            vec![((Vec::new(), Vec::new(), Vec::new()), true); blocks.len()];
        map_slots(
            &mut parts,
            self.threads,
            || sweep_scratch::<T>(m),
            |b, scratch| {
                let rows = blocks[b].clone();
                let mut lse = vec![0.0; rows.len()];
                let mut mass = vec![T::ZERO; m];
                let (row_shift, log_a) = (&shift[rows.clone()], &self.log_a[rows.clone()]);
                let complete = dispatch::sweep(
                    level,
                    src,
                    rows.start,
                    &h,
                    neg_inv,
                    row_shift,
                    log_a,
                    lambda,
                    Some(&mut mass),
                    &mut lse,
                    scratch,
                );
                ((lse, mass, Vec::new()), complete)
            },
        );
        let complete = parts.iter().all(|p| p.1);
        let parts: Vec<BlockSums<T>> = parts.into_iter().map(|p| p.0).collect();
        let mass = add_blocks(&parts, |p| &p.1, m);
        let lse = parts.iter().flat_map(|p| p.0.iter().copied()).collect();
        // Column j's mass is b_j exp(g_j / ε + lse'_j).
        let columns = b.iter().zip(&mass).zip(g).map(|((&bj, &nu), &gj)| {
            if bj == 0.0 {
                Some(-gj * inv / lambda)
            } else {
                let ratio = nu / bj;
                (nu >= T::MASS_MIN && trusted::<T>(ratio)).then(|| libm::log(ratio) - gj * inv)
            }
        });
        let columns = if complete { columns.collect::<Option<Vec<f64>>>() } else { None };
        (lse, columns)
    }

    /// `lse_i = log Σ_j b_j exp((g_j − M_ij) / ε)` for every row, without the column sums.
    pub fn rows(&self, f: &[f64], g: &[f64], eps: f64) -> Vec<f64> {
        let inv = 1.0 / eps;
        let h = self.h(g, inv);
        let shift: Vec<f64> = f.iter().map(|&fi| fi * inv).collect();
        let neg_inv = T::from_f64(-inv);
        let (src, level, m) = (self.src, self.level, self.src.cols());
        let blocks = self.blocks(src.rows());
        let mut parts: Vec<Vec<f64>> = vec![Vec::new(); blocks.len()];
        map_slots(
            &mut parts,
            self.threads,
            || sweep_scratch::<T>(m),
            |b, scratch| {
                let rows = blocks[b].clone();
                let mut lse = vec![0.0; rows.len()];
                let (row_shift, log_a) = (&shift[rows.clone()], &self.log_a[rows.clone()]);
                dispatch::sweep(
                    level, src, rows.start, &h, neg_inv, row_shift, log_a, 1.0, None, &mut lse, scratch,
                );
                lse
            },
        );
        parts.concat()
    }

    /// `lse_j = log Σ_i a_i exp((f_i − M_ij) / ε)` for every column (the column update is
    /// `g_j = −ε lse_j`), and, when `with_cost`, the transport cost `Σ_ij P_ij M_ij` of the plan
    /// of `(f, g)`.
    pub fn columns(&self, f: &[f64], g: &[f64], eps: f64, with_cost: bool) -> (Vec<f64>, f64) {
        let inv = 1.0 / eps;
        let r = self.r(f, inv);
        let neg_inv = T::from_f64(-inv);
        let (src, level, m) = (self.src, self.level, self.src.cols());
        let blocks = self.blocks(src.rows());
        let run = |shift: &[T]| {
            let mut parts: Vec<BlockSums<T>> = vec![(Vec::new(), Vec::new(), Vec::new()); blocks.len()];
            map_slots(
                &mut parts,
                self.threads,
                || vec![T::ZERO; m],
                |b, scratch| {
                    let rows = blocks[b].clone();
                    let mut acc = vec![T::ZERO; m];
                    let mut cost = if with_cost { vec![T::ZERO; m] } else { Vec::new() };
                    let cost_out = with_cost.then_some(&mut cost[..]);
                    dispatch::columns(
                        level, src, rows.start, &r[rows], neg_inv, shift, &mut acc, cost_out, scratch,
                    );
                    (Vec::new(), acc, cost)
                },
            );
            parts
        };
        let mut shift: Vec<T> = g.iter().map(|&gj| T::from_f64(gj * inv)).collect();
        let mut parts = run(&shift);
        let mut sums = add_blocks(&parts, |p| &p.1, m);
        if !sums.iter().all(|&s| trusted::<T>(s)) {
            let mut tops: Vec<Vec<T>> = vec![Vec::new(); blocks.len()];
            map_slots(
                &mut tops,
                self.threads,
                || vec![T::ZERO; m],
                |b, scratch| {
                    let rows = blocks[b].clone();
                    let mut best = vec![T::ZERO; m];
                    dispatch::column_max(level, src, rows.start, &r[rows], neg_inv, &mut best, scratch);
                    best
                },
            );
            shift.fill(T::from_f64(f64::NEG_INFINITY));
            for top in &tops {
                shift.iter_mut().zip(top).for_each(|(s, &t)| *s = T::max(*s, t));
            }
            shift.iter_mut().for_each(|s| *s = -*s);
            parts = run(&shift);
            sums = add_blocks(&parts, |p| &p.1, m);
        }
        let lse: Vec<f64> = sums.iter().zip(&shift).map(|(&s, &t)| libm::log(s) - t.to_f64()).collect();
        let mut cost = 0.0;
        if with_cost {
            // P_ij = b_j exp(g_j / ε − shift_j) · exp(r_i − M_ij / ε + shift_j).
            let per_column = add_blocks(&parts, |p| &p.2, m);
            for (j, &c) in per_column.iter().enumerate() {
                cost += libm::exp(self.log_b[j] + g[j] * inv - shift[j].to_f64()) * c;
            }
        }
        (lse, cost)
    }

    /// The dense plan `P_ij = a_i b_j exp((f_i + g_j − M_ij) / ε)`, row-major, into `out`.
    pub fn plan(&self, f: &[f64], g: &[f64], eps: f64, out: &mut [T]) {
        let inv = 1.0 / eps;
        let h = self.h(g, inv);
        let r = self.r(f, inv);
        let neg_inv = T::from_f64(-inv);
        let (src, level, m) = (self.src, self.level, self.src.cols());
        for_each_row(
            out,
            m,
            self.threads,
            || vec![T::ZERO; m],
            |i, row, scratch| dispatch::plan_row(level, src, i, &h, r[i], neg_inv, row, scratch),
        );
    }
}
