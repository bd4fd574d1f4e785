//! Every resumable solver gives the same bits in one slice or in many, and stops when asked.

use monge_core::*;
use std::cell::Cell;

/// Advances in slices of 1, 2, 3, ... units, then finishes.
fn sliced<R: Resumable>(mut solver: R, problem: &R::Problem<'_>) -> Result<R::Output> {
    let mut budget = 1;
    while !solver.advance(problem, budget)? {
        budget = budget % 7 + 1;
    }
    solver.finish(problem)
}

/// Stops the solve after `after` progress reports (one per slice of `drive`), and records the
/// last one.
struct StopAfter {
    after: usize,
    reports: Cell<usize>,
    last: Cell<Progress>,
}

impl StopAfter {
    fn new(after: usize) -> Self {
        StopAfter { after, reports: Cell::new(0), last: Cell::new(Progress::default()) }
    }
}

impl Control for StopAfter {
    fn stopped(&self) -> bool {
        self.reports.get() >= self.after
    }
    fn report(&self, p: Progress) {
        self.reports.set(self.reports.get() + 1);
        self.last.set(p);
    }
}

fn costs(rng: &mut Rng, n: usize, m: usize) -> Vec<f64> {
    let x: Vec<f64> = (0..2 * n).map(|_| rng.uniform_open()).collect();
    let y: Vec<f64> = (0..2 * m).map(|_| rng.uniform_open()).collect();
    dist(Points::new(&x, n, 2), Points::new(&y, m, 2), Metric::SqEuclidean).unwrap()
}

#[test]
fn sinkhorn_family_slices_give_the_same_bits_and_abort() {
    let mut rng = Rng::new(11);
    let (n, m) = (37, 29);
    let c = costs(&mut rng, n, m);
    let cost = Cost::Matrix { data: &c[..], rows: n, cols: m };
    for eps_scaling in [false, true] {
        let opts =
            SinkhornOptions { eps_scaling, return_plan: true, tol: 1e-12, ..SinkhornOptions::new(0.01) };
        let whole = sinkhorn(None, None, cost, &opts).unwrap();
        assert_eq!(sliced(SinkhornSolver::new(None, None, &cost, &opts).unwrap(), &cost).unwrap(), whole);
        let unbalanced = sinkhorn_unbalanced(None, None, cost, 0.5, &opts).unwrap();
        let s = SinkhornSolver::unbalanced(None, None, &cost, 0.5, &opts).unwrap();
        assert_eq!(sliced(s, &cost).unwrap(), unbalanced);

        let stop = StopAfter::new(5);
        let e = drive(SinkhornSolver::new(None, None, &cost, &opts).unwrap(), &cost, &stop).unwrap_err();
        assert_eq!((e.kind(), stop.reports.get()), (ErrorKind::Aborted, 5));
        assert!(stop.last.get().iteration >= 5);
        assert!(stop.last.get().error.is_some() || eps_scaling);
    }
    let x: Vec<f64> = (0..3 * n).map(|_| rng.uniform_open()).collect();
    let y: Vec<f64> = (0..3 * m).map(|_| rng.uniform_open()).collect();
    let (px, py) = (Points::new(&x, n, 3), Points::new(&y, m, 3));
    let points = Cost::Points { x: px, y: py, metric: Metric::Euclidean };
    let opts = SinkhornOptions::new(0.05);
    let whole = sinkhorn::<f32>(None, None, points, &opts).unwrap();
    assert_eq!(
        sliced(SinkhornSolver::<f32>::new(None, None, &points, &opts).unwrap(), &points).unwrap(),
        whole
    );

    let d = DivergenceOptions { sinkhorn: opts, metric: Metric::SqEuclidean, gradient: true };
    let whole = sinkhorn_divergence::<f64>(px, py, None, None, &d).unwrap();
    let solver = DivergenceSolver::<f64>::new(px, py, None, None, &d).unwrap();
    assert_eq!(sliced(solver, &(px, py)).unwrap(), whole);
    let stop = StopAfter::new(3);
    let solver = DivergenceSolver::<f64>::new(px, py, None, None, &d).unwrap();
    assert_eq!(drive(solver, &(px, py), &stop).unwrap_err().kind(), ErrorKind::Aborted);
}

#[test]
fn exact_solvers_slices_give_the_same_bits_and_abort() {
    let mut rng = Rng::new(12);
    let (n, m) = (40, 55);
    let c = costs(&mut rng, n, m);
    let a = vec![1.0 / n as f64; n];
    let mut b: Vec<f64> = (0..m).map(|j| if j % 5 == 0 { 0.0 } else { 1.0 }).collect();
    let total: f64 = b.iter().sum();
    b.iter_mut().for_each(|w| *w /= total);
    let problem = EmdProblem { a: &a, b: &b, cost: &c };
    let whole = emd(&a, &b, &c, EmdOptions::default()).unwrap();
    let s = sliced(EmdSolver::new(&problem, EmdOptions::default()).unwrap(), &problem).unwrap();
    assert_eq!(
        (s.cost, &s.plan.values, &s.u, s.iterations),
        (whole.cost, &whole.plan.values, &whole.u, whole.iterations)
    );
    let stop = StopAfter::new(4);
    let e = drive(EmdSolver::new(&problem, EmdOptions::default()).unwrap(), &problem, &stop).unwrap_err();
    assert_eq!((e.kind(), stop.reports.get()), (ErrorKind::Aborted, 4));
    assert!(stop.last.get().iteration >= 4);

    for (rows, cols) in [(n, m), (m, n), (n, n)] {
        let c = costs(&mut rng, rows, cols);
        let problem = AssignmentProblem { cost: &c, rows, cols };
        for maximize in [false, true] {
            let o = AssignmentOptions { maximize };
            let whole = linear_sum_assignment(&c, rows, cols, o).unwrap();
            assert_eq!(sliced(AssignmentSolver::new(&problem, o).unwrap(), &problem).unwrap(), whole);
        }
        let stop = StopAfter::new(2);
        let e =
            drive(AssignmentSolver::new(&problem, Default::default()).unwrap(), &problem, &stop).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Aborted);
        if rows <= cols {
            let whole = auction(&c, rows, cols, AuctionOptions::default()).unwrap();
            assert_eq!(
                sliced(AuctionSolver::new(&problem, Default::default()).unwrap(), &problem).unwrap(),
                whole
            );
            let stop = StopAfter::new(7);
            let e = drive(AuctionSolver::new(&problem, Default::default()).unwrap(), &problem, &stop)
                .unwrap_err();
            assert_eq!((e.kind(), stop.reports.get()), (ErrorKind::Aborted, 7));
        }
    }
}

#[test]
fn a_resumed_solve_refuses_another_problem() {
    let c = [0.0, 1.0, 1.0, 0.0];
    let problem = AssignmentProblem { cost: &c, rows: 2, cols: 2 };
    let mut s = AssignmentSolver::new(&problem, Default::default()).unwrap();
    let other = AssignmentProblem { cost: &c[..2], rows: 1, cols: 2 };
    assert_eq!(s.advance(&other, 1).unwrap_err().kind(), ErrorKind::InvalidInput);
    let cost = Cost::Matrix { data: &c[..], rows: 2, cols: 2 };
    let mut s = SinkhornSolver::new(None, None, &cost, &SinkhornOptions::new(0.1)).unwrap();
    let wrong = Cost::Matrix { data: &c[..2], rows: 1, cols: 2 };
    assert_eq!(s.advance(&wrong, 1).unwrap_err().kind(), ErrorKind::InvalidInput);
}
