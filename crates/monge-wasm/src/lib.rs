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
