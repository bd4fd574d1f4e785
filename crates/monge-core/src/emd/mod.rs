//! Exact optimal transport between discrete measures (the earth mover's distance).
//!
//! Kantorovich's linear program
//!
//! ```text
//! min_P ⟨P, M⟩  subject to  P 1 = a,  Pᵀ 1 = b,  P ≥ 0
//! ```
//!
//! solved by the primal network simplex ([`network_simplex`]). The optimal plan is a vertex of
//! the transport polytope: a forest with at most `n + m − 1` positive entries, returned sparse.
//! The dual potentials `u`, `v` satisfy `u_i + v_j ≤ M_ij` everywhere with equality on the
//! plan's support, and `a·u + b·v` equals the cost: together they certify optimality, and the
//! result reports the gap. Bins of zero weight are left out of the solve (as POT does) and get
//! the largest potentials that keep the dual feasible.
//!
//! Reference: Bonneel, van de Panne, Paris & Heidrich, *Displacement interpolation using
//! Lagrangian mass transport*, ACM TOG 2011 (the network simplex behind POT's `ot.emd`).

mod network_simplex;
mod pricing;

use crate::compensated::{accurate_sum, Sum};
use crate::control::{drive, Progress, Resumable, Unstoppable};
use crate::error::{Detail, Error, ErrorKind, Result};
use crate::input::{check_finite, check_weight_values};
use crate::one_d::SparsePlan;
use network_simplex::NetworkSimplex;

/// Options of [`emd`].
#[derive(Clone, Copy, Debug)]
pub struct EmdOptions {
    /// The most simplex pivots before giving up with [`EmdStatus::MaxIterReached`].
    /// Default 100 000 (POT's `numItermax`).
    pub max_iter: usize,
}

impl Default for EmdOptions {
    fn default() -> Self {
        EmdOptions { max_iter: 100_000 }
    }
}

/// How [`emd`] ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum EmdStatus {
    /// The plan is optimal.
    Optimal,
    /// `max_iter` pivots were made first: the plan may be suboptimal, and incomplete if the
    /// solve stopped before all mass found a real arc (its marginals then fall short).
    MaxIterReached,
}

impl EmdStatus {
    /// The status as the JavaScript API spells it: `"optimal"` or `"maxIterReached"`.
    pub fn name(self) -> &'static str {
        match self {
            EmdStatus::Optimal => "optimal",
            EmdStatus::MaxIterReached => "maxIterReached",
        }
    }
}

/// The result of [`emd`].
#[derive(Clone, Debug)]
pub struct Emd {
    /// The transport cost `⟨P, M⟩`.
    pub cost: f64,
    /// The plan's positive entries.
    pub plan: SparsePlan,
    /// Potentials of the sources, centred as POT does (`a·u = b·v` after centring).
    pub u: Vec<f64>,
    /// Potentials of the sinks.
    pub v: Vec<f64>,
    /// `|a·u + b·v − cost|`: zero up to rounding when optimal.
    pub dual_gap: f64,
    /// Simplex pivots made.
    pub iterations: usize,
    /// Whether the plan is optimal.
    pub status: EmdStatus,
}

/// Relative tolerance on the two total masses before `b` is rescaled to `a`'s.
pub const MASS_TOLERANCE: f64 = 1e-6;

/// Solves the transport problem between weights `a` (`n`) and `b` (`m`) with the row-major
/// `n × m` cost matrix `cost` (POT's `ot.emd`).
///
/// Errors: empty weights, a matrix of the wrong size ([`ErrorKind::ShapeMismatch`]), NaN or
/// infinite weights or costs ([`ErrorKind::NonFinite`]), negative weights, zero total mass, and
/// totals that differ by more than [`MASS_TOLERANCE`] relative ([`ErrorKind::MassMismatch`];
/// within it, `b` is rescaled to `a`'s total).
///
/// ```
/// use monge_core::{emd, EmdOptions};
/// // Two sources, two sinks: moving straight across costs 0 + 0.
/// let r = emd(&[0.5, 0.5], &[0.5, 0.5], &[0.0, 1.0, 1.0, 0.0], EmdOptions::default()).unwrap();
/// assert_eq!(r.cost, 0.0);
/// assert_eq!(r.plan.values, vec![0.5, 0.5]);
/// ```
pub fn emd(a: &[f64], b: &[f64], cost: &[f64], options: EmdOptions) -> Result<Emd> {
    let problem = EmdProblem { a, b, cost };
    drive(EmdSolver::new(&problem, options)?, &problem, &Unstoppable)
}

/// The input of an [`EmdSolver`]: both weight vectors and the row-major `n × m` costs.
#[derive(Clone, Copy, Debug)]
pub struct EmdProblem<'a> {
    /// Source weights (`n`).
    pub a: &'a [f64],
    /// Target weights (`m`).
    pub b: &'a [f64],
    /// Costs, row-major `n × m`.
    pub cost: &'a [f64],
}

/// An [`emd`] solve in progress (a [`Resumable`](crate::Resumable)): one unit is one simplex pivot.
pub struct EmdSolver {
    /// `b` rescaled to `a`'s mass.
    b: Vec<f64>,
    /// The bins of positive weight, which the simplex solves on.
    rows: Vec<usize>,
    cols: Vec<usize>,
    /// The costs between those bins, when some bins have zero weight.
    reduced_cost: Option<Vec<f64>>,
    simplex: NetworkSimplex,
    iterations: usize,
    max_iter: usize,
    status: Option<EmdStatus>,
}

impl EmdSolver {
    /// Checks the problem and builds the initial tree. Errors: as [`emd`].
    pub fn new(problem: &EmdProblem<'_>, options: EmdOptions) -> Result<Self> {
        let EmdProblem { a, b, cost } = *problem;
        let (n, m) = (a.len(), b.len());
        let b = check_inputs(a, b, cost)?;
        // Solve on the bins of positive weight only.
        let rows: Vec<usize> = (0..n).filter(|&i| a[i] > 0.0).collect();
        let cols: Vec<usize> = (0..m).filter(|&j| b[j] > 0.0).collect();
        let reduced_cost: Option<Vec<f64>> = (rows.len() < n || cols.len() < m)
            .then(|| rows.iter().flat_map(|&i| cols.iter().map(move |&j| cost[i * m + j])).collect());
        let ra: Vec<f64> = rows.iter().map(|&i| a[i]).collect();
        let rb: Vec<f64> = cols.iter().map(|&j| b[j]).collect();
        let simplex = NetworkSimplex::new(reduced_cost.as_deref().unwrap_or(cost), &ra, &rb);
        Ok(EmdSolver {
            b,
            rows,
            cols,
            reduced_cost,
            simplex,
            iterations: 0,
            max_iter: options.max_iter,
            status: None,
        })
    }
}

impl Resumable for EmdSolver {
    type Problem<'p> = EmdProblem<'p>;
    type Output = Emd;

    fn advance(&mut self, problem: &EmdProblem<'_>, budget: usize) -> Result<bool> {
        check_same_shape(problem, &self.b)?;
        let cost = self.reduced_cost.as_deref().unwrap_or(problem.cost);
        for _ in 0..budget.max(1) {
            if self.status.is_some() {
                break;
            }
            if !self.simplex.has_entering_arc(cost) {
                self.status = Some(EmdStatus::Optimal);
            } else if self.iterations == self.max_iter {
                self.status = Some(EmdStatus::MaxIterReached);
            } else {
                self.iterations += 1;
                self.simplex.pivot_found(cost);
            }
        }
        Ok(self.status.is_some())
    }

    fn progress(&self) -> Progress {
        Progress { iteration: self.iterations, error: None }
    }

    fn finish(self, problem: &EmdProblem<'_>) -> Result<Emd> {
        check_same_shape(problem, &self.b)?;
        let EmdProblem { a, cost, .. } = *problem;
        let (n, m) = (a.len(), self.b.len());
        let (rows, cols) = (&self.rows, &self.cols);
        let mut plan = SparsePlan { rows: Vec::new(), cols: Vec::new(), values: Vec::new(), shape: (n, m) };
        let mut total = Sum::default();
        for (i, j, flow) in self.simplex.flows() {
            let (i, j) = (rows[i], cols[j]);
            plan.rows.push(i as u32);
            plan.cols.push(j as u32);
            plan.values.push(flow);
            total.add(flow * cost[i * m + j]);
        }
        let (ru, rv) = self.simplex.duals();
        let (u, v) = full_duals(cost, n, m, rows, cols, &ru, &rv);
        let (u, v) = center(u, v, a, &self.b);
        let mut dual = Sum::default();
        a.iter().zip(&u).for_each(|(x, y)| dual.add(x * y));
        self.b.iter().zip(&v).for_each(|(x, y)| dual.add(x * y));
        let cost_value = total.value();
        Ok(Emd {
            cost: cost_value,
            dual_gap: (dual.value() - cost_value).abs(),
            plan,
            u,
            v,
            iterations: self.iterations,
            // Finished early, the solve is where max_iter would have stopped it.
            status: self.status.unwrap_or(EmdStatus::MaxIterReached),
        })
    }
}

/// A resumed solve must be handed the problem it started with (its shape is what can be
/// checked cheaply).
fn check_same_shape(problem: &EmdProblem<'_>, b: &[f64]) -> Result<()> {
    if problem.b.len() != b.len() || problem.cost.len() != problem.a.len() * b.len() {
        return Err(Error::about(
            ErrorKind::InvalidInput,
            "M",
            "a resumed solve must be given the problem it started with",
        ));
    }
    Ok(())
}

/// Validates the inputs and returns `b` rescaled to `a`'s total mass.
fn check_inputs(a: &[f64], b: &[f64], cost: &[f64]) -> Result<Vec<f64>> {
    for (name, w) in [("a", a), ("b", b)] {
        if w.is_empty() {
            return Err(Error::about(
                ErrorKind::InvalidInput,
                name,
                format!("{name} is empty: give at least one weight"),
            ));
        }
        check_weight_values(name, w)?;
    }
    let (n, m) = (a.len(), b.len());
    if n.checked_mul(m) != Some(cost.len()) {
        return Err(Error::about(
            ErrorKind::ShapeMismatch,
            "M",
            format!("M has {} values, but a and b need {n} x {m}", cost.len()),
        )
        .with("expected", Detail::Shape(vec![n, m]))
        .with("actual", Detail::Count(cost.len())));
    }
    if n.max(m) > u32::MAX as usize {
        return Err(Error::about(ErrorKind::TooLarge, "M", "more than 2^32 bins on one side"));
    }
    check_finite("M", cost)?;
    let (sa, sb) = (accurate_sum(a), accurate_sum(b));
    if !(sa > 0.0 && sb > 0.0) {
        let name = if sa > 0.0 { "b" } else { "a" };
        return Err(Error::about(
            ErrorKind::InvalidInput,
            name,
            format!("{name} has zero total mass: at least one weight must be positive"),
        ));
    }
    if (sa - sb).abs() > MASS_TOLERANCE * sa.max(sb) {
        return Err(Error::new(
            ErrorKind::MassMismatch,
            format!(
                "a and b have total masses {sa} and {sb}: they must agree to {MASS_TOLERANCE} relative (normalise both, e.g. to 1)"
            ),
        )
        .with("a", Detail::Number(sa))
        .with("b", Detail::Number(sb)));
    }
    Ok(if sa == sb { b.to_vec() } else { b.iter().map(|&x| x * (sa / sb)).collect() })
}

/// Potentials for all bins from those of the positive-weight bins: a zero-weight source gets
/// `u_i = min_j (M_ij − v_j)`, then a zero-weight sink `v_j = min_i (M_ij − u_i)`: the largest
/// values that keep `u_i + v_j ≤ M_ij` (POT's `estimate_dual_null_weights`).
fn full_duals(
    cost: &[f64],
    n: usize,
    m: usize,
    rows: &[usize],
    cols: &[usize],
    ru: &[f64],
    rv: &[f64],
) -> (Vec<f64>, Vec<f64>) {
    let mut u = vec![f64::NAN; n];
    let mut v = vec![f64::NAN; m];
    rows.iter().zip(ru).for_each(|(&i, &x)| u[i] = x);
    cols.iter().zip(rv).for_each(|(&j, &x)| v[j] = x);
    for i in 0..n {
        if u[i].is_nan() {
            u[i] = cols.iter().map(|&j| cost[i * m + j] - v[j]).fold(f64::INFINITY, f64::min);
        }
    }
    for j in 0..m {
        if v[j].is_nan() {
            v[j] = (0..n).map(|i| cost[i * m + j] - u[i]).fold(f64::INFINITY, f64::min);
        }
    }
    (u, v)
}

/// Shifts `(u, v)` to `(u + c, v − c)` with `a·u = b·v` (POT's `center_ot_dual`).
fn center(mut u: Vec<f64>, mut v: Vec<f64>, a: &[f64], b: &[f64]) -> (Vec<f64>, Vec<f64>) {
    let dot = |w: &[f64], x: &[f64]| {
        let mut s = Sum::default();
        w.iter().zip(x).for_each(|(p, q)| s.add(p * q));
        s.value()
    };
    let c = (dot(b, &v) - dot(a, &u)) / (accurate_sum(a) + accurate_sum(b));
    u.iter_mut().for_each(|x| *x += c);
    v.iter_mut().for_each(|x| *x -= c);
    (u, v)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lcg(state: &mut u64) -> f64 {
        *state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (*state >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Checks a result by its certificates: marginals, dual feasibility, complementary
    /// slackness, gap.
    fn certify(a: &[f64], b: &[f64], cost: &[f64], r: &Emd) {
        let (n, m) = (a.len(), b.len());
        let scale = cost.iter().fold(0.0f64, |acc, c| acc.max(c.abs())).max(1e-300);
        let mut rows = vec![0.0; n];
        let mut cols = vec![0.0; m];
        for k in 0..r.plan.values.len() {
            let (i, j, x) = (r.plan.rows[k] as usize, r.plan.cols[k] as usize, r.plan.values[k]);
            rows[i] += x;
            cols[j] += x;
            assert!((r.u[i] + r.v[j] - cost[i * m + j]).abs() <= 1e-9 * scale, "slack on support");
        }
        let sb: f64 = b.iter().sum();
        let sa: f64 = a.iter().sum();
        for i in 0..n {
            assert!((rows[i] - a[i]).abs() <= 1e-12, "row {i}: {} vs {}", rows[i], a[i]);
        }
        for j in 0..m {
            assert!((cols[j] - b[j] * sa / sb).abs() <= 1e-12, "col {j}");
        }
        for i in 0..n {
            for j in 0..m {
                assert!(r.u[i] + r.v[j] <= cost[i * m + j] + 1e-9 * scale, "dual infeasible at {i},{j}");
            }
        }
        assert!(r.plan.values.len() < n + m);
        assert!(r.dual_gap <= 1e-9 * r.cost.abs().max(scale * 1e-3));
        assert_eq!(r.status, EmdStatus::Optimal);
    }

    #[test]
    fn random_problems_are_certified_optimal() {
        let mut state = 3u64;
        for &(n, m) in &[(1, 1), (1, 5), (5, 1), (2, 2), (3, 7), (8, 8), (20, 13), (40, 60), (100, 100)] {
            for kind in 0..3 {
                let mut w = |k: usize, zeros: bool| -> Vec<f64> {
                    let v: Vec<f64> = (0..k)
                        .map(|_| if zeros && lcg(&mut state) < 0.2 { 0.0 } else { lcg(&mut state) + 0.01 })
                        .collect();
                    let s: f64 = v.iter().sum();
                    if s == 0.0 {
                        vec![1.0 / k as f64; k]
                    } else {
                        v.iter().map(|x| x / s).collect()
                    }
                };
                let a = w(n, kind == 2);
                let b = w(m, kind == 2);
                let cost: Vec<f64> = (0..n * m)
                    .map(|_| if kind == 1 { (lcg(&mut state) * 4.0).floor() } else { lcg(&mut state) })
                    .collect();
                let r = emd(&a, &b, &cost, EmdOptions::default()).unwrap();
                certify(&a, &b, &cost, &r);
            }
        }
    }

    #[test]
    fn assignment_special_case_matches_the_assignment_solver() {
        let mut state = 5u64;
        for n in [2usize, 7, 30] {
            let cost: Vec<f64> = (0..n * n).map(|_| lcg(&mut state)).collect();
            let w = vec![1.0 / n as f64; n];
            let r = emd(&w, &w, &cost, EmdOptions::default()).unwrap();
            let lsa = crate::linear_sum_assignment(&cost, n, n, Default::default()).unwrap();
            assert!((r.cost - lsa.cost / n as f64).abs() < 1e-12);
        }
    }

    #[test]
    fn rejects_bad_input_and_rescales_b() {
        let c = [0.0, 1.0, 1.0, 0.0];
        let kind = |a: &[f64], b: &[f64], c: &[f64]| emd(a, b, c, EmdOptions::default()).unwrap_err().kind();
        assert_eq!(kind(&[0.5, 0.5], &[0.6, 0.6], &c), ErrorKind::MassMismatch);
        assert_eq!(kind(&[0.5, -0.5], &[0.5, 0.5], &c), ErrorKind::NegativeWeight);
        assert_eq!(kind(&[0.5, 0.5], &[0.5, 0.5], &[0.0, 1.0, f64::NAN, 0.0]), ErrorKind::NonFinite);
        assert_eq!(kind(&[0.5, 0.5], &[0.5, 0.5], &[0.0, 1.0, 0.0]), ErrorKind::ShapeMismatch);
        assert_eq!(kind(&[], &[1.0], &[]), ErrorKind::InvalidInput);
        assert_eq!(kind(&[0.0, 0.0], &[0.0, 0.0], &c), ErrorKind::InvalidInput);
        let r = emd(&[0.5, 0.5], &[0.5, 0.5 + 1e-9], &c, EmdOptions::default()).unwrap();
        assert_eq!(r.status, EmdStatus::Optimal);
        let few = emd(&[0.25; 4], &[0.25; 4], &[1.0; 16], EmdOptions { max_iter: 0 }).unwrap();
        assert_eq!(few.status, EmdStatus::MaxIterReached);
    }
}
