//! The Sinkhorn family, run off the JavaScript thread.
//!
//! A solve can take seconds, so these exports return promises: the work runs on libuv's thread
//! pool (napi `AsyncTask`) and the event loop stays free. The typed arrays are held by reference
//! for the duration, not copied; JavaScript must not write to them while a call is pending (the
//! TypeScript API documents this). A panic inside the solve is caught and becomes an error.

use crate::{guarded, points, to_js_error};
use monge_core as core;
use napi::bindgen_prelude::{AsyncTask, Float32Array, Float64Array};
use napi::{Env, Task};
use napi_derive::napi;

fn sinkhorn_options(
    reg: f64,
    max_iter: u32,
    tol: f64,
    eps_scaling: bool,
    return_plan: bool,
    threads: u32,
) -> core::SinkhornOptions {
    core::SinkhornOptions {
        reg,
        max_iter: max_iter as usize,
        tol,
        eps_scaling,
        return_plan,
        threads: threads as usize,
    }
}

/// A Sinkhorn call's arguments, held until the thread pool runs it.
pub struct SinkhornTask<A> {
    a: Option<Float64Array>,
    b: Option<Float64Array>,
    matrix: Option<A>,
    rows: u32,
    cols: u32,
    x: Option<Float64Array>,
    y: Option<Float64Array>,
    dim: u32,
    metric: String,
    p: f64,
    options: core::SinkhornOptions,
    reg_m: Option<f64>,
}

impl<A> SinkhornTask<A> {
    fn solve<T: core::Real>(&self, matrix: Option<&[T]>) -> napi::Result<core::Sinkhorn<T>> {
        guarded("sinkhorn", || {
            let cost = core::Cost::from_parts(
                matrix,
                self.rows as usize,
                self.cols as usize,
                self.x.as_deref(),
                self.y.as_deref(),
                self.dim as usize,
                &self.metric,
                self.p,
            )
            .map_err(to_js_error)?;
            let (a, b) = (self.a.as_deref(), self.b.as_deref());
            match self.reg_m {
                None => core::sinkhorn(a, b, cost, &self.options),
                Some(reg_m) => core::sinkhorn_unbalanced(a, b, cost, reg_m, &self.options),
            }
            .map_err(to_js_error)
        })
    }
}

/// The result of `sinkhorn64`: potentials and plan in float64.
#[napi(object)]
pub struct Sinkhorn64 {
    /// Source potentials.
    pub f: Float64Array,
    /// Target potentials.
    pub g: Float64Array,
    /// `<P, M>`.
    pub cost: f64,
    /// The regularized objective.
    pub objective: f64,
    /// The dense plan when asked for.
    pub plan: Option<Float64Array>,
    /// Iterations run.
    pub iterations: u32,
    /// L1 error of both marginals.
    pub marginal_error: f64,
    /// `marginal_error <= tol`.
    pub converged: bool,
}

/// The result of `sinkhorn32`: potentials and plan in float32.
#[napi(object)]
pub struct Sinkhorn32 {
    /// Source potentials.
    pub f: Float32Array,
    /// Target potentials.
    pub g: Float32Array,
    /// `<P, M>`.
    pub cost: f64,
    /// The regularized objective.
    pub objective: f64,
    /// The dense plan when asked for.
    pub plan: Option<Float32Array>,
    /// Iterations run.
    pub iterations: u32,
    /// L1 error of both marginals.
    pub marginal_error: f64,
    /// `marginal_error <= tol`.
    pub converged: bool,
}

impl Task for SinkhornTask<Float64Array> {
    type Output = core::Sinkhorn<f64>;
    type JsValue = Sinkhorn64;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        self.solve(self.matrix.as_deref())
    }

    fn resolve(&mut self, _env: Env, r: Self::Output) -> napi::Result<Sinkhorn64> {
        Ok(Sinkhorn64 {
            f: Float64Array::new(r.f),
            g: Float64Array::new(r.g),
            cost: r.cost,
            objective: r.objective,
            plan: r.plan.map(Float64Array::new),
            iterations: r.iterations as u32,
            marginal_error: r.marginal_error,
            converged: r.converged,
        })
    }
}

impl Task for SinkhornTask<Float32Array> {
    type Output = core::Sinkhorn<f32>;
    type JsValue = Sinkhorn32;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        self.solve(self.matrix.as_deref())
    }

    fn resolve(&mut self, _env: Env, r: Self::Output) -> napi::Result<Sinkhorn32> {
        Ok(Sinkhorn32 {
            f: Float32Array::new(r.f),
            g: Float32Array::new(r.g),
            cost: r.cost,
            objective: r.objective,
            plan: r.plan.map(Float32Array::new),
            iterations: r.iterations as u32,
            marginal_error: r.marginal_error,
            converged: r.converged,
        })
    }
}

/// Log-domain Sinkhorn in float64 on a dense cost (`matrix`) or point clouds (`x`, `y`); with
/// `reg_m`, the unbalanced problem (KL-relaxed marginals). Resolves off the JavaScript thread.
#[napi(catch_unwind, ts_return_type = "Promise<Sinkhorn64>")]
#[allow(clippy::too_many_arguments)]
pub fn sinkhorn64(
    a: Option<Float64Array>,
    b: Option<Float64Array>,
    matrix: Option<Float64Array>,
    rows: u32,
    cols: u32,
    x: Option<Float64Array>,
    y: Option<Float64Array>,
    dim: u32,
    metric: String,
    p: f64,
    reg: f64,
    max_iter: u32,
    tol: f64,
    eps_scaling: bool,
    return_plan: bool,
    threads: u32,
    reg_m: Option<f64>,
) -> AsyncTask<SinkhornTask<Float64Array>> {
    let options = sinkhorn_options(reg, max_iter, tol, eps_scaling, return_plan, threads);
    AsyncTask::new(SinkhornTask { a, b, matrix, rows, cols, x, y, dim, metric, p, options, reg_m })
}

/// Log-domain Sinkhorn in float32; see `sinkhorn64`.
#[napi(catch_unwind, ts_return_type = "Promise<Sinkhorn32>")]
#[allow(clippy::too_many_arguments)]
pub fn sinkhorn32(
    a: Option<Float64Array>,
    b: Option<Float64Array>,
    matrix: Option<Float32Array>,
    rows: u32,
    cols: u32,
    x: Option<Float64Array>,
    y: Option<Float64Array>,
    dim: u32,
    metric: String,
    p: f64,
    reg: f64,
    max_iter: u32,
    tol: f64,
    eps_scaling: bool,
    return_plan: bool,
    threads: u32,
    reg_m: Option<f64>,
) -> AsyncTask<SinkhornTask<Float32Array>> {
    let options = sinkhorn_options(reg, max_iter, tol, eps_scaling, return_plan, threads);
    AsyncTask::new(SinkhornTask { a, b, matrix, rows, cols, x, y, dim, metric, p, options, reg_m })
}

/// A divergence call's arguments, held until the thread pool runs it.
pub struct DivergenceTask {
    x: Float64Array,
    y: Float64Array,
    n: u32,
    m: u32,
    dim: u32,
    a: Option<Float64Array>,
    b: Option<Float64Array>,
    metric: String,
    p: f64,
    options: core::SinkhornOptions,
    gradient: bool,
    float32: bool,
}

/// The result of `sinkhornDivergence`.
#[napi(object)]
pub struct DivergenceResult {
    /// `S(α, β)`.
    pub value: f64,
    /// `∂S/∂x`, `n × dim`, when asked for.
    pub grad_x: Option<Float64Array>,
    /// `∂S/∂a`, when asked for.
    pub grad_a: Option<Float64Array>,
    /// Iterations of the three solves.
    pub iterations: u32,
    /// Whether all three met `tol`.
    pub converged: bool,
}

impl Task for DivergenceTask {
    type Output = core::Divergence;
    type JsValue = DivergenceResult;

    fn compute(&mut self) -> napi::Result<core::Divergence> {
        guarded("sinkhornDivergence", || {
            let metric = core::Metric::parse(&self.metric, self.p).map_err(to_js_error)?;
            let options =
                core::DivergenceOptions { sinkhorn: self.options.clone(), metric, gradient: self.gradient };
            let (x, y) = (points(&self.x, self.n, self.dim), points(&self.y, self.m, self.dim));
            let (a, b) = (self.a.as_deref(), self.b.as_deref());
            if self.float32 {
                core::sinkhorn_divergence::<f32>(x, y, a, b, &options)
            } else {
                core::sinkhorn_divergence::<f64>(x, y, a, b, &options)
            }
            .map_err(to_js_error)
        })
    }

    fn resolve(&mut self, _env: Env, r: core::Divergence) -> napi::Result<DivergenceResult> {
        Ok(DivergenceResult {
            value: r.value,
            grad_x: r.grad_x.map(Float64Array::new),
            grad_a: r.grad_a.map(Float64Array::new),
            iterations: r.iterations as u32,
            converged: r.converged,
        })
    }
}

/// The debiased Sinkhorn divergence between two point clouds, in float32 or float64. Resolves
/// off the JavaScript thread.
#[napi(js_name = "sinkhornDivergence", catch_unwind, ts_return_type = "Promise<DivergenceResult>")]
#[allow(clippy::too_many_arguments)]
pub fn sinkhorn_divergence(
    x: Float64Array,
    y: Float64Array,
    n: u32,
    m: u32,
    dim: u32,
    a: Option<Float64Array>,
    b: Option<Float64Array>,
    metric: String,
    p: f64,
    reg: f64,
    max_iter: u32,
    tol: f64,
    eps_scaling: bool,
    threads: u32,
    gradient: bool,
    float32: bool,
) -> AsyncTask<DivergenceTask> {
    let options = sinkhorn_options(reg, max_iter, tol, eps_scaling, false, threads);
    AsyncTask::new(DivergenceTask { x, y, n, m, dim, a, b, metric, p, options, gradient, float32 })
}
