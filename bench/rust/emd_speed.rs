//! Quick timing of the network simplex (no Node involved):
//! `cargo run --release -p monge-core --example emd_speed -- [n] [repetitions]`, uniform weights,
//! squared Euclidean costs between two clouds of `n` points uniform in the unit square.

use monge_core::{dist, emd, EmdOptions, Metric, Points, Rng};
use std::time::Instant;

fn main() {
    let args: Vec<usize> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
    let n = args.first().copied().unwrap_or(2000);
    let reps = args.get(1).copied().unwrap_or(3);
    let mut rng = Rng::new(1);
    let x: Vec<f64> = (0..2 * n).map(|_| rng.uniform_open()).collect();
    let y: Vec<f64> = (0..2 * n).map(|_| rng.uniform_open()).collect();
    let m = dist(Points::new(&x, n, 2), Points::new(&y, n, 2), Metric::SqEuclidean).unwrap();
    let w = vec![1.0 / n as f64; n];
    for _ in 0..reps {
        let t = Instant::now();
        let r = emd(&w, &w, &m, EmdOptions { max_iter: 100_000_000 }).unwrap();
        println!(
            "n = {n}: {:.1} ms, {} pivots, cost {:.15}",
            t.elapsed().as_secs_f64() * 1e3,
            r.iterations,
            r.cost
        );
    }
}
