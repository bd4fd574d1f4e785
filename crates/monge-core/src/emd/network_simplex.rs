//! Primal network simplex on the complete bipartite graph of a transport problem.
//!
//! The spanning-tree bookkeeping follows LEMON's `NetworkSimplex` (Kovács, *Minimum-cost flow
//! algorithms: an experimental evaluation*, Optim. Methods Softw. 2015), the solver inside POT's
//! `ot.emd`: an artificial root joined to every node, a tree stored as parent / predecessor arc /
//! preorder thread / subtree sizes, block-search pricing, and strongly feasible pivots (no
//! cycling). Two changes make it fit large dense problems in `O(n + m)` memory beyond the cost
//! matrix: arcs are implicit (arc `e` joins source `e / m` to sink `e % m`, its cost is `M[e]`),
//! and flows live on tree nodes (`pred_flow[u]` is the flow of `u`'s arc to its parent), since
//! every arc outside the tree carries zero flow. Tree arcs have zero reduced cost, so pricing
//! needs no per-arc state either: a tolerance keeps rounding noise from re-entering them.

use super::pricing;
use crate::simd::Level;

/// Relative tolerance of pricing: an arc enters only if its reduced cost is below
/// `−EPS · (|cost| + |π_s| + |π_t|)`, safely above the rounding noise of tree arcs.
pub(super) const EPS: f64 = 1e-13;
const NONE: usize = usize::MAX;
/// The arc of a node points to its parent.
const UP: i8 = 1;
/// The arc of a node points from its parent.
const DOWN: i8 = -1;

/// A transport problem between `n` sources with supplies `a` and `m` sinks with demands `b`
/// (equal totals), costs `M` row-major `n × m`, being solved.
///
/// The state holds no reference to the costs: every call that reads them is handed them, so
/// that a solve can be kept between calls (a [`Resumable`](crate::Resumable)).
pub(crate) struct NetworkSimplex {
    n: usize,
    m: usize,
    /// Real arcs: `n · m`; artificial arc of node `u`: `real + u`.
    real: usize,
    root: usize,
    art_cost: f64,
    /// For each node: supply (≥ 0, sources) or minus demand (< 0, sinks).
    supply: Vec<f64>,
    parent: Vec<usize>,
    pred: Vec<usize>,
    pred_dir: Vec<i8>,
    pred_flow: Vec<f64>,
    thread: Vec<usize>,
    rev_thread: Vec<usize>,
    succ_num: Vec<usize>,
    last_succ: Vec<usize>,
    pi: Vec<f64>,
    dirty_revs: Vec<usize>,
    block_size: usize,
    next_arc: usize,
    /// The instruction set pricing runs at.
    level: Level,
    // The current pivot.
    in_arc: usize,
    join: usize,
    u_in: usize,
    v_in: usize,
    u_out: usize,
    delta: f64,
}

impl NetworkSimplex {
    /// The initial tree: every node hangs from the root by its artificial arc, which carries
    /// the node's whole supply or demand.
    pub fn new(cost: &[f64], a: &[f64], b: &[f64]) -> Self {
        let (n, m) = (a.len(), b.len());
        let nodes = n + m;
        let root = nodes;
        let max_abs = cost.iter().fold(0.0f64, |acc, c| acc.max(c.abs()));
        let art_cost = (max_abs + 1.0) * nodes as f64;
        let supply: Vec<f64> = a.iter().copied().chain(b.iter().map(|&x| -x)).collect();
        let mut s = NetworkSimplex {
            n,
            m,
            real: n * m,
            root,
            art_cost,
            parent: vec![root; nodes + 1],
            pred: (0..=nodes).map(|u| n * m + u).collect(),
            pred_dir: vec![UP; nodes + 1],
            pred_flow: vec![0.0; nodes + 1],
            thread: (1..=nodes + 1).collect(),
            rev_thread: (0..=nodes).map(|u| if u == 0 { root } else { u - 1 }).collect(),
            succ_num: vec![1; nodes + 1],
            last_succ: (0..=nodes).collect(),
            pi: vec![0.0; nodes + 1],
            supply,
            dirty_revs: Vec::new(),
            block_size: ((n * m) as f64).sqrt().ceil().max(10.0) as usize,
            next_arc: 0,
            level: Level::detect(),
            in_arc: NONE,
            join: NONE,
            u_in: NONE,
            v_in: NONE,
            u_out: NONE,
            delta: 0.0,
        };
        s.parent[root] = NONE;
        s.pred[root] = NONE;
        s.thread[root] = 0;
        s.rev_thread[0] = root;
        s.succ_num[root] = nodes + 1;
        s.last_succ[root] = if nodes > 0 { nodes - 1 } else { root };
        for u in 0..nodes {
            if s.supply[u] >= 0.0 {
                s.pred_dir[u] = UP;
                s.pred_flow[u] = s.supply[u];
            } else {
                s.pred_dir[u] = DOWN;
                s.pred_flow[u] = -s.supply[u];
                s.pi[u] = art_cost;
            }
        }
        s
    }

    #[inline]
    fn source(&self, e: usize) -> usize {
        if e < self.real {
            e / self.m
        } else if self.supply[e - self.real] >= 0.0 {
            e - self.real
        } else {
            self.root
        }
    }

    #[inline]
    fn target(&self, e: usize) -> usize {
        if e < self.real {
            self.n + e % self.m
        } else if self.supply[e - self.real] >= 0.0 {
            self.root
        } else {
            e - self.real
        }
    }

    #[inline]
    fn arc_cost(&self, cost: &[f64], e: usize) -> f64 {
        if e < self.real {
            cost[e]
        } else if self.supply[e - self.real] >= 0.0 {
            0.0
        } else {
            self.art_cost
        }
    }

    /// Whether some arc prices out: the entering arc of the next pivot, found and kept.
    pub fn has_entering_arc(&mut self, cost: &[f64]) -> bool {
        self.find_entering_arc(cost)
    }

    /// Makes the pivot of the entering arc [`NetworkSimplex::has_entering_arc`] found.
    pub fn pivot_found(&mut self, cost: &[f64]) {
        self.find_join_node();
        self.find_leaving_arc();
        self.change_flow();
        self.update_tree_structure();
        self.update_potential(cost);
    }

    /// Block search pricing: scans blocks of arcs from where the last search stopped and takes
    /// the most negative reduced cost (the first such arc on ties) of the first block that has
    /// one. Each block is walked as row segments, whose arcs are contiguous in `M`, so the scan
    /// is a branch-free vector minimum ([`pricing::segment_min`]) over streamed costs.
    fn find_entering_arc(&mut self, cost: &[f64]) -> bool {
        let (n, m) = (self.n, self.m);
        let total = self.real;
        let pi_sinks = &self.pi[n..n + m];
        let mut best = 0.0;
        let mut best_arc = NONE;
        let mut remaining = total;
        let mut e = self.next_arc;
        while remaining > 0 {
            let mut left = self.block_size.min(remaining);
            remaining -= left;
            while left > 0 {
                let (i, j0) = (e / m, e % m);
                let len = left.min(m - j0);
                let costs = &cost[e..e + len];
                let sinks = &pi_sinks[j0..j0 + len];
                let ps = self.pi[i];
                let low = pricing::segment_min(self.level, costs, sinks, ps);
                if low < best {
                    best = low;
                    best_arc = e + pricing::first_at(costs, sinks, ps, low);
                }
                left -= len;
                e += len;
                if e == total {
                    e = 0;
                }
            }
            if best_arc != NONE {
                break;
            }
        }
        if best_arc == NONE {
            return false;
        }
        self.in_arc = best_arc;
        self.next_arc = e;
        true
    }

    fn find_join_node(&mut self) {
        let (mut u, mut v) = (self.source(self.in_arc), self.target(self.in_arc));
        while u != v {
            if self.succ_num[u] < self.succ_num[v] {
                u = self.parent[u];
            } else {
                v = self.parent[v];
            }
        }
        self.join = u;
    }

    /// The arc that leaves: the one whose flow drops to zero first around the cycle closed by
    /// the entering arc (ties broken for a strongly feasible tree, as in LEMON).
    fn find_leaving_arc(&mut self) {
        let first = self.source(self.in_arc);
        let second = self.target(self.in_arc);
        let mut delta = f64::INFINITY;
        let mut result = 0;
        let mut u = first;
        while u != self.join {
            if self.pred_dir[u] == UP && self.pred_flow[u] < delta {
                delta = self.pred_flow[u];
                self.u_out = u;
                result = 1;
            }
            u = self.parent[u];
        }
        let mut u = second;
        while u != self.join {
            if self.pred_dir[u] == DOWN && self.pred_flow[u] <= delta {
                delta = self.pred_flow[u];
                self.u_out = u;
                result = 2;
            }
            u = self.parent[u];
        }
        // Supplies are finite and every cycle through the root's arcs is bounded, so some tree
        // arc always limits the flow.
        debug_assert!(result != 0);
        if result == 1 {
            self.u_in = first;
            self.v_in = second;
        } else {
            self.u_in = second;
            self.v_in = first;
        }
        self.delta = delta;
    }

    fn change_flow(&mut self) {
        let delta = self.delta;
        if delta > 0.0 {
            let mut u = self.source(self.in_arc);
            while u != self.join {
                self.pred_flow[u] -= self.pred_dir[u] as f64 * delta;
                u = self.parent[u];
            }
            let mut u = self.target(self.in_arc);
            while u != self.join {
                self.pred_flow[u] += self.pred_dir[u] as f64 * delta;
                u = self.parent[u];
            }
        }
    }

    /// Re-hangs the subtree cut off by the leaving arc from the entering arc, keeping thread,
    /// subtree sizes and last successors consistent (LEMON's `updateTreeStructure`).
    fn update_tree_structure(&mut self) {
        let (u_in, v_in, u_out, join) = (self.u_in, self.v_in, self.u_out, self.join);
        let old_rev_thread = self.rev_thread[u_out];
        let old_succ_num = self.succ_num[u_out];
        let old_last_succ = self.last_succ[u_out];
        let v_out = self.parent[u_out];
        let in_dir = if u_in == self.source(self.in_arc) { UP } else { DOWN };

        if u_in == u_out {
            self.parent[u_in] = v_in;
            self.pred[u_in] = self.in_arc;
            self.pred_dir[u_in] = in_dir;
            self.pred_flow[u_in] = self.delta;
            if self.thread[v_in] != u_out {
                let after = self.thread[old_last_succ];
                self.thread[old_rev_thread] = after;
                self.rev_thread[after] = old_rev_thread;
                let after = self.thread[v_in];
                self.thread[v_in] = u_out;
                self.rev_thread[u_out] = v_in;
                self.thread[old_last_succ] = after;
                self.rev_thread[after] = old_last_succ;
            }
        } else {
            let thread_continue =
                if old_rev_thread == v_in { self.thread[old_last_succ] } else { self.thread[v_in] };
            let mut stem = u_in;
            let mut par_stem = v_in;
            let mut last = self.last_succ[u_in];
            let mut after = self.thread[last];
            self.thread[v_in] = u_in;
            self.dirty_revs.clear();
            self.dirty_revs.push(v_in);
            while stem != u_out {
                let next_stem = self.parent[stem];
                self.thread[last] = next_stem;
                self.dirty_revs.push(last);
                let before = self.rev_thread[stem];
                self.thread[before] = after;
                self.rev_thread[after] = before;
                self.parent[stem] = par_stem;
                par_stem = stem;
                stem = next_stem;
                last = if self.last_succ[stem] == self.last_succ[par_stem] {
                    self.rev_thread[par_stem]
                } else {
                    self.last_succ[stem]
                };
                after = self.thread[last];
            }
            self.parent[u_out] = par_stem;
            self.thread[last] = thread_continue;
            self.rev_thread[thread_continue] = last;
            self.last_succ[u_out] = last;
            if old_rev_thread != v_in {
                self.thread[old_rev_thread] = after;
                self.rev_thread[after] = old_rev_thread;
            }
            for k in 0..self.dirty_revs.len() {
                let u = self.dirty_revs[k];
                let t = self.thread[u];
                self.rev_thread[t] = u;
            }
            // Along the stem from u_out to u_in, each node takes its old parent's arc (reversed).
            let mut tmp_sc = 0usize;
            let tmp_ls = self.last_succ[u_out];
            let mut u = u_out;
            while u != u_in {
                let p = self.parent[u];
                self.pred[u] = self.pred[p];
                self.pred_dir[u] = -self.pred_dir[p];
                self.pred_flow[u] = self.pred_flow[p];
                tmp_sc = tmp_sc + self.succ_num[u] - self.succ_num[p];
                self.succ_num[u] = tmp_sc;
                self.last_succ[p] = tmp_ls;
                u = p;
            }
            self.pred[u_in] = self.in_arc;
            self.pred_dir[u_in] = in_dir;
            self.pred_flow[u_in] = self.delta;
            self.succ_num[u_in] = old_succ_num;
        }

        let up_limit_out = if self.last_succ[join] == v_in { join } else { NONE };
        let last_succ_out = self.last_succ[u_out];
        let mut u = v_in;
        while u != NONE && self.last_succ[u] == v_in {
            self.last_succ[u] = last_succ_out;
            u = self.parent[u];
        }
        if join != old_rev_thread && v_in != old_rev_thread {
            let mut u = v_out;
            while u != up_limit_out && u != NONE && self.last_succ[u] == old_last_succ {
                self.last_succ[u] = old_rev_thread;
                u = self.parent[u];
            }
        } else if last_succ_out != old_last_succ {
            let mut u = v_out;
            while u != up_limit_out && u != NONE && self.last_succ[u] == old_last_succ {
                self.last_succ[u] = last_succ_out;
                u = self.parent[u];
            }
        }
        let mut u = v_in;
        while u != join {
            self.succ_num[u] += old_succ_num;
            u = self.parent[u];
        }
        let mut u = v_out;
        while u != join {
            self.succ_num[u] -= old_succ_num;
            u = self.parent[u];
        }
    }

    /// Shifts the potentials of the re-hung subtree so the entering arc has zero reduced cost.
    fn update_potential(&mut self, cost: &[f64]) {
        let (u_in, v_in) = (self.u_in, self.v_in);
        let c = self.arc_cost(cost, self.in_arc);
        let sigma = self.pi[v_in] - self.pi[u_in] - if self.pred_dir[u_in] == UP { c } else { -c };
        let end = self.thread[self.last_succ[u_in]];
        let mut u = u_in;
        while u != end {
            self.pi[u] += sigma;
            u = self.thread[u];
        }
    }

    /// The positive flows on real arcs: `(source, sink, flow)`, in node order.
    pub fn flows(&self) -> impl Iterator<Item = (usize, usize, f64)> + '_ {
        (0..self.n + self.m).filter_map(move |u| {
            let e = self.pred[u];
            (e < self.real && self.pred_flow[u] > 0.0).then(|| (e / self.m, e % self.m, self.pred_flow[u]))
        })
    }

    /// Potentials as transport duals: `u_i = −π_i`, `v_j = π_{n+j}`, so that
    /// `u_i + v_j ≤ M_ij` with equality on the plan's support.
    pub fn duals(&self) -> (Vec<f64>, Vec<f64>) {
        let u = self.pi[..self.n].iter().map(|p| -p).collect();
        let v = self.pi[self.n..self.n + self.m].to_vec();
        (u, v)
    }
}
