//! Splitting independent work items over threads.
//!
//! Native builds run the pieces on one persistent pool (rayon's global pool, one thread per
//! core, shared by every pass of every solve: nothing is spawned per pass); WASM builds run
//! serially, since the module is single-threaded. Each item's result lands in its own slot, so
//! any reduction over the results happens in item order and gives the same bits whatever the
//! thread count: native and WASM agree exactly.

/// Below this much work (in element visits), spawning threads costs more than it saves.
pub(crate) const PARALLEL_MIN_WORK: usize = 1 << 17;

/// Computes `out[k] = work(k, &mut state)` for every `k`, with one `state` (scratch buffers) per
/// thread, made by `init`. `total_work` (element visits, roughly) decides whether threads pay.
pub(crate) fn for_each_slot<S, I, W>(out: &mut [f64], total_work: usize, init: I, work: W)
where
    I: Fn() -> S + Sync,
    W: Fn(usize, &mut S) -> f64 + Sync,
{
    let threads = if total_work < PARALLEL_MIN_WORK { 1 } else { thread_count() };
    map_slots(out, threads, init, work);
}

/// Computes `out[k] = work(k, &mut state)` for every `k` on up to `threads` threads (one when the
/// build has none), each taking a contiguous run of slots with its own `state` from `init`.
pub(crate) fn map_slots<R, S, I, W>(out: &mut [R], threads: usize, init: I, work: W)
where
    R: Send,
    I: Fn() -> S + Sync,
    W: Fn(usize, &mut S) -> R + Sync,
{
    let threads = if cfg!(target_arch = "wasm32") { 1 } else { threads.min(out.len()).max(1) };
    if threads == 1 {
        let mut state = init();
        for (k, slot) in out.iter_mut().enumerate() {
            *slot = work(k, &mut state);
        }
        return;
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let chunk = out.len().div_ceil(threads);
        rayon::scope(|scope| {
            for (c, slots) in out.chunks_mut(chunk).enumerate() {
                let (init, work) = (&init, &work);
                scope.spawn(move |_| {
                    let mut state = init();
                    for (k, slot) in slots.iter_mut().enumerate() {
                        *slot = work(c * chunk + k, &mut state);
                    }
                });
            }
        });
    }
}

/// Calls `work(k, row, &mut state)` for every consecutive `row` of `row_len` values of `data`, on
/// up to `threads` threads (one when the build has none), each with its own `state`.
pub(crate) fn for_each_row<T, S, I, W>(data: &mut [T], row_len: usize, threads: usize, init: I, work: W)
where
    T: Send,
    I: Fn() -> S + Sync,
    W: Fn(usize, &mut [T], &mut S) + Sync,
{
    let rows = data.len() / row_len.max(1);
    let threads = if cfg!(target_arch = "wasm32") { 1 } else { threads.min(rows).max(1) };
    let per_thread = rows.div_ceil(threads).max(1) * row_len.max(1);
    let run = |c: usize, block: &mut [T]| {
        let mut state = init();
        for (k, row) in block.chunks_mut(row_len.max(1)).enumerate() {
            work(c * (per_thread / row_len.max(1)) + k, row, &mut state);
        }
    };
    if threads == 1 {
        run(0, data);
        return;
    }
    #[cfg(not(target_arch = "wasm32"))]
    rayon::scope(|scope| {
        for (c, block) in data.chunks_mut(per_thread).enumerate() {
            let run = &run;
            scope.spawn(move |_| run(c, block));
        }
    });
}

/// Runs `a` and `b`, on two threads when `total_work` makes it pay (and the build has threads).
pub(crate) fn join<A, B, RA, RB>(total_work: usize, a: A, b: B) -> (RA, RB)
where
    A: FnOnce() -> RA + Send,
    B: FnOnce() -> RB + Send,
    RA: Send,
    RB: Send,
{
    #[cfg(not(target_arch = "wasm32"))]
    if total_work >= PARALLEL_MIN_WORK && thread_count() > 1 {
        // A panic in either is re-raised here, on the caller's thread.
        return rayon::join(a, b);
    }
    let _ = total_work;
    (a(), b())
}

/// The number of cores (1 in WASM builds, which have no threads).
#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn thread_count() -> usize {
    std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1)
}

/// The number of cores (1 in WASM builds, which have no threads).
#[cfg(target_arch = "wasm32")]
pub(crate) fn thread_count() -> usize {
    1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn join_returns_both_results() {
        assert_eq!(join(usize::MAX, || 1, || "two"), (1, "two"));
        assert_eq!(join(0, || 1, || "two"), (1, "two"));
    }

    #[test]
    fn every_slot_is_filled_in_place() {
        // Once with threads (when the machine has several cores), once serially.
        for work in [usize::MAX, 0] {
            let mut out = vec![0.0; 37];
            for_each_slot(
                &mut out,
                work,
                || 0usize,
                |k, calls| {
                    *calls += 1;
                    (k * k) as f64
                },
            );
            assert!(out.iter().enumerate().all(|(k, &v)| v == (k * k) as f64));
        }
    }
}
