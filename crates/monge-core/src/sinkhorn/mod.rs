//! Entropic optimal transport: log-domain Sinkhorn iterations.
//!
//! The problem: `min_P ⟨P, M⟩ + ε KL(P | a⊗b)` over plans with marginals `a` and `b`. Its dual
//! potentials `f`, `g` (in cost units) give the plan `P_ij = a_i b_j exp((f_i + g_j − M_ij)/ε)`.
//! Each iteration updates `f` so that the rows of `P` sum to `a`, then `g` so that its columns
//! sum to `b`; both updates are log-sum-exps, so no quantity ever underflows, whatever `ε > 0`.
//! One iteration reads each cost entry once (see `passes`).
//!
//! The cost is a dense matrix ([`Cost::Matrix`], `f32` or `f64`) or two point clouds
//! ([`Cost::Points`]) whose costs are computed on the fly, a few rows at a time: memory is then
//! `O(n + m)`. The kernels are vectorised for the instruction set of the running CPU (AVX-512,
//! AVX2 with FMA, or portable code, which is SIMD128 in WASM) and split over threads.

mod cost;
mod dispatch;
mod divergence;
mod kernels;
mod passes;
mod real;
mod solve;
mod solver;
#[cfg(test)]
mod tests;

pub use divergence::{sinkhorn_divergence, Divergence, DivergenceOptions, DivergenceSolver};
pub use real::Real;
pub use solver::SinkhornSolver;

use crate::control::{drive, Unstoppable};
use crate::dist::Metric;
use crate::error::{Detail, Error, ErrorKind, Result};
use crate::input::{check_finite, check_matrix_shape, check_pair, normalized_weights, Points};
use crate::parallel::{map_slots, thread_count};
use crate::simd::Level;
#[cfg(test)]
use cost::Dense;
#[cfg(test)]
use solve::solve;

/// Each epsilon-scaling stage divides epsilon by this factor.
pub const EPS_SCALING_FACTOR: f64 = 0.5;

/// Iterations run at each intermediate epsilon of the epsilon-scaling schedule.
pub const ITERATIONS_PER_STAGE: usize = 3;

/// Below this many cost entries a pass runs on one thread: spawning threads for every pass costs
/// more than it saves (measured on 2 cores: 512² entries ran 1.2x slower on two threads,
/// 1024² ran 1.25x faster).
const THREADS_MIN_ENTRIES: usize = 1 << 19;

/// Options of [`sinkhorn`].
#[derive(Clone, Debug, PartialEq)]
pub struct SinkhornOptions {
    /// The regularization `ε > 0`, in cost units.
    pub reg: f64,
    /// Most iterations (one iteration updates both potentials); at least 1.
    pub max_iter: usize,
    /// Stop once the L1 error of both marginals is at most `tol` (`0` runs `max_iter`
    /// iterations).
    pub tol: f64,
    /// Anneal epsilon from the cost's scale down to `reg`, dividing it by
    /// [`EPS_SCALING_FACTOR`] every [`ITERATIONS_PER_STAGE`] iterations, before iterating at
    /// `reg`: a warm start that saves iterations for small `reg` (the final convergence rate is
    /// still set by `reg`).
    pub eps_scaling: bool,
    /// Return the dense `n × m` plan.
    pub return_plan: bool,
    /// Threads for the passes; 0 means one per core. WASM builds use one.
    pub threads: usize,
}

impl SinkhornOptions {
    /// The defaults (as the JavaScript API's) with regularization `reg`.
    pub fn new(reg: f64) -> Self {
        SinkhornOptions { reg, max_iter: 1000, tol: 1e-9, eps_scaling: false, return_plan: false, threads: 0 }
    }
}

/// The cost of a Sinkhorn problem.
#[derive(Clone, Copy, Debug)]
pub enum Cost<'a, T> {
    /// A dense row-major `rows × cols` matrix.
    Matrix {
        /// The entries, row after row.
        data: &'a [T],
        /// Number of rows (source atoms).
        rows: usize,
        /// Number of columns (target atoms).
        cols: usize,
    },
    /// `M_ij = metric(x_i, y_j)`, computed on the fly (memory `O(n + m)`).
    Points {
        /// Source points.
        x: Points<'a>,
        /// Target points.
        y: Points<'a>,
        /// The ground cost.
        metric: Metric,
    },
}

impl<'a, T> Cost<'a, T> {
    /// The cost as the bindings receive it: the dense `rows × cols` matrix when given, else the
    /// point clouds `x` (`rows × dim`) and `y` (`cols × dim`) under the metric named `metric`
    /// (see [`Metric::parse`]).
    #[allow(clippy::too_many_arguments)]
    pub fn from_parts(
        matrix: Option<&'a [T]>,
        rows: usize,
        cols: usize,
        x: Option<&'a [f64]>,
        y: Option<&'a [f64]>,
        dim: usize,
        metric: &str,
        p: f64,
    ) -> Result<Self> {
        match (matrix, x, y) {
            (Some(data), _, _) => Ok(Cost::Matrix { data, rows, cols }),
            (None, Some(x), Some(y)) => Ok(Cost::Points {
                x: Points::new(x, rows, dim),
                y: Points::new(y, cols, dim),
                metric: Metric::parse(metric, p)?,
            }),
            _ => Err(Error::about(ErrorKind::InvalidInput, "M", "give a cost matrix or two point clouds")),
        }
    }
}

/// The result of [`sinkhorn`].
#[derive(Clone, Debug, PartialEq)]
pub struct Sinkhorn<T> {
    /// Dual potential of the sources, in cost units.
    pub f: Vec<T>,
    /// Dual potential of the targets, in cost units.
    pub g: Vec<T>,
    /// The transport cost `⟨P, M⟩` (POT's `sinkhorn2`).
    pub cost: f64,
    /// `⟨P, M⟩ + ε KL(P | a⊗b)`, the regularized objective (OTT and GeomLoss's convention).
    pub objective: f64,
    /// The dense plan, row-major, when asked for.
    pub plan: Option<Vec<T>>,
    /// Iterations run, over all epsilon stages.
    pub iterations: usize,
    /// The L1 error of both marginals of the returned plan, measured at exit.
    pub marginal_error: f64,
    /// Whether `marginal_error <= tol`.
    pub converged: bool,
}

/// Solves entropic OT between weights `a` and `b` (`None`: uniform; others are normalised to
/// sum 1) for `cost`, in the precision `T` of the cost.
///
/// Errors: `reg` not finite and positive, `max_iter` 0 or `tol` negative or NaN
/// ([`ErrorKind::InvalidInput`]); empty, mis-shaped or non-finite costs or points; weights of the
/// wrong length, negative or NaN; a plan too large to allocate ([`ErrorKind::TooLarge`]).
///
/// ```
/// use monge_core::{sinkhorn, Cost, SinkhornOptions};
/// // Two atoms each, moving costs 1 across and 0 in place: the plan stays mostly in place.
/// let m = [0.0, 1.0, 1.0, 0.0];
/// let cost = Cost::Matrix { data: &m[..], rows: 2, cols: 2 };
/// let out = sinkhorn(None, None, cost, &SinkhornOptions::new(0.1))?;
/// assert!(out.converged && out.cost < 1e-4);
/// # Ok::<(), monge_core::Error>(())
/// ```
pub fn sinkhorn<T: Real>(
    a: Option<&[f64]>,
    b: Option<&[f64]>,
    cost: Cost<'_, T>,
    options: &SinkhornOptions,
) -> Result<Sinkhorn<T>> {
    drive(SinkhornSolver::new(a, b, &cost, options)?, &cost, &Unstoppable)
}

/// Solves entropic OT with KL-relaxed marginals (POT's `sinkhorn_unbalanced` with
/// `reg_type='kl'`): `min_P ⟨P, M⟩ + ε KL(P | a⊗b) + ρ KL(P 1 | a) + ρ KL(Pᵀ 1 | b)` with
/// `ρ = reg_m`. The weights keep their masses (`None`: uniform, `1/n` each) and may differ in
/// total. Each update is the balanced one scaled by `ρ / (ρ + ε)`; `marginal_error` measures
/// the conditions of the relaxed problem, `P 1 = a e^{−f/ρ}` and `Pᵀ 1 = b e^{−g/ρ}`.
///
/// Errors: as [`sinkhorn`], and `reg_m` not finite and positive ([`ErrorKind::InvalidInput`]).
pub fn sinkhorn_unbalanced<T: Real>(
    a: Option<&[f64]>,
    b: Option<&[f64]>,
    cost: Cost<'_, T>,
    reg_m: f64,
    options: &SinkhornOptions,
) -> Result<Sinkhorn<T>> {
    drive(SinkhornSolver::unbalanced(a, b, &cost, reg_m, options)?, &cost, &Unstoppable)
}

/// Checks a cost and returns its shape `(n, m)`.
pub(super) fn check_cost<T: Real>(cost: &Cost<'_, T>) -> Result<(usize, usize)> {
    match *cost {
        Cost::Matrix { data, rows, cols } => {
            check_matrix_shape("M", data, rows, cols)?;
            check_finite("M", data)?;
            Ok((rows, cols))
        }
        Cost::Points { x, y, .. } => {
            check_pair(x, y)?;
            Ok((x.n, y.n))
        }
    }
}

/// Checked weights that keep their total mass; `None` gives `1/n` each.
pub(super) fn massive_weights(name: &str, weights: Option<&[f64]>, n: usize) -> Result<Vec<f64>> {
    let Some(w) = weights else {
        return Ok(vec![1.0 / n as f64; n]);
    };
    // Checks length, values and total mass the same way as the balanced solvers.
    normalized_weights(name, Some(w), n)?;
    Ok(w.to_vec())
}

pub(super) fn check_options(options: &SinkhornOptions) -> Result<()> {
    let reg = options.reg;
    if !(reg.is_finite() && reg > 0.0) {
        return Err(Error::about(
            ErrorKind::InvalidInput,
            "reg",
            format!("reg = {reg}: the regularization must be a finite number > 0"),
        )
        .with("value", Detail::Number(reg)));
    }
    if options.max_iter == 0 {
        return Err(Error::about(
            ErrorKind::InvalidInput,
            "maxIter",
            "maxIter = 0: run at least one iteration",
        ));
    }
    if options.tol.is_nan() || options.tol < 0.0 {
        return Err(Error::about(
            ErrorKind::InvalidInput,
            "tol",
            format!("tol = {}: the tolerance must be a number >= 0", options.tol),
        )
        .with("value", Detail::Number(options.tol)));
    }
    Ok(())
}

/// An upper bound of every cost between the clouds: the metric of the diagonal of their common
/// bounding box (the scale epsilon-scaling starts from).
fn diameter(x: Points<'_>, y: Points<'_>, metric: Metric) -> f64 {
    let mut lo = vec![f64::INFINITY; x.dim];
    let mut hi = vec![f64::NEG_INFINITY; x.dim];
    for p in x.data.chunks_exact(x.dim).chain(y.data.chunks_exact(y.dim)) {
        for (k, &v) in p.iter().enumerate() {
            lo[k] = lo[k].min(v);
            hi[k] = hi[k].max(v);
        }
    }
    metric.eval(&lo, &hi)
}

/// Threads for a problem of `n × m` entries: one below [`THREADS_MIN_ENTRIES`].
fn threads_for(n: usize, m: usize, requested: usize) -> usize {
    if n.saturating_mul(m) < THREADS_MIN_ENTRIES {
        1
    } else if requested == 0 {
        thread_count()
    } else {
        requested
    }
}

/// The epsilons of a solve: the annealing stages (when asked for), then `reg`.
fn schedule(reg: f64, scale: f64, eps_scaling: bool) -> Vec<f64> {
    let mut stages = Vec::new();
    if eps_scaling {
        let mut eps = scale;
        while eps > reg / EPS_SCALING_FACTOR {
            stages.push(eps);
            eps *= EPS_SCALING_FACTOR;
        }
    }
    stages.push(reg);
    stages
}

/// `Σ exp(v)` over `values` with `threads` threads at the best instruction set: the least work
/// per entry of any Sinkhorn pass, which benchmarks use as the roofline.
pub fn exp_sum_roofline<T: Real>(values: &[T], threads: usize) -> f64 {
    let level = Level::detect();
    let threads = if threads == 0 { thread_count() } else { threads };
    let parts = threads.max(1);
    let len = values.len().div_ceil(parts).max(1);
    let mut sums = vec![0.0; values.len().div_ceil(len)];
    map_slots(
        &mut sums,
        parts,
        || (),
        |k, _| {
            let end = ((k + 1) * len).min(values.len());
            dispatch::exp_sum(level, &values[k * len..end])
        },
    );
    sums.iter().sum()
}

/// The instruction set the kernels run with on this CPU (`"avx512"`, `"avx2+fma"`,
/// `"portable"`, or `"simd128"` in WASM).
pub fn simd_level() -> &'static str {
    Level::detect().name()
}
