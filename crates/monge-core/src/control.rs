//! Long solves as resumable state: run for a budget, report progress, stop when asked.
//!
//! Every iterative solver of the crate is a value implementing [`Resumable`]: made (and its
//! input validated) once, then advanced a few units of work at a time, then finished into its
//! result. The state never borrows the input; the input (the [`Resumable::Problem`]) is handed
//! to every call instead. That is what lets a WebAssembly binding keep a solve alive between
//! calls from JavaScript (and so yield to the event loop between slices), and a native binding
//! poll a cancellation flag between units, while the arithmetic stays the same: a solve run in
//! one slice or in a thousand gives the same bits.
//!
//! A *unit* is each solver's natural step, small enough to poll between: a Sinkhorn iteration,
//! a simplex pivot, one augmenting path of the assignment, one bid of the auction.
//! [`drive`] runs a solver to the end under a [`Control`], which is how the plain functions
//! ([`crate::emd`], [`crate::sinkhorn`], ...) run theirs, with [`Unstoppable`].

use crate::error::{Error, ErrorKind, Result};

/// Where a solve stands, for progress reports.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Progress {
    /// Units done so far (iterations, pivots, augmenting paths, bids).
    pub iteration: usize,
    /// The solver's own error measure, when it has one: the marginal error (Sinkhorn family),
    /// the current `ε` times the bidders (the auction's bound on its distance to the optimum).
    pub error: Option<f64>,
}

/// A solve that runs a budget of work at a time.
pub trait Resumable {
    /// The input, borrowed afresh by every call: it must be the same one every time.
    type Problem<'p>;
    /// What [`Resumable::finish`] returns.
    type Output;

    /// Runs at most `budget` units of work (at least one is always run); returns `true` once
    /// nothing is left but [`Resumable::finish`].
    fn advance(&mut self, problem: &Self::Problem<'_>, budget: usize) -> Result<bool>;

    /// Where the solve stands.
    fn progress(&self) -> Progress;

    /// The result, once [`Resumable::advance`] returned `true` (earlier, the solve is finished
    /// as it stands: the result then says it did not converge, where it can).
    fn finish(self, problem: &Self::Problem<'_>) -> Result<Self::Output>;
}

/// What a running solve asks its caller between units of work.
pub trait Control {
    /// Whether the caller wants the solve stopped (it then fails with [`ErrorKind::Aborted`]).
    fn stopped(&self) -> bool {
        false
    }
    /// Hears where the solve stands; called after every unit, so it must be cheap.
    fn report(&self, _progress: Progress) {}
}

/// The control of a solve nobody stops or watches.
#[derive(Clone, Copy, Debug, Default)]
pub struct Unstoppable;

impl Control for Unstoppable {}

/// The error of a solve stopped by its [`Control`].
pub fn aborted() -> Error {
    Error::new(ErrorKind::Aborted, "the solve was aborted")
}

/// Runs `solver` on `problem` to the end, asking `control` between slices of work.
///
/// A slice starts at one unit and is sized from the last one's duration to take about a
/// millisecond (natively; WASM has no clock here and doubles it each time: its bindings slice
/// from JavaScript instead), so that polling costs nothing for solvers whose units take
/// microseconds (simplex pivots, auction bids) and a stop is heard within a millisecond or one
/// unit, whichever is longer.
///
/// Errors: the solver's own, and [`ErrorKind::Aborted`] as soon as `control` says stop.
pub fn drive<R: Resumable>(
    mut solver: R,
    problem: &R::Problem<'_>,
    control: &dyn Control,
) -> Result<R::Output> {
    let mut budget = 1usize;
    loop {
        if control.stopped() {
            return Err(aborted());
        }
        let slice = Slice::start();
        let done = solver.advance(problem, budget)?;
        control.report(solver.progress());
        if done {
            break;
        }
        budget = slice.next_budget(budget);
    }
    if control.stopped() {
        return Err(aborted());
    }
    solver.finish(problem)
}

/// The timing of one slice of [`drive`].
struct Slice {
    #[cfg(not(target_arch = "wasm32"))]
    started: std::time::Instant,
}

impl Slice {
    fn start() -> Self {
        Slice {
            #[cfg(not(target_arch = "wasm32"))]
            started: std::time::Instant::now(),
        }
    }

    /// The budget of the next slice: doubled while slices take under a quarter of a
    /// millisecond, halved when one takes over two.
    fn next_budget(&self, budget: usize) -> usize {
        #[cfg(not(target_arch = "wasm32"))]
        {
            let took = self.started.elapsed();
            if took < std::time::Duration::from_micros(250) {
                (budget * 2).min(1 << 24)
            } else if took > std::time::Duration::from_millis(2) {
                (budget / 2).max(1)
            } else {
                budget
            }
        }
        #[cfg(target_arch = "wasm32")]
        {
            (budget * 2).min(1 << 24)
        }
    }
}

/// A computation with no steps of its own, done when made: the one-shot solvers (`dist`, the
/// 1-D and sliced distances) through the same [`Resumable`] path as the iterative ones.
#[derive(Clone, Debug)]
pub struct Immediate<T>(pub T);

impl<T> Resumable for Immediate<T> {
    type Problem<'p> = ();
    type Output = T;

    fn advance(&mut self, _problem: &(), _budget: usize) -> Result<bool> {
        Ok(true)
    }

    fn progress(&self) -> Progress {
        Progress::default()
    }

    fn finish(self, _problem: &()) -> Result<T> {
        Ok(self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    /// Counts to `n`, one per unit.
    struct Count {
        at: usize,
        n: usize,
    }

    impl Resumable for Count {
        type Problem<'p> = ();
        type Output = usize;
        fn advance(&mut self, _: &(), budget: usize) -> Result<bool> {
            self.at = (self.at + budget.max(1)).min(self.n);
            Ok(self.at == self.n)
        }
        fn progress(&self) -> Progress {
            Progress { iteration: self.at, error: None }
        }
        fn finish(self, _: &()) -> Result<usize> {
            Ok(self.at)
        }
    }

    struct StopAt {
        at: usize,
        seen: Cell<usize>,
    }

    impl Control for StopAt {
        fn stopped(&self) -> bool {
            self.seen.get() >= self.at
        }
        fn report(&self, p: Progress) {
            self.seen.set(p.iteration);
        }
    }

    #[test]
    fn drive_runs_to_the_end_and_stops_when_asked() {
        assert_eq!(drive(Count { at: 0, n: 5 }, &(), &Unstoppable).unwrap(), 5);
        let stop = StopAt { at: 3, seen: Cell::new(0) };
        let e = drive(Count { at: 0, n: 5 }, &(), &stop).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Aborted);
        assert_eq!(stop.seen.get(), 3);
        assert_eq!(drive(Immediate(7), &(), &Unstoppable).unwrap(), 7);
    }
}
