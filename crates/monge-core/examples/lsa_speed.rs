//! Quick timing of the assignment solvers (no Node involved):
//! `cargo run --release -p monge-core --example lsa_speed -- [n] [repetitions]`, uniform random
//! costs in [0, 1), as in the benchmark.

use monge_core::{linear_sum_assignment, AssignmentOptions, Rng};
use std::time::Instant;

fn main() {
    let args: Vec<usize> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
    let n = args.first().copied().unwrap_or(500);
    let reps = args.get(1).copied().unwrap_or(20);
    let mut rng = Rng::new(3);
    let cost: Vec<f64> = (0..n * n).map(|_| rng.uniform_open()).collect();
    let mut best = f64::INFINITY;
    let mut total = 0.0;
    for _ in 0..reps {
        let t = Instant::now();
        total = linear_sum_assignment(&cost, n, n, AssignmentOptions::default()).unwrap().cost;
        best = best.min(t.elapsed().as_secs_f64());
    }
    println!("n = {n}: best of {reps} {:.3} ms, cost {total:.15}", best * 1e3);
}
