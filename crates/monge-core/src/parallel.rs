//! Splitting independent work items over threads.
//!
//! Native builds use scoped OS threads (one per core, up to the number of items); WASM builds
//! run serially, since the module is single-threaded. Each item's result lands in its own slot,
//! so any reduction over the results happens in item order and gives the same bits whatever the
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
    let threads = if total_work < PARALLEL_MIN_WORK { 1 } else { thread_count().min(out.len()).max(1) };
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
        std::thread::scope(|scope| {
            for (c, slots) in out.chunks_mut(chunk).enumerate() {
                let (init, work) = (&init, &work);
                scope.spawn(move || {
                    let mut state = init();
                    for (k, slot) in slots.iter_mut().enumerate() {
                        *slot = work(c * chunk + k, &mut state);
                    }
                });
            }
        });
    }
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
        return std::thread::scope(|scope| {
            let handle = scope.spawn(b);
            let ra = a();
            // A panic in `b` is re-raised here, on the caller's thread, like a panic in `a`.
            let rb = handle.join().unwrap_or_else(|payload| std::panic::resume_unwind(payload));
            (ra, rb)
        });
    }
    let _ = total_work;
    (a(), b())
}

#[cfg(not(target_arch = "wasm32"))]
fn thread_count() -> usize {
    std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1)
}

#[cfg(target_arch = "wasm32")]
fn thread_count() -> usize {
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
