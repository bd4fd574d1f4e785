// The solver surface of monge across the FFI, declared once for both bindings.
//
// `crates/monge-node` and `crates/monge-wasm` each `include!` this file after defining the
// `surface!` macro and the names it uses (`Float64Array`, `Float32Array`, `Int32Array`, `Either`,
// `core`): the node addon turns every `object` into a `#[napi(object)]` struct and every `op`
// into a promise run on libuv's thread pool under a cancellable control; the WASM module turns
// objects into readers and writers of plain JavaScript objects and every op into a `Run` that
// JavaScript advances a slice at a time. What each op computes, and how its arguments become a
// core problem and its result an object, is written below once, in the `Job` impls.
//
// An op line reads `op rust_name: "jsName" (Args => Job) -> "its TypeScript return type"`: the
// function takes the object `Args` and runs the `Job` made from it (most often `Args` itself).
//
// Adding a solver: its objects and `op` line here, its `Job` impl below, the TypeScript function,
// tests. Adding a result field: the field in its object, and the line of its `Job::output`.
//
// Field names are snake_case here and camelCase in JavaScript (both bindings convert). The
// TypeScript package derives its kernel types from the `.d.ts` napi-rs generates from these
// declarations (`ts/backends/kernels.ts`).

surface! {
  objects {
    /// Two point clouds, row-major, and the metric between them (`dist`).
    object DistArgs {
        x: Float64Array,
        n: u32,
        x_dim: u32,
        y: Float64Array,
        m: u32,
        y_dim: u32,
        metric: String,
        p: f64,
    }
    /// A dense row-major matrix (`dist`).
    object MatrixOutput {
        data: Float64Array,
    }
    /// Two weighted samples on the line (`wasserstein1d`, `emd1d`).
    object OneDArgs {
        u: Float64Array,
        v: Float64Array,
        u_weights: Option<Float64Array>,
        v_weights: Option<Float64Array>,
        p: f64,
    }
    /// One number (`wasserstein1d`, `slicedWasserstein`).
    object ValueOutput {
        value: f64,
    }
    /// W_p^p and the sparse monotone plan (`emd1d`).
    object MonotonePlanOutput {
        cost: f64,
        rows: Int32Array,
        cols: Int32Array,
        values: Float64Array,
    }
    /// Two point clouds, their weights and the directions (`slicedWasserstein`).
    object SlicedArgs {
        x: Float64Array,
        n: u32,
        x_dim: u32,
        y: Float64Array,
        m: u32,
        y_dim: u32,
        a: Option<Float64Array>,
        b: Option<Float64Array>,
        n_projections: u32,
        p: f64,
        seed: f64,
        projections: Option<Float64Array>,
    }
    /// Weights and a row-major cost matrix (`emd`).
    object EmdArgs {
        a: Float64Array,
        b: Float64Array,
        cost: Float64Array,
        max_iter: u32,
    }
    /// The sparse optimal plan and its dual certificate (`emd`).
    object EmdOutput {
        cost: f64,
        rows: Int32Array,
        cols: Int32Array,
        values: Float64Array,
        u: Float64Array,
        v: Float64Array,
        dual_gap: f64,
        iterations: u32,
        status: String,
    }
    /// A row-major `rows × cols` cost matrix (`linearSumAssignment`).
    object AssignmentArgs {
        cost: Float64Array,
        rows: u32,
        cols: u32,
        maximize: bool,
    }
    /// Matched rows (ascending) and their columns (`linearSumAssignment`).
    object AssignmentOutput {
        row_ind: Int32Array,
        col_ind: Int32Array,
        cost: f64,
    }
    /// A row-major cost matrix and the auction's `ε` schedule (`auction`).
    object AuctionArgs {
        cost: Float64Array,
        rows: u32,
        cols: u32,
        maximize: bool,
        epsilon: Option<f64>,
        scaling: f64,
    }
    /// The assignment, the final prices and the bound on its distance to the optimum (`auction`).
    object AuctionOutput {
        row_ind: Int32Array,
        col_ind: Int32Array,
        cost: f64,
        prices: Float64Array,
        gap_bound: f64,
    }
    /// The Sinkhorn family's iteration options; `reg_m` set makes the problem unbalanced.
    object SinkhornParams {
        reg: f64,
        max_iter: u32,
        tol: f64,
        eps_scaling: bool,
        return_plan: bool,
        threads: u32,
        reg_m: Option<f64>,
    }
    /// The cost of a Sinkhorn problem besides a dense matrix: its shape, or two point clouds
    /// (`rows × dim` and `cols × dim`) and their metric.
    object CostShape {
        rows: u32,
        cols: u32,
        x: Option<Float64Array>,
        y: Option<Float64Array>,
        dim: u32,
        metric: String,
        p: f64,
    }
    /// A Sinkhorn problem in float64 (`sinkhorn64`), with warm-start potentials when given.
    object Sinkhorn64Args {
        a: Option<Float64Array>,
        b: Option<Float64Array>,
        matrix: Option<Float64Array>,
        shape: CostShape,
        params: SinkhornParams,
        init_f: Option<Float64Array>,
        init_g: Option<Float64Array>,
    }
    /// A Sinkhorn problem in float32 (`sinkhorn32`), with warm-start potentials when given.
    object Sinkhorn32Args {
        a: Option<Float64Array>,
        b: Option<Float64Array>,
        matrix: Option<Float32Array>,
        shape: CostShape,
        params: SinkhornParams,
        init_f: Option<Float64Array>,
        init_g: Option<Float64Array>,
    }
    /// Potentials and plan in the precision solved in, and the solve's measures.
    object SinkhornOutput {
        f: Either<Float64Array, Float32Array>,
        g: Either<Float64Array, Float32Array>,
        cost: f64,
        objective: f64,
        plan: Option<Either<Float64Array, Float32Array>>,
        iterations: u32,
        marginal_error: f64,
        converged: bool,
    }
    /// Two point clouds of one dimension, their weights, the metric (`sinkhornDivergence`).
    object DivergenceArgs {
        x: Float64Array,
        y: Float64Array,
        n: u32,
        m: u32,
        dim: u32,
        a: Option<Float64Array>,
        b: Option<Float64Array>,
        metric: String,
        p: f64,
        params: SinkhornParams,
        gradient: bool,
        float32: bool,
    }
    /// The divergence and, when asked for, its gradients (`sinkhornDivergence`).
    object DivergenceOutput {
        value: f64,
        grad_x: Option<Float64Array>,
        grad_a: Option<Float64Array>,
        iterations: u32,
        converged: bool,
    }
  }
  ops {
    /// A cost matrix between two point clouds.
    op dist: "dist" (DistArgs => DistArgs) -> "Promise<MatrixOutput>";
    /// W_p on the line.
    op wasserstein1d: "wasserstein1d" (OneDArgs => Wasserstein1d) -> "Promise<ValueOutput>";
    /// Exact 1-D transport: cost and monotone plan.
    op emd1d: "emd1d" (OneDArgs => Emd1d) -> "Promise<MonotonePlanOutput>";
    /// SW_p between two point clouds.
    op sliced_wasserstein: "slicedWasserstein" (SlicedArgs => SlicedArgs) -> "Promise<ValueOutput>";
    /// Exact optimal transport by network simplex.
    op emd: "emd" (EmdArgs => EmdArgs) -> "Promise<EmdOutput>";
    /// Optimal assignment (Jonker–Volgenant).
    op linear_sum_assignment: "linearSumAssignment" (AssignmentArgs => AssignmentArgs) -> "Promise<AssignmentOutput>";
    /// Assignment by the epsilon-scaling auction.
    op auction: "auction" (AuctionArgs => AuctionArgs) -> "Promise<AuctionOutput>";
    /// Log-domain Sinkhorn in float64, balanced or unbalanced.
    op sinkhorn64: "sinkhorn64" (Sinkhorn64Args => Sinkhorn64Args) -> "Promise<SinkhornOutput>";
    /// Log-domain Sinkhorn in float32, balanced or unbalanced.
    op sinkhorn32: "sinkhorn32" (Sinkhorn32Args => Sinkhorn32Args) -> "Promise<SinkhornOutput>";
    /// The debiased Sinkhorn divergence between two point clouds.
    op sinkhorn_divergence: "sinkhornDivergence" (DivergenceArgs => DivergenceArgs) -> "Promise<DivergenceOutput>";
  }
}

/// One op of the surface: how its arguments become a core solver and its result an object.
pub trait Job {
    /// The core solver the op runs.
    type Solver: core::Resumable;
    /// The object the op resolves to.
    type Out;
    /// Checks the arguments (in the core) and starts the solve.
    fn start(&self) -> core::Result<Self::Solver>;
    /// The solver's input, borrowed from the arguments.
    fn problem(&self) -> <Self::Solver as core::Resumable>::Problem<'_>;
    /// The result as the op's object.
    fn output(out: <Self::Solver as core::Resumable>::Output) -> Self::Out;
}

/// Plan indices cross as `Int32Array`; the TypeScript layer caps sizes below 2^31.
fn indices(v: Vec<u32>) -> Int32Array {
    v.into_iter().map(|i| i as i32).collect::<Vec<i32>>().into()
}

fn points(data: &[f64], n: u32, dim: u32) -> core::Points<'_> {
    core::Points::new(data, n as usize, dim as usize)
}

impl Job for DistArgs {
    type Solver = core::Immediate<Vec<f64>>;
    type Out = MatrixOutput;
    fn start(&self) -> core::Result<Self::Solver> {
        let metric = core::Metric::parse(&self.metric, self.p)?;
        let (x, y) = (points(&self.x, self.n, self.x_dim), points(&self.y, self.m, self.y_dim));
        Ok(core::Immediate(core::dist(x, y, metric)?))
    }
    fn problem(&self) {}
    fn output(data: Vec<f64>) -> MatrixOutput {
        MatrixOutput { data: data.into() }
    }
}

impl OneDArgs {
    fn options(&self) -> core::Options1d<'_> {
        core::Options1d { u_weights: self.u_weights.as_deref(), v_weights: self.v_weights.as_deref(), p: self.p }
    }
}

/// `wasserstein1d`'s job: the arguments of `emd1d`, a different op.
pub struct Wasserstein1d(OneDArgs);

impl From<OneDArgs> for Wasserstein1d {
    fn from(args: OneDArgs) -> Self {
        Wasserstein1d(args)
    }
}

impl Job for Wasserstein1d {
    type Solver = core::Immediate<f64>;
    type Out = ValueOutput;
    fn start(&self) -> core::Result<Self::Solver> {
        Ok(core::Immediate(core::wasserstein_1d(&self.0.u, &self.0.v, self.0.options())?))
    }
    fn problem(&self) {}
    fn output(value: f64) -> ValueOutput {
        ValueOutput { value }
    }
}

/// `emd1d`'s job.
pub struct Emd1d(OneDArgs);

impl From<OneDArgs> for Emd1d {
    fn from(args: OneDArgs) -> Self {
        Emd1d(args)
    }
}

impl Job for Emd1d {
    type Solver = core::Immediate<core::Emd1d>;
    type Out = MonotonePlanOutput;
    fn start(&self) -> core::Result<Self::Solver> {
        Ok(core::Immediate(core::emd_1d(&self.0.u, &self.0.v, self.0.options())?))
    }
    fn problem(&self) {}
    fn output(r: core::Emd1d) -> MonotonePlanOutput {
        MonotonePlanOutput {
            cost: r.cost,
            rows: indices(r.plan.rows),
            cols: indices(r.plan.cols),
            values: r.plan.values.into(),
        }
    }
}

impl Job for SlicedArgs {
    type Solver = core::Immediate<f64>;
    type Out = ValueOutput;
    fn start(&self) -> core::Result<Self::Solver> {
        let options = core::SlicedOptions {
            a: self.a.as_deref(),
            b: self.b.as_deref(),
            n_projections: self.n_projections as usize,
            p: self.p,
            seed: self.seed as u64,
            projections: self.projections.as_deref(),
        };
        let (x, y) = (points(&self.x, self.n, self.x_dim), points(&self.y, self.m, self.y_dim));
        Ok(core::Immediate(core::sliced_wasserstein(x, y, options)?))
    }
    fn problem(&self) {}
    fn output(value: f64) -> ValueOutput {
        ValueOutput { value }
    }
}

impl Job for EmdArgs {
    type Solver = core::EmdSolver;
    type Out = EmdOutput;
    fn start(&self) -> core::Result<Self::Solver> {
        core::EmdSolver::new(&self.problem(), core::EmdOptions { max_iter: self.max_iter as usize })
    }
    fn problem(&self) -> core::EmdProblem<'_> {
        core::EmdProblem { a: &self.a, b: &self.b, cost: &self.cost }
    }
    fn output(r: core::Emd) -> EmdOutput {
        EmdOutput {
            cost: r.cost,
            rows: indices(r.plan.rows),
            cols: indices(r.plan.cols),
            values: r.plan.values.into(),
            u: r.u.into(),
            v: r.v.into(),
            dual_gap: r.dual_gap,
            iterations: r.iterations as u32,
            status: r.status.name().to_string(),
        }
    }
}

impl Job for AssignmentArgs {
    type Solver = core::AssignmentSolver;
    type Out = AssignmentOutput;
    fn start(&self) -> core::Result<Self::Solver> {
        core::AssignmentSolver::new(&self.problem(), core::AssignmentOptions { maximize: self.maximize })
    }
    fn problem(&self) -> core::AssignmentProblem<'_> {
        core::AssignmentProblem { cost: &self.cost, rows: self.rows as usize, cols: self.cols as usize }
    }
    fn output(r: core::Assignment) -> AssignmentOutput {
        AssignmentOutput { row_ind: indices(r.row_ind), col_ind: indices(r.col_ind), cost: r.cost }
    }
}

impl Job for AuctionArgs {
    type Solver = core::AuctionSolver;
    type Out = AuctionOutput;
    fn start(&self) -> core::Result<Self::Solver> {
        let options = core::AuctionOptions { maximize: self.maximize, epsilon: self.epsilon, scaling: self.scaling };
        core::AuctionSolver::new(&self.problem(), options)
    }
    fn problem(&self) -> core::AssignmentProblem<'_> {
        core::AssignmentProblem { cost: &self.cost, rows: self.rows as usize, cols: self.cols as usize }
    }
    fn output(r: core::AuctionResult) -> AuctionOutput {
        AuctionOutput {
            row_ind: indices(r.row_ind),
            col_ind: indices(r.col_ind),
            cost: r.cost,
            prices: r.prices.into(),
            gap_bound: r.gap_bound,
        }
    }
}

impl SinkhornParams {
    fn options(&self) -> core::SinkhornOptions {
        core::SinkhornOptions {
            reg: self.reg,
            max_iter: self.max_iter as usize,
            tol: self.tol,
            eps_scaling: self.eps_scaling,
            return_plan: self.return_plan,
            threads: self.threads as usize,
        }
    }
}

/// A float type the Sinkhorn family solves in, and its typed array.
trait Dtype: core::Real {
    fn array(v: Vec<Self>) -> Either<Float64Array, Float32Array>;
}

impl Dtype for f64 {
    fn array(v: Vec<f64>) -> Either<Float64Array, Float32Array> {
        Either::A(v.into())
    }
}

impl Dtype for f32 {
    fn array(v: Vec<f32>) -> Either<Float64Array, Float32Array> {
        Either::B(v.into())
    }
}

impl CostShape {
    fn cost<'a, T>(&'a self, matrix: Option<&'a [T]>) -> core::Result<core::Cost<'a, T>> {
        let (rows, cols, dim) = (self.rows as usize, self.cols as usize, self.dim as usize);
        let (x, y) = (self.x.as_deref(), self.y.as_deref());
        core::Cost::from_parts(matrix, rows, cols, x, y, dim, &self.metric, self.p)
    }
}

/// The Sinkhorn job of either precision: the weights, the cost, the options, the warm start.
fn start_sinkhorn<T: core::Real>(
    (a, b): (Option<&[f64]>, Option<&[f64]>),
    cost: &core::Cost<'_, T>,
    params: &SinkhornParams,
    init: (Option<&[f64]>, Option<&[f64]>),
) -> core::Result<core::SinkhornSolver<T>> {
    let options = params.options();
    let solver = match params.reg_m {
        None => core::SinkhornSolver::new(a, b, cost, &options)?,
        Some(reg_m) => core::SinkhornSolver::unbalanced(a, b, cost, reg_m, &options)?,
    };
    match init {
        (Some(f), Some(g)) => solver.warm_start(f, g),
        _ => Ok(solver),
    }
}

fn sinkhorn_output<T: Dtype>(r: core::Sinkhorn<T>) -> SinkhornOutput {
    SinkhornOutput {
        f: T::array(r.f),
        g: T::array(r.g),
        cost: r.cost,
        objective: r.objective,
        plan: r.plan.map(T::array),
        iterations: r.iterations as u32,
        marginal_error: r.marginal_error,
        converged: r.converged,
    }
}

/// The Sinkhorn job of one precision: its arguments differ from the other's only in the
/// matrix's element type.
macro_rules! sinkhorn_job {
    ($args:ident, $t:ty) => {
        impl Job for $args {
            type Solver = core::SinkhornSolver<$t>;
            type Out = SinkhornOutput;
            fn start(&self) -> core::Result<Self::Solver> {
                let cost = self.shape.cost(self.matrix.as_deref())?;
                let init = (self.init_f.as_deref(), self.init_g.as_deref());
                start_sinkhorn((self.a.as_deref(), self.b.as_deref()), &cost, &self.params, init)
            }
            fn problem(&self) -> core::Cost<'_, $t> {
                // A malformed cost (neither a matrix nor clouds) was refused by `start`.
                let empty = core::Cost::Matrix { data: &[], rows: 0, cols: 0 };
                self.shape.cost(self.matrix.as_deref()).unwrap_or(empty)
            }
            fn output(r: core::Sinkhorn<$t>) -> SinkhornOutput {
                sinkhorn_output(r)
            }
        }
    };
}

sinkhorn_job!(Sinkhorn64Args, f64);
sinkhorn_job!(Sinkhorn32Args, f32);

/// A divergence solve in either precision (the two share their input and output).
pub enum DivergenceRun {
    F64(core::DivergenceSolver<f64>),
    F32(core::DivergenceSolver<f32>),
}

impl core::Resumable for DivergenceRun {
    type Problem<'p> = (core::Points<'p>, core::Points<'p>);
    type Output = core::Divergence;
    fn advance(&mut self, clouds: &Self::Problem<'_>, budget: usize) -> core::Result<bool> {
        match self {
            DivergenceRun::F64(s) => s.advance(clouds, budget),
            DivergenceRun::F32(s) => s.advance(clouds, budget),
        }
    }
    fn progress(&self) -> core::Progress {
        match self {
            DivergenceRun::F64(s) => s.progress(),
            DivergenceRun::F32(s) => s.progress(),
        }
    }
    fn finish(self, clouds: &Self::Problem<'_>) -> core::Result<core::Divergence> {
        match self {
            DivergenceRun::F64(s) => s.finish(clouds),
            DivergenceRun::F32(s) => s.finish(clouds),
        }
    }
}

impl Job for DivergenceArgs {
    type Solver = DivergenceRun;
    type Out = DivergenceOutput;
    fn start(&self) -> core::Result<DivergenceRun> {
        let metric = core::Metric::parse(&self.metric, self.p)?;
        let options = core::DivergenceOptions { sinkhorn: self.params.options(), metric, gradient: self.gradient };
        let (x, y) = self.problem();
        let (a, b) = (self.a.as_deref(), self.b.as_deref());
        Ok(if self.float32 {
            DivergenceRun::F32(core::DivergenceSolver::new(x, y, a, b, &options)?)
        } else {
            DivergenceRun::F64(core::DivergenceSolver::new(x, y, a, b, &options)?)
        })
    }
    fn problem(&self) -> (core::Points<'_>, core::Points<'_>) {
        (points(&self.x, self.n, self.dim), points(&self.y, self.m, self.dim))
    }
    fn output(r: core::Divergence) -> DivergenceOutput {
        DivergenceOutput {
            value: r.value,
            grad_x: r.grad_x.map(Into::into),
            grad_a: r.grad_a.map(Into::into),
            iterations: r.iterations as u32,
            converged: r.converged,
        }
    }
}
