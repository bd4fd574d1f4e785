//! The sweep of the shortest-path phase (Crouse's Dijkstra over reduced costs): relax every
//! unscanned column from the row just reached, then pick the closest column. One sweep per
//! scanned row makes it most of the time on geometric costs, so the relaxation runs branch-free
//! as vector code at the CPU's best [`Level`], and the pick tests a chunk of columns at a time.

use super::NONE;
use crate::simd::{at_level, Level};

/// Columns relaxed per step: independent lanes the compiler keeps in vector registers.
const LANES: usize = 8;
/// Columns tested per step of the pick.
const CHUNK: usize = 8;

/// Relaxes the columns not yet scanned through row `from` (`row` its costs, `base` = distance so
/// far − `u_from`): `shortest[j] = min(shortest[j], base + row[j] − v[j])`, with `path[j] =
/// from` where that improves. Returns the least `shortest` over the unscanned columns (`∞` when
/// none is reachable). `gate[j]` is 0 for an unscanned column and `+∞` for a scanned one, and
/// rows are held as `f64` (exact): plain arithmetic and selects in one type, which vectorise
/// where booleans and `usize`s compile to branches.
#[allow(clippy::too_many_arguments)]
pub(super) fn relax(
    level: Level,
    row: &[f64],
    v: &[f64],
    base: f64,
    gate: &[f64],
    shortest: &mut [f64],
    path: &mut [f64],
    from: f64,
) -> f64 {
    at_level!(level, relax_kernel(
        row: &[f64], v: &[f64], base: f64, gate: &[f64], shortest: &mut [f64], path: &mut [f64], from: f64,
    ) -> f64)
}

/// One column of [`relax`]; returns its distance if unscanned, else `∞` (adding a 0 gate is
/// exact, up to the sign of a zero distance).
#[inline(always)]
fn relax_one(c: f64, vj: f64, base: f64, gate: f64, shortest: &mut f64, path: &mut f64, from: f64) -> f64 {
    let reduced = base + c - vj + gate;
    let old = *shortest;
    // 1 or 0: the row moves by exact arithmetic on small integers, and the distance by a min
    // (a select of two values here compiles to branches).
    let better = if reduced < old { 1.0 } else { 0.0 };
    *path += better * (from - *path);
    *shortest = if reduced < old { reduced } else { old };
    *shortest + gate
}

/// [`relax`]'s body, inlined into each instruction-set wrapper.
#[inline(always)]
fn relax_kernel(
    row: &[f64],
    v: &[f64],
    base: f64,
    gate: &[f64],
    shortest: &mut [f64],
    path: &mut [f64],
    from: f64,
) -> f64 {
    let mut low = [f64::INFINITY; LANES];
    let body = row.len() / LANES * LANES;
    let lanes = row[..body]
        .chunks_exact(LANES)
        .zip(v[..body].chunks_exact(LANES))
        .zip(gate[..body].chunks_exact(LANES))
        .zip(shortest[..body].chunks_exact_mut(LANES).zip(path[..body].chunks_exact_mut(LANES)));
    for (((c, w), g), (s, p)) in lanes {
        for k in 0..LANES {
            let d = relax_one(c[k], w[k], base, g[k], &mut s[k], &mut p[k], from);
            low[k] = if d < low[k] { d } else { low[k] };
        }
    }
    let mut lowest = low.iter().fold(f64::INFINITY, |acc, &d| if d < acc { d } else { acc });
    for j in body..row.len() {
        let d = relax_one(row[j], v[j], base, gate[j], &mut shortest[j], &mut path[j], from);
        lowest = if d < lowest { d } else { lowest };
    }
    lowest
}

/// The unscanned column (`gate[j] == 0`, see [`relax`]) at distance `lowest` (found by
/// [`relax`]) that the sweep moves to: the first free one (`row4col[j] == NONE`: the path ends
/// there), else the first.
pub(super) fn closest(shortest: &[f64], gate: &[f64], row4col: &[usize], lowest: f64) -> usize {
    let mut first = NONE;
    let mut consider = |j: usize| {
        if shortest[j] == lowest && gate[j] == 0.0 {
            if row4col[j] == NONE {
                return Some(j);
            }
            if first == NONE {
                first = j;
            }
        }
        None
    };
    let body = shortest.len() / CHUNK * CHUNK;
    for (c, chunk) in shortest[..body].chunks_exact(CHUNK).enumerate() {
        let mut hit = false;
        for &s in chunk {
            hit |= s == lowest;
        }
        if hit {
            for j in c * CHUNK..(c + 1) * CHUNK {
                if let Some(free) = consider(j) {
                    return free;
                }
            }
        }
    }
    for j in body..shortest.len() {
        if let Some(free) = consider(j) {
            return free;
        }
    }
    first
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::Rng;

    /// Relaxation and pick agree with the scalar sweep they replace, on every level, with ties,
    /// forbidden (infinite) costs and scanned columns.
    #[test]
    fn every_level_matches_the_scalar_sweep() {
        let mut rng = Rng::new(13);
        for len in [1, 2, 7, 8, 9, 17, 40, 101] {
            for trial in 0..40 {
                let ties = trial % 2 == 0;
                let mut draw = || if ties { (rng.uniform_open() * 3.0).floor() } else { rng.uniform_open() };
                let row: Vec<f64> = (0..len)
                    .map(|_| if trial % 5 == 0 && draw() < 0.5 { f64::INFINITY } else { draw() })
                    .collect();
                let v: Vec<f64> = (0..len).map(|_| if ties { 0.0 } else { draw() }).collect();
                let scanned: Vec<bool> = (0..len).map(|_| draw() < 0.3).collect();
                let gate: Vec<f64> = scanned.iter().map(|&d| if d { f64::INFINITY } else { 0.0 }).collect();
                let shortest0: Vec<f64> =
                    (0..len).map(|_| if draw() < 0.5 { f64::INFINITY } else { draw() }).collect();
                let row4col: Vec<usize> = (0..len).map(|j| if draw() < 0.5 { NONE } else { j }).collect();
                let base = if ties { 0.0 } else { -0.5 };

                // The scalar sweep.
                let (mut want_s, mut want_p) = (shortest0.clone(), vec![7.0; len]);
                let (mut lowest, mut index) = (f64::INFINITY, NONE);
                for j in 0..len {
                    if scanned[j] {
                        continue;
                    }
                    let reduced = base + row[j] - v[j];
                    if reduced < want_s[j] {
                        want_p[j] = 3.0;
                        want_s[j] = reduced;
                    }
                    let s = want_s[j];
                    if s < lowest
                        || (s == lowest && row4col[j] == NONE && (index == NONE || row4col[index] != NONE))
                    {
                        lowest = s;
                        index = j;
                    }
                }

                for level in Level::all_supported() {
                    let (mut s, mut p) = (shortest0.clone(), vec![7.0; len]);
                    let low = relax(level, &row, &v, base, &gate, &mut s, &mut p, 3.0);
                    assert_eq!(
                        (low.to_bits(), &s, &p),
                        (lowest.to_bits(), &want_s, &want_p),
                        "len {len} trial {trial}"
                    );
                    if lowest < f64::INFINITY {
                        assert_eq!(closest(&s, &gate, &row4col, low), index, "len {len} trial {trial}");
                    }
                }
            }
        }
    }
}
