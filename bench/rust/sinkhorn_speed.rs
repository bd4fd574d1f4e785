//! Quick timing of the Sinkhorn kernels against the exp-sum roofline (no Node involved):
//! `cargo run --release -p monge-core --example sinkhorn_speed -- [n] [iterations] [threads]`.

use monge_core::{dist, exp_sum_roofline, simd_level, sinkhorn, Cost, Metric, Points, Rng, SinkhornOptions};
use std::time::Instant;

fn main() {
    let args: Vec<usize> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
    let n = args.first().copied().unwrap_or(4096);
    let iters = args.get(1).copied().unwrap_or(100);
    let threads = args.get(2).copied().unwrap_or(0);
    let mut rng = Rng::new(1);
    let x: Vec<f64> = (0..2 * n).map(|_| rng.uniform_open()).collect();
    let y: Vec<f64> = (0..2 * n).map(|_| rng.uniform_open()).collect();
    let (px, py) = (Points::new(&x, n, 2), Points::new(&y, n, 2));
    let m = dist(px, py, Metric::SqEuclidean).unwrap();
    let m32: Vec<f32> = m.iter().map(|&v| v as f32).collect();
    let opts = SinkhornOptions { max_iter: iters, tol: 0.0, threads, ..SinkhornOptions::new(0.01) };
    let entries = (2 * iters * n * n) as f64;
    println!("simd level {}, n = {n}, {iters} iterations, threads {threads}", simd_level());
    let only = std::env::var("ONLY").unwrap_or_default();
    let time = |label: &str, run: &dyn Fn() -> f64| {
        if !label.starts_with(only.as_str()) {
            return;
        }
        let mut best = f64::INFINITY;
        let mut value = 0.0;
        for _ in 0..3 {
            let t = Instant::now();
            value = run();
            best = best.min(t.elapsed().as_secs_f64());
        }
        println!(
            "{label:<28} {:>9.1} ms  {:.3} ns/entry/half-iteration  ({value:.6})",
            best * 1e3,
            best * 1e9 / entries
        );
    };
    time("dense f32", &|| {
        sinkhorn(None, None, Cost::Matrix { data: &m32[..], rows: n, cols: n }, &opts).unwrap().cost
    });
    time("dense f64", &|| {
        sinkhorn(None, None, Cost::Matrix { data: &m[..], rows: n, cols: n }, &opts).unwrap().cost
    });
    time("points f32", &|| {
        sinkhorn::<f32>(None, None, Cost::Points { x: px, y: py, metric: Metric::SqEuclidean }, &opts)
            .unwrap()
            .cost
    });
    let neg: Vec<f32> = m32.iter().map(|&v| -v * 100.0).collect();
    time("roofline f32 (exp+sum)", &|| (0..2 * iters).map(|_| exp_sum_roofline(&neg, threads)).sum::<f64>());
    let neg64: Vec<f64> = m.iter().map(|&v| -v * 100.0).collect();
    time("roofline f64 (exp+sum)", &|| {
        (0..2 * iters).map(|_| exp_sum_roofline(&neg64, threads)).sum::<f64>()
    });
}
