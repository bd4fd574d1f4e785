//! The WebAssembly module of monge (built with `+simd128`).
//!
//! Thin by design: the solver surface is declared once, in `crates/surface.rs`, for this module
//! and the native addon alike; this crate says what its declarations become here. Every op
//! takes one plain JavaScript object (its typed arrays copied once into the module's memory)
//! and returns a [`Run`]: the solve, started and checked, which JavaScript advances a budget of
//! units at a time (`advance`), so that a solve on the page's thread can yield to the event
//! loop between slices, read `progress()` and stop when aborted; `finish()` returns the result
//! as a plain object with fresh typed arrays. The arithmetic does not depend on the slicing.
//! Core errors become JavaScript errors in `to_js_error`.
//!
//! Panics: the module is built with `panic=abort`, so a panic traps the instance. The panic hook
//! installed by `on_start` schedules a re-instantiation first, so the call that panicked throws a
//! `RuntimeError` and the next call runs on a fresh instance (see [`recover_after_trap`]).

use js_sys::{Object, Reflect};
use monge_core as core;
use monge_core::Resumable;
use surface::Job;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Typed arrays live in the module's memory as vectors; the surface's names resolve to them.
type Float64Array = Vec<f64>;
type Float32Array = Vec<f32>;
type Int32Array = Vec<i32>;

/// One of two array types (a Sinkhorn result is in the precision it was solved in).
pub enum Either<A, B> {
    /// The first.
    A(A),
    /// The second.
    B(B),
}

/// The one mapping from core errors to JavaScript: the message is the error's JSON, which the
/// TypeScript layer turns into a `MongeError` with its code and details.
fn to_js_error(e: core::Error) -> JsError {
    JsError::new(&e.to_json())
}

/// An argument object that does not have the shape the surface declares. The TypeScript layer
/// builds these objects, so this is a bug there, reported as such.
fn malformed(field: &str, want: &str) -> core::Error {
    core::Error::about(
        core::ErrorKind::InvalidInput,
        field,
        format!("monge-wasm: the argument object's field {field} is not {want}"),
    )
}

/// `snake_case` to `camelCase`: the surface's field names as JavaScript spells them.
fn camel(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut upper = false;
    for c in name.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

fn field(object: &JsValue, name: &str) -> JsValue {
    Reflect::get(object, &JsValue::from_str(&camel(name))).unwrap_or(JsValue::UNDEFINED)
}

fn set(object: &Object, name: &str, value: JsValue) {
    // Setting a property of a fresh plain object cannot fail.
    let _ = Reflect::set(object, &JsValue::from_str(&camel(name)), &value);
}

/// A value read from a field of an argument object.
trait FromJs: Sized {
    fn from_js(value: JsValue, name: &str) -> Result<Self, core::Error>;
}

/// A value written into a field of a result object.
trait IntoJs {
    fn into_js(self) -> JsValue;
}

impl FromJs for f64 {
    fn from_js(value: JsValue, name: &str) -> Result<Self, core::Error> {
        value.as_f64().ok_or_else(|| malformed(name, "a number"))
    }
}

impl FromJs for u32 {
    fn from_js(value: JsValue, name: &str) -> Result<Self, core::Error> {
        // The TypeScript layer has checked the range; `as` saturates anyway.
        value.as_f64().map(|v| v as u32).ok_or_else(|| malformed(name, "a number"))
    }
}

impl FromJs for bool {
    fn from_js(value: JsValue, name: &str) -> Result<Self, core::Error> {
        value.as_bool().ok_or_else(|| malformed(name, "a boolean"))
    }
}

impl FromJs for String {
    fn from_js(value: JsValue, name: &str) -> Result<Self, core::Error> {
        value.as_string().ok_or_else(|| malformed(name, "a string"))
    }
}

impl FromJs for Vec<f64> {
    fn from_js(value: JsValue, name: &str) -> Result<Self, core::Error> {
        Ok(value.dyn_into::<js_sys::Float64Array>().map_err(|_| malformed(name, "a Float64Array"))?.to_vec())
    }
}

impl FromJs for Vec<f32> {
    fn from_js(value: JsValue, name: &str) -> Result<Self, core::Error> {
        Ok(value.dyn_into::<js_sys::Float32Array>().map_err(|_| malformed(name, "a Float32Array"))?.to_vec())
    }
}

impl FromJs for Vec<i32> {
    fn from_js(value: JsValue, name: &str) -> Result<Self, core::Error> {
        Ok(value.dyn_into::<js_sys::Int32Array>().map_err(|_| malformed(name, "an Int32Array"))?.to_vec())
    }
}

impl FromJs for Either<Vec<f64>, Vec<f32>> {
    fn from_js(value: JsValue, name: &str) -> Result<Self, core::Error> {
        if value.is_instance_of::<js_sys::Float32Array>() {
            Vec::<f32>::from_js(value, name).map(Either::B)
        } else {
            Vec::<f64>::from_js(value, name).map(Either::A)
        }
    }
}

impl<T: FromJs> FromJs for Option<T> {
    fn from_js(value: JsValue, name: &str) -> Result<Self, core::Error> {
        if value.is_undefined() || value.is_null() {
            Ok(None)
        } else {
            T::from_js(value, name).map(Some)
        }
    }
}

impl IntoJs for f64 {
    fn into_js(self) -> JsValue {
        JsValue::from_f64(self)
    }
}

impl IntoJs for u32 {
    fn into_js(self) -> JsValue {
        JsValue::from(self)
    }
}

impl IntoJs for bool {
    fn into_js(self) -> JsValue {
        JsValue::from_bool(self)
    }
}

impl IntoJs for String {
    fn into_js(self) -> JsValue {
        JsValue::from_str(&self)
    }
}

impl IntoJs for Vec<f64> {
    fn into_js(self) -> JsValue {
        js_sys::Float64Array::from(&self[..]).into()
    }
}

impl IntoJs for Vec<f32> {
    fn into_js(self) -> JsValue {
        js_sys::Float32Array::from(&self[..]).into()
    }
}

impl IntoJs for Vec<i32> {
    fn into_js(self) -> JsValue {
        js_sys::Int32Array::from(&self[..]).into()
    }
}

impl<T: IntoJs> IntoJs for Option<T> {
    fn into_js(self) -> JsValue {
        self.map_or(JsValue::UNDEFINED, IntoJs::into_js)
    }
}

impl<A: IntoJs, B: IntoJs> IntoJs for Either<A, B> {
    fn into_js(self) -> JsValue {
        match self {
            Either::A(a) => a.into_js(),
            Either::B(b) => b.into_js(),
        }
    }
}

/// A started solve of some op, behind one type so that one [`Run`] class serves every op.
trait Running {
    fn advance(&mut self, budget: usize) -> core::Result<bool>;
    fn progress(&self) -> core::Progress;
    fn finish(self: Box<Self>) -> core::Result<JsValue>;
}

struct Started<J: Job> {
    job: J,
    solver: J::Solver,
}

impl<J: Job> Running for Started<J>
where
    J::Out: IntoJs,
{
    fn advance(&mut self, budget: usize) -> core::Result<bool> {
        self.solver.advance(&self.job.problem(), budget)
    }
    fn progress(&self) -> core::Progress {
        self.solver.progress()
    }
    fn finish(self: Box<Self>) -> core::Result<JsValue> {
        let Started { job, solver } = *self;
        let out = solver.finish(&job.problem())?;
        Ok(J::output(out).into_js())
    }
}

fn start<J: Job + 'static>(job: J) -> Result<Run, JsError>
where
    J::Out: IntoJs,
    J::Solver: 'static,
{
    let solver = job.start().map_err(to_js_error)?;
    Ok(Run { inner: Some(Box::new(Started { job, solver })) })
}

/// A solve in progress: `advance(budget)` until it returns `true`, then `finish()`.
#[wasm_bindgen]
pub struct Run {
    inner: Option<Box<dyn Running>>,
}

#[wasm_bindgen]
impl Run {
    /// Runs at most `budget` units of work (at least one); `true` once only `finish` is left.
    pub fn advance(&mut self, budget: u32) -> Result<bool, JsError> {
        match self.inner.as_mut() {
            Some(run) => run.advance(budget as usize).map_err(to_js_error),
            None => Ok(true),
        }
    }

    /// Where the solve stands: `{ iteration, error? }`.
    pub fn progress(&self) -> JsValue {
        let p = self.inner.as_ref().map(|r| r.progress()).unwrap_or_default();
        let out = Object::new();
        set(&out, "iteration", JsValue::from_f64(p.iteration as f64));
        set(&out, "error", p.error.into_js());
        out.into()
    }

    /// The result, as a plain object (once; the run is spent afterwards).
    pub fn finish(&mut self) -> Result<JsValue, JsError> {
        let run =
            self.inner.take().ok_or_else(|| JsError::new("monge-wasm: this run has finished already"))?;
        run.finish().map_err(to_js_error)
    }
}

/// Objects become structs read from and written to plain objects; ops become functions that
/// start a [`Run`].
macro_rules! surface {
    (
        objects { $( $(#[doc = $od:tt])* object $name:ident { $( $field:ident : $ty:ty ),* $(,)? } )* }
        ops { $( $(#[doc = $pd:tt])* op $op:ident : $js:tt ( $args:ident => $job:ident ) -> $ts:tt ; )* }
    ) => {
        $(
            $(#[doc = $od])*
            pub struct $name { $( #[allow(missing_docs)] pub $field: $ty ),* }

            impl FromJs for $name {
                fn from_js(value: JsValue, name: &str) -> Result<Self, core::Error> {
                    if !value.is_object() {
                        return Err(malformed(name, "an object"));
                    }
                    Ok($name { $( $field: FromJs::from_js(field(&value, stringify!($field)), stringify!($field))? ),* })
                }
            }

            impl IntoJs for $name {
                fn into_js(self) -> JsValue {
                    let out = Object::new();
                    $( set(&out, stringify!($field), self.$field.into_js()); )*
                    out.into()
                }
            }
        )*
        /// The names of the ops, as JavaScript calls them.
        #[wasm_bindgen]
        pub fn ops() -> Vec<String> {
            vec![$($js.to_string()),*]
        }
        $(
            $(#[doc = $pd])*
            #[wasm_bindgen(js_name = $js)]
            pub fn $op(args: JsValue) -> Result<Run, JsError> {
                let args = <$args as FromJs>::from_js(args, "args").map_err(to_js_error)?;
                start(<$job>::from(args))
            }
        )*
    };
}

/// The declared surface (see `crates/surface.rs`).
// Its `.into()` makes napi-rs typed arrays from vectors; here, where both are vectors, it is
// the identity.
#[allow(clippy::useless_conversion)]
mod surface {
    use super::*;
    include!("../../surface.rs");
}

/// Runs when the module is instantiated: after any panic, the next call gets a new instance.
#[wasm_bindgen(start)]
fn on_start() {
    std::panic::set_hook(Box::new(|_| wasm_bindgen::handler::schedule_reinit()));
}

/// Benchmarks only: `Σ exp(v)` with the Sinkhorn kernels' exponential.
#[wasm_bindgen(js_name = expSumRoofline)]
pub fn exp_sum_roofline(values: &[f32], _threads: u32) -> f64 {
    core::exp_sum_roofline(values, 1)
}

/// Benchmarks only: receives `values` and does nothing with them, so that timing it times what
/// passing an array costs (the glue's copy into the module's memory).
#[wasm_bindgen(js_name = copyInForBenchmarks)]
pub fn copy_in_for_benchmarks(values: &[f32]) -> u32 {
    values.len() as u32
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
