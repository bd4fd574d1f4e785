//! The native Node.js addon of monge.
//!
//! Thin by design: each export borrows its typed-array arguments (napi hands Rust a slice over
//! the JavaScript buffer: no copy in), calls `monge-core`, and moves the result `Vec` into a new
//! typed array (the buffer is adopted: no copy out). Core errors become JavaScript errors in
//! [`to_js_error`]; every export has `catch_unwind`, so a Rust panic surfaces as an ordinary
//! error instead of aborting the Node process. The long solves (`entropic`, `exact`) return
//! promises and run on libuv's thread pool.
#![deny(clippy::all)]

pub mod entropic;
pub mod exact;

use monge_core as core;
use napi::bindgen_prelude::{Float64Array, Int32Array};
use napi_derive::napi;
use std::panic::{catch_unwind, AssertUnwindSafe};

/// The one mapping from core errors to JavaScript: the message is the error's JSON, which the
/// TypeScript layer turns into a `MongeError` with its code and details.
pub(crate) fn to_js_error(e: core::Error) -> napi::Error {
    napi::Error::new(napi::Status::InvalidArg, e.to_json())
}

/// Runs `work`, turning a panic into an error (the synchronous exports get this from
/// `#[napi(catch_unwind)]`; tasks need it by hand).
pub(crate) fn guarded<R>(what: &str, work: impl FnOnce() -> napi::Result<R>) -> napi::Result<R> {
    catch_unwind(AssertUnwindSafe(work)).unwrap_or_else(|payload| {
        let detail = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        Err(napi::Error::new(napi::Status::GenericFailure, format!("monge-node: panic in {what}: {detail}")))
    })
}

pub(crate) fn points(data: &[f64], n: u32, dim: u32) -> core::Points<'_> {
    core::Points::new(data, n as usize, dim as usize)
}

/// Plan indices cross as `Int32Array`; the TypeScript layer caps sizes below 2^31.
pub(crate) fn indices(v: Vec<u32>) -> Int32Array {
    Int32Array::new(v.into_iter().map(|i| i as i32).collect())
}

/// A cost matrix, row-major `n × m` (the core checks that the dimensions agree).
#[napi(catch_unwind)]
#[allow(clippy::too_many_arguments)]
pub fn dist(
    x: &[f64],
    n: u32,
    x_dim: u32,
    y: &[f64],
    m: u32,
    y_dim: u32,
    metric: String,
    p: f64,
) -> napi::Result<Float64Array> {
    let metric = core::Metric::parse(&metric, p).map_err(to_js_error)?;
    let out = core::dist(points(x, n, x_dim), points(y, m, y_dim), metric).map_err(to_js_error)?;
    Ok(Float64Array::new(out))
}

/// W_p on the line.
#[napi(js_name = "wasserstein1d", catch_unwind)]
pub fn wasserstein1d(
    u: &[f64],
    v: &[f64],
    u_weights: Option<&[f64]>,
    v_weights: Option<&[f64]>,
    p: f64,
) -> napi::Result<f64> {
    core::wasserstein_1d(u, v, core::Options1d { u_weights, v_weights, p }).map_err(to_js_error)
}

/// The result of `emd1d`: the cost and the sparse plan's three arrays.
#[napi(object, js_name = "Emd1dResult")]
pub struct Emd1dResult {
    /// W_p^p.
    pub cost: f64,
    /// Source indices.
    pub rows: Int32Array,
    /// Target indices.
    pub cols: Int32Array,
    /// Masses.
    pub values: Float64Array,
}

/// Exact 1-D transport: cost and monotone plan.
#[napi(js_name = "emd1d", catch_unwind)]
pub fn emd1d(
    u: &[f64],
    v: &[f64],
    u_weights: Option<&[f64]>,
    v_weights: Option<&[f64]>,
    p: f64,
) -> napi::Result<Emd1dResult> {
    let r = core::emd_1d(u, v, core::Options1d { u_weights, v_weights, p }).map_err(to_js_error)?;
    Ok(Emd1dResult {
        cost: r.cost,
        rows: indices(r.plan.rows),
        cols: indices(r.plan.cols),
        values: Float64Array::new(r.plan.values),
    })
}

/// SW_p between two point clouds (of equal dimension, which the core checks).
#[napi(catch_unwind)]
#[allow(clippy::too_many_arguments)]
pub fn sliced_wasserstein(
    x: &[f64],
    n: u32,
    x_dim: u32,
    y: &[f64],
    m: u32,
    y_dim: u32,
    a: Option<&[f64]>,
    b: Option<&[f64]>,
    n_projections: u32,
    p: f64,
    seed: f64,
    projections: Option<&[f64]>,
) -> napi::Result<f64> {
    let options = core::SlicedOptions {
        a,
        b,
        n_projections: n_projections as usize,
        p,
        seed: seed as u64,
        projections,
    };
    core::sliced_wasserstein(points(x, n, x_dim), points(y, m, y_dim), options).map_err(to_js_error)
}

/// Benchmarks only: `Σ exp(v)` with the Sinkhorn kernels' exponential, on `threads` threads.
#[napi(js_name = "expSumRoofline", catch_unwind)]
pub fn exp_sum_roofline(values: &[f32], threads: u32) -> f64 {
    core::exp_sum_roofline(values, threads as usize)
}

/// Benchmarks only: the instruction set the Sinkhorn kernels use on this CPU.
#[napi(js_name = "simdLevel")]
pub fn simd_level() -> String {
    core::simd_level().to_string()
}

/// Panics on purpose: the tests use it to prove a panic leaves the process alive.
#[napi(catch_unwind)]
pub fn panic_for_tests() {
    panic!("monge-node: deliberate panic for tests");
}
