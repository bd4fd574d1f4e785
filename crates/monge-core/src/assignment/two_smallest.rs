//! The inner step of Jonker–Volgenant's augmenting row reduction and of an auction bid: the
//! two smallest reduced costs `h_j = C_ij − v_j` of a row and where they are. It scans a whole
//! row per step and is most of the time of a dense assignment, so it runs branch-free as vector code at the CPU's
//! best [`Level`].

use super::NONE;
use crate::simd::{at_level, Level};

/// Columns per step of the value pass: four AVX-512 vectors of independent lanes, so that the
/// min / max chains overlap instead of waiting on each other. WASM's 128-bit vectors give the
/// same overlap with fewer lanes (measured: 8 beats 4 and 16, which spills registers).
#[cfg(not(target_arch = "wasm32"))]
const LANES: usize = 32;
#[cfg(target_arch = "wasm32")]
const LANES: usize = 8;
/// Columns per step of the index pass.
const CHUNK: usize = 8;

/// The two smallest `(h_j, j)` pairs of a row in the order (value, then index): the first
/// column of least reduced cost, then the next one in that order (a second column of the same
/// value, else the first column of the second-least value), exactly as a left-to-right scan
/// with strict comparisons finds them.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct TwoSmallest {
    pub umin: f64,
    pub j1: usize,
    pub usub: f64,
    /// `NONE` for a single column.
    pub j2: usize,
}

/// The [`TwoSmallest`] of `row − v` (equal lengths), the same at every level.
pub(crate) fn two_smallest(level: Level, row: &[f64], v: &[f64]) -> TwoSmallest {
    at_level!(level, kernel(row: &[f64], v: &[f64]) -> TwoSmallest)
}

/// The two smallest of a multiset of values seen so far (equal values count twice).
#[derive(Clone, Copy)]
struct Top {
    first: f64,
    second: f64,
}

impl Top {
    #[inline(always)]
    fn insert(&mut self, h: f64) {
        if h < self.first {
            self.second = self.first;
            self.first = h;
        } else if h < self.second {
            self.second = h;
        }
    }
}

/// [`two_smallest`]'s body, inlined into each instruction-set wrapper. Two passes, both
/// branch-free over most of the row: the two smallest values by lane-wise min / max (lane `k`
/// keeps the two smallest of columns `k, k + LANES, …`, so the row's two smallest are among the
/// lanes' and the tail's), then the first columns holding them, found by testing `CHUNK` columns
/// at a time for any value at most `usub` (only the two wanted values are).
#[inline(always)]
fn kernel(row: &[f64], v: &[f64]) -> TwoSmallest {
    let mut m1 = [f64::INFINITY; LANES];
    let mut m2 = [f64::INFINITY; LANES];
    let body = row.len() / LANES * LANES;
    for (r, w) in row[..body].chunks_exact(LANES).zip(v[..body].chunks_exact(LANES)) {
        for k in 0..LANES {
            let h = r[k] - w[k];
            let high = if m1[k] < h { h } else { m1[k] };
            m2[k] = if high < m2[k] { high } else { m2[k] };
            m1[k] = if h < m1[k] { h } else { m1[k] };
        }
    }
    let mut top = Top { first: f64::INFINITY, second: f64::INFINITY };
    for k in 0..LANES {
        top.insert(m1[k]);
        top.insert(m2[k]);
    }
    for j in body..row.len() {
        top.insert(row[j] - v[j]);
    }
    let (umin, usub) = (top.first, top.second);

    // The first column of value umin, then the next column of value usub (the second column of
    // value umin when the two are equal): the pairs a left-to-right scan with strict `<` keeps.
    let (mut j1, mut j2) = (NONE, NONE);
    let mut take = |j: usize, h: f64| {
        if h == umin && j1 == NONE {
            j1 = j;
        } else if h == usub && j2 == NONE {
            j2 = j;
        }
        j1 != NONE && (j2 != NONE || usub == f64::INFINITY)
    };
    let chunked = row.len() / CHUNK * CHUNK;
    'scan: {
        for (c, (r, w)) in
            row[..chunked].chunks_exact(CHUNK).zip(v[..chunked].chunks_exact(CHUNK)).enumerate()
        {
            let mut hit = false;
            for k in 0..CHUNK {
                hit |= r[k] - w[k] <= usub;
            }
            if hit {
                for k in 0..CHUNK {
                    if take(c * CHUNK + k, r[k] - w[k]) {
                        break 'scan;
                    }
                }
            }
        }
        for j in chunked..row.len() {
            if take(j, row[j] - v[j]) {
                break 'scan;
            }
        }
    }
    TwoSmallest { umin, j1, usub, j2 }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::Rng;

    /// The scan the kernel replaces, kept as the reference.
    fn scan(row: &[f64], v: &[f64]) -> TwoSmallest {
        let (mut umin, mut j1) = (row[0] - v[0], 0);
        let (mut usub, mut j2) = (f64::INFINITY, NONE);
        for j in 1..row.len() {
            let h = row[j] - v[j];
            if h < usub {
                if h >= umin {
                    usub = h;
                    j2 = j;
                } else {
                    usub = umin;
                    j2 = j1;
                    umin = h;
                    j1 = j;
                }
            }
        }
        TwoSmallest { umin, j1, usub, j2 }
    }

    /// Every level agrees with the scan at every length, on distinct values and on small
    /// integers (many ties).
    #[test]
    fn every_level_matches_the_scan() {
        let mut rng = Rng::new(11);
        for len in [1, 2, 3, 7, 8, 9, 16, 17, 31, 32, 33, 40, 64, 65, 101, 200] {
            for trial in 0..40 {
                let ties = trial % 2 == 0;
                let draw = |rng: &mut Rng| {
                    let u = rng.uniform_open();
                    if ties {
                        (u * 4.0).floor()
                    } else {
                        u
                    }
                };
                let row: Vec<f64> = (0..len).map(|_| draw(&mut rng)).collect();
                let v: Vec<f64> = (0..len).map(|_| if ties { 0.0 } else { rng.uniform_open() }).collect();
                let want = scan(&row, &v);
                for level in Level::all_supported() {
                    assert_eq!(two_smallest(level, &row, &v), want, "len {len} trial {trial} {level:?}");
                }
            }
        }
    }
}
