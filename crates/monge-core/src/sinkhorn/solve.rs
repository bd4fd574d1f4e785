//! The Sinkhorn loop: iterate (with the epsilon schedule), then measure what is returned.
//!
//! One loop serves balanced and unbalanced problems. With KL-relaxed marginals of strength `ρ`,
//! each update is the balanced one scaled by `λ = ρ / (ρ + ε)` (Chizat et al. 2018), and the
//! marginal the plan must meet is `a_i exp(−f_i / ρ)` instead of `a_i`; `ρ = ∞` gives `λ = 1`.

use super::cost::CostSource;
use super::passes::Pass;
use super::{schedule, Real, Sinkhorn, SinkhornOptions, ITERATIONS_PER_STAGE};
#[cfg(test)]
use {super::threads_for, crate::error::Result, crate::input::dense_output, crate::simd::Level};

/// A solve's result, with the potentials still in `f64` for callers that go on computing.
pub(super) struct Solved<T> {
    pub result: Sinkhorn<T>,
    pub f: Vec<f64>,
    pub g: Vec<f64>,
}

/// The epsilon schedule of a solve, and where the iterations stand in it: the annealing stages
/// of [`ITERATIONS_PER_STAGE`] iterations each (with `eps_scaling`), then `reg` until
/// `max_iter` iterations in all. Written once for every Sinkhorn loop.
#[derive(Clone, Debug)]
pub(super) struct Schedule {
    stages: Vec<f64>,
    stage: usize,
    in_stage: usize,
    pub iterations: usize,
    max_iter: usize,
}

impl Schedule {
    pub fn new(options: &SinkhornOptions, scale: f64) -> Self {
        let stages = schedule(options.reg, scale, options.eps_scaling);
        Schedule { stages, stage: 0, in_stage: 0, iterations: 0, max_iter: options.max_iter }
    }

    /// The epsilon of the next iteration.
    pub fn eps(&self) -> f64 {
        self.stages[self.stage]
    }

    /// Whether the next iteration runs at the final epsilon (`reg`).
    pub fn last(&self) -> bool {
        self.stage + 1 == self.stages.len()
    }

    /// Counts an iteration; returns `true` once `max_iter` iterations have run.
    pub fn next(&mut self) -> bool {
        self.iterations += 1;
        self.in_stage += 1;
        if !self.last() && self.in_stage == ITERATIONS_PER_STAGE {
            self.stage += 1;
            self.in_stage = 0;
        }
        self.iterations >= self.max_iter
    }
}

/// The iterations of one balanced (`rho = None`) or unbalanced Sinkhorn solve, one at a time.
#[derive(Clone, Debug)]
pub(super) struct Iterate {
    pub f: Vec<f64>,
    pub g: Vec<f64>,
    pub schedule: Schedule,
    pub converged: bool,
    /// The marginal error measured by the last iteration (when `tol > 0`).
    pub error: Option<f64>,
    done: bool,
    tol: f64,
    rho: Option<f64>,
}

impl Iterate {
    pub fn new(n: usize, m: usize, options: &SinkhornOptions, scale: f64, rho: Option<f64>) -> Self {
        Iterate {
            f: vec![0.0; n],
            g: vec![0.0; m],
            schedule: Schedule::new(options, scale),
            converged: false,
            error: None,
            done: false,
            tol: options.tol,
            rho,
        }
    }

    /// Whether the iterations are over (converged or out of iterations).
    pub fn done(&self) -> bool {
        self.done
    }

    /// One iteration (both potentials); returns [`Iterate::done`].
    pub fn step<T: Real, S: CostSource<T>>(&mut self, pass: &Pass<'_, T, S>, b: &[f64]) -> bool {
        if self.done {
            return true;
        }
        let (eps, last) = (self.schedule.eps(), self.schedule.last());
        let lambda = self.rho.map_or(1.0, |rho| rho / (rho + eps));
        let (rows, columns) = pass.sweep(&self.f, &self.g, b, eps, lambda);
        self.f.iter_mut().zip(&rows).for_each(|(fi, &l)| *fi = -lambda * eps * l);
        let columns = columns.unwrap_or_else(|| pass.columns(&self.f, &self.g, eps, false).0);
        let out_of_iterations = self.schedule.next();
        // (f, g) meets its row condition now; its column error is free from the sums just
        // made. tol = 0 never stops early, even on an exact solution: benchmarks count on it.
        if last && self.tol > 0.0 {
            let mass = masses(b, &self.g, &columns, eps);
            let error = l1(&mass, &targets(b, &self.g, self.rho));
            self.error = Some(error);
            if error <= self.tol {
                self.converged = true;
                self.done = true;
                return true;
            }
        }
        self.g.iter_mut().zip(&columns).for_each(|(gj, &l)| *gj = -lambda * eps * l);
        self.done = out_of_iterations;
        self.done
    }
}

/// Runs a whole solve: the iterations, then [`measure`] (the tests' way in).
#[cfg(test)]
pub(super) fn solve<T: Real, S: CostSource<T>>(
    src: &S,
    a: &[f64],
    b: &[f64],
    options: &SinkhornOptions,
    scale: f64,
    level: Level,
    rho: Option<f64>,
) -> Result<Solved<T>> {
    let (n, m) = (src.rows(), src.cols());
    let mut plan = if options.return_plan { Some(dense_output::<T>("plan", n, m)?) } else { None };
    let (log_a, log_b) = (logs(a), logs(b));
    let pass = Pass::new(src, level, threads_for(n, m, options.threads), &log_a, &log_b);
    let mut it = Iterate::new(n, m, options, scale, rho);
    while !it.step(&pass, b) {}
    Ok(measure(&pass, it, a, b, options.reg, plan.as_mut().map(|p| &mut p[..])).with_plan(plan))
}

/// `log w` for every weight (−∞ for zero weights).
pub(super) fn logs(w: &[f64]) -> Vec<f64> {
    w.iter().map(|&w| libm::log(w)).collect()
}

impl<T> Solved<T> {
    pub fn with_plan(mut self, plan: Option<Vec<T>>) -> Self {
        self.result.plan = plan;
        self
    }
}

/// What a solve returns, measured on the final potentials: the c-transform for zero-weight
/// columns, both marginals, the cost and objective of the plan, and the plan itself into
/// `plan` when given.
pub(super) fn measure<T: Real, S: CostSource<T>>(
    pass: &Pass<'_, T, S>,
    it: Iterate,
    a: &[f64],
    b: &[f64],
    reg: f64,
    plan: Option<&mut [T]>,
) -> Solved<T> {
    let Iterate { f, mut g, schedule, converged, tol, rho, .. } = it;
    // Sweeps leave the potentials of zero-weight columns alone (nothing depends on them): give
    // them their value, the c-transform of the final f.
    if b.contains(&0.0) {
        let lambda = rho.map_or(1.0, |rho| rho / (rho + reg));
        let (lse, _) = pass.columns(&f, &g, reg, false);
        for ((gj, &l), _) in g.iter_mut().zip(&lse).zip(b).filter(|(_, &w)| w == 0.0) {
            *gj = -lambda * reg * l;
        }
    }

    // Measure what is returned: both marginals and the cost of the plan of (f, g).
    let (col_lse, cost) = pass.columns(&f, &g, reg, true);
    let row_lse = pass.rows(&f, &g, reg);
    let row_mass = masses(a, &f, &row_lse, reg);
    let col_mass = masses(b, &g, &col_lse, reg);
    let marginal_error = l1(&row_mass, &targets(a, &f, rho)) + l1(&col_mass, &targets(b, &g, rho));
    let dot = |p: &[f64], mass: &[f64]| p.iter().zip(mass).map(|(&p, &w)| p * w).sum::<f64>();
    let total: f64 = col_mass.iter().sum();
    let product = a.iter().sum::<f64>() * b.iter().sum::<f64>();
    // <P, M> + ε KL(P | a⊗b), from log P_ij = log a_i b_j + (f_i + g_j − M_ij) / ε.
    let mut objective = dot(&f, &row_mass) + dot(&g, &col_mass) - reg * total + reg * product;
    if let Some(rho) = rho {
        objective += rho * (kl(&row_mass, a) + kl(&col_mass, b));
    }
    if let Some(out) = plan {
        pass.plan(&f, &g, reg, out);
    }
    let result = Sinkhorn {
        f: f.iter().map(|&v| T::from_f64(v)).collect(),
        g: g.iter().map(|&v| T::from_f64(v)).collect(),
        cost,
        objective,
        plan: None,
        iterations: schedule.iterations,
        marginal_error,
        converged: converged || marginal_error <= tol,
    };
    Solved { result, f, g }
}

/// The masses `w_k exp(p_k / ε + lse_k)` of the plan's marginal, from a pass's log-sum-exps.
pub(super) fn masses(weights: &[f64], potential: &[f64], lse: &[f64], eps: f64) -> Vec<f64> {
    weights.iter().zip(potential).zip(lse).map(|((&w, &p), &l)| w * libm::exp(p / eps + l)).collect()
}

pub(super) fn l1(x: &[f64], y: &[f64]) -> f64 {
    x.iter().zip(y).map(|(a, b)| (a - b).abs()).sum()
}

/// The marginal a plan must meet: the weights, or `w_k exp(−p_k / ρ)` with relaxed marginals.
fn targets(weights: &[f64], potential: &[f64], rho: Option<f64>) -> Vec<f64> {
    match rho {
        None => weights.to_vec(),
        Some(rho) => weights.iter().zip(potential).map(|(&w, &p)| w * libm::exp(-p / rho)).collect(),
    }
}

/// The generalized Kullback–Leibler divergence `Σ p log(p / q) − p + q`.
fn kl(p: &[f64], q: &[f64]) -> f64 {
    p.iter().zip(q).map(|(&p, &q)| if p > 0.0 { p * libm::log(p / q) - p + q } else { q }).sum()
}
