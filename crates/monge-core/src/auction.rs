//! The assignment problem by Bertsekas' auction algorithm, with epsilon-scaling.
//!
//! Rows are bidders and columns are objects with prices `p_j`. An unassigned bidder `i` finds
//! its best object `j*` by value `β_ij − p_j` (benefit `β = −M` when minimising, `M` when
//! maximising) and raises that price by the margin over its second-best object plus `ε`,
//! evicting the previous owner. Every bidder ends within `ε` of its best value
//! ("ε-complementary slackness"), so the assignment is within `B · ε` of optimal for `B`
//! bidders; with integer costs and `ε < 1/B` it is optimal. Scaling runs phases with `ε`
//! shrinking by a constant factor, each warm-started from the previous prices, which is what
//! makes the method fast. For `n < m`, `m − n` implicit dummy bidders of zero benefit make the
//! problem square (no extra matrix).
//!
//! Reference: Bertsekas, *The auction algorithm: a distributed relaxation method for the
//! assignment problem*, Ann. Oper. Res. 1988; Bertsekas & Castañon, *Parallel synchronous and
//! asynchronous implementations of the auction algorithm*, Parallel Comput. 1991.

use crate::assignment::{two_smallest, AssignmentProblem};
use crate::control::{drive, Progress, Resumable, Unstoppable};
use crate::error::{Detail, Error, ErrorKind, Result};
use crate::input::check_matrix_shape;
use crate::simd::Level;

/// Options of [`auction`].
#[derive(Clone, Copy, Debug)]
pub struct AuctionOptions {
    /// Maximise the total instead of minimising it.
    pub maximize: bool,
    /// The final `ε`. Default: `1 / (B + 1)` for integer costs (`B` bidders: provably optimal),
    /// else `1e-9 ·` the cost range `/ B`.
    pub epsilon: Option<f64>,
    /// The factor `ε` shrinks by between phases (> 1). Default 5.
    pub scaling: f64,
}

impl Default for AuctionOptions {
    fn default() -> Self {
        AuctionOptions { maximize: false, epsilon: None, scaling: 5.0 }
    }
}

/// The result of [`auction`].
#[derive(Clone, Debug, PartialEq)]
pub struct AuctionResult {
    /// All rows, ascending.
    pub row_ind: Vec<u32>,
    /// The column of each row.
    pub col_ind: Vec<u32>,
    /// The total cost `Σ_i M[i, col_ind[i]]`.
    pub cost: f64,
    /// The final prices of the columns, in benefit units (benefit `−M` when minimising).
    pub prices: Vec<f64>,
    /// A bound on `|cost − optimum|`: `B · ε_final`, or 0 when integer costs and
    /// `ε_final < 1/B` prove optimality.
    pub gap_bound: f64,
}

const NONE: usize = usize::MAX;

/// Solves the assignment problem on the row-major `rows × cols` matrix `cost`
/// (`rows ≤ cols`) by the auction algorithm.
///
/// Errors: empty or mismatched shape, `rows > cols` ([`ErrorKind::InvalidInput`]: pass the
/// transpose), non-finite costs, `epsilon ≤ 0` or `scaling ≤ 1`.
///
/// ```
/// use monge_core::{auction, AuctionOptions};
/// let cost = [4.0, 1.0, 3.0, 2.0, 0.0, 5.0, 3.0, 2.0, 2.0];
/// let r = auction(&cost, 3, 3, AuctionOptions::default()).unwrap();
/// assert_eq!((r.col_ind, r.cost, r.gap_bound), (vec![1, 0, 2], 5.0, 0.0));
/// ```
pub fn auction(cost: &[f64], rows: usize, cols: usize, options: AuctionOptions) -> Result<AuctionResult> {
    let problem = AssignmentProblem { cost, rows, cols };
    drive(AuctionSolver::new(&problem, options)?, &problem, &Unstoppable)
}

/// An [`auction`] solve in progress (a [`Resumable`](crate::Resumable)): one unit is one bid.
pub struct AuctionSolver {
    shape: (usize, usize),
    maximize: bool,
    scaling: f64,
    integer: bool,
    eps: f64,
    eps_final: f64,
    prices: Vec<f64>,
    // Minimising, a bid's values are `−(C_ij + p_j)` and C_ij + p_j = C_ij − (−p_j); maximising,
    // they are `−(p_j − C_ij)`; a dummy bidder's are `−(p_j − 0)`. Either way the best and
    // second-best values are the negated two smallest of a row minus a vector, exactly.
    neg_prices: Vec<f64>,
    zeros: Vec<f64>,
    level: Level,
    owner: Vec<usize>,
    assigned: Vec<usize>,
    /// The bidders of this phase still without an object (the next one on top).
    unassigned: Vec<usize>,
    bids: usize,
    done: bool,
}

impl AuctionSolver {
    /// Checks the matrix and options. Errors: as [`auction`].
    pub fn new(problem: &AssignmentProblem<'_>, options: AuctionOptions) -> Result<Self> {
        let AssignmentProblem { cost, rows, cols } = *problem;
        check(cost, rows, cols, options)?;
        let (n, m) = (rows, cols);
        let bidders = m;
        let (lo, hi) =
            cost.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), &c| (l.min(c), h.max(c)));
        let range = (hi - lo).max(if n < m { hi.abs().max(lo.abs()) } else { 0.0 });
        let integer = cost.iter().all(|c| c.fract() == 0.0 && c.abs() < 2f64.powi(52));
        let eps_final = options.epsilon.unwrap_or(if integer {
            1.0 / (bidders as f64 + 1.0)
        } else {
            (range * 1e-9 / bidders as f64).max(f64::MIN_POSITIVE)
        });
        Ok(AuctionSolver {
            shape: (n, m),
            maximize: options.maximize,
            scaling: options.scaling,
            integer,
            eps: (range / 2.0).max(eps_final),
            eps_final,
            prices: vec![0.0; m],
            neg_prices: vec![0.0; m],
            zeros: vec![0.0; m],
            level: Level::detect(),
            owner: vec![NONE; m],
            assigned: vec![NONE; bidders],
            unassigned: (0..bidders).rev().collect(),
            bids: 0,
            done: false,
        })
    }

    /// One bid of bidder `i` at the current `ε`.
    fn bid(&mut self, cost: &[f64], i: usize) {
        let (n, m) = self.shape;
        // Best and second-best values over all objects.
        let low = if i >= n {
            two_smallest(self.level, &self.prices, &self.zeros)
        } else if self.maximize {
            two_smallest(self.level, &self.prices, &cost[i * m..(i + 1) * m])
        } else {
            two_smallest(self.level, &cost[i * m..(i + 1) * m], &self.neg_prices)
        };
        let (best, second, j) = (-low.umin, -low.usub, low.j1);
        // With one object there is no second best: any raise works.
        let margin = if second.is_finite() { best - second } else { 0.0 };
        self.prices[j] += margin + self.eps;
        self.neg_prices[j] = -self.prices[j];
        if self.owner[j] != NONE {
            self.assigned[self.owner[j]] = NONE;
            self.unassigned.push(self.owner[j]);
        }
        self.owner[j] = i;
        self.assigned[i] = j;
    }
}

impl Resumable for AuctionSolver {
    type Problem<'p> = AssignmentProblem<'p>;
    type Output = AuctionResult;

    fn advance(&mut self, problem: &AssignmentProblem<'_>, budget: usize) -> Result<bool> {
        problem.check_same(self.shape)?;
        let mut left = budget.max(1);
        while !self.done && left > 0 {
            match self.unassigned.pop() {
                Some(i) => {
                    self.bid(problem.cost, i);
                    self.bids += 1;
                    left -= 1;
                }
                // A phase is over: the next one starts afresh from these prices, at a smaller ε.
                None if self.eps <= self.eps_final => self.done = true,
                None => {
                    self.eps = (self.eps / self.scaling).max(self.eps_final);
                    self.owner.fill(NONE);
                    self.assigned.fill(NONE);
                    self.unassigned.extend((0..self.assigned.len()).rev());
                }
            }
        }
        Ok(self.done)
    }

    fn progress(&self) -> Progress {
        Progress { iteration: self.bids, error: Some(self.eps * self.assigned.len() as f64) }
    }

    fn finish(mut self, problem: &AssignmentProblem<'_>) -> Result<AuctionResult> {
        // Finishing early completes the auction: its bound is only ever stated for a full run.
        while !self.advance(problem, usize::MAX)? {}
        let (n, m) = self.shape;
        let bidders = self.assigned.len();
        let col_ind: Vec<u32> = self.assigned[..n].iter().map(|&j| j as u32).collect();
        let mut total = crate::compensated::Sum::default();
        col_ind.iter().enumerate().for_each(|(i, &j)| total.add(problem.cost[i * m + j as usize]));
        let gap_bound = if self.integer && self.eps_final < 1.0 / bidders as f64 {
            0.0
        } else {
            bidders as f64 * self.eps_final
        };
        Ok(AuctionResult {
            row_ind: (0..n as u32).collect(),
            col_ind,
            cost: total.value(),
            prices: self.prices,
            gap_bound,
        })
    }
}

fn check(cost: &[f64], rows: usize, cols: usize, options: AuctionOptions) -> Result<()> {
    check_matrix_shape("M", cost, rows, cols)?;
    if rows > cols {
        return Err(Error::about(
            ErrorKind::InvalidInput,
            "M",
            format!("M is {rows} x {cols}: the auction needs rows <= cols, pass the transpose"),
        )
        .with("shape", Detail::Shape(vec![rows, cols])));
    }
    crate::input::check_finite("M", cost)?;
    if let Some(e) = options.epsilon {
        if !(e.is_finite() && e > 0.0) {
            return Err(Error::about(
                ErrorKind::InvalidInput,
                "epsilon",
                format!("epsilon = {e}: use a finite ε > 0"),
            )
            .with("value", Detail::Number(e)));
        }
    }
    if !(options.scaling.is_finite() && options.scaling > 1.0) {
        return Err(Error::about(
            ErrorKind::InvalidInput,
            "scaling",
            format!("scaling = {}: use a finite factor > 1", options.scaling),
        )
        .with("value", Detail::Number(options.scaling)));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{linear_sum_assignment, AssignmentOptions};

    fn lcg(state: &mut u64) -> f64 {
        *state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (*state >> 11) as f64 / (1u64 << 53) as f64
    }

    #[test]
    fn integer_costs_are_solved_exactly() {
        let mut state = 17u64;
        for &(n, m) in &[(1, 1), (1, 4), (3, 3), (5, 8), (40, 40), (30, 70), (120, 120)] {
            for maximize in [false, true] {
                let c: Vec<f64> = (0..n * m).map(|_| (lcg(&mut state) * 100.0).floor()).collect();
                let r = auction(&c, n, m, AuctionOptions { maximize, ..Default::default() }).unwrap();
                let lsa = linear_sum_assignment(&c, n, m, AssignmentOptions { maximize }).unwrap();
                assert_eq!(r.cost, lsa.cost, "{n}x{m} maximize={maximize}");
                assert_eq!(r.gap_bound, 0.0);
                let mut used = r.col_ind.clone();
                used.sort_unstable();
                used.dedup();
                assert_eq!(used.len(), n);
            }
        }
    }

    #[test]
    fn float_costs_are_within_the_gap_bound() {
        let mut state = 23u64;
        for &(n, m) in &[(7, 7), (50, 50), (20, 45)] {
            let c: Vec<f64> = (0..n * m).map(|_| lcg(&mut state)).collect();
            for epsilon in [None, Some(1e-3)] {
                let r = auction(&c, n, m, AuctionOptions { epsilon, ..Default::default() }).unwrap();
                let opt = linear_sum_assignment(&c, n, m, AssignmentOptions::default()).unwrap().cost;
                assert!(r.cost >= opt - 1e-12 && r.cost - opt <= r.gap_bound + 1e-12, "{n}x{m} {epsilon:?}");
            }
        }
    }

    #[test]
    fn rejects_bad_input() {
        let kind = |c: &[f64], r, k, o| auction(c, r, k, o).unwrap_err().kind();
        let d = AuctionOptions::default();
        assert_eq!(kind(&[1.0, 2.0], 2, 1, d), ErrorKind::InvalidInput);
        assert_eq!(kind(&[1.0, f64::INFINITY], 1, 2, d), ErrorKind::NonFinite);
        assert_eq!(kind(&[1.0], 1, 1, AuctionOptions { epsilon: Some(0.0), ..d }), ErrorKind::InvalidInput);
        assert_eq!(kind(&[1.0], 1, 1, AuctionOptions { scaling: 1.0, ..d }), ErrorKind::InvalidInput);
        assert_eq!(kind(&[1.0, 2.0, 3.0], 2, 2, d), ErrorKind::ShapeMismatch);
    }
}
