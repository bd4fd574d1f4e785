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
use super::solve::{l1, logs, masses, measure, Iterate, Schedule};
use super::{check_options, diameter, threads_for, Real, SinkhornOptions};
use crate::control::{drive, Progress, Resumable, Unstoppable};
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
    drive(DivergenceSolver::<T>::new(x, y, a, b, options)?, &(x, y), &Unstoppable)
}

/// Where a divergence solve stands: its three solves run one after the other.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    Cross,
    SelfX,
    SelfY,
    Done,
}

/// A Sinkhorn divergence solve in progress (a [`Resumable`](crate::Resumable)): the cross problem, then
/// the two symmetric ones; one unit is one iteration of the solve under way. Made by
/// [`DivergenceSolver::new`]; advanced and finished with the same two clouds `(x, y)`.
pub struct DivergenceSolver<T: Real> {
    a: Vec<f64>,
    b: Vec<f64>,
    log_a: Vec<f64>,
    log_b: Vec<f64>,
    xy: Cloud<T>,
    xx: Cloud<T>,
    yy: Cloud<T>,
    options: SinkhornOptions,
    metric: Metric,
    gradient: bool,
    level: Level,
    cross: Iterate,
    self_x: Symmetric,
    self_y: Symmetric,
    phase: Phase,
}

impl<T: Real> DivergenceSolver<T> {
    /// Checks the inputs and starts. Errors: as [`sinkhorn_divergence`].
    pub fn new(
        x: Points<'_>,
        y: Points<'_>,
        a: Option<&[f64]>,
        b: Option<&[f64]>,
        options: &DivergenceOptions,
    ) -> Result<Self> {
        let opts = SinkhornOptions { return_plan: false, ..options.sinkhorn.clone() };
        check_options(&opts)?;
        check_pair(x, y)?;
        let a = normalized_weights("a", a, x.n)?;
        let b = normalized_weights("b", b, y.n)?;
        let metric = options.metric;
        let scale = diameter(x, y, metric);
        Ok(DivergenceSolver {
            log_a: logs(&a),
            log_b: logs(&b),
            cross: Iterate::new(x.n, y.n, &opts, scale, None),
            self_x: Symmetric::new(x.n, &opts, scale),
            self_y: Symmetric::new(y.n, &opts, scale),
            a,
            b,
            xy: Cloud::new(x, y, metric),
            xx: Cloud::new(x, x, metric),
            yy: Cloud::new(y, y, metric),
            options: opts,
            metric,
            gradient: options.gradient,
            level: Level::detect(),
            phase: Phase::Cross,
        })
    }

    fn pass<'p>(&'p self, src: &'p Cloud<T>, log_a: &'p [f64], log_b: &'p [f64]) -> Pass<'p, T, Cloud<T>> {
        pass_over(src, self.level, self.options.threads, log_a, log_b)
    }
}

impl<T: Real> Resumable for DivergenceSolver<T> {
    type Problem<'p> = (Points<'p>, Points<'p>);
    type Output = Divergence;

    fn advance(&mut self, _clouds: &(Points<'_>, Points<'_>), budget: usize) -> Result<bool> {
        for _ in 0..budget.max(1) {
            let (level, threads) = (self.level, self.options.threads);
            let done = match self.phase {
                Phase::Cross => {
                    self.cross.step(&pass_over(&self.xy, level, threads, &self.log_a, &self.log_b), &self.b)
                }
                Phase::SelfX => {
                    self.self_x.step(&pass_over(&self.xx, level, threads, &self.log_a, &self.log_a), &self.a)
                }
                Phase::SelfY => {
                    self.self_y.step(&pass_over(&self.yy, level, threads, &self.log_b, &self.log_b), &self.b)
                }
                Phase::Done => return Ok(true),
            };
            if done {
                self.phase = match self.phase {
                    Phase::Cross => Phase::SelfX,
                    Phase::SelfX => Phase::SelfY,
                    _ => Phase::Done,
                };
            }
        }
        Ok(self.phase == Phase::Done)
    }

    fn progress(&self) -> Progress {
        let iteration = self.cross.schedule.iterations
            + self.self_x.schedule.iterations
            + self.self_y.schedule.iterations;
        let error = match self.phase {
            Phase::Cross => self.cross.error,
            Phase::SelfX => self.self_x.error,
            _ => self.self_y.error,
        };
        Progress { iteration, error }
    }

    fn finish(self, clouds: &(Points<'_>, Points<'_>)) -> Result<Divergence> {
        let (x, y) = *clouds;
        let reg = self.options.reg;
        let cross = {
            let pass = self.pass(&self.xy, &self.log_a, &self.log_b);
            measure(&pass, self.cross.clone(), &self.a, &self.b, reg, None)
        };
        let self_x =
            self.self_x.measure(&self.pass(&self.xx, &self.log_a, &self.log_a), &self.a, &self.options);
        let self_y =
            self.self_y.measure(&self.pass(&self.yy, &self.log_b, &self.log_b), &self.b, &self.options);

        let value = cross.result.objective - 0.5 * self_x.objective - 0.5 * self_y.objective;
        let iterations = cross.result.iterations + self_x.iterations + self_y.iterations;
        let converged = cross.result.converged && self_x.converged && self_y.converged;
        let (mut grad_x, mut grad_a) = (None, None);
        if self.gradient {
            grad_a = Some(cross.f.iter().zip(&self_x.p).map(|(f, p)| f - p).collect());
            let mut grad = vec![0.0; x.n * x.dim];
            let metric = self.metric;
            let pass = self.pass(&self.xy, &self.log_a, &self.log_b);
            add_transport_gradient(&pass, &cross.f, &cross.g, reg, x, y, metric, 1.0, &mut grad);
            let pass = self.pass(&self.xx, &self.log_a, &self.log_a);
            add_transport_gradient(&pass, &self_x.p, &self_x.p, reg, x, x, metric, -1.0, &mut grad);
            grad_x = Some(grad);
        }
        Ok(Divergence { value, grad_x, grad_a, iterations, converged })
    }
}

/// A pass over the costs of `src`, threaded for its size.
fn pass_over<'p, T: Real>(
    src: &'p Cloud<T>,
    level: Level,
    threads: usize,
    log_a: &'p [f64],
    log_b: &'p [f64],
) -> Pass<'p, T, Cloud<T>> {
    Pass::new(src, level, threads_for(src.rows(), src.cols(), threads), log_a, log_b)
}

/// The solution of a symmetric problem `OT_ε(α, α)`.
struct SymmetricSolution {
    p: Vec<f64>,
    objective: f64,
    iterations: usize,
    converged: bool,
}

/// The iterations of a symmetric problem `OT_ε(α, α)`, whose potentials are equal
/// (`f = g = p`): `p ← ½ (p + T(p))` with `T` the row update; the averaging damps the
/// oscillation of plain iterations.
#[derive(Clone, Debug)]
struct Symmetric {
    p: Vec<f64>,
    schedule: Schedule,
    converged: bool,
    error: Option<f64>,
    done: bool,
    tol: f64,
}

impl Symmetric {
    fn new(n: usize, options: &SinkhornOptions, scale: f64) -> Self {
        Symmetric {
            p: vec![0.0; n],
            schedule: Schedule::new(options, scale),
            converged: false,
            error: None,
            done: false,
            tol: options.tol,
        }
    }

    /// One iteration; returns whether the iterations are over.
    fn step<T: Real, S: CostSource<T>>(&mut self, pass: &Pass<'_, T, S>, a: &[f64]) -> bool {
        if self.done {
            return true;
        }
        let (eps, last) = (self.schedule.eps(), self.schedule.last());
        let lse = pass.rows(&self.p, &self.p, eps);
        let out_of_iterations = self.schedule.next();
        // Both marginals of the symmetric plan are the same: twice one error.
        let error = 2.0 * l1(&masses(a, &self.p, &lse, eps), a);
        if last {
            self.error = Some(error);
        }
        if last && self.tol > 0.0 && error <= self.tol {
            self.converged = true;
            self.done = true;
            return true;
        }
        self.p.iter_mut().zip(&lse).for_each(|(pi, &l)| *pi = 0.5 * (*pi - eps * l));
        self.done = out_of_iterations;
        self.done
    }

    fn measure<T: Real, S: CostSource<T>>(
        &self,
        pass: &Pass<'_, T, S>,
        a: &[f64],
        options: &SinkhornOptions,
    ) -> SymmetricSolution {
        let reg = options.reg;
        let p = self.p.clone();
        let lse = pass.rows(&p, &p, reg);
        let mass = masses(a, &p, &lse, reg);
        let error = 2.0 * l1(&mass, a);
        let total: f64 = mass.iter().sum();
        let objective = 2.0 * p.iter().zip(&mass).map(|(p, m)| p * m).sum::<f64>() - reg * (total - 1.0);
        SymmetricSolution {
            p,
            objective,
            iterations: self.schedule.iterations,
            converged: self.converged || error <= options.tol,
        }
    }
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
