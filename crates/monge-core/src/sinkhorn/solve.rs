//! The balanced Sinkhorn loop: iterate (with the epsilon schedule), then measure what is
//! returned.

use super::cost::CostSource;
use super::dispatch::Level;
use super::passes::Pass;
use super::{schedule, threads_for, Real, Sinkhorn, SinkhornOptions, ITERATIONS_PER_STAGE};
use crate::error::Result;
use crate::input::dense_output;

/// A solve's result, with the potentials still in `f64` for callers that go on computing.
pub(super) struct Solved<T> {
    pub result: Sinkhorn<T>,
    pub f: Vec<f64>,
    pub g: Vec<f64>,
}

pub(super) fn solve<T: Real, S: CostSource<T>>(
    src: &S,
    a: &[f64],
    b: &[f64],
    options: &SinkhornOptions,
    scale: f64,
    level: Level,
) -> Result<Solved<T>> {
    let (n, m) = (src.rows(), src.cols());
    let mut plan = if options.return_plan { Some(dense_output::<T>("plan", n, m)?) } else { None };
    let threads = threads_for(n, m, options.threads);
    let log_a: Vec<f64> = a.iter().map(|&w| libm::log(w)).collect();
    let log_b: Vec<f64> = b.iter().map(|&w| libm::log(w)).collect();
    let pass = Pass { src, level, threads, log_a: &log_a, log_b: &log_b, precision: Default::default() };

    let reg = options.reg;
    let mut f = vec![0.0; n];
    let mut g = vec![0.0; m];
    let mut iterations = 0;
    let mut converged = false;
    let stages = schedule(reg, scale, options.eps_scaling);
    for (stage, &eps) in stages.iter().enumerate() {
        let last = stage + 1 == stages.len();
        let budget = options.max_iter - iterations;
        let limit = if last { budget } else { ITERATIONS_PER_STAGE.min(budget) };
        for _ in 0..limit {
            let (rows, columns) = pass.sweep(&f, &g, eps);
            f.iter_mut().zip(&rows).for_each(|(fi, &l)| *fi = -eps * l);
            let columns = columns.unwrap_or_else(|| pass.columns(&f, &g, eps, false).0);
            iterations += 1;
            // (f, g) has exact rows now; its column error is free from the sums just made.
            // tol = 0 never stops early, even on an exact solution: benchmarks count on it.
            if last && options.tol > 0.0 && marginal_gap(b, &g, &columns, eps) <= options.tol {
                converged = true;
                break;
            }
            g.iter_mut().zip(&columns).for_each(|(gj, &l)| *gj = -eps * l);
        }
    }

    // Measure what is returned: both marginals and the cost of the plan of (f, g).
    let (col_lse, cost) = pass.columns(&f, &g, reg, true);
    let row_lse = pass.rows(&f, &g, reg);
    let row_mass = masses(a, &f, &row_lse, reg);
    let col_mass = masses(b, &g, &col_lse, reg);
    let marginal_error = l1(&row_mass, a) + l1(&col_mass, b);
    let dot = |p: &[f64], mass: &[f64]| p.iter().zip(mass).map(|(&p, &w)| p * w).sum::<f64>();
    let total: f64 = col_mass.iter().sum();
    let objective = dot(&f, &row_mass) + dot(&g, &col_mass) - reg * (total - 1.0);
    converged = converged || marginal_error <= options.tol;
    if let Some(out) = plan.as_mut() {
        pass.plan(&f, &g, reg, out);
    }
    let result = Sinkhorn {
        f: f.iter().map(|&v| T::from_f64(v)).collect(),
        g: g.iter().map(|&v| T::from_f64(v)).collect(),
        cost,
        objective,
        plan,
        iterations,
        marginal_error,
        converged,
    };
    Ok(Solved { result, f, g })
}

/// The masses `w_k exp(p_k / ε + lse_k)` of the plan's marginal, from a pass's log-sum-exps.
pub(super) fn masses(weights: &[f64], potential: &[f64], lse: &[f64], eps: f64) -> Vec<f64> {
    weights.iter().zip(potential).zip(lse).map(|((&w, &p), &l)| w * libm::exp(p / eps + l)).collect()
}

pub(super) fn l1(x: &[f64], y: &[f64]) -> f64 {
    x.iter().zip(y).map(|(a, b)| (a - b).abs()).sum()
}

/// `Σ_k |w_k exp(p_k / ε + lse_k) − w_k|`: the L1 error of one marginal.
fn marginal_gap(weights: &[f64], potential: &[f64], lse: &[f64], eps: f64) -> f64 {
    l1(&masses(weights, potential, lse, eps), weights)
}
