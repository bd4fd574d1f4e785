//! The Sinkhorn loop: iterate (with the epsilon schedule), then measure what is returned.
//!
//! One loop serves balanced and unbalanced problems. With KL-relaxed marginals of strength `ρ`,
//! each update is the balanced one scaled by `λ = ρ / (ρ + ε)` (Chizat et al. 2018), and the
//! marginal the plan must meet is `a_i exp(−f_i / ρ)` instead of `a_i`; `ρ = ∞` gives `λ = 1`.

use super::cost::CostSource;
use super::passes::Pass;
use super::{schedule, threads_for, Real, Sinkhorn, SinkhornOptions, ITERATIONS_PER_STAGE};
use crate::error::Result;
use crate::input::dense_output;
use crate::simd::Level;

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
    rho: Option<f64>,
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
        let lambda = rho.map_or(1.0, |rho| rho / (rho + eps));
        for _ in 0..limit {
            let (rows, columns) = pass.sweep(&f, &g, eps, lambda);
            f.iter_mut().zip(&rows).for_each(|(fi, &l)| *fi = -lambda * eps * l);
            let columns = columns.unwrap_or_else(|| pass.columns(&f, &g, eps, false).0);
            iterations += 1;
            // (f, g) meets its row condition now; its column error is free from the sums just
            // made. tol = 0 never stops early, even on an exact solution: benchmarks count on it.
            if last && options.tol > 0.0 {
                let mass = masses(b, &g, &columns, eps);
                if l1(&mass, &targets(b, &g, rho)) <= options.tol {
                    converged = true;
                    break;
                }
            }
            g.iter_mut().zip(&columns).for_each(|(gj, &l)| *gj = -lambda * eps * l);
        }
    }

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
