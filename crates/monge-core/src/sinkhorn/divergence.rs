//! The debiased Sinkhorn divergence between two point clouds, and its gradients.
//!
//! `S(α, β) = OT_ε(α, β) − ½ OT_ε(α, α) − ½ OT_ε(β, β)` with `OT_ε` the regularized objective
//! `⟨P, M⟩ + ε KL(P | a⊗b)` (Feydy et al., AISTATS 2019). It is non-negative, zero when the two
//! measures are equal, and smooth. The self terms are solved by the symmetric iteration
//! `p ← ½ (p + T(p))`, which converges in a few steps.
//!
//! Gradients come from the potentials at convergence (the envelope theorem), not from unrolled
//! iterations: with `f, g` the potentials of `OT_ε(α, β)` and `p` those of `OT_ε(α, α)`,
//! `∂S/∂a = f − p` (up to a constant: `a` lives on the simplex) and
//! `∂S/∂x_i = Σ_j P_ij ∇₁c(x_i, y_j) − Σ_k Q_ik ∇₁c(x_i, x_k)` with `P`, `Q` the two plans.

use super::cost::{Cloud, CostSource};
use super::dispatch;
use super::passes::Pass;
use super::solve::{l1, masses, solve};
use super::{check_options, diameter, schedule, threads_for, Real, SinkhornOptions, ITERATIONS_PER_STAGE};
use crate::dist::Metric;
use crate::error::Result;
use crate::input::{check_pair, normalized_weights, Points};
use crate::parallel::for_each_row;
use crate::simd::Level;

/// Options of [`sinkhorn_divergence`].
#[derive(Clone, Debug, PartialEq)]
pub struct DivergenceOptions {
    /// The iteration options of the three solves (`return_plan` is ignored).
    pub sinkhorn: SinkhornOptions,
    /// The ground cost between points.
    pub metric: Metric,
    /// Also compute `grad_x` and `grad_a`.
    pub gradient: bool,
}

/// The result of [`sinkhorn_divergence`].
#[derive(Clone, Debug, PartialEq)]
pub struct Divergence {
    /// `S(α, β)`.
    pub value: f64,
    /// `∂S/∂x`, row-major `n × dim`, when asked for.
    pub grad_x: Option<Vec<f64>>,
    /// `∂S/∂a` (defined up to an additive constant), when asked for.
    pub grad_a: Option<Vec<f64>>,
    /// Iterations of the three solves together.
    pub iterations: usize,
    /// Whether all three solves met `tol`.
    pub converged: bool,
}

/// The Sinkhorn divergence between `x` (weights `a`) and `y` (weights `b`); `None` weights are
/// uniform, others are normalised to sum 1. Costs are computed on the fly in precision `T`.
///
/// Errors: as [`super::sinkhorn`] for point clouds.
pub fn sinkhorn_divergence<T: Real>(
    x: Points<'_>,
    y: Points<'_>,
    a: Option<&[f64]>,
    b: Option<&[f64]>,
    options: &DivergenceOptions,
) -> Result<Divergence> {
    let opts = SinkhornOptions { return_plan: false, ..options.sinkhorn.clone() };
    check_options(&opts)?;
    check_pair(x, y)?;
    let a = normalized_weights("a", a, x.n)?;
    let b = normalized_weights("b", b, y.n)?;
    let metric = options.metric;
    let level = Level::detect();
    let scale = diameter(x, y, metric);

    let xy = Cloud::<T>::new(x, y, metric);
    let cross = solve(&xy, &a, &b, &opts, scale, level, None)?;
    let xx = Cloud::<T>::new(x, x, metric);
    let self_x = symmetric(&xx, &a, &opts, scale, level);
    let yy = Cloud::<T>::new(y, y, metric);
    let self_y = symmetric(&yy, &b, &opts, scale, level);

    let value = cross.result.objective - 0.5 * self_x.objective - 0.5 * self_y.objective;
    let iterations = cross.result.iterations + self_x.iterations + self_y.iterations;
    let converged = cross.result.converged && self_x.converged && self_y.converged;
    let (mut grad_x, mut grad_a) = (None, None);
    if options.gradient {
        grad_a = Some(cross.f.iter().zip(&self_x.p).map(|(f, p)| f - p).collect());
        let mut grad = vec![0.0; x.n * x.dim];
        let log_a: Vec<f64> = a.iter().map(|&w| libm::log(w)).collect();
        let log_b: Vec<f64> = b.iter().map(|&w| libm::log(w)).collect();
        let reg = opts.reg;
        let pass = Pass {
            src: &xy,
            level,
            threads: threads_for(x.n, y.n, opts.threads),
            log_a: &log_a,
            log_b: &log_b,
            precision: Default::default(),
        };
        add_transport_gradient(&pass, &cross.f, &cross.g, reg, x, y, metric, 1.0, &mut grad);
        let pass = Pass {
            src: &xx,
            level,
            threads: threads_for(x.n, x.n, opts.threads),
            log_a: &log_a,
            log_b: &log_a,
            precision: Default::default(),
        };
        add_transport_gradient(&pass, &self_x.p, &self_x.p, reg, x, x, metric, -1.0, &mut grad);
        grad_x = Some(grad);
    }
    Ok(Divergence { value, grad_x, grad_a, iterations, converged })
}

/// The solution of a symmetric problem `OT_ε(α, α)`.
struct Symmetric {
    p: Vec<f64>,
    objective: f64,
    iterations: usize,
    converged: bool,
}

/// Solves `OT_ε(α, α)`, whose potentials are equal (`f = g = p`), by `p ← ½ (p + T(p))` with
/// `T` the row update: the averaging damps the oscillation of plain iterations.
fn symmetric<T: Real, S: CostSource<T>>(
    src: &S,
    a: &[f64],
    options: &SinkhornOptions,
    scale: f64,
    level: Level,
) -> Symmetric {
    let n = a.len();
    let log_a: Vec<f64> = a.iter().map(|&w| libm::log(w)).collect();
    let threads = threads_for(n, n, options.threads);
    let pass = Pass { src, level, threads, log_a: &log_a, log_b: &log_a, precision: Default::default() };
    let mut p = vec![0.0; n];
    let mut iterations = 0;
    let mut converged = false;
    let stages = schedule(options.reg, scale, options.eps_scaling);
    for (stage, &eps) in stages.iter().enumerate() {
        let last = stage + 1 == stages.len();
        let budget = options.max_iter - iterations;
        let limit = if last { budget } else { ITERATIONS_PER_STAGE.min(budget) };
        for _ in 0..limit {
            let lse = pass.rows(&p, &p, eps);
            iterations += 1;
            // Both marginals of the symmetric plan are the same: twice one error.
            let error = 2.0 * l1(&masses(a, &p, &lse, eps), a);
            if last && options.tol > 0.0 && error <= options.tol {
                converged = true;
                break;
            }
            p.iter_mut().zip(&lse).for_each(|(pi, &l)| *pi = 0.5 * (*pi - eps * l));
        }
    }
    let reg = options.reg;
    let lse = pass.rows(&p, &p, reg);
    let mass = masses(a, &p, &lse, reg);
    let error = 2.0 * l1(&mass, a);
    let total: f64 = mass.iter().sum();
    let objective = 2.0 * p.iter().zip(&mass).map(|(p, m)| p * m).sum::<f64>() - reg * (total - 1.0);
    Symmetric { p, objective, iterations, converged: converged || error <= options.tol }
}

/// Adds `sign · Σ_j P_ij ∇₁c(x_i, y_j)` to row `i` of `grad` (`n × dim`), with `P` the plan of
/// the potentials `f`, `g` over the pass's costs.
#[allow(clippy::too_many_arguments)]
fn add_transport_gradient<T: Real, S: CostSource<T>>(
    pass: &Pass<'_, T, S>,
    f: &[f64],
    g: &[f64],
    eps: f64,
    x: Points<'_>,
    y: Points<'_>,
    metric: Metric,
    sign: f64,
    grad: &mut [f64],
) {
    let inv = 1.0 / eps;
    let (h, r) = (pass.h(g, inv), pass.r(f, inv));
    let neg_inv = T::from_f64(-inv);
    let (src, level, m) = (pass.src, pass.level, y.n);
    for_each_row(
        grad,
        x.dim,
        pass.threads,
        || (vec![T::ZERO; m], vec![T::ZERO; m]),
        |i, out, (plan, scratch)| {
            dispatch::plan_row(level, src, i, &h, r[i], neg_inv, plan, scratch);
            let xi = x.row(i);
            for (j, &p) in plan.iter().enumerate() {
                let p = p.to_f64();
                if p != 0.0 {
                    add_cost_gradient(metric, xi, y.row(j), sign * p, out);
                }
            }
        },
    );
}

/// Adds `weight · ∇ₓ c(x, y)` to `out`.
fn add_cost_gradient(metric: Metric, x: &[f64], y: &[f64], weight: f64, out: &mut [f64]) {
    match metric {
        Metric::SqEuclidean => {
            for ((o, &u), &v) in out.iter_mut().zip(x).zip(y) {
                *o += weight * 2.0 * (u - v);
            }
        }
        Metric::Euclidean => {
            let d = metric.eval(x, y);
            // |x − y| is not differentiable at 0; its subgradient 0 keeps the point in place.
            if d > 0.0 {
                for ((o, &u), &v) in out.iter_mut().zip(x).zip(y) {
                    *o += weight * (u - v) / d;
                }
            }
        }
        Metric::Cityblock => {
            for ((o, &u), &v) in out.iter_mut().zip(x).zip(y) {
                *o += weight
                    * if u > v {
                        1.0
                    } else if u < v {
                        -1.0
                    } else {
                        0.0
                    };
            }
        }
        Metric::Minkowski(p) => {
            let d = metric.eval(x, y);
            if d > 0.0 {
                for ((o, &u), &v) in out.iter_mut().zip(x).zip(y) {
                    let t = u - v;
                    *o += weight * t.signum() * libm::pow(t.abs() / d, p - 1.0);
                }
            }
        }
    }
}
