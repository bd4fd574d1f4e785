//! A Sinkhorn solve as resumable state (a [`Resumable`](crate::Resumable)): one unit is one iteration.

use super::cost::{Cloud, Dense, Source};
use super::passes::Pass;
use super::solve::{logs, measure, Iterate};
use super::{
    check_cost, check_options, diameter, massive_weights, threads_for, Cost, Real, Sinkhorn, SinkhornOptions,
};
use crate::control::{Progress, Resumable};
use crate::error::{Detail, Error, ErrorKind, Result};
use crate::input::{check_finite, dense_output, normalized_weights};
use crate::simd::Level;

/// A balanced or unbalanced Sinkhorn solve in progress, in the precision `T` of the cost.
///
/// Made by [`SinkhornSolver::new`] or [`SinkhornSolver::unbalanced`] (which check every input
/// once), advanced by [`Resumable::advance`] with the same [`Cost`] each time, and finished by
/// [`Resumable::finish`]. [`crate::sinkhorn`] is this, run to the end.
///
/// ```
/// use monge_core::{drive, Cost, Resumable, SinkhornOptions, SinkhornSolver, Unstoppable};
/// let m = [0.0, 1.0, 1.0, 0.0];
/// let cost = Cost::Matrix { data: &m[..], rows: 2, cols: 2 };
/// let mut solver = SinkhornSolver::new(None, None, &cost, &SinkhornOptions::new(0.1))?;
/// while !solver.advance(&cost, 10)? {} // ten iterations at a time
/// let sliced = solver.finish(&cost)?;
/// let whole = drive(SinkhornSolver::new(None, None, &cost, &SinkhornOptions::new(0.1))?, &cost, &Unstoppable)?;
/// assert_eq!(sliced, whole);
/// # Ok::<(), monge_core::Error>(())
/// ```
pub struct SinkhornSolver<T: Real> {
    a: Vec<f64>,
    b: Vec<f64>,
    log_a: Vec<f64>,
    log_b: Vec<f64>,
    /// The clouds in the working type, for point-cloud costs.
    cloud: Option<Cloud<T>>,
    shape: (usize, usize),
    level: Level,
    threads: usize,
    reg: f64,
    it: Iterate,
    plan: Option<Vec<T>>,
}

impl<T: Real> SinkhornSolver<T> {
    /// Starts a balanced solve between weights `a` and `b` (`None`: uniform; others are
    /// normalised to sum 1). Errors: as [`crate::sinkhorn`].
    pub fn new(
        a: Option<&[f64]>,
        b: Option<&[f64]>,
        cost: &Cost<'_, T>,
        options: &SinkhornOptions,
    ) -> Result<Self> {
        check_options(options)?;
        let (n, m) = check_cost(cost)?;
        let a = normalized_weights("a", a, n)?;
        let b = normalized_weights("b", b, m)?;
        Self::start(a, b, cost, options, None)
    }

    /// Starts an unbalanced solve with marginal relaxation `reg_m`; the weights keep their
    /// masses. Errors: as [`crate::sinkhorn_unbalanced`].
    pub fn unbalanced(
        a: Option<&[f64]>,
        b: Option<&[f64]>,
        cost: &Cost<'_, T>,
        reg_m: f64,
        options: &SinkhornOptions,
    ) -> Result<Self> {
        check_options(options)?;
        if !(reg_m.is_finite() && reg_m > 0.0) {
            return Err(Error::about(
                ErrorKind::InvalidInput,
                "regM",
                format!("regM = {reg_m}: the marginal relaxation must be a finite number > 0"),
            )
            .with("value", Detail::Number(reg_m)));
        }
        let (n, m) = check_cost(cost)?;
        let a = massive_weights("a", a, n)?;
        let b = massive_weights("b", b, m)?;
        Self::start(a, b, cost, options, Some(reg_m))
    }

    /// Starts from the potentials `f` (one per source) and `g` (one per target), in cost units,
    /// instead of zeros: a warm start from a nearby problem's solution (POT's `warmstart`).
    ///
    /// Errors: a length other than the problem's ([`ErrorKind::ShapeMismatch`]), a NaN or
    /// infinite value ([`ErrorKind::NonFinite`]).
    pub fn warm_start(mut self, f: &[f64], g: &[f64]) -> Result<Self> {
        for (name, given, want) in [("init.f", f, &mut self.it.f), ("init.g", g, &mut self.it.g)] {
            if given.len() != want.len() {
                return Err(Error::about(
                    ErrorKind::ShapeMismatch,
                    name,
                    format!(
                        "{name} has {} values for {} points: give one potential per point",
                        given.len(),
                        want.len()
                    ),
                )
                .with("expected", Detail::Count(want.len()))
                .with("actual", Detail::Count(given.len())));
            }
            check_finite(name, given)?;
            want.copy_from_slice(given);
        }
        Ok(self)
    }

    fn start(
        a: Vec<f64>,
        b: Vec<f64>,
        cost: &Cost<'_, T>,
        options: &SinkhornOptions,
        rho: Option<f64>,
    ) -> Result<Self> {
        let (n, m) = (a.len(), b.len());
        // The plan is allocated first, so that a plan too large fails before any work.
        let plan = if options.return_plan { Some(dense_output::<T>("plan", n, m)?) } else { None };
        let (scale, cloud) = match *cost {
            Cost::Matrix { data, .. } => (data.iter().fold(0.0f64, |s, &v| s.max(v.to_f64().abs())), None),
            Cost::Points { x, y, metric } => (diameter(x, y, metric), Some(Cloud::new(x, y, metric))),
        };
        Ok(SinkhornSolver {
            log_a: logs(&a),
            log_b: logs(&b),
            a,
            b,
            cloud,
            shape: (n, m),
            level: Level::detect(),
            threads: threads_for(n, m, options.threads),
            reg: options.reg,
            it: Iterate::new(n, m, options, scale, rho),
            plan,
        })
    }
}

/// The costs a solve reads: the clouds it copied, or the caller's matrix, checked to be the
/// shape the solve started with.
pub(super) fn source<'a, T: Real>(
    cloud: &'a Option<Cloud<T>>,
    cost: &Cost<'a, T>,
    shape: (usize, usize),
) -> Result<Source<'a, T>> {
    match (cloud, *cost) {
        (Some(c), Cost::Points { .. }) => Ok(Source::Cloud(c)),
        (None, Cost::Matrix { data, rows, cols }) if (rows, cols) == shape && data.len() == rows * cols => {
            Ok(Source::Dense(Dense { data, rows, cols }))
        }
        _ => Err(Error::about(
            ErrorKind::InvalidInput,
            "M",
            "a resumed solve must be given the cost it started with",
        )),
    }
}

impl<T: Real> Resumable for SinkhornSolver<T> {
    type Problem<'p> = Cost<'p, T>;
    type Output = Sinkhorn<T>;

    fn advance(&mut self, cost: &Cost<'_, T>, budget: usize) -> Result<bool> {
        let src = source(&self.cloud, cost, self.shape)?;
        let pass = Pass::new(&src, self.level, self.threads, &self.log_a, &self.log_b);
        for _ in 0..budget.max(1) {
            if self.it.step(&pass, &self.b) {
                break;
            }
        }
        Ok(self.it.done())
    }

    fn progress(&self) -> Progress {
        Progress { iteration: self.it.schedule.iterations, error: self.it.error }
    }

    fn finish(mut self, cost: &Cost<'_, T>) -> Result<Sinkhorn<T>> {
        let src = source(&self.cloud, cost, self.shape)?;
        let pass = Pass::new(&src, self.level, self.threads, &self.log_a, &self.log_b);
        let solved = measure(&pass, self.it, &self.a, &self.b, self.reg, self.plan.as_deref_mut());
        Ok(solved.with_plan(self.plan).result)
    }
}
