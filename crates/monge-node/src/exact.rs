//! The exact solvers (`emd`, `linearSumAssignment`, `auction`), run off the JavaScript thread.
//!
//! Like the Sinkhorn family (see `entropic`), each export returns a promise and the solve runs
//! on libuv's thread pool (napi `AsyncTask`): a 5,000 × 5,000 `emd` takes seconds, during which
//! the event loop stays free. The typed arrays are held by reference, not copied; JavaScript
//! must not write to them while a call is pending.

use crate::{guarded, indices, to_js_error};
use monge_core as core;
use napi::bindgen_prelude::{AsyncTask, Float64Array, Int32Array};
use napi::{Env, Task};
use napi_derive::napi;

/// An `emd` call's arguments, held until the thread pool runs it.
pub struct EmdTask {
    a: Float64Array,
    b: Float64Array,
    cost: Float64Array,
    max_iter: u32,
}

/// The result of `emd`.
#[napi(object)]
pub struct EmdResult {
    /// The transport cost.
    pub cost: f64,
    /// Source indices of the plan's entries.
    pub rows: Int32Array,
    /// Target indices.
    pub cols: Int32Array,
    /// Masses.
    pub values: Float64Array,
    /// Source potentials.
    pub u: Float64Array,
    /// Target potentials.
    pub v: Float64Array,
    /// `|a·u + b·v − cost|`.
    pub dual_gap: f64,
    /// Simplex pivots.
    pub iterations: u32,
    /// `optimal` or `maxIterReached`.
    pub status: String,
}

impl Task for EmdTask {
    type Output = core::Emd;
    type JsValue = EmdResult;

    fn compute(&mut self) -> napi::Result<core::Emd> {
        guarded("emd", || {
            let options = core::EmdOptions { max_iter: self.max_iter as usize };
            core::emd(&self.a, &self.b, &self.cost, options).map_err(to_js_error)
        })
    }

    fn resolve(&mut self, _env: Env, r: core::Emd) -> napi::Result<EmdResult> {
        Ok(EmdResult {
            cost: r.cost,
            rows: indices(r.plan.rows),
            cols: indices(r.plan.cols),
            values: Float64Array::new(r.plan.values),
            u: Float64Array::new(r.u),
            v: Float64Array::new(r.v),
            dual_gap: r.dual_gap,
            iterations: r.iterations as u32,
            status: r.status.name().to_string(),
        })
    }
}

/// Exact optimal transport by network simplex. Resolves off the JavaScript thread.
#[napi(catch_unwind, ts_return_type = "Promise<EmdResult>")]
pub fn emd(a: Float64Array, b: Float64Array, cost: Float64Array, max_iter: u32) -> AsyncTask<EmdTask> {
    AsyncTask::new(EmdTask { a, b, cost, max_iter })
}

/// A `linearSumAssignment` call's arguments, held until the thread pool runs it.
pub struct AssignmentTask {
    cost: Float64Array,
    rows: u32,
    cols: u32,
    maximize: bool,
}

/// The result of `linearSumAssignment`.
#[napi(object)]
pub struct AssignmentResult {
    /// Matched rows, ascending.
    pub row_ind: Int32Array,
    /// The column of each matched row.
    pub col_ind: Int32Array,
    /// The total cost.
    pub cost: f64,
}

impl Task for AssignmentTask {
    type Output = core::Assignment;
    type JsValue = AssignmentResult;

    fn compute(&mut self) -> napi::Result<core::Assignment> {
        guarded("linearSumAssignment", || {
            let options = core::AssignmentOptions { maximize: self.maximize };
            core::linear_sum_assignment(&self.cost, self.rows as usize, self.cols as usize, options)
                .map_err(to_js_error)
        })
    }

    fn resolve(&mut self, _env: Env, r: core::Assignment) -> napi::Result<AssignmentResult> {
        Ok(AssignmentResult { row_ind: indices(r.row_ind), col_ind: indices(r.col_ind), cost: r.cost })
    }
}

/// Optimal assignment of a `rows × cols` cost matrix. Resolves off the JavaScript thread.
#[napi(js_name = "linearSumAssignment", catch_unwind, ts_return_type = "Promise<AssignmentResult>")]
pub fn linear_sum_assignment(
    cost: Float64Array,
    rows: u32,
    cols: u32,
    maximize: bool,
) -> AsyncTask<AssignmentTask> {
    AsyncTask::new(AssignmentTask { cost, rows, cols, maximize })
}

/// An `auction` call's arguments, held until the thread pool runs it.
pub struct AuctionTask {
    cost: Float64Array,
    rows: u32,
    cols: u32,
    options: core::AuctionOptions,
}

/// The result of `auction`.
#[napi(object)]
pub struct AuctionResult {
    /// All rows, ascending.
    pub row_ind: Int32Array,
    /// The column of each row.
    pub col_ind: Int32Array,
    /// The total cost.
    pub cost: f64,
    /// Final column prices (benefit units).
    pub prices: Float64Array,
    /// Bound on cost minus the optimum.
    pub gap_bound: f64,
}

impl Task for AuctionTask {
    type Output = core::AuctionResult;
    type JsValue = AuctionResult;

    fn compute(&mut self) -> napi::Result<core::AuctionResult> {
        guarded("auction", || {
            core::auction(&self.cost, self.rows as usize, self.cols as usize, self.options)
                .map_err(to_js_error)
        })
    }

    fn resolve(&mut self, _env: Env, r: core::AuctionResult) -> napi::Result<AuctionResult> {
        Ok(AuctionResult {
            row_ind: indices(r.row_ind),
            col_ind: indices(r.col_ind),
            cost: r.cost,
            prices: Float64Array::new(r.prices),
            gap_bound: r.gap_bound,
        })
    }
}

/// Assignment by the epsilon-scaling auction. Resolves off the JavaScript thread.
#[napi(catch_unwind, ts_return_type = "Promise<AuctionResult>")]
pub fn auction(
    cost: Float64Array,
    rows: u32,
    cols: u32,
    maximize: bool,
    epsilon: Option<f64>,
    scaling: f64,
) -> AsyncTask<AuctionTask> {
    AsyncTask::new(AuctionTask {
        cost,
        rows,
        cols,
        options: core::AuctionOptions { maximize, epsilon, scaling },
    })
}
