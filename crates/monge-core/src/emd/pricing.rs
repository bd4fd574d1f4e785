//! The simplex's pricing kernel: the most negative reduced cost over a row segment of `M`,
//! branch-free so that it runs as vector code at the CPU's best [`Level`]. Pricing streams `M`
//! and is most of the solve's time.

use super::network_simplex::EPS;
use crate::simd::{at_level, Level};

/// Arcs priced per step: independent lanes the compiler keeps in vector registers.
const LANES: usize = 8;

/// The reduced cost `c + π_s − π_t` of an arc if it may enter (below `−EPS · (|c| + |π_s| +
/// |π_t|)`, which keeps the rounding noise of tree arcs out), else 0.
#[inline(always)]
fn entering(c: f64, ps: f64, pt: f64) -> f64 {
    let reduced = c + ps - pt;
    if reduced < -EPS * (c.abs() + ps.abs() + pt.abs()) {
        reduced
    } else {
        0.0
    }
}

/// The least [`entering`] value over one row segment (`costs[k]` the arc to the sink with
/// potential `sinks[k]`, `ps` the row's potential); 0 when no arc may enter. The value does
/// not depend on `level` (a minimum of the same exactly rounded terms).
pub(super) fn segment_min(level: Level, costs: &[f64], sinks: &[f64], ps: f64) -> f64 {
    at_level!(level, segment_min_kernel(costs: &[f64], sinks: &[f64], ps: f64) -> f64)
}

/// [`segment_min`]'s body, inlined into each instruction-set wrapper. Rust never fuses the
/// multiply and adds into FMAs on its own, so every level computes the same values.
#[inline(always)]
fn segment_min_kernel(costs: &[f64], sinks: &[f64], ps: f64) -> f64 {
    let mut low = [0.0f64; LANES];
    let mut c_chunks = costs.chunks_exact(LANES);
    let mut t_chunks = sinks.chunks_exact(LANES);
    for (c, t) in (&mut c_chunks).zip(&mut t_chunks) {
        for k in 0..LANES {
            let r = entering(c[k], ps, t[k]);
            low[k] = if r < low[k] { r } else { low[k] };
        }
    }
    let mut best = low.iter().fold(0.0f64, |acc, &r| if r < acc { r } else { acc });
    for (&c, &t) in c_chunks.remainder().iter().zip(t_chunks.remainder()) {
        let r = entering(c, ps, t);
        best = if r < best { r } else { best };
    }
    best
}

/// The first position of a segment whose [`entering`] value is `low` (found by
/// [`segment_min`], so it exists).
pub(super) fn first_at(costs: &[f64], sinks: &[f64], ps: f64, low: f64) -> usize {
    costs
        .iter()
        .zip(sinks)
        .position(|(&c, &t)| entering(c, ps, t) == low)
        .expect("segment_min found this value in the segment")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::Rng;

    /// Every level finds the same minimum as a plain scan, at every length and offset (lanes,
    /// remainders), including segments where no arc may enter.
    #[test]
    fn every_level_matches_a_plain_scan() {
        let mut rng = Rng::new(5);
        for len in [0, 1, 7, 8, 9, 31, 64, 100] {
            for trial in 0..20 {
                let costs: Vec<f64> = (0..len).map(|_| rng.uniform_open()).collect();
                let sinks: Vec<f64> = (0..len).map(|_| rng.uniform_open() * (trial % 3) as f64).collect();
                let ps = -0.5 * rng.uniform_open();
                let plain =
                    costs.iter().zip(&sinks).fold(0.0f64, |acc, (&c, &t)| acc.min(entering(c, ps, t)));
                for level in Level::all_supported() {
                    let low = segment_min(level, &costs, &sinks, ps);
                    assert_eq!(low.to_bits(), plain.to_bits(), "len {len} trial {trial} {level:?}");
                    if low < 0.0 {
                        let k = first_at(&costs, &sinks, ps, low);
                        assert_eq!(entering(costs[k], ps, sinks[k]), low);
                        assert!((0..k).all(|q| entering(costs[q], ps, sinks[q]) > low));
                    }
                }
            }
        }
    }
}
