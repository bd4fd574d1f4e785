//! Exact optimal transport on the real line.
//!
//! For a convex cost `c(x, y) = |x − y|^p` (p ≥ 1) the optimal plan between two 1-D measures is
//! the monotone one: sort both supports and match their quantile functions,
//!
//! ```text
//! W_p^p(μ, ν) = ∫₀¹ |F_μ⁻¹(t) − F_ν⁻¹(t)|^p dt,
//! ```
//!
//! so an exact solve is two sorts and one merge of the weights (the north-west corner rule on
//! sorted supports), `O((n + m) log(n + m))` time and at most `n + m − 1` plan entries.
//! Weights of each measure are normalised to total mass 1 (as scipy does; POT expects callers to
//! normalise).
//!
//! Reference: Peyré & Cuturi, *Computational Optimal Transport*, 2019, §2.6.

use crate::compensated::{DoubleDouble, Sum};
use crate::error::{Detail, Error, ErrorKind, Result};
use crate::input::{check_exponent, check_finite, check_non_empty, normalized_weights};
use crate::parallel::join;
use crate::sort::{from_ordered_bits, ordered_bits, radix_sort_from, Tagged};

/// Options of the 1-D solvers.
#[derive(Clone, Copy, Debug)]
pub struct Options1d<'a> {
    /// Weights of `u` (one per value, non-negative); `None` for uniform.
    pub u_weights: Option<&'a [f64]>,
    /// Weights of `v`; `None` for uniform.
    pub v_weights: Option<&'a [f64]>,
    /// The exponent of the cost `|x − y|^p`, at least 1. Default 1.
    pub p: f64,
}

impl Default for Options1d<'_> {
    fn default() -> Self {
        Options1d { u_weights: None, v_weights: None, p: 1.0 }
    }
}

/// A transport plan as a list of non-zero entries `(rows[k], cols[k], values[k])`.
#[derive(Clone, Debug, PartialEq)]
pub struct SparsePlan {
    /// Source index of each entry.
    pub rows: Vec<u32>,
    /// Target index of each entry.
    pub cols: Vec<u32>,
    /// Mass moved by each entry.
    pub values: Vec<f64>,
    /// `(n, m)`: the sizes of the source and target measures.
    pub shape: (usize, usize),
}

/// The result of [`emd_1d`].
#[derive(Clone, Debug, PartialEq)]
pub struct Emd1d {
    /// The optimal cost `W_p^p`.
    pub cost: f64,
    /// The monotone optimal plan, at most `n + m − 1` entries, in quantile order.
    pub plan: SparsePlan,
}

/// `|d|^p`, with exact fast paths for the common exponents.
#[inline]
pub(crate) fn pow_abs(d: f64, p: f64) -> f64 {
    if p == 1.0 {
        d.abs()
    } else if p == 2.0 {
        d * d
    } else {
        libm::pow(d.abs(), p)
    }
}

/// `c^(1/p)`: W_p from W_p^p.
#[inline]
pub(crate) fn root(c: f64, p: f64) -> f64 {
    if p == 1.0 {
        c
    } else if p == 2.0 {
        c.sqrt()
    } else {
        libm::pow(c, 1.0 / p)
    }
}

/// A 1-D measure sorted by position; buffers are reused across fills.
///
/// What travels through the sort with each position depends on what the caller needs: nothing
/// for uniform weights (8-byte items: half the memory traffic), the weight for costs (nothing to
/// gather afterwards), or the original index for plans, which must name the atoms (weights are
/// then gathered once).
#[derive(Default)]
pub(crate) struct SortedSample {
    keys: Vec<u64>,
    key_scratch: Vec<u64>,
    items: Vec<Tagged>,
    scratch: Vec<Tagged>,
    /// In indexed mode, the normalised weights in sorted order.
    gathered: Vec<f64>,
    carried: Carried,
}

/// What the sorted items carry besides their position.
#[derive(Clone, Copy, Default, PartialEq)]
pub(crate) enum Carried {
    /// Nothing: every atom weighs the same (stored here).
    Uniform(f64),
    /// The weight.
    #[default]
    Weight,
    /// The original index (plans).
    Index,
}

impl SortedSample {
    /// Number of atoms.
    #[inline]
    pub fn len(&self) -> usize {
        match self.carried {
            Carried::Uniform(_) => self.keys.len(),
            _ => self.items.len(),
        }
    }

    /// Number of atoms up to the last one of positive weight (normalised weights have one).
    #[inline]
    pub fn positive_len(&self) -> usize {
        let mut n = self.len();
        while n > 1 && self.weight(n - 1) == 0.0 {
            n -= 1;
        }
        n
    }

    /// The `i`-th smallest position.
    #[inline]
    pub fn value(&self, i: usize) -> f64 {
        from_ordered_bits(match self.carried {
            Carried::Uniform(_) => self.keys[i],
            _ => self.items[i].key,
        })
    }

    /// The normalised weight of the `i`-th smallest position.
    #[inline]
    pub fn weight(&self, i: usize) -> f64 {
        match self.carried {
            Carried::Uniform(w) => w,
            Carried::Weight => f64::from_bits(self.items[i].payload),
            Carried::Index => self.gathered[i],
        }
    }

    /// The original index of the `i`-th smallest position (indexed mode only).
    #[inline]
    pub fn index(&self, i: usize) -> u32 {
        debug_assert!(self.carried == Carried::Index);
        self.items[i].payload as u32
    }

    /// Sorts `values` (finite, checked before) with their normalised `weights` (`None`: uniform);
    /// `indexed` keeps the original indices, for plans.
    pub fn fill(
        &mut self,
        values: impl ExactSizeIterator<Item = f64>,
        weights: Option<&[f64]>,
        indexed: bool,
    ) {
        let n = values.len();
        match (weights, indexed) {
            (None, false) => {
                self.carried = Carried::Uniform(1.0 / n as f64);
                radix_sort_from(values.map(ordered_bits), &mut self.keys, &mut self.key_scratch);
            }
            (Some(w), false) => {
                self.carried = Carried::Weight;
                let tagged =
                    values.zip(w).map(|(v, w)| Tagged { key: ordered_bits(v), payload: w.to_bits() });
                radix_sort_from(tagged, &mut self.items, &mut self.scratch);
            }
            (w, true) => {
                self.carried = Carried::Index;
                let tagged =
                    values.enumerate().map(|(i, v)| Tagged { key: ordered_bits(v), payload: i as u64 });
                radix_sort_from(tagged, &mut self.items, &mut self.scratch);
                self.gathered.clear();
                match w {
                    Some(w) => self.gathered.extend(self.items.iter().map(|t| w[t.payload as usize])),
                    None => self.gathered.resize(n, 1.0 / n as f64),
                }
            }
        }
    }

    /// Checks one measure of a 1-D problem and sorts it.
    pub fn checked(
        name: &str,
        weights_name: &str,
        values: &[f64],
        weights: Option<&[f64]>,
        indexed: bool,
    ) -> Result<Self> {
        check_non_empty(name, values)?;
        check_index_range(name, values.len())?;
        check_finite(name, values)?;
        let w = weights.map(|w| normalized_weights(weights_name, Some(w), values.len())).transpose()?;
        let mut s = SortedSample::default();
        s.fill(values.iter().copied(), w.as_deref(), indexed);
        Ok(s)
    }
}

/// Plan indices are `u32`: refuse longer inputs instead of truncating them.
pub(crate) fn check_index_range(name: &str, len: usize) -> Result<()> {
    if len > u32::MAX as usize {
        return Err(Error::about(
            ErrorKind::TooLarge,
            name,
            format!("{name} has {len} values; at most {} are supported", u32::MAX),
        )
        .with("length", Detail::Count(len)));
    }
    Ok(())
}

/// Walks the quantile functions of two sorted measures together and calls `visit(i, j, mass)`
/// for each cell of the monotone plan, in order (the north-west corner rule): at most
/// `n + m − 1` cells, each visited once.
///
/// It tracks the mass each current atom has left, in double-double arithmetic, rather than
/// differencing cumulative sums: a difference of two sums near 1 loses about `log10(n)` digits
/// on masses of order `1/n`, and a plain running difference drifts by `ε` per step. Here each
/// atom's outgoing masses add up to its weight to about `ε²`. Both sides are normalised, but
/// their totals can still differ by rounding, so a side's last atom takes whatever the other
/// side has left: that is where the exact plan sends it, whereas dropping it would cost
/// `residue × |x_max − y_max|^p`, visible on heavy tails. "Last" means last with positive
/// weight: trailing zero-weight atoms (outliers, often) must not receive the residue.
#[inline]
pub(crate) fn monotone_plan(u: &SortedSample, v: &SortedSample, mut visit: impl FnMut(usize, usize, f64)) {
    let (n, m) = (u.positive_len(), v.positive_len());
    let (mut i, mut j) = (0, 0);
    let (mut ru, mut rv) = (DoubleDouble::new(u.weight(0)), DoubleDouble::new(v.weight(0)));
    loop {
        let (last_i, last_j) = (i + 1 == n, j + 1 == m);
        let (mu, mv) = (ru.value(), rv.value());
        if last_i && last_j {
            let mass = mu.max(mv);
            if mass > 0.0 {
                visit(i, j, mass);
            }
            return;
        }
        if last_j || (mu <= mv && !last_i) {
            // Atom i of u is used up (v's last atom takes all it has).
            if mu > 0.0 {
                visit(i, j, mu);
            }
            rv = rv.minus(ru);
            i += 1;
            ru = DoubleDouble::new(u.weight(i));
        } else {
            // Atom j of v is used up (u's last atom gives all it needs).
            if mv > 0.0 {
                visit(i, j, mv);
            }
            ru = ru.minus(rv);
            j += 1;
            rv = DoubleDouble::new(v.weight(j));
        }
    }
}

/// Checks and sorts both measures, in parallel when they are large (natively).
fn sorted_pair(
    u: &[f64],
    v: &[f64],
    options: Options1d<'_>,
    indexed: bool,
) -> Result<(SortedSample, SortedSample)> {
    let (su, sv) = join(
        u.len() + v.len(),
        || SortedSample::checked("u", "uWeights", u, options.u_weights, indexed),
        || SortedSample::checked("v", "vWeights", v, options.v_weights, indexed),
    );
    Ok((su?, sv?))
}

/// `W_p^p` between two sorted measures.
#[inline]
pub(crate) fn sorted_cost(u: &SortedSample, v: &SortedSample, p: f64) -> f64 {
    if let (Carried::Uniform(_), Carried::Uniform(_)) = (u.carried, v.carried) {
        if u.len() == v.len() {
            // Equal uniform weights (the usual sliced case): the monotone plan pairs the i-th
            // smallest atoms, so the merge reduces to one branch-free pass.
            let pairs =
                u.keys.iter().zip(&v.keys).map(|(&a, &b)| from_ordered_bits(a) - from_ordered_bits(b));
            // One loop per exponent class: no branch on p per element.
            let mut sum = Sum::default();
            if p == 1.0 {
                pairs.for_each(|d| sum.add(d.abs()));
            } else if p == 2.0 {
                pairs.for_each(|d| sum.add(d * d));
            } else {
                pairs.for_each(|d| sum.add(libm::pow(d.abs(), p)));
            }
            return sum.value() / u.len() as f64;
        }
    }
    let mut cost = Sum::default();
    monotone_plan(u, v, |i, j, mass| cost.add(mass * pow_abs(u.value(i) - v.value(j), p)));
    cost.value()
}

/// The p-Wasserstein distance `W_p` between two weighted samples on the line (not its p-th
/// power; scipy's `wasserstein_distance` is the case p = 1).
///
/// Errors: empty input, NaN or infinite values or weights, negative weights, zero total mass,
/// weights of the wrong length, `p < 1`.
///
/// ```
/// use monge_core::{wasserstein_1d, Options1d};
/// let w = wasserstein_1d(&[0.0, 1.0], &[2.0, 3.0], Options1d::default()).unwrap();
/// assert_eq!(w, 2.0);
/// ```
pub fn wasserstein_1d(u: &[f64], v: &[f64], options: Options1d<'_>) -> Result<f64> {
    check_exponent("p", options.p)?;
    let (su, sv) = sorted_pair(u, v, options, false)?;
    Ok(root(sorted_cost(&su, &sv, options.p), options.p))
}

/// Exact 1-D optimal transport with cost `|x − y|^p`: the cost `W_p^p` and the monotone plan.
///
/// ```
/// use monge_core::{emd_1d, Options1d};
/// let r = emd_1d(&[1.0, 0.0], &[0.5], Options1d::default()).unwrap();
/// assert_eq!(r.cost, 0.5);
/// assert_eq!((r.plan.rows, r.plan.cols, r.plan.values), (vec![1, 0], vec![0, 0], vec![0.5, 0.5]));
/// ```
pub fn emd_1d(u: &[f64], v: &[f64], options: Options1d<'_>) -> Result<Emd1d> {
    check_exponent("p", options.p)?;
    let (su, sv) = sorted_pair(u, v, options, true)?;
    let capacity = su.len() + sv.len() - 1;
    let mut plan = SparsePlan {
        rows: Vec::with_capacity(capacity),
        cols: Vec::with_capacity(capacity),
        values: Vec::with_capacity(capacity),
        shape: (u.len(), v.len()),
    };
    let mut cost = Sum::default();
    monotone_plan(&su, &sv, |i, j, mass| {
        cost.add(mass * pow_abs(su.value(i) - sv.value(j), options.p));
        plan.rows.push(su.index(i));
        plan.cols.push(sv.index(j));
        plan.values.push(mass);
    });
    Ok(Emd1d { cost: cost.value(), plan })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts<'a>(uw: Option<&'a [f64]>, vw: Option<&'a [f64]>, p: f64) -> Options1d<'a> {
        Options1d { u_weights: uw, v_weights: vw, p }
    }

    #[test]
    fn translation_costs_the_shift() {
        let u = [0.3, -1.0, 2.5];
        let v: Vec<f64> = u.iter().map(|x| x + 0.75).collect();
        for p in [1.0, 2.0, 3.5] {
            let w = wasserstein_1d(&u, &v, opts(None, None, p)).unwrap();
            assert!((w - 0.75).abs() < 1e-14, "p={p}: {w}");
        }
    }

    #[test]
    fn plan_has_the_right_marginals_and_size() {
        let u = [0.0, 1.0, 2.0, 5.0];
        let uw = [0.1, 0.0, 0.6, 0.3];
        let v = [4.0, -1.0, 0.5];
        let vw = [2.0, 1.0, 1.0];
        let r = emd_1d(&u, &v, opts(Some(&uw), Some(&vw), 2.0)).unwrap();
        assert!(r.plan.values.len() < u.len() + v.len());
        let mut rows = [0.0; 4];
        let mut cols = [0.0; 3];
        let mut cost = 0.0;
        for k in 0..r.plan.values.len() {
            let (i, j, m) = (r.plan.rows[k] as usize, r.plan.cols[k] as usize, r.plan.values[k]);
            rows[i] += m;
            cols[j] += m;
            cost += m * (u[i] - v[j]).powi(2);
        }
        for (got, want) in rows.iter().zip(uw) {
            assert!((got - want).abs() < 1e-15);
        }
        for (got, want) in cols.iter().zip([0.5, 0.25, 0.25]) {
            assert!((got - want).abs() < 1e-15);
        }
        assert!((cost - r.cost).abs() < 1e-14);
        // A zero-weight atom never appears in the plan.
        assert!(!r.plan.rows.contains(&1));
    }

    #[test]
    fn matches_brute_force_on_uniform_equal_sizes() {
        // For uniform weights and n = m the optimum is the sorted matching.
        let u = [3.0, 1.0, 4.0, 1.5, 9.0];
        let v = [2.0, 7.0, 1.8, 2.8, 1.0];
        let (mut su, mut sv) = (u, v);
        su.sort_by(f64::total_cmp);
        sv.sort_by(f64::total_cmp);
        let want: f64 = su.iter().zip(&sv).map(|(a, b)| (a - b).abs().powi(3)).sum::<f64>() / 5.0;
        let got = emd_1d(&u, &v, opts(None, None, 3.0)).unwrap().cost;
        assert!((got - want).abs() < 1e-12 * want);
    }

    #[test]
    fn rejects_bad_input() {
        let kind = |r: Result<f64>| r.unwrap_err().kind();
        assert_eq!(kind(wasserstein_1d(&[], &[1.0], opts(None, None, 1.0))), ErrorKind::InvalidInput);
        assert_eq!(kind(wasserstein_1d(&[f64::NAN], &[1.0], opts(None, None, 1.0))), ErrorKind::NonFinite);
        assert_eq!(kind(wasserstein_1d(&[0.0], &[1.0], opts(None, None, 0.5))), ErrorKind::InvalidInput);
        assert_eq!(
            kind(wasserstein_1d(&[0.0], &[1.0], opts(Some(&[-1.0]), None, 1.0))),
            ErrorKind::NegativeWeight
        );
        assert_eq!(
            kind(wasserstein_1d(&[0.0, 1.0], &[1.0], opts(Some(&[1.0]), None, 1.0))),
            ErrorKind::ShapeMismatch
        );
    }
}
