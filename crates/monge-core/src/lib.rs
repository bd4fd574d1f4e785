//! # monge-core
//!
//! The algorithms of monge, optimal transport for JavaScript and TypeScript, in pure Rust with
//! no FFI. The Node addon (`monge-node`) and the WebAssembly module (`monge-wasm`) only convert
//! arguments and errors (both from one declaration of the surface, `crates/surface.rs`);
//! everything that computes lives here, so every backend gives the same numbers.
//!
//! ## Contents
//! - [`dist`]: cost matrices between point clouds ([`Metric`]).
//! - [`wasserstein_1d`], [`emd_1d`]: exact transport on the real line, any `p ≥ 1`, weighted.
//! - [`sliced_wasserstein`]: the sliced distance over seeded random directions
//!   ([`random_projections`]).
//! - [`emd`]: exact optimal transport (network simplex) with a sparse plan and dual certificates.
//! - [`linear_sum_assignment`]: the optimal assignment (Jonker–Volgenant shortest augmenting
//!   paths), rectangular, with forbidden pairs; [`auction`]: the same problem by Bertsekas'
//!   auction with epsilon-scaling, with prices and a bound on its distance to the optimum.
//! - [`sinkhorn`]: entropic OT by log-domain Sinkhorn iterations, `f32` or `f64`, on a dense
//!   cost or on point clouds whose costs are computed on the fly ([`Cost`]);
//!   [`sinkhorn_unbalanced`]: KL-relaxed marginals; [`sinkhorn_divergence`]: the debiased
//!   divergence between point clouds and its gradients.
//! - [`Resumable`], [`Control`], [`drive`]: long solves as state that runs a budget of work at
//!   a time, can be stopped and reports its [`Progress`].
//! - [`Error`]: the one error type, with an [`ErrorKind`] and named details.
//!
//! ## Which solver do I want?
//! - Two samples of real numbers: [`wasserstein_1d`] for the distance, [`emd_1d`] for the plan.
//! - Two point clouds in `d > 1` dimensions and a cheap, differentiable-in-spirit proxy of
//!   `W_p`: [`sliced_wasserstein`], `O(L (n + m) log(n + m))` for `L` directions.
//! - Two weighted histograms and a cost matrix, exact: [`emd`].
//! - The same, large, smooth or to differentiate: [`sinkhorn`] (a regularisation `ε` trades
//!   accuracy for speed); masses that differ: [`sinkhorn_unbalanced`]; a loss between point
//!   clouds: [`sinkhorn_divergence`].
//! - A one-to-one matching of `n` items to `m ≥ n` items: [`linear_sum_assignment`].
//!
//! ## API themes
//! - **Borrowed input, owned output.** Solvers read slices (`&[f64]`, [`Points`], [`Cost`])
//!   and return owned result structs; inputs are never modified.
//! - **One options struct per solver**, with `Default` (or a constructor taking what is
//!   required, as [`SinkhornOptions::new`]); the solver checks it once when it starts.
//! - **Every failure is an [`Error`]**: bad input names its argument and, where it applies,
//!   the index of the first bad value; an output too large is [`ErrorKind::TooLarge`] before
//!   anything is allocated. Non-convergence is not an error: results say `converged` or carry
//!   a status.
//! - **Plain function, or resumable solver.** Each iterative solver has a function that runs it
//!   to the end ([`emd`]) and a solver type ([`EmdSolver`]) implementing [`Resumable`]: made
//!   from the problem (which checks it), advanced a budget of units at a time with the same
//!   problem, then finished. [`drive`] runs one under a [`Control`] that may stop it. Both ways
//!   give the same bits.
//! - **Same bits everywhere.** Reductions run in a fixed order whatever the thread count, and
//!   `libm` replaces the platform's maths, so native and WASM builds agree exactly (the
//!   Sinkhorn kernels to rounding, since they use fused multiply-adds where the CPU has them).
//!
//! ## Example
//! ```
//! use monge_core::{sliced_wasserstein, wasserstein_1d, Options1d, Points, SlicedOptions};
//!
//! // W_1 between two samples on the line: every unit of mass moves by 2.
//! assert_eq!(wasserstein_1d(&[0.0, 1.0], &[2.0, 3.0], Options1d::default())?, 2.0);
//!
//! // SW_2 between a square's corners and the same corners shifted by (1, 0).
//! let x = Points::new(&[0.0, 0.0, 1.0, 0.0, 0.0, 1.0, 1.0, 1.0], 4, 2);
//! let y = Points::new(&[1.0, 0.0, 2.0, 0.0, 1.0, 1.0, 2.0, 1.0], 4, 2);
//! let sw = sliced_wasserstein(x, y, SlicedOptions { n_projections: 200, ..Default::default() })?;
//! assert!(sw > 0.5 && sw < 1.0); // SW_2 of a shift t is |t| / sqrt(d) on average
//! # Ok::<(), monge_core::Error>(())
//! ```
#![deny(missing_docs)]
// `unsafe` is written in one module, simd.rs: the two macros there call kernels compiled for an
// instruction set the CPU was checked to have, allow it where they expand and say why it holds.
#![deny(unsafe_code)]

mod assignment;
mod auction;
mod compensated;
mod control;
mod dist;
mod emd;
mod error;
mod input;
mod one_d;
mod parallel;
mod rng;
mod simd;
mod sinkhorn;
mod sliced;
mod sort;

pub use assignment::{
    linear_sum_assignment, Assignment, AssignmentOptions, AssignmentProblem, AssignmentSolver,
};
pub use auction::{auction, AuctionOptions, AuctionResult, AuctionSolver};
pub use control::{aborted, drive, Control, Immediate, Progress, Resumable, Unstoppable};
pub use dist::{dist, Metric};
pub use emd::{emd, Emd, EmdOptions, EmdProblem, EmdSolver, EmdStatus, MASS_TOLERANCE};
pub use error::{Detail, Error, ErrorKind, Result};
pub use input::{Points, MAX_DENSE_ELEMENTS};
pub use one_d::{emd_1d, wasserstein_1d, Emd1d, Options1d, SparsePlan};
pub use rng::Rng;
pub use sinkhorn::{
    exp_sum_roofline, simd_level, sinkhorn, sinkhorn_divergence, sinkhorn_unbalanced, Cost, Divergence,
    DivergenceOptions, DivergenceSolver, Real, Sinkhorn, SinkhornOptions, SinkhornSolver, EPS_SCALING_FACTOR,
    ITERATIONS_PER_STAGE,
};
pub use sliced::{random_projections, sliced_wasserstein, SlicedOptions};
