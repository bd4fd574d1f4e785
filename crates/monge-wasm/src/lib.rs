//! The WebAssembly module of monge (built with `+simd128`).
//!
//! Thin by design: wasm-bindgen copies each typed-array argument once into the module's memory
//! (a `&[f64]` parameter) and copies each `Vec` result out into a fresh JavaScript typed array.
//! Core errors become JavaScript errors in [`to_js_error`].
//!
//! Panics: the module is built with `panic=abort`, so a panic traps the instance. The panic hook
//! installed by [`start`] schedules a re-instantiation first, so the call that panicked throws a
//! `RuntimeError` and the next call runs on a fresh instance (see [`recover_after_trap`]).

use monge_core as core;
use wasm_bindgen::prelude::*;

/// The one mapping from core errors to JavaScript: the message is the error's JSON, which the
/// TypeScript layer turns into a `MongeError` with its code and details.
fn to_js_error(e: core::Error) -> JsError {
    JsError::new(&e.to_json())
}

fn points(data: &[f64], n: u32, dim: u32) -> core::Points<'_> {
    core::Points::new(data, n as usize, dim as usize)
}

/// Plan indices cross as `Int32Array`; the TypeScript layer caps sizes below 2^31.
fn indices(v: Vec<u32>) -> Vec<i32> {
    v.into_iter().map(|i| i as i32).collect()
}

/// Runs when the module is instantiated: after any panic, the next call gets a new instance.
#[wasm_bindgen(start)]
fn start() {
    std::panic::set_hook(Box::new(|_| wasm_bindgen::handler::schedule_reinit()));
}

/// A cost matrix, row-major `n × m` (the core checks that the dimensions agree).
#[wasm_bindgen]
#[allow(clippy::too_many_arguments)]
pub fn dist(
    x: &[f64],
    n: u32,
    x_dim: u32,
    y: &[f64],
    m: u32,
    y_dim: u32,
    metric: &str,
    p: f64,
) -> Result<Vec<f64>, JsError> {
    let metric = core::Metric::parse(metric, p).map_err(to_js_error)?;
    core::dist(points(x, n, x_dim), points(y, m, y_dim), metric).map_err(to_js_error)
}

/// W_p on the line.
#[wasm_bindgen]
pub fn wasserstein1d(
    u: &[f64],
    v: &[f64],
    u_weights: Option<Vec<f64>>,
    v_weights: Option<Vec<f64>>,
    p: f64,
) -> Result<f64, JsError> {
    let options = core::Options1d { u_weights: u_weights.as_deref(), v_weights: v_weights.as_deref(), p };
    core::wasserstein_1d(u, v, options).map_err(to_js_error)
}

/// The result of `emd1d`: the cost and the sparse plan's three arrays.
#[wasm_bindgen(getter_with_clone)]
pub struct Emd1dResult {
    /// W_p^p.
    pub cost: f64,
    /// Source indices.
    pub rows: Vec<i32>,
    /// Target indices.
    pub cols: Vec<i32>,
    /// Masses.
    pub values: Vec<f64>,
}

/// Exact 1-D transport: cost and monotone plan.
#[wasm_bindgen]
pub fn emd1d(
    u: &[f64],
    v: &[f64],
    u_weights: Option<Vec<f64>>,
    v_weights: Option<Vec<f64>>,
    p: f64,
) -> Result<Emd1dResult, JsError> {
    let options = core::Options1d { u_weights: u_weights.as_deref(), v_weights: v_weights.as_deref(), p };
    let r = core::emd_1d(u, v, options).map_err(to_js_error)?;
    Ok(Emd1dResult {
        cost: r.cost,
        rows: indices(r.plan.rows),
        cols: indices(r.plan.cols),
        values: r.plan.values,
    })
}

/// SW_p between two point clouds (of equal dimension, which the core checks).
#[wasm_bindgen(js_name = slicedWasserstein)]
#[allow(clippy::too_many_arguments)]
pub fn sliced_wasserstein(
    x: &[f64],
    n: u32,
    x_dim: u32,
    y: &[f64],
    m: u32,
    y_dim: u32,
    a: Option<Vec<f64>>,
    b: Option<Vec<f64>>,
    n_projections: u32,
    p: f64,
    seed: f64,
    projections: Option<Vec<f64>>,
) -> Result<f64, JsError> {
    let options = core::SlicedOptions {
        a: a.as_deref(),
        b: b.as_deref(),
        n_projections: n_projections as usize,
        p,
        seed: seed as u64,
        projections: projections.as_deref(),
    };
    core::sliced_wasserstein(points(x, n, x_dim), points(y, m, y_dim), options).map_err(to_js_error)
}

/// The result of `emd`.
#[wasm_bindgen(getter_with_clone)]
pub struct EmdResult {
    /// The transport cost.
    pub cost: f64,
    /// Source indices of the plan's entries.
    pub rows: Vec<i32>,
    /// Target indices.
    pub cols: Vec<i32>,
    /// Masses.
    pub values: Vec<f64>,
    /// Source potentials.
    pub u: Vec<f64>,
    /// Target potentials.
    pub v: Vec<f64>,
    /// `|a·u + b·v − cost|`.
    #[wasm_bindgen(js_name = dualGap)]
    pub dual_gap: f64,
    /// Simplex pivots.
    pub iterations: u32,
    /// `optimal` or `maxIterReached`.
    pub status: String,
}

/// Exact optimal transport by network simplex.
#[wasm_bindgen]
pub fn emd(a: &[f64], b: &[f64], cost: &[f64], max_iter: u32) -> Result<EmdResult, JsError> {
    let r = core::emd(a, b, cost, core::EmdOptions { max_iter: max_iter as usize }).map_err(to_js_error)?;
    Ok(EmdResult {
        cost: r.cost,
        rows: indices(r.plan.rows),
        cols: indices(r.plan.cols),
        values: r.plan.values,
        u: r.u,
        v: r.v,
        dual_gap: r.dual_gap,
        iterations: r.iterations as u32,
        status: r.status.name().to_string(),
    })
}

/// The result of `linearSumAssignment`.
#[wasm_bindgen(getter_with_clone)]
pub struct AssignmentResult {
    /// Matched rows, ascending.
    #[wasm_bindgen(js_name = rowInd)]
    pub row_ind: Vec<i32>,
    /// The column of each matched row.
    #[wasm_bindgen(js_name = colInd)]
    pub col_ind: Vec<i32>,
    /// The total cost.
    pub cost: f64,
}

/// Optimal assignment of a `rows × cols` cost matrix.
#[wasm_bindgen(js_name = linearSumAssignment)]
pub fn linear_sum_assignment(
    cost: &[f64],
    rows: u32,
    cols: u32,
    maximize: bool,
) -> Result<AssignmentResult, JsError> {
    let options = core::AssignmentOptions { maximize };
    let r = core::linear_sum_assignment(cost, rows as usize, cols as usize, options).map_err(to_js_error)?;
    Ok(AssignmentResult { row_ind: indices(r.row_ind), col_ind: indices(r.col_ind), cost: r.cost })
}

/// The result of `auction`.
#[wasm_bindgen(getter_with_clone)]
pub struct AuctionResult {
    /// All rows, ascending.
    #[wasm_bindgen(js_name = rowInd)]
    pub row_ind: Vec<i32>,
    /// The column of each row.
    #[wasm_bindgen(js_name = colInd)]
    pub col_ind: Vec<i32>,
    /// The total cost.
    pub cost: f64,
    /// Final column prices (benefit units).
    pub prices: Vec<f64>,
    /// Bound on cost minus the optimum.
    #[wasm_bindgen(js_name = gapBound)]
    pub gap_bound: f64,
}

/// Assignment by the epsilon-scaling auction.
#[wasm_bindgen]
pub fn auction(
    cost: &[f64],
    rows: u32,
    cols: u32,
    maximize: bool,
    epsilon: Option<f64>,
    scaling: f64,
) -> Result<AuctionResult, JsError> {
    let options = core::AuctionOptions { maximize, epsilon, scaling };
    let r = core::auction(cost, rows as usize, cols as usize, options).map_err(to_js_error)?;
    Ok(AuctionResult {
        row_ind: indices(r.row_ind),
        col_ind: indices(r.col_ind),
        cost: r.cost,
        prices: r.prices,
        gap_bound: r.gap_bound,
    })
}

fn sinkhorn_options(
    reg: f64,
    max_iter: u32,
    tol: f64,
    eps_scaling: bool,
    return_plan: bool,
) -> core::SinkhornOptions {
    // One thread: this module is built without atomics.
    core::SinkhornOptions { reg, max_iter: max_iter as usize, tol, eps_scaling, return_plan, threads: 1 }
}

/// The result of `sinkhorn64`: potentials and plan in float64.
#[wasm_bindgen(getter_with_clone)]
pub struct Sinkhorn64 {
    /// Source potentials.
    pub f: Vec<f64>,
    /// Target potentials.
    pub g: Vec<f64>,
    /// `<P, M>`.
    pub cost: f64,
    /// `<P, M> + reg KL(P | a⊗b)`.
    pub objective: f64,
    /// The dense plan when asked for.
    pub plan: Option<Vec<f64>>,
    /// Iterations run.
    pub iterations: u32,
    /// L1 error of both marginals.
    #[wasm_bindgen(js_name = marginalError)]
    pub marginal_error: f64,
    /// `marginal_error <= tol`.
    pub converged: bool,
}

/// The result of `sinkhorn32`: potentials and plan in float32.
#[wasm_bindgen(getter_with_clone)]
pub struct Sinkhorn32 {
    /// Source potentials.
    pub f: Vec<f32>,
    /// Target potentials.
    pub g: Vec<f32>,
    /// `<P, M>`.
    pub cost: f64,
    /// `<P, M> + reg KL(P | a⊗b)`.
    pub objective: f64,
    /// The dense plan when asked for.
    pub plan: Option<Vec<f32>>,
    /// Iterations run.
    pub iterations: u32,
    /// L1 error of both marginals.
    #[wasm_bindgen(js_name = marginalError)]
    pub marginal_error: f64,
    /// `marginal_error <= tol`.
    pub converged: bool,
}

/// Log-domain Sinkhorn in float64 on a dense cost (`matrix`) or point clouds (`x`, `y`); with
/// `reg_m`, the unbalanced problem (KL-relaxed marginals).
/// `threads` is accepted for the shared kernel signature; the module runs one.
#[wasm_bindgen]
#[allow(clippy::too_many_arguments)]
pub fn sinkhorn64(
    a: Option<Vec<f64>>,
    b: Option<Vec<f64>>,
    matrix: Option<Vec<f64>>,
    rows: u32,
    cols: u32,
    x: Option<Vec<f64>>,
    y: Option<Vec<f64>>,
    dim: u32,
    metric: &str,
    p: f64,
    reg: f64,
    max_iter: u32,
    tol: f64,
    eps_scaling: bool,
    return_plan: bool,
    _threads: u32,
    reg_m: Option<f64>,
) -> Result<Sinkhorn64, JsError> {
    let (rows, cols, dim) = (rows as usize, cols as usize, dim as usize);
    let cost =
        core::Cost::from_parts(matrix.as_deref(), rows, cols, x.as_deref(), y.as_deref(), dim, metric, p)
            .map_err(to_js_error)?;
    let options = sinkhorn_options(reg, max_iter, tol, eps_scaling, return_plan);
    let (a, b) = (a.as_deref(), b.as_deref());
    let r = match reg_m {
        None => core::sinkhorn(a, b, cost, &options),
        Some(reg_m) => core::sinkhorn_unbalanced(a, b, cost, reg_m, &options),
    }
    .map_err(to_js_error)?;
    Ok(Sinkhorn64 {
        f: r.f,
        g: r.g,
        cost: r.cost,
        objective: r.objective,
        plan: r.plan,
        iterations: r.iterations as u32,
        marginal_error: r.marginal_error,
        converged: r.converged,
    })
}

/// Log-domain Sinkhorn in float32 on a dense cost (`matrix`) or point clouds (`x`, `y`); with
/// `reg_m`, the unbalanced problem (KL-relaxed marginals).
#[wasm_bindgen]
#[allow(clippy::too_many_arguments)]
pub fn sinkhorn32(
    a: Option<Vec<f64>>,
    b: Option<Vec<f64>>,
    matrix: Option<Vec<f32>>,
    rows: u32,
    cols: u32,
    x: Option<Vec<f64>>,
    y: Option<Vec<f64>>,
    dim: u32,
    metric: &str,
    p: f64,
    reg: f64,
    max_iter: u32,
    tol: f64,
    eps_scaling: bool,
    return_plan: bool,
    _threads: u32,
    reg_m: Option<f64>,
) -> Result<Sinkhorn32, JsError> {
    let (rows, cols, dim) = (rows as usize, cols as usize, dim as usize);
    let cost =
        core::Cost::from_parts(matrix.as_deref(), rows, cols, x.as_deref(), y.as_deref(), dim, metric, p)
            .map_err(to_js_error)?;
    let options = sinkhorn_options(reg, max_iter, tol, eps_scaling, return_plan);
    let (a, b) = (a.as_deref(), b.as_deref());
    let r = match reg_m {
        None => core::sinkhorn(a, b, cost, &options),
        Some(reg_m) => core::sinkhorn_unbalanced(a, b, cost, reg_m, &options),
    }
    .map_err(to_js_error)?;
    Ok(Sinkhorn32 {
        f: r.f,
        g: r.g,
        cost: r.cost,
        objective: r.objective,
        plan: r.plan,
        iterations: r.iterations as u32,
        marginal_error: r.marginal_error,
        converged: r.converged,
    })
}

/// The result of `sinkhornDivergence`.
#[wasm_bindgen(getter_with_clone)]
pub struct DivergenceResult {
    /// `S(α, β)`.
    pub value: f64,
    /// `∂S/∂x`, `n × dim`, when asked for.
    #[wasm_bindgen(js_name = gradX)]
    pub grad_x: Option<Vec<f64>>,
    /// `∂S/∂a`, when asked for.
    #[wasm_bindgen(js_name = gradA)]
    pub grad_a: Option<Vec<f64>>,
    /// Iterations of the three solves.
    pub iterations: u32,
    /// Whether all three met `tol`.
    pub converged: bool,
}

/// The debiased Sinkhorn divergence between two point clouds, in float32 or float64.
#[wasm_bindgen(js_name = sinkhornDivergence)]
#[allow(clippy::too_many_arguments)]
pub fn sinkhorn_divergence(
    x: &[f64],
    y: &[f64],
    n: u32,
    m: u32,
    dim: u32,
    a: Option<Vec<f64>>,
    b: Option<Vec<f64>>,
    metric: &str,
    p: f64,
    reg: f64,
    max_iter: u32,
    tol: f64,
    eps_scaling: bool,
    _threads: u32,
    gradient: bool,
    float32: bool,
) -> Result<DivergenceResult, JsError> {
    let metric = core::Metric::parse(metric, p).map_err(to_js_error)?;
    let sinkhorn = sinkhorn_options(reg, max_iter, tol, eps_scaling, false);
    let options = core::DivergenceOptions { sinkhorn, metric, gradient };
    let (x, y) = (points(x, n, dim), points(y, m, dim));
    let (a, b) = (a.as_deref(), b.as_deref());
    let r = if float32 {
        core::sinkhorn_divergence::<f32>(x, y, a, b, &options)
    } else {
        core::sinkhorn_divergence::<f64>(x, y, a, b, &options)
    }
    .map_err(to_js_error)?;
    Ok(DivergenceResult {
        value: r.value,
        grad_x: r.grad_x,
        grad_a: r.grad_a,
        iterations: r.iterations as u32,
        converged: r.converged,
    })
}

/// Benchmarks only: `Σ exp(v)` with the Sinkhorn kernels' exponential.
#[wasm_bindgen(js_name = expSumRoofline)]
pub fn exp_sum_roofline(values: &[f32], _threads: u32) -> f64 {
    core::exp_sum_roofline(values, 1)
}

/// Benchmarks only: the instruction set the Sinkhorn kernels use.
#[wasm_bindgen(js_name = simdLevel)]
pub fn simd_level() -> String {
    core::simd_level().to_string()
}

/// Does nothing, which is the point: wasm-bindgen's glue swaps in the fresh instance scheduled
/// by a panic at the start of the next export call, but (as of 0.2.130) only after that call has
/// copied its arguments into the old instance's memory. The TypeScript layer calls this
/// argument-free export right after a trap, so the swap happens before real work.
#[wasm_bindgen(js_name = recoverAfterTrap)]
pub fn recover_after_trap() {}

/// Panics on purpose: the tests use it to prove the module recovers from a trap.
#[wasm_bindgen(js_name = panicForTests)]
pub fn panic_for_tests() {
    panic!("monge-wasm: deliberate panic for tests");
}
