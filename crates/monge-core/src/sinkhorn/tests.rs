//! Sinkhorn against a plain reference, across instruction sets, threads and cost sources.

use super::*;
use crate::dist::dist;
use crate::rng::Rng;

/// The textbook log-domain iteration in f64, one entry at a time: the reference.
fn reference(a: &[f64], b: &[f64], m: &[f64], reg: f64, iterations: usize) -> (Vec<f64>, Vec<f64>) {
    let (n, k) = (a.len(), b.len());
    let lse = |terms: &mut dyn Iterator<Item = f64>| {
        let t: Vec<f64> = terms.collect();
        let top = t.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
        top + t.iter().map(|v| (v - top).exp()).sum::<f64>().ln()
    };
    let (mut f, mut g) = (vec![0.0; n], vec![0.0; k]);
    for _ in 0..iterations {
        for i in 0..n {
            f[i] = -reg * lse(&mut (0..k).map(|j| b[j].ln() + (g[j] - m[i * k + j]) / reg));
        }
        for j in 0..k {
            g[j] = -reg * lse(&mut (0..n).map(|i| a[i].ln() + (f[i] - m[i * k + j]) / reg));
        }
    }
    (f, g)
}

fn cloud(rng: &mut Rng, n: usize, dim: usize) -> Vec<f64> {
    (0..n * dim).map(|_| rng.uniform_open()).collect()
}

fn weights(rng: &mut Rng, n: usize) -> Vec<f64> {
    let w: Vec<f64> = (0..n).map(|_| 0.1 + rng.uniform_open()).collect();
    let s: f64 = w.iter().sum();
    w.iter().map(|v| v / s).collect()
}

fn run<T: Real>(
    a: &[f64],
    b: &[f64],
    m: &[T],
    rows: usize,
    opts: &SinkhornOptions,
    level: Level,
) -> Sinkhorn<T> {
    let scale = m.iter().fold(0.0f64, |s, &v| s.max(v.to_f64().abs()));
    solve(&Dense { data: m, rows, cols: b.len() }, a, b, opts, scale, level, None).unwrap().result
}

fn max_rel(x: &[f64], y: &[f64]) -> f64 {
    let scale = y.iter().fold(0.0f64, |s, v| s.max(v.abs())).max(1e-3);
    x.iter().zip(y).map(|(p, q)| (p - q).abs()).fold(0.0, f64::max) / scale
}

#[test]
fn matches_the_reference_iteration_on_every_instruction_set() {
    let mut rng = Rng::new(7);
    for &(n, k, reg) in &[(1, 1, 0.5), (5, 3, 0.1), (40, 70, 0.05), (33, 65, 0.01)] {
        let x = cloud(&mut rng, n, 2);
        let y = cloud(&mut rng, k, 2);
        let m = dist(Points::new(&x, n, 2), Points::new(&y, k, 2), Metric::SqEuclidean).unwrap();
        let (a, b) = (weights(&mut rng, n), weights(&mut rng, k));
        let opts = SinkhornOptions { max_iter: 30, tol: 0.0, ..SinkhornOptions::new(reg) };
        let (f_ref, g_ref) = reference(&a, &b, &m, reg, 30);
        for level in Level::all_supported() {
            let out = run(&a, &b, &m, n, &opts, level);
            assert_eq!(out.iterations, 30);
            assert!(max_rel(&out.f, &f_ref) < 1e-12, "{} f {}", level.name(), max_rel(&out.f, &f_ref));
            assert!(max_rel(&out.g, &g_ref) < 1e-12, "{} g", level.name());
            let m32: Vec<f32> = m.iter().map(|&v| v as f32).collect();
            let out32 = run(&a, &b, &m32, n, &opts, level);
            let f32s: Vec<f64> = out32.f.iter().map(|&v| v as f64).collect();
            assert!(max_rel(&f32s, &f_ref) < 1e-4, "{} f32 {}", level.name(), max_rel(&f32s, &f_ref));
        }
    }
}

#[test]
fn converges_with_consistent_cost_objective_and_marginals() {
    let mut rng = Rng::new(11);
    let (n, k) = (50, 60);
    let x = cloud(&mut rng, n, 3);
    let y = cloud(&mut rng, k, 3);
    let m = dist(Points::new(&x, n, 3), Points::new(&y, k, 3), Metric::SqEuclidean).unwrap();
    let (a, b) = (weights(&mut rng, n), weights(&mut rng, k));
    let reg = 0.02;
    let opts =
        SinkhornOptions { tol: 1e-12, max_iter: 100_000, return_plan: true, ..SinkhornOptions::new(reg) };
    let out = run(&a, &b, &m, n, &opts, Level::detect());
    assert!(out.converged && out.marginal_error <= 1e-12, "{}", out.marginal_error);
    let plan = out.plan.as_ref().unwrap();
    let cost: f64 = plan.iter().zip(&m).map(|(p, c)| p * c).sum();
    assert!((cost - out.cost).abs() < 1e-12 * cost);
    let kl: f64 = (0..n * k)
        .map(|e| {
            let q = a[e / k] * b[e % k];
            plan[e] * (plan[e] / q).ln() - plan[e] + q
        })
        .sum();
    assert!((out.objective - (cost + reg * kl)).abs() < 1e-10 * out.objective);
    let dual: f64 = out.f.iter().zip(&a).map(|(f, w)| f * w).sum::<f64>()
        + out.g.iter().zip(&b).map(|(g, w)| g * w).sum::<f64>();
    assert!((dual - out.objective).abs() < 1e-10 * out.objective);
}

#[test]
fn dense_and_point_modes_agree_and_threads_do_not_change_bits() {
    let mut rng = Rng::new(3);
    // Past THREADS_MIN_ENTRIES, so that the passes really run on several threads.
    let (n, k) = (800, 700);
    let x = cloud(&mut rng, n, 3);
    let y = cloud(&mut rng, k, 3);
    for (metric, iterations) in [(Metric::SqEuclidean, 6), (Metric::Euclidean, 2), (Metric::Cityblock, 2)] {
        let (px, py) = (Points::new(&x, n, 3), Points::new(&y, k, 3));
        let m = dist(px, py, metric).unwrap();
        let base = SinkhornOptions { max_iter: iterations, tol: 0.0, ..SinkhornOptions::new(0.05) };
        let dense = sinkhorn(None, None, Cost::Matrix { data: &m[..], rows: n, cols: k }, &base).unwrap();
        for threads in [1, 2, 3] {
            let opts = SinkhornOptions { threads, ..base.clone() };
            let points = sinkhorn::<f64>(None, None, Cost::Points { x: px, y: py, metric }, &opts).unwrap();
            assert_eq!(points, dense, "{metric:?} threads {threads}");
        }
    }
}

#[test]
fn tiny_regularization_stays_finite() {
    let mut rng = Rng::new(5);
    let (n, k) = (64, 80);
    let x = cloud(&mut rng, n, 2);
    let y = cloud(&mut rng, k, 2);
    let m = dist(Points::new(&x, n, 2), Points::new(&y, k, 2), Metric::SqEuclidean).unwrap();
    let scale = m.iter().cloned().fold(0.0, f64::max);
    for eps_scaling in [false, true] {
        let opts = SinkhornOptions { max_iter: 200, eps_scaling, ..SinkhornOptions::new(1e-4 * scale) };
        let out = run(&[1.0 / n as f64; 64], &[1.0 / k as f64; 80], &m, n, &opts, Level::detect());
        assert!(out.f.iter().chain(&out.g).all(|v| v.is_finite()) && out.cost.is_finite());
        assert!(out.objective.is_finite() && out.marginal_error.is_finite());
        let m32: Vec<f32> = m.iter().map(|&v| v as f32).collect();
        let out = run(&[1.0 / n as f64; 64], &[1.0 / k as f64; 80], &m32, n, &opts, Level::detect());
        assert!(out.f.iter().chain(&out.g).all(|v| v.is_finite()) && out.cost.is_finite());
    }
}

#[test]
fn epsilon_scaling_reaches_the_same_solution() {
    let mut rng = Rng::new(9);
    let (n, k) = (60, 50);
    let x = cloud(&mut rng, n, 2);
    let y = cloud(&mut rng, k, 2);
    let m = dist(Points::new(&x, n, 2), Points::new(&y, k, 2), Metric::SqEuclidean).unwrap();
    let (a, b) = (weights(&mut rng, n), weights(&mut rng, k));
    let plain = SinkhornOptions { tol: 1e-11, max_iter: 1_000_000, ..SinkhornOptions::new(2e-3) };
    let scaled = SinkhornOptions { eps_scaling: true, ..plain.clone() };
    let p = run(&a, &b, &m, n, &plain, Level::detect());
    let s = run(&a, &b, &m, n, &scaled, Level::detect());
    assert!(p.converged && s.converged);
    assert!((p.cost - s.cost).abs() < 1e-9 * p.cost);
    assert!(s.iterations < p.iterations, "{} vs {}", s.iterations, p.iterations);
}

#[test]
fn rejects_bad_options_and_inputs() {
    let m = [0.0, 1.0, 1.0, 0.0];
    let cost = Cost::Matrix { data: &m[..], rows: 2, cols: 2 };
    let kind = |o: SinkhornOptions| sinkhorn(None, None, cost, &o).unwrap_err().kind();
    for reg in [0.0, -1.0, f64::NAN, f64::INFINITY] {
        assert_eq!(kind(SinkhornOptions::new(reg)), ErrorKind::InvalidInput);
    }
    assert_eq!(kind(SinkhornOptions { max_iter: 0, ..SinkhornOptions::new(1.0) }), ErrorKind::InvalidInput);
    assert_eq!(kind(SinkhornOptions { tol: f64::NAN, ..SinkhornOptions::new(1.0) }), ErrorKind::InvalidInput);
    let o = SinkhornOptions::new(1.0);
    let bad = [0.0, f64::NAN, 1.0, 0.0];
    let e = sinkhorn(None, None, Cost::Matrix { data: &bad[..], rows: 2, cols: 2 }, &o).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NonFinite);
    let e = sinkhorn(None, None, Cost::Matrix { data: &m[..], rows: 3, cols: 2 }, &o).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::ShapeMismatch);
    let e = sinkhorn(Some(&[1.0, -1.0]), None, cost, &o).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NegativeWeight);
    let e = sinkhorn(None, Some(&[1.0]), cost, &o).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::ShapeMismatch);
    let x = Points::new(&[0.0, 0.0], 1, 2);
    let y = Points::new(&[0.0, 0.0, 0.0], 1, 3);
    let e = sinkhorn::<f32>(None, None, Cost::Points { x, y, metric: Metric::SqEuclidean }, &o).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::ShapeMismatch);
    let big = Points::new(&[0.0; 2], 1 << 31, 0);
    let _ = big; // shape errors for clouds are covered by input.rs
    let o = SinkhornOptions { return_plan: true, ..SinkhornOptions::new(1.0) };
    let wide = vec![0.0f32; 1 << 16];
    let tall = Cost::Points {
        x: Points::new(&[0.0; 1 << 16][..], 1 << 16, 1),
        y: Points::new(&[0.0; 1 << 16][..], 1 << 16, 1),
        metric: Metric::SqEuclidean,
    };
    let _ = wide;
    assert_eq!(sinkhorn::<f32>(None, None, tall, &o).unwrap_err().kind(), ErrorKind::TooLarge);
}

fn divergence_of(
    x: &[f64],
    y: &[f64],
    dim: usize,
    a: &[f64],
    b: &[f64],
    metric: Metric,
    gradient: bool,
) -> Divergence {
    let sinkhorn = SinkhornOptions { tol: 1e-13, max_iter: 100_000, ..SinkhornOptions::new(0.05) };
    let options = DivergenceOptions { sinkhorn, metric, gradient };
    let (px, py) = (Points::new(x, x.len() / dim, dim), Points::new(y, y.len() / dim, dim));
    sinkhorn_divergence::<f64>(px, py, Some(a), Some(b), &options).unwrap()
}

#[test]
fn divergence_vanishes_on_equal_measures_and_is_positive_otherwise() {
    let mut rng = Rng::new(21);
    let (n, k) = (30, 40);
    let x = cloud(&mut rng, n, 2);
    let y = cloud(&mut rng, k, 2);
    let (a, b) = (weights(&mut rng, n), weights(&mut rng, k));
    for metric in [Metric::SqEuclidean, Metric::Euclidean] {
        let same = divergence_of(&x, &x, 2, &a, &a, metric, false);
        assert!(same.value.abs() < 1e-9 && same.converged, "{metric:?} {}", same.value);
        let other = divergence_of(&x, &y, 2, &a, &b, metric, false);
        assert!(other.value > 0.0 && other.converged);
    }
}

#[test]
fn divergence_gradients_match_finite_differences() {
    let mut rng = Rng::new(22);
    let (n, k, dim) = (12, 15, 2);
    let x = cloud(&mut rng, n, dim);
    let y = cloud(&mut rng, k, dim);
    let (a, b) = (weights(&mut rng, n), weights(&mut rng, k));
    for metric in [Metric::SqEuclidean, Metric::Euclidean, Metric::Cityblock, Metric::Minkowski(3.0)] {
        let d = divergence_of(&x, &y, dim, &a, &b, metric, true);
        let (grad_x, grad_a) = (d.grad_x.unwrap(), d.grad_a.unwrap());
        let h = 1e-6;
        for e in [0, 5, 2 * dim + 1, n * dim - 1] {
            let (mut plus, mut minus) = (x.clone(), x.clone());
            plus[e] += h;
            minus[e] -= h;
            let fd = (divergence_of(&plus, &y, dim, &a, &b, metric, false).value
                - divergence_of(&minus, &y, dim, &a, &b, metric, false).value)
                / (2.0 * h);
            let scale = grad_x.iter().fold(0.0f64, |s, v| s.max(v.abs()));
            assert!((fd - grad_x[e]).abs() <= 1e-4 * scale, "{metric:?} x[{e}]: fd {fd} vs {}", grad_x[e]);
        }
        for (i, j) in [(0, 1), (3, 7), (11, 4)] {
            let (mut plus, mut minus) = (a.clone(), a.clone());
            plus[i] += h;
            plus[j] -= h;
            minus[i] -= h;
            minus[j] += h;
            let fd = (divergence_of(&x, &y, dim, &plus, &b, metric, false).value
                - divergence_of(&x, &y, dim, &minus, &b, metric, false).value)
                / (2.0 * h);
            let exact = grad_a[i] - grad_a[j];
            let scale = grad_a.iter().fold(0.0f64, |s, v| s.max(v.abs()));
            assert!((fd - exact).abs() <= 1e-4 * scale, "{metric:?} a[{i}]-a[{j}]: fd {fd} vs {exact}");
        }
    }
}

#[test]
fn unbalanced_matches_the_scaled_reference_iteration_and_its_optimality_conditions() {
    let mut rng = Rng::new(31);
    let (n, k) = (25, 35);
    let x = cloud(&mut rng, n, 2);
    let y = cloud(&mut rng, k, 2);
    let m = dist(Points::new(&x, n, 2), Points::new(&y, k, 2), Metric::SqEuclidean).unwrap();
    let a: Vec<f64> = weights(&mut rng, n).iter().map(|w| 1.5 * w).collect();
    let b: Vec<f64> = weights(&mut rng, k).iter().map(|w| 0.7 * w).collect();
    let (reg, rho) = (0.05, 0.5);
    let lambda = rho / (rho + reg);
    // Reference: the textbook scaled log-domain iteration.
    let lse = |t: Vec<f64>| {
        let top = t.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
        top + t.iter().map(|v| (v - top).exp()).sum::<f64>().ln()
    };
    let (mut f, mut g) = (vec![0.0; n], vec![0.0; k]);
    for _ in 0..40 {
        for i in 0..n {
            f[i] = -lambda * reg * lse((0..k).map(|j| b[j].ln() + (g[j] - m[i * k + j]) / reg).collect());
        }
        for j in 0..k {
            g[j] = -lambda * reg * lse((0..n).map(|i| a[i].ln() + (f[i] - m[i * k + j]) / reg).collect());
        }
    }
    let cost = Cost::Matrix { data: &m[..], rows: n, cols: k };
    let opts = SinkhornOptions { max_iter: 40, tol: 0.0, ..SinkhornOptions::new(reg) };
    let out = sinkhorn_unbalanced(Some(&a), Some(&b), cost, rho, &opts).unwrap();
    assert!(max_rel(&out.f, &f) < 1e-12 && max_rel(&out.g, &g) < 1e-12);

    // Converged: P 1 = a exp(−f/ρ), and the objective's value is consistent with the plan.
    let opts =
        SinkhornOptions { tol: 1e-13, max_iter: 100_000, return_plan: true, ..SinkhornOptions::new(reg) };
    let out = sinkhorn_unbalanced(Some(&a), Some(&b), cost, rho, &opts).unwrap();
    assert!(out.converged);
    let plan = out.plan.as_ref().unwrap();
    for i in 0..n {
        let row: f64 = plan[i * k..(i + 1) * k].iter().sum();
        assert!((row - a[i] * (-out.f[i] / rho).exp()).abs() < 1e-12);
    }
    let kl = |p: &[f64], q: &[f64]| -> f64 { p.iter().zip(q).map(|(&p, &q)| p * (p / q).ln() - p + q).sum() };
    let rows: Vec<f64> = (0..n).map(|i| plan[i * k..(i + 1) * k].iter().sum()).collect();
    let cols: Vec<f64> = (0..k).map(|j| (0..n).map(|i| plan[i * k + j]).sum()).collect();
    let ab: Vec<f64> = (0..n * k).map(|e| a[e / k] * b[e % k]).collect();
    let primal = plan.iter().zip(&m).map(|(p, c)| p * c).sum::<f64>()
        + reg * kl(plan, &ab)
        + rho * (kl(&rows, &a) + kl(&cols, &b));
    assert!((primal - out.objective).abs() < 1e-10 * primal.abs());
    let bad = sinkhorn_unbalanced(None, None, cost, 0.0, &opts).unwrap_err();
    assert_eq!(bad.kind(), ErrorKind::InvalidInput);
}

#[test]
fn zero_weights_get_their_c_transform_and_no_mass() {
    let mut rng = Rng::new(41);
    let (n, k) = (20, 30);
    let x = cloud(&mut rng, n, 2);
    let y = cloud(&mut rng, k, 2);
    let m = dist(Points::new(&x, n, 2), Points::new(&y, k, 2), Metric::SqEuclidean).unwrap();
    let mut a = weights(&mut rng, n);
    let mut b = weights(&mut rng, k);
    for i in [0, 7, 19] {
        a[i] = 0.0;
    }
    for j in [3, 4, 29] {
        b[j] = 0.0;
    }
    let (sa, sb): (f64, f64) = (a.iter().sum(), b.iter().sum());
    a.iter_mut().for_each(|w| *w /= sa);
    b.iter_mut().for_each(|w| *w /= sb);
    let reg = 0.05;
    let (f_ref, g_ref) = reference(&a, &b, &m, reg, 25);
    let opts = SinkhornOptions { max_iter: 25, tol: 0.0, return_plan: true, ..SinkhornOptions::new(reg) };
    for level in Level::all_supported() {
        let out = run(&a, &b, &m, n, &opts, level);
        assert!(max_rel(&out.f, &f_ref) < 1e-12, "{} f", level.name());
        assert!(max_rel(&out.g, &g_ref) < 1e-12, "{} g", level.name());
        let plan = out.plan.unwrap();
        assert!((0..k).all(|j| plan[7 * k + j] == 0.0) && (0..n).all(|i| plan[i * k + 29] == 0.0));
    }
}
