//! The native Node.js addon of monge.
//!
//! Thin by design: the solver surface is declared once, in `crates/surface.rs`, for this addon
//! and the WASM module alike; this crate says what its declarations become here. Every op
//! takes one argument object (typed arrays borrowed in place: no copy in) and a
//! [`SolveControl`], and returns a promise: the solve runs on libuv's thread pool (napi
//! `AsyncTask`), polling the control between units of work, so `cancel()` stops it within one
//! unit (an iteration, a pivot, an augmenting path) and the promise rejects with `ABORTED`.
//! Progress is published to the control, which JavaScript reads when it likes: no call into
//! JavaScript from the pool. Result vectors are adopted by the returned typed arrays (no copy
//! out). Core errors become JavaScript errors in `to_js_error`; a Rust panic is caught and
//! surfaces as an ordinary error instead of aborting the Node process.
//!
//! JavaScript must not write to the input arrays while a call is pending: they are read in
//! place from another thread.
#![deny(clippy::all)]

use monge_core as core;
use napi::bindgen_prelude::{
    AsyncTask, Either, Float32Array, Float64Array, Int32Array, ToNapiValue, TypeName,
};
use napi::{Env, Task};
use napi_derive::napi;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;

/// The one mapping from core errors to JavaScript: the message is the error's JSON, which the
/// TypeScript layer turns into a `MongeError` with its code and details.
fn to_js_error(e: core::Error) -> napi::Error {
    napi::Error::new(napi::Status::InvalidArg, e.to_json())
}

/// Runs `work`, turning a panic into an error.
fn guarded<R>(what: &str, work: impl FnOnce() -> napi::Result<R>) -> napi::Result<R> {
    catch_unwind(AssertUnwindSafe(work)).unwrap_or_else(|payload| {
        let detail = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        Err(napi::Error::new(napi::Status::GenericFailure, format!("monge-node: panic in {what}: {detail}")))
    })
}

/// What a solve and its JavaScript caller share: the stop flag and the latest progress.
#[derive(Default)]
struct Shared {
    stop: AtomicBool,
    iteration: AtomicU64,
    /// The error measure's bits; NaN when the solver has none.
    error: AtomicU64,
}

impl core::Control for Shared {
    fn stopped(&self) -> bool {
        self.stop.load(Ordering::Relaxed)
    }
    fn report(&self, p: core::Progress) {
        self.iteration.store(p.iteration as u64, Ordering::Relaxed);
        self.error.store(p.error.unwrap_or(f64::NAN).to_bits(), Ordering::Relaxed);
    }
}

/// Where a solve stands.
#[napi(object)]
pub struct ProgressReport {
    /// Units of work done (iterations, pivots, augmenting paths, bids).
    pub iteration: f64,
    /// The solver's error measure, when it has one.
    pub error: Option<f64>,
}

/// The handle JavaScript keeps on running solves: `cancel()` stops them, `progress()` reads
/// where the latest report left them. One control may serve several calls.
#[napi]
pub struct SolveControl {
    shared: Arc<Shared>,
}

#[napi]
impl SolveControl {
    /// A control nobody has cancelled yet.
    #[napi(constructor)]
    #[allow(clippy::new_without_default)]
    pub fn new() -> Self {
        SolveControl {
            shared: Arc::new(Shared { error: AtomicU64::new(f64::NAN.to_bits()), ..Default::default() }),
        }
    }

    /// Asks the solves to stop at their next unit of work.
    #[napi]
    pub fn cancel(&self) {
        self.shared.stop.store(true, Ordering::Relaxed);
    }

    /// The latest progress report.
    #[napi]
    pub fn progress(&self) -> ProgressReport {
        let error = f64::from_bits(self.shared.error.load(Ordering::Relaxed));
        ProgressReport {
            iteration: self.shared.iteration.load(Ordering::Relaxed) as f64,
            error: (!error.is_nan()).then_some(error),
        }
    }
}

/// One op's call, held until the thread pool runs it.
pub struct Run<J> {
    job: J,
    control: Arc<Shared>,
}

impl<J> Task for Run<J>
where
    J: Job + Send,
    <J::Solver as core::Resumable>::Output: Send + 'static,
    J::Out: ToNapiValue + TypeName,
{
    type Output = <J::Solver as core::Resumable>::Output;
    type JsValue = J::Out;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        guarded(std::any::type_name::<J>(), || {
            let solver = self.job.start().map_err(to_js_error)?;
            core::drive(solver, &self.job.problem(), &*self.control).map_err(to_js_error)
        })
    }

    fn resolve(&mut self, _env: Env, out: Self::Output) -> napi::Result<J::Out> {
        Ok(J::output(out))
    }
}

/// Objects become `#[napi(object)]` structs; ops become functions returning promises that
/// resolve off the JavaScript thread.
macro_rules! surface {
    (
        objects { $( $(#[doc = $od:tt])* object $name:ident { $($body:tt)* } )* }
        ops { $( $(#[doc = $pd:tt])* op $op:ident : $js:tt ( $args:ident => $job:ident ) -> $ts:tt ; )* }
    ) => {
        // The table's docs stay in the table: napi-rs would print them as raw-string tokens.
        $( object!($name [] $($body)*); )*
        /// The names of the ops, as JavaScript calls them.
        #[napi]
        pub fn ops() -> Vec<String> {
            vec![$($js.to_string()),*]
        }
        $(
            #[napi(js_name = $js, ts_return_type = $ts)]
            pub fn $op(args: $args, control: &SolveControl) -> AsyncTask<Run<$job>> {
                AsyncTask::new(Run { job: args.into(), control: control.shared.clone() })
            }
        )*
    };
}

/// One `#[napi(object)]` struct, its fields re-emitted token by token: napi-rs recognises an
/// optional field by the literal `Option<…>` in its type, which a `ty` fragment would hide.
macro_rules! object {
    ($name:ident [$($done:tt)*]) => {
        #[napi(object)]
        pub struct $name { $($done)* }
    };
    ($name:ident [$($done:tt)*] $field:ident : Option<$inner:ty>, $($rest:tt)*) => {
        object!($name [$($done)* pub $field: Option<$inner>,] $($rest)*);
    };
    ($name:ident [$($done:tt)*] $field:ident : $ty:ty, $($rest:tt)*) => {
        object!($name [$($done)* pub $field: $ty,] $($rest)*);
    };
}

include!("../../surface.rs");

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
