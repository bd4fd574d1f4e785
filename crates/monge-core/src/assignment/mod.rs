//! The linear sum assignment problem, by shortest augmenting paths (Jonker–Volgenant).
//!
//! Given an `n × m` cost matrix with `n ≤ m`, find distinct columns `σ(i)` minimising
//! `Σ_i C[i, σ(i)]` (for `n > m`, the transpose is solved). Each row in turn is matched by a
//! Dijkstra-like search for the shortest augmenting path in reduced costs
//! `C[i, j] − u_i − v_j ≥ 0`, after which the duals are updated so that reduced costs stay
//! non-negative and vanish on the matching: the dual pair `(u, v)` certifies optimality. This is
//! the rectangular variant of Crouse (2016), the algorithm behind scipy's
//! `linear_sum_assignment`: `O(n² m)` in the worst case, usually far less, `O(n + m)` memory
//! beyond the matrix. `+∞` entries are forbidden pairs.
//!
//! References: Jonker & Volgenant, *A shortest augmenting path algorithm for dense and sparse
//! linear assignment problems*, Computing 1987; Crouse, *On implementing 2D rectangular
//! assignment algorithms*, IEEE TAES 2016.

use crate::compensated::Sum;
use crate::control::{drive, Progress, Resumable, Unstoppable};
use crate::error::{Detail, Error, ErrorKind, Result};
use crate::input::check_matrix_shape;
use crate::simd::Level;
use relax::{closest, relax};
pub(crate) use two_smallest::two_smallest;
use two_smallest::TwoSmallest;

mod relax;
mod two_smallest;

/// Options of [`linear_sum_assignment`].
#[derive(Clone, Copy, Debug, Default)]
pub struct AssignmentOptions {
    /// Maximise the total instead of minimising it (then `−∞` entries are the forbidden ones).
    pub maximize: bool,
}

/// An optimal assignment: `row_ind[k]` is matched to `col_ind[k]`, rows ascending.
#[derive(Clone, Debug, PartialEq)]
pub struct Assignment {
    /// Matched rows, ascending (all rows when `n ≤ m`).
    pub row_ind: Vec<u32>,
    /// The column matched to each row of `row_ind`.
    pub col_ind: Vec<u32>,
    /// The total cost `Σ_k C[row_ind[k], col_ind[k]]`.
    pub cost: f64,
}

const NONE: usize = usize::MAX;

/// Solves the assignment problem on the row-major `rows × cols` matrix `cost`, rectangular
/// allowed: `min(rows, cols)` pairs.
///
/// Errors: empty or mismatched shape, NaN entries, `−∞` (`+∞` when maximising), which would make
/// the problem unbounded ([`ErrorKind::NonFinite`]), and matrices whose forbidden entries leave
/// no complete assignment ([`ErrorKind::InvalidInput`]).
///
/// ```
/// use monge_core::{linear_sum_assignment, AssignmentOptions};
/// let cost = [4.0, 1.0, 3.0, 2.0, 0.0, 5.0, 3.0, 2.0, 2.0];
/// let a = linear_sum_assignment(&cost, 3, 3, AssignmentOptions::default()).unwrap();
/// assert_eq!((a.col_ind, a.cost), (vec![1, 0, 2], 5.0));
/// ```
pub fn linear_sum_assignment(
    cost: &[f64],
    rows: usize,
    cols: usize,
    options: AssignmentOptions,
) -> Result<Assignment> {
    let problem = AssignmentProblem { cost, rows, cols };
    drive(AssignmentSolver::new(&problem, options)?, &problem, &Unstoppable)
}

/// The input of an [`AssignmentSolver`] (and of the auction): a row-major `rows × cols` matrix.
#[derive(Clone, Copy, Debug)]
pub struct AssignmentProblem<'a> {
    /// The costs, row-major.
    pub cost: &'a [f64],
    /// Number of rows.
    pub rows: usize,
    /// Number of columns.
    pub cols: usize,
}

impl AssignmentProblem<'_> {
    /// A resumed solve must be handed the matrix it started with (its shape is what can be
    /// checked cheaply).
    pub(crate) fn check_same(&self, shape: (usize, usize)) -> Result<()> {
        if (self.rows, self.cols) != shape || self.cost.len() != self.rows * self.cols {
            return Err(Error::about(
                ErrorKind::InvalidInput,
                "M",
                "a resumed solve must be given the matrix it started with",
            ));
        }
        Ok(())
    }
}

/// A [`linear_sum_assignment`] solve in progress (a [`Resumable`](crate::Resumable)): the first unit is
/// Jonker–Volgenant's initialisation, each later one the shortest augmenting path of one row.
pub struct AssignmentSolver {
    /// The solver minimises over a wide (n ≤ m) matrix: the caller's transposed and/or negated
    /// into a copy when needed, else the caller's, read in place.
    prepared: Option<Vec<f64>>,
    transposed: bool,
    shape: (usize, usize),
    search: Search,
}

impl AssignmentSolver {
    /// Checks the matrix. Errors: as [`linear_sum_assignment`].
    pub fn new(problem: &AssignmentProblem<'_>, options: AssignmentOptions) -> Result<Self> {
        let AssignmentProblem { cost, rows, cols } = *problem;
        check_matrix(cost, rows, cols, options.maximize)?;
        let transposed = rows > cols;
        let (nr, nc) = if transposed { (cols, rows) } else { (rows, cols) };
        let sign = if options.maximize { -1.0 } else { 1.0 };
        let prepared: Option<Vec<f64>> = match (transposed, options.maximize) {
            (false, false) => None,
            (false, true) => Some(cost.iter().map(|&x| -x).collect()),
            (true, _) => Some((0..nr * nc).map(|k| sign * cost[(k % nc) * cols + k / nc]).collect()),
        };
        Ok(AssignmentSolver { prepared, transposed, shape: (rows, cols), search: Search::new(nr, nc) })
    }
}

impl Resumable for AssignmentSolver {
    type Problem<'p> = AssignmentProblem<'p>;
    type Output = Assignment;

    fn advance(&mut self, problem: &AssignmentProblem<'_>, budget: usize) -> Result<bool> {
        problem.check_same(self.shape)?;
        let c = self.prepared.as_deref().unwrap_or(problem.cost);
        let shape = Detail::Shape(vec![self.shape.0, self.shape.1]);
        for _ in 0..budget.max(1) {
            if !self.search.step(c).map_err(|e| e.with("shape", shape.clone()))? {
                return Ok(true);
            }
        }
        Ok(self.search.current >= self.search.nr)
    }

    fn progress(&self) -> Progress {
        Progress { iteration: self.search.units, error: None }
    }

    fn finish(mut self, problem: &AssignmentProblem<'_>) -> Result<Assignment> {
        // Finishing early completes the matching: an assignment is only ever returned optimal.
        while !self.advance(problem, usize::MAX)? {}
        let AssignmentProblem { cost, cols, .. } = *problem;
        let transposed = self.transposed;
        let mut pairs: Vec<(u32, u32)> = self
            .search
            .col4row
            .iter()
            .enumerate()
            .map(|(i, &j)| if transposed { (j as u32, i as u32) } else { (i as u32, j as u32) })
            .collect();
        if transposed {
            pairs.sort_unstable();
        }
        let mut total = Sum::default();
        pairs.iter().for_each(|&(i, j)| total.add(cost[i as usize * cols + j as usize]));
        Ok(Assignment {
            row_ind: pairs.iter().map(|p| p.0).collect(),
            col_ind: pairs.iter().map(|p| p.1).collect(),
            cost: total.value(),
        })
    }
}

fn check_matrix(cost: &[f64], rows: usize, cols: usize, maximize: bool) -> Result<()> {
    check_matrix_shape("M", cost, rows, cols)?;
    let unbounded = if maximize { f64::INFINITY } else { f64::NEG_INFINITY };
    if let Some(k) = cost.iter().position(|&x| x.is_nan() || x == unbounded) {
        let what = if cost[k].is_nan() {
            "NaN"
        } else if maximize {
            "+inf"
        } else {
            "-inf"
        };
        return Err(Error::about(
            ErrorKind::NonFinite,
            "M",
            format!(
                "M[{}][{}] is {what}: costs must be numbers, and {} (forbidden pairs) the only infinity",
                k / cols,
                k % cols,
                if maximize { "-inf" } else { "+inf" }
            ),
        )
        .with("index", Detail::Count(k))
        .with("value", Detail::Number(cost[k])));
    }
    Ok(())
}

/// The shortest-augmenting-path search on a wide (`nr ≤ nc`) matrix, a row at a time.
struct Search {
    nr: usize,
    nc: usize,
    level: Level,
    u: Vec<f64>,
    v: Vec<f64>,
    shortest: Vec<f64>,
    /// The row each column was last reached from, as `f64` (see `relax`).
    path: Vec<f64>,
    col4row: Vec<usize>,
    row4col: Vec<usize>,
    scanned_rows: Vec<bool>,
    /// Which columns the search has scanned: 0 for not yet, +∞ once scanned (see `relax`).
    gate: Vec<f64>,
    /// Where the initialisation stands (`Init::Done` once the augmenting phase runs).
    init: Init,
    /// The next row to match.
    current: usize,
    /// Units done (the initialisation, then one per augmenting path).
    units: usize,
}

impl Search {
    fn new(nr: usize, nc: usize) -> Self {
        Search {
            nr,
            nc,
            level: Level::detect(),
            u: vec![0.0; nr],
            v: vec![0.0; nc],
            shortest: vec![f64::INFINITY; nc],
            path: vec![0.0; nc],
            col4row: vec![NONE; nr],
            row4col: vec![NONE; nc],
            scanned_rows: vec![false; nr],
            gate: vec![0.0; nc],
            init: Init::Start,
            current: 0,
            units: 0,
        }
    }

    /// One unit: the initialisation, or the augmenting path of the next free row. Returns
    /// `false` once every row is matched; fails when the `+∞` entries of `c` leave no complete
    /// matching.
    fn step(&mut self, c: &[f64]) -> Result<bool> {
        let (nr, nc) = (self.nr, self.nc);
        if !matches!(self.init, Init::Done) {
            self.units += 1;
            self.initialize(c);
            return Ok(true);
        }
        while self.current < nr && self.col4row[self.current] != NONE {
            self.current += 1;
        }
        if self.current == nr {
            return Ok(false);
        }
        let current = self.current;
        self.units += 1;
        let Search { level, u, v, shortest, path, col4row, row4col, scanned_rows, gate, .. } = self;
        // Dijkstra over reduced costs from `current` until a free column is reached.
        let mut min_val = 0.0f64;
        scanned_rows.fill(false);
        gate.fill(0.0);
        shortest.fill(f64::INFINITY);
        let mut sink = NONE;
        let mut i = current;
        while sink == NONE {
            scanned_rows[i] = true;
            let row = &c[i * nc..(i + 1) * nc];
            let base = min_val - u[i];
            min_val = relax(*level, row, v, base, gate, shortest, path, i as f64);
            if min_val == f64::INFINITY {
                return Err(infeasible());
            }
            let j = closest(shortest, gate, row4col, min_val);
            if row4col[j] == NONE {
                sink = j;
            } else {
                i = row4col[j];
            }
            gate[j] = f64::INFINITY;
        }
        // Dual update: reduced costs stay non-negative and vanish along the new path.
        u[current] += min_val;
        for r in 0..nr {
            if scanned_rows[r] && r != current {
                u[r] += min_val - shortest[col4row[r]];
            }
        }
        for j in 0..nc {
            if gate[j] != 0.0 {
                v[j] -= min_val - shortest[j];
            }
        }
        // Augment along the path back to `current`.
        let mut j = sink;
        loop {
            let r = path[j] as usize;
            row4col[j] = r;
            std::mem::swap(&mut col4row[r], &mut j);
            if r == current {
                break;
            }
        }
        self.current += 1;
        Ok(self.current < nr)
    }

    /// One unit of Jonker–Volgenant's initialisation (square, all entries finite; else none:
    /// plain augmentation from zero duals): the column reduction, then the augmenting row
    /// reduction [`ARR_STEPS_PER_UNIT`] steps at a time, then the row duals.
    fn initialize(&mut self, c: &[f64]) {
        let (nr, nc) = (self.nr, self.nc);
        let Search { level, u, v, col4row, row4col, init, .. } = self;
        match init {
            Init::Start => {
                if !(nr == nc && nr > 1 && c.iter().all(|x| x.is_finite())) {
                    *init = Init::Done;
                    return;
                }
                column_reduction(c, nr, u, v, col4row, row4col);
                *init = Init::RowReduction(RowReduction::new(nr, col4row));
            }
            Init::RowReduction(arr) => {
                if arr.run(c, nr, v, col4row, row4col, *level, ARR_STEPS_PER_UNIT) {
                    return;
                }
                // Row duals from the column duals: tight on matched rows (their column is still
                // a minimiser, since ARR only lowers the duals of columns it reassigns),
                // feasible on free rows.
                for (i, row) in c.chunks_exact(nc).enumerate() {
                    u[i] = match col4row[i] {
                        NONE => {
                            row.iter().zip(v.iter()).map(|(&cij, &vj)| cij - vj).fold(f64::INFINITY, f64::min)
                        }
                        j => row[j] - v[j],
                    };
                }
                *init = Init::Done;
            }
            Init::Done => {}
        }
    }
}

/// Augmenting row reduction steps per unit of work (each scans one row).
const ARR_STEPS_PER_UNIT: usize = 64;

/// Where Jonker–Volgenant's initialisation stands.
enum Init {
    Start,
    RowReduction(RowReduction),
    Done,
}

fn infeasible() -> Error {
    Error::about(
        ErrorKind::InvalidInput,
        "M",
        "the cost matrix is infeasible: its forbidden (infinite) entries leave no complete assignment",
    )
}

/// Jonker–Volgenant's first initialisation step (square, finite matrices): each column's
/// cheapest row takes it if still free (`v_j = min_i C_ij`, `u = 0`: dual feasible, tight on the
/// matches), then each row matched this way moves its slack to its column ("reduction
/// transfer"), which makes more columns attractive to the rows still free.
fn column_reduction(
    c: &[f64],
    n: usize,
    u: &mut [f64],
    v: &mut [f64],
    col4row: &mut [usize],
    row4col: &mut [usize],
) {
    // Column minima by a row-wise sweep (contiguous, unlike a column-wise one).
    let mut argmin = vec![NONE; n];
    v.fill(f64::INFINITY);
    for (i, row) in c.chunks_exact(n).enumerate() {
        for ((vj, aj), &cij) in v.iter_mut().zip(argmin.iter_mut()).zip(row) {
            if cij < *vj {
                *vj = cij;
                *aj = i;
            }
        }
    }
    let mut matches = vec![0u32; n];
    for j in (0..n).rev() {
        let i = argmin[j];
        if matches[i] == 0 {
            col4row[i] = j;
            row4col[j] = i;
        }
        matches[i] += 1;
    }
    // Reduction transfer for rows matched exactly once.
    for i in 0..n {
        if matches[i] != 1 {
            continue;
        }
        let j1 = col4row[i];
        let row = &c[i * n..(i + 1) * n];
        let mu = row
            .iter()
            .zip(v.iter())
            .enumerate()
            .filter(|&(j, _)| j != j1)
            .map(|(_, (&cij, &vj))| cij - vj)
            .fold(f64::INFINITY, f64::min);
        if mu.is_finite() {
            v[j1] -= mu;
            u[i] = mu;
        }
    }
}

/// Jonker–Volgenant's augmenting row reduction, two passes: a free row takes its cheapest column
/// (in reduced cost), lowering that column's dual down to the row's second-cheapest so the
/// evicted row, if any, looks elsewhere next. Cheap per step, and on dense costs it leaves only a
/// few rows for the shortest-path phase. Steps per pass are capped (floating-point decrements can
/// be tiny); rows still free go to the shortest-path phase, which is exact on its own.
struct RowReduction {
    /// The rows still free in this pass, and those left for the next one.
    free: Vec<usize>,
    next_free: Vec<usize>,
    pass: usize,
    /// Steps left in this pass.
    budget: usize,
    /// The next entry of `free`.
    k: usize,
}

impl RowReduction {
    fn new(n: usize, col4row: &[usize]) -> Self {
        let free: Vec<usize> = (0..n).filter(|&i| col4row[i] == NONE).collect();
        RowReduction { next_free: Vec::with_capacity(free.len()), free, pass: 0, budget: 10 * n + 1000, k: 0 }
    }

    /// Runs up to `steps` steps; returns whether any are left.
    #[allow(clippy::too_many_arguments)]
    fn run(
        &mut self,
        c: &[f64],
        n: usize,
        v: &mut [f64],
        col4row: &mut [usize],
        row4col: &mut [usize],
        level: Level,
        steps: usize,
    ) -> bool {
        for _ in 0..steps {
            if self.k >= self.free.len() || self.budget == 1 {
                if self.budget == 1 {
                    let rest = self.free[self.k..].to_vec();
                    self.next_free.extend_from_slice(&rest);
                }
                // The pass is over: the next one runs on the rows it left free.
                self.free = std::mem::take(&mut self.next_free);
                self.pass += 1;
                self.k = 0;
                self.budget = 10 * n + 1000;
                if self.pass == 2 || self.free.is_empty() {
                    return false;
                }
                continue;
            }
            let i = self.free[self.k];
            self.k += 1;
            self.budget -= 1;
            // The two smallest reduced costs of row i.
            let TwoSmallest { umin, mut j1, usub, j2 } = two_smallest(level, &c[i * n..(i + 1) * n], v);
            let mut evicted = row4col[j1];
            if umin < usub {
                v[j1] -= usub - umin;
            } else if evicted != NONE && j2 != NONE {
                // A tie: take the second column instead, to avoid evicting for nothing.
                j1 = j2;
                evicted = row4col[j2];
            }
            col4row[i] = j1;
            row4col[j1] = i;
            if evicted != NONE {
                col4row[evicted] = NONE;
                if umin < usub {
                    // Continue from the evicted row at once: this pass's augmenting path.
                    self.k -= 1;
                    self.free[self.k] = evicted;
                } else {
                    self.next_free.push(evicted);
                }
            }
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The best assignment by trying every injection of rows into columns (rows ≤ cols ≤ 7).
    fn brute_force(c: &[f64], rows: usize, cols: usize) -> f64 {
        fn go(c: &[f64], cols: usize, row: usize, rows: usize, used: &mut Vec<bool>) -> f64 {
            if row == rows {
                return 0.0;
            }
            let mut best = f64::INFINITY;
            for j in 0..cols {
                if !used[j] {
                    used[j] = true;
                    best = best.min(c[row * cols + j] + go(c, cols, row + 1, rows, used));
                    used[j] = false;
                }
            }
            best
        }
        go(c, cols, 0, rows, &mut vec![false; cols])
    }

    fn lcg(state: &mut u64) -> f64 {
        *state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (*state >> 11) as f64 / (1u64 << 53) as f64
    }

    #[test]
    fn matches_brute_force_on_small_matrices() {
        let mut state = 7u64;
        for rows in 1..=6 {
            for cols in rows..=7 {
                for integer in [false, true] {
                    let c: Vec<f64> = (0..rows * cols)
                        .map(|_| if integer { (lcg(&mut state) * 4.0).floor() } else { lcg(&mut state) })
                        .collect();
                    let want = brute_force(&c, rows, cols);
                    let got = linear_sum_assignment(&c, rows, cols, AssignmentOptions::default()).unwrap();
                    assert!((got.cost - want).abs() < 1e-12, "{rows}x{cols}: {} vs {want}", got.cost);
                    assert_eq!(got.row_ind, (0..rows as u32).collect::<Vec<_>>());
                    let mut cols_used = got.col_ind.clone();
                    cols_used.sort_unstable();
                    cols_used.dedup();
                    assert_eq!(cols_used.len(), rows);
                    // The transpose has the same optimum, with rows sorted.
                    let t: Vec<f64> = (0..rows * cols).map(|k| c[(k % rows) * cols + k / rows]).collect();
                    let gt = linear_sum_assignment(&t, cols, rows, AssignmentOptions::default()).unwrap();
                    assert!((gt.cost - want).abs() < 1e-12);
                    assert!(gt.row_ind.windows(2).all(|w| w[0] < w[1]));
                }
            }
        }
    }

    #[test]
    fn initialisation_agrees_with_plain_augmentation() {
        // Square matrices take the Jonker–Volgenant initialisation; the same matrix padded with a
        // prohibitively expensive column is solved by augmentation alone. The optima must agree.
        let mut state = 99u64;
        for &n in &[2usize, 10, 57, 150] {
            for kind in 0..3 {
                let c: Vec<f64> = (0..n * n)
                    .map(|_| match kind {
                        0 => lcg(&mut state),
                        1 => (lcg(&mut state) * 4.0).floor(),
                        _ => (lcg(&mut state) - 0.5) * 1e6,
                    })
                    .collect();
                let padded: Vec<f64> =
                    c.chunks_exact(n).flat_map(|row| row.iter().copied().chain([1e12])).collect();
                let square = linear_sum_assignment(&c, n, n, AssignmentOptions::default()).unwrap();
                let plain = linear_sum_assignment(&padded, n, n + 1, AssignmentOptions::default()).unwrap();
                assert!(plain.col_ind.iter().all(|&j| (j as usize) < n));
                let scale = c.iter().fold(1.0f64, |m, x| m.max(x.abs())) * n as f64;
                assert!((square.cost - plain.cost).abs() <= 1e-12 * scale, "n={n} kind={kind}");
            }
        }
    }

    #[test]
    fn maximize_and_forbidden_pairs() {
        let c = [1.0, 2.0, 5.0, 3.0];
        let max = linear_sum_assignment(&c, 2, 2, AssignmentOptions { maximize: true }).unwrap();
        assert_eq!((max.col_ind, max.cost), (vec![1, 0], 7.0));
        let inf = f64::INFINITY;
        let forbidden = [inf, 1.0, 2.0, inf];
        let a = linear_sum_assignment(&forbidden, 2, 2, AssignmentOptions::default()).unwrap();
        assert_eq!((a.col_ind, a.cost), (vec![1, 0], 3.0));
    }

    #[test]
    fn rejects_bad_input() {
        let kind = |c: &[f64], r, k, maximize| {
            linear_sum_assignment(c, r, k, AssignmentOptions { maximize }).unwrap_err().kind()
        };
        let inf = f64::INFINITY;
        assert_eq!(kind(&[inf, inf, 1.0, 2.0], 2, 2, false), ErrorKind::InvalidInput);
        assert_eq!(kind(&[1.0, f64::NAN], 1, 2, false), ErrorKind::NonFinite);
        assert_eq!(kind(&[1.0, -inf], 1, 2, false), ErrorKind::NonFinite);
        assert_eq!(kind(&[1.0, inf], 1, 2, true), ErrorKind::NonFinite);
        assert_eq!(kind(&[], 0, 3, false), ErrorKind::InvalidInput);
        assert_eq!(kind(&[1.0, 2.0, 3.0], 2, 2, false), ErrorKind::ShapeMismatch);
    }
}
