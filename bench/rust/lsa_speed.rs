//! Quick timing of the assignment solvers (no Node involved):
//! `cargo run --release -p monge-core --example lsa_speed -- [n] [repetitions] [geometric]`:
//! uniform random costs in [0, 1), or with a third argument 1, squared distances between two
//! uniform clouds in the unit square (the benchmark's cases).

use monge_core::{auction, dist, linear_sum_assignment, AssignmentOptions, Metric, Points, Rng};
use std::time::Instant;

fn main() {
    let args: Vec<usize> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
    let n = args.first().copied().unwrap_or(500);
    let reps = args.get(1).copied().unwrap_or(20);
    let geometric = args.get(2).copied().unwrap_or(0) == 1;
    let mut rng = Rng::new(3);
    let cost: Vec<f64> = if geometric {
        let x: Vec<f64> = (0..2 * n).map(|_| rng.uniform_open()).collect();
        let y: Vec<f64> = (0..2 * n).map(|_| rng.uniform_open()).collect();
        dist(Points::new(&x, n, 2), Points::new(&y, n, 2), Metric::SqEuclidean).unwrap()
    } else {
        (0..n * n).map(|_| rng.uniform_open()).collect()
    };
    let mut best = f64::INFINITY;
    let mut total = 0.0;
    for _ in 0..reps {
        let t = Instant::now();
        total = linear_sum_assignment(&cost, n, n, AssignmentOptions::default()).unwrap().cost;
        best = best.min(t.elapsed().as_secs_f64());
    }
    println!("linearSumAssignment n = {n}: best of {reps} {:.3} ms, cost {total:.15}", best * 1e3);
    let t = Instant::now();
    let r = auction(&cost, n, n, Default::default()).unwrap();
    println!(
        "auction: {:.3} ms, cost {:.15}, gap bound {:e}",
        t.elapsed().as_secs_f64() * 1e3,
        r.cost,
        r.gap_bound
    );
}
