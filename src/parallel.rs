//! The corepy-owned rayon pool and the sequential-or-parallel decision for every op.

use crate::error::{CoreError, Result};
use crate::instrument::alloc;
use rayon::prelude::*;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, RwLock};

/// A raw pointer that may cross into rayon tasks. Each task touches a disjoint range of it.
#[derive(Clone, Copy)]
pub struct SendPtr(pub *mut u8);
// SAFETY: used only to hand disjoint sub-ranges of one buffer to parallel tasks.
unsafe impl Send for SendPtr {}
unsafe impl Sync for SendPtr {}
impl SendPtr {
    #[inline]
    pub fn get(self) -> *mut u8 {
        self.0
    }
}

static NUM_THREADS: AtomicUsize = AtomicUsize::new(0);
static POOL: RwLock<Option<Arc<rayon::ThreadPool>>> = RwLock::new(None);

/// Holds the pool's locks across a fork (`crate::fork`): no thread is then building or swapping
/// the pool, publishing a job (`CURRENT`) or taking one as a lingering helper. In the child the
/// pool's threads, the current job's caller and every lingering helper are gone, so the child
/// forgets all three: its next parallel op builds a pool of its own and spawns fresh helpers.
/// (Forgotten, not dropped: dropping a rayon pool signals its threads through locks that a
/// worker may have held at the fork.)
pub(crate) fn fork_prepare() -> Box<dyn crate::fork::Held> {
    struct Pool {
        pool: std::sync::RwLockWriteGuard<'static, Option<Arc<rayon::ThreadPool>>>,
        current: std::sync::MutexGuard<'static, Option<Arc<Shared>>>,
    }
    impl crate::fork::Held for Pool {
        fn in_child(&mut self) {
            std::mem::forget(self.pool.take());
            std::mem::forget(self.current.take());
            LINGERING.store(0, Ordering::SeqCst);
        }
    }
    Box::new(Pool {
        pool: POOL.write().unwrap_or_else(|e| e.into_inner()),
        current: CURRENT.lock().unwrap_or_else(|e| e.into_inner()),
    })
}

fn default_threads() -> usize {
    std::env::var("COREPY_NUM_THREADS")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|&n: &usize| n >= 1)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
}

pub fn num_threads() -> usize {
    match NUM_THREADS.load(Ordering::Relaxed) {
        0 => {
            let n = default_threads();
            NUM_THREADS.store(n, Ordering::Relaxed);
            n
        }
        n => n,
    }
}

pub fn set_num_threads(n: usize) -> Result<()> {
    if n == 0 {
        return Err(CoreError::value(
            "set_num_threads: need at least 1 thread, got 0",
        ));
    }
    NUM_THREADS.store(n, Ordering::Relaxed);
    // The pool is rebuilt lazily with the new size on the next parallel op.
    let old = POOL.write().unwrap_or_else(|e| e.into_inner()).take();
    alloc::uncounted(|| drop(old));
    Ok(())
}

/// Pool bookkeeping (the pool, a parallel call's shared state, rayon's boxed jobs) is allocated
/// and freed with counting off: it is made on the caller's thread and often freed on a worker,
/// which does not count, so counted on the caller's side only it stayed in the live bytes for
/// ever (a soak run saw them drift by a few bytes per parallel op on average).
struct Uncounted<T>(Option<T>);

impl<T> Uncounted<T> {
    fn new(make: impl FnOnce() -> T) -> Uncounted<T> {
        Uncounted(Some(alloc::uncounted(make)))
    }
}

impl<T> std::ops::Deref for Uncounted<T> {
    type Target = T;
    fn deref(&self) -> &T {
        self.0.as_ref().expect("set until dropped")
    }
}

impl<T> Drop for Uncounted<T> {
    fn drop(&mut self) {
        let value = self.0.take();
        alloc::uncounted(|| drop(value));
    }
}

fn pool() -> Arc<rayon::ThreadPool> {
    let n = num_threads();
    let fits = |slot: &Option<Arc<rayon::ThreadPool>>| match slot {
        Some(p) if p.current_num_threads() == n => Some(p.clone()),
        _ => None,
    };
    if let Some(p) = fits(&POOL.read().unwrap_or_else(|e| e.into_inner())) {
        return p;
    }
    let mut slot = POOL.write().unwrap_or_else(|e| e.into_inner());
    if let Some(p) = fits(&slot) {
        return p;
    }
    crate::fork::install();
    alloc::uncounted(|| {
        let p = Arc::new(
            rayon::ThreadPoolBuilder::new()
                .num_threads(n)
                .thread_name(|i| format!("corepy-worker-{i}"))
                // Workers count allocations only inside an op's tasks, from their first
                // instruction: rayon allocates a worker's job queue before any start handler
                // runs, and frees it when the thread exits.
                .spawn_handler(|worker| {
                    let mut thread = std::thread::Builder::new();
                    if let Some(name) = worker.name() {
                        thread = thread.name(name.to_owned());
                    }
                    if let Some(size) = worker.stack_size() {
                        thread = thread.stack_size(size);
                    }
                    thread.spawn(move || {
                        alloc::stop_counting_this_thread();
                        worker.run()
                    })?;
                    Ok(())
                })
                .build()
                .expect("building the corepy thread pool"),
        );
        *slot = Some(p.clone());
        p
    })
}

/// Element counts above which each op family runs in parallel. The defaults are conservative;
/// `corepy.tune()` measures them on this machine and stores them.
pub const THRESHOLD_OPS: [&str; 7] = [
    "elementwise",
    "sum",
    "all_any",
    "cast",
    "dot",
    "matmul",
    "gather",
];
// Low because parallel loops go through `share_tasks` (no wake-up round trip): two threads
// already pay off on L2-resident arrays. Bool scans stream one byte per element, so later.
// Matmul counts multiply-adds (m * n * k): measured on the 2-core Zen 4 VM, two threads gain
// from about 52^3 (n = 48 breaks even, n = 56 gains ~1.2x, n = 64 ~1.3x).
const DEFAULT_THRESHOLDS: [usize; 7] = [
    1 << 15,
    1 << 16,
    1 << 19,
    1 << 15,
    1 << 15,
    1 << 17,
    1 << 16,
];
static THRESHOLDS: [AtomicUsize; 7] = [
    AtomicUsize::new(DEFAULT_THRESHOLDS[0]),
    AtomicUsize::new(DEFAULT_THRESHOLDS[1]),
    AtomicUsize::new(DEFAULT_THRESHOLDS[2]),
    AtomicUsize::new(DEFAULT_THRESHOLDS[3]),
    AtomicUsize::new(DEFAULT_THRESHOLDS[4]),
    AtomicUsize::new(DEFAULT_THRESHOLDS[5]),
    AtomicUsize::new(DEFAULT_THRESHOLDS[6]),
];

fn threshold_slot(op: &str) -> Result<&'static AtomicUsize> {
    THRESHOLD_OPS
        .iter()
        .position(|k| *k == op)
        .map(|i| &THRESHOLDS[i])
        .ok_or_else(|| {
            CoreError::value(format!(
                "unknown threshold {op:?}: expected one of {}",
                THRESHOLD_OPS.join(", ")
            ))
        })
}

pub fn thresholds() -> Vec<(&'static str, usize)> {
    THRESHOLD_OPS
        .iter()
        .zip(&THRESHOLDS)
        .map(|(k, v)| (*k, v.load(Ordering::Relaxed)))
        .collect()
}

/// Sets one op family's threshold in elements (unknown names are a ValueError).
pub fn set_threshold(op: &str, elements: usize) -> Result<()> {
    threshold_slot(op)?.store(elements, Ordering::Relaxed);
    Ok(())
}

/// Restores the built-in defaults.
pub fn reset_thresholds() {
    for (slot, d) in THRESHOLDS.iter().zip(DEFAULT_THRESHOLDS) {
        slot.store(d, Ordering::Relaxed);
    }
}

/// An op family with its own parallel threshold; the discriminant indexes THRESHOLD_OPS.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    Elementwise = 0,
    Sum = 1,
    AllAny = 2,
    Cast = 3,
    Dot = 4,
    Matmul = 5,
    Gather = 6,
}

/// The threshold of an op family: one atomic load (names are only parsed at the Python edge).
#[inline]
pub fn threshold(family: Family) -> usize {
    THRESHOLDS[family as usize].load(Ordering::Relaxed)
}

/// True when work of `n` elements for an op with this threshold should use the pool.
pub fn should_parallelize(n: usize, threshold: usize) -> bool {
    let parallel = n >= threshold && num_threads() > 1;
    crate::instrument::note_parallel(n, threshold, parallel);
    parallel
}

/// Runs `f(start, len)` over `[0, n)`: one call when small, else disjoint chunks across the pool
/// (see [`chunk_len`]).
pub fn for_chunks<F>(n: usize, threshold: usize, f: F)
where
    F: Fn(usize, usize) + Sync + Send,
{
    if n == 0 {
        return;
    }
    if !should_parallelize(n, threshold) {
        f(0, n);
        return;
    }
    let chunk = chunk_len(n, true);
    run_tasks(n.div_ceil(chunk), true, None, |c| {
        let s = c * chunk;
        f(s, chunk.min(n - s))
    })
    .expect("without interruption checks a loop is never interrupted");
}

/// Elements per chunk of `n`: about four chunks per thread when `parallel` (shared through
/// `share_tasks`, so short loops gain too), at most [`SLAB`], and a multiple of 64 so SIMD loops
/// see full vectors at every chunk start.
fn chunk_len(n: usize, parallel: bool) -> usize {
    let parts = if parallel { num_threads() * 4 } else { 1 };
    n.div_ceil(parts).next_multiple_of(64).min(SLAB)
}

/// Runs `f` once on every pool thread (e.g. to open per-thread counters), returning the results.
pub fn on_every_worker<T: Send>(f: impl Fn() -> T + Sync + Send) -> Vec<T> {
    pool().broadcast(|_| f())
}

/// Elements per slab of an interruptible loop: between slabs the calling thread checks for an
/// interrupt (`crate::interrupt::check`). A multiple of 64, like every chunk start.
pub const SLAB: usize = 1 << 22;

/// Like [`for_chunks`] (same parallel decision, made on all `n`), interruptible: chunks are at
/// most [`SLAB`] elements and the calling thread checks for an interrupt between its chunks.
pub fn for_chunks_checked<F>(n: usize, threshold: usize, f: F) -> Result<()>
where
    F: Fn(usize, usize) + Sync + Send,
{
    if n == 0 {
        return Ok(());
    }
    let par = should_parallelize(n, threshold);
    let chunk = chunk_len(n, par);
    run_tasks_checked(n.div_ceil(chunk), par, chunk, |c| {
        let s = c * chunk;
        f(s, chunk.min(n - s))
    })
}

/// Runs `f(t)` for every `t` in `0..count`, tasks of `task_len` elements each, shared with the
/// pool when `parallel`. The calling thread checks for an interrupt after each [`SLAB`] elements
/// of its own tasks (no barrier: workers keep claiming); after one, no further task starts and the
/// op gets `Interrupted`. Ops shorter than a slab never look at the clock, so their work (and
/// what a cache simulator counts) does not depend on timing.
pub fn run_tasks_checked<F>(count: usize, parallel: bool, task_len: usize, f: F) -> Result<()>
where
    F: Fn(usize) + Sync + Send,
{
    run_tasks(count, parallel, Some((SLAB / task_len.max(1)).max(1)), f)
}

/// The loop of [`for_chunks`] and [`run_tasks_checked`]: with `check_every`, the caller checks
/// for an interrupt after that many of its own tasks.
fn run_tasks<F>(count: usize, parallel: bool, check_every: Option<usize>, f: F) -> Result<()>
where
    F: Fn(usize) + Sync + Send,
{
    let interrupted = AtomicBool::new(false);
    share_tasks(count, parallel, |who, next| {
        let mut done = 0usize;
        while !interrupted.load(Ordering::Relaxed) {
            let Some(t) = next() else { break };
            f(t);
            done += 1;
            let due = who == 0 && check_every.is_some_and(|e| done % e == 0);
            if due && crate::interrupt::check().is_err() {
                interrupted.store(true, Ordering::Relaxed);
            }
        }
    });
    if interrupted.into_inner() {
        Err(CoreError::Interrupted)
    } else {
        Ok(())
    }
}

/// Maps `f` over `count` independent tasks (results in task order), shared between the caller
/// and the pool's workers when `parallel` is set (see `share_tasks`).
pub fn map_tasks<T, F>(count: usize, parallel: bool, f: F) -> Vec<T>
where
    T: Send,
    F: Fn(usize) -> T + Sync + Send,
{
    if !(parallel && count > 1 && num_threads() > 1) {
        return (0..count).map(f).collect();
    }
    let slots: Vec<Mutex<Option<T>>> = (0..count).map(|_| Mutex::new(None)).collect();
    share_tasks(count, true, |_, next| {
        while let Some(i) = next() {
            let r = f(i);
            *slots[i].lock().unwrap_or_else(|e| e.into_inner()) = Some(r);
        }
    });
    slots
        .into_iter()
        .map(|m| {
            m.into_inner()
                .unwrap_or_else(|e| e.into_inner())
                .expect("every task ran")
        })
        .collect()
}

/// Runs `f` inside corepy's pool, so that rayon-based code in it (faer's `Par::rayon`, rayon's
/// parallel iterators) uses the pool's threads, as many as `set_num_threads` says. `f` runs on a
/// pool thread, with its allocations counted as the caller's would be.
pub fn install<R: Send>(f: impl FnOnce() -> R + Send) -> R {
    pool().install(|| alloc::counting(true, f))
}

/// Runs `f(t)` for t in 0..threads with each task on its own pool thread at the same time (for
/// measurements that need exactly that many threads busy, like STREAM bandwidth).
pub fn on_threads<T, F>(threads: usize, f: F) -> Vec<T>
where
    T: Send,
    F: Fn(usize) -> T + Sync + Send,
{
    if threads <= 1 {
        return (0..threads).map(f).collect();
    }
    pool().install(|| (0..threads).into_par_iter().map(&f).collect())
}

/// Admission gate for [`share_tasks`] helpers: a helper may touch the caller's closure only after
/// `enter` succeeds, and the caller returns only after `close_and_wait`, which shuts the gate and
/// waits for every admitted helper to `leave`.
#[derive(Default)]
struct Gate(AtomicUsize);

const CLOSED: usize = 1 << (usize::BITS - 1);

impl Gate {
    fn enter(&self) -> bool {
        if self.0.fetch_add(1, Ordering::Acquire) & CLOSED != 0 {
            self.0.fetch_sub(1, Ordering::Release);
            return false;
        }
        true
    }
    fn leave(&self) {
        self.0.fetch_sub(1, Ordering::Release);
    }
    fn close_and_wait(&self) {
        self.0.fetch_or(CLOSED, Ordering::AcqRel);
        let mut spins = 0u32;
        while self.0.load(Ordering::Acquire) & !CLOSED != 0 {
            spins += 1;
            if spins < 1 << 12 {
                std::hint::spin_loop();
            } else {
                std::thread::yield_now();
            }
        }
    }
}

/// The caller's closure as a raw pointer: a helper that is never admitted holds no reference.
#[derive(Clone, Copy)]
struct BodyPtr(*const (dyn Fn(usize) + Sync + 'static));
// SAFETY: the pointee is Sync; the pointer is dereferenced only inside the gate (see `join`).
unsafe impl Send for BodyPtr {}
unsafe impl Sync for BodyPtr {}

/// One [`share_tasks`] call as seen by its helpers.
struct Shared {
    gate: Gate,
    body: BodyPtr,
    /// Next participant index to hand out (the caller is 0).
    seats: AtomicUsize,
    helpers: usize,
    /// The CPU the caller ran on when it started the call (see [`helper`]), or -1.
    caller_cpu: i32,
    /// The caller's sampler tag (the op call being served), taken by each helper while it works
    /// for this call: its samples then hang under that call's site (`instrument::tag`).
    tag: u64,
}

/// The CPU this thread is running on, or -1 where that is unknown (Miri has no such call).
fn current_cpu() -> i32 {
    if cfg!(miri) {
        -1
    } else {
        // SAFETY: sched_getcpu takes no arguments and only reads the calling thread's state.
        unsafe { libc::sched_getcpu() }
    }
}

/// The most recent [`share_tasks`] call, for helpers that linger after their job.
static CURRENT: Mutex<Option<Arc<Shared>>> = Mutex::new(None);
static GENERATION: AtomicUsize = AtomicUsize::new(0);
/// Helpers currently lingering (spinning for the next call instead of going back to sleep).
static LINGERING: AtomicUsize = AtomicUsize::new(0);
/// How long a helper spins for the next call before it returns to the pool (and may sleep):
/// waking a sleeping thread costs tens of microseconds on a VM, more than a 64 x 64 product.
/// Under Miri (an interpreter, whose clock counts interpreted steps) a spinning helper would
/// take most of the run, so it lingers for a moment only.
/// (A variable only so that a test can make it long.)
static LINGER_NS: AtomicU64 = AtomicU64::new(if cfg!(miri) { 1_000 } else { 100_000 });

/// Polls between two `yield_now` calls of a lingering helper (a pause is ~20-40 ns on Zen 4, so
/// the helper yields every few microseconds).
const LINGER_YIELD_EVERY: u32 = 128;

/// Runs the caller's closure as a helper if a seat is free and the call is still open. Returns
/// None if not admitted, else whether this helper ran on the caller's own CPU (where it only
/// took turns with the caller).
fn join(shared: &Shared) -> Option<bool> {
    let who = shared.seats.fetch_add(1, Ordering::Relaxed);
    if who <= shared.helpers && shared.gate.enter() {
        // Workers count allocations only here, inside an op (see `stop_counting_this_thread`).
        let outer = (shared.tag != 0).then(|| crate::instrument::tag::swap(shared.tag));
        // SAFETY: admitted by the gate, so the caller's frame (and its closure) is still alive:
        // the caller cannot return before this participant leaves.
        crate::instrument::alloc::counting(true, || unsafe { (*shared.body.0)(who) });
        if let Some(outer) = outer {
            crate::instrument::tag::swap(outer);
        }
        shared.gate.leave();
        return Some(shared.caller_cpu >= 0 && current_cpu() == shared.caller_cpu);
    }
    None
}

/// A pool job that helps one [`share_tasks`] call, then lingers for the next ones. It stops
/// lingering after 100 us without a call; when it finds itself on the caller's CPU (the scheduler
/// put both on one core: spinning there only slows the caller, while sleeping lets the next
/// wake-up land on an idle core); and when a call had no seat for it while more helpers linger
/// than a call can seat (a burst of calls can start several; each extra spinner takes a core from
/// the caller on a machine with as many cores as threads).
fn helper(first: Arc<Shared>) {
    // Its clones of the call's shared state are pool bookkeeping (see `Uncounted`); only the
    // caller's tasks (inside `join`) count.
    alloc::uncounted(|| linger(first))
}

fn linger(first: Arc<Shared>) {
    if join(&first) == Some(true) {
        return;
    }
    drop(first);
    LINGERING.fetch_add(1, Ordering::AcqRel);
    let mut seen = GENERATION.load(Ordering::Acquire);
    let mut since = std::time::Instant::now();
    let mut spins = 0u32;
    while since.elapsed() < std::time::Duration::from_nanos(LINGER_NS.load(Ordering::Relaxed)) {
        let g = GENERATION.load(Ordering::Acquire);
        if g != seen {
            seen = g;
            let job = CURRENT.lock().unwrap_or_else(|e| e.into_inner()).clone();
            match job.map(|job| join(&job)) {
                Some(Some(true)) => break,
                Some(None) => {
                    let seats = num_threads().saturating_sub(1);
                    let extra = |l: usize| (l > seats).then(|| l - 1);
                    if LINGERING
                        .fetch_update(Ordering::AcqRel, Ordering::Acquire, extra)
                        .is_ok()
                    {
                        return;
                    }
                }
                _ => {}
            }
            since = std::time::Instant::now();
        }
        // Poll with pause hints, giving the core away now and then when others want it:
        // sched_yield costs ~0.8 us on this VM, so yielding on every poll made a helper join
        // a short product that much late on average.
        spins = spins.wrapping_add(1);
        if spins % LINGER_YIELD_EVERY == 0 {
            std::thread::yield_now();
        } else {
            std::hint::spin_loop();
        }
    }
    LINGERING.fetch_sub(1, Ordering::AcqRel);
}

/// Work sharing for short parallel loops (microseconds to milliseconds of work): the calling
/// thread and up to `num_threads() - 1` pool workers each run `f(who, &next)`, `who` being 0 for
/// the caller and 1.. for the workers, and `next()` claiming the next unclaimed task index of
/// `0..count` (each index is handed out exactly once). The caller never waits for a worker that
/// has not started: when it runs out of tasks it shuts the door, waits only for workers already
/// inside, and a worker that arrives later returns without touching `f`. Workers linger (spin)
/// briefly for the next call, so back-to-back small products do not pay a wake-up each. A panic
/// in a worker's `f` aborts (rayon's default for spawned jobs).
pub fn share_tasks<F>(count: usize, parallel: bool, f: F)
where
    F: Fn(usize, &(dyn Fn() -> Option<usize> + Sync)) + Sync + Send,
{
    let claimed = AtomicUsize::new(0);
    let next = || {
        let t = claimed.fetch_add(1, Ordering::Relaxed);
        (t < count).then_some(t)
    };
    let helpers = if parallel && count > 1 {
        num_threads().min(count) - 1
    } else {
        0
    };
    if helpers == 0 {
        f(0, &next);
        return;
    }
    let body = |who: usize| f(who, &next);
    let body: &(dyn Fn(usize) + Sync) = &body;
    // SAFETY: only the lifetime is erased (same fat-pointer layout); helpers dereference it only
    // between a successful `gate.enter()` and `gate.leave()`, and `_wait` below (also on unwind)
    // keeps this frame alive until every admitted helper has left.
    let body: BodyPtr = BodyPtr(unsafe { std::mem::transmute(body) });
    let shared = Uncounted::new(|| {
        Arc::new(Shared {
            gate: Gate::default(),
            body,
            seats: AtomicUsize::new(1),
            helpers,
            caller_cpu: current_cpu(),
            tag: if crate::instrument::any_open() {
                crate::instrument::tag::current()
            } else {
                0
            },
        })
    });
    struct WaitOnDrop<'g>(&'g Arc<Shared>);
    impl Drop for WaitOnDrop<'_> {
        fn drop(&mut self) {
            self.0.gate.close_and_wait();
            let mut cur = CURRENT.lock().unwrap_or_else(|e| e.into_inner());
            if cur.as_ref().is_some_and(|c| Arc::ptr_eq(c, self.0)) {
                let done = cur.take();
                alloc::uncounted(|| drop(done));
            }
        }
    }
    let _wait = WaitOnDrop(&shared);
    alloc::uncounted(|| {
        let previous = CURRENT
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .replace(Arc::clone(&shared));
        drop(previous);
        GENERATION.fetch_add(1, Ordering::AcqRel);
        let lingering = LINGERING.load(Ordering::Acquire);
        if lingering < helpers {
            let p = pool();
            for _ in lingering..helpers {
                let job = Arc::clone(&shared);
                p.spawn(move || helper(job));
            }
        }
    });
    // SAFETY: the closure is alive for this whole frame.
    unsafe { (*body.0)(0) };
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The lingering tests watch process-wide helper state: one at a time.
    static SERIAL: Mutex<()> = Mutex::new(());

    fn noop(_: usize) {}

    fn call_from(caller_cpu: i32) -> Arc<Shared> {
        let body: &'static (dyn Fn(usize) + Sync) = &noop;
        Arc::new(Shared {
            gate: Gate::default(),
            body: BodyPtr(body),
            seats: AtomicUsize::new(1),
            helpers: 1,
            caller_cpu,
            tag: 0,
        })
    }

    #[test]
    fn a_helper_knows_when_it_ran_on_the_callers_cpu() {
        // Same thread, so the same CPU unless the scheduler moves it in between (then retry).
        // (Miri cannot tell the CPU: there every helper reports "elsewhere".)
        let here = (0..100).any(|_| join(&call_from(current_cpu())) == Some(true));
        assert_eq!(here, !cfg!(miri));
        assert_eq!(join(&call_from(-1)), Some(false));
        let seated = call_from(-1);
        assert_eq!(join(&seated), Some(false));
        assert_eq!(join(&seated), None, "one seat, taken");
        let closed = call_from(-1);
        closed.gate.close_and_wait();
        assert_eq!(join(&closed), None);
    }

    /// The CPUs this process may run on (CI machines may not start at CPU 0).
    fn allowed_cpus() -> Vec<usize> {
        // SAFETY: a zeroed cpu_set_t is a valid empty set for sched_getaffinity to fill, and
        // CPU_ISSET only reads it.
        unsafe {
            let mut set: libc::cpu_set_t = std::mem::zeroed();
            if libc::sched_getaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &mut set) != 0 {
                return Vec::new();
            }
            (0..libc::CPU_SETSIZE as usize)
                .filter(|&c| libc::CPU_ISSET(c, &set))
                .collect()
        }
    }

    /// Pins the calling thread to one CPU, or (None) lets it run on any; false if refused.
    fn pin(cpu: Option<usize>) -> bool {
        // SAFETY: a zeroed cpu_set_t is a valid empty set; CPU_SET and sched_setaffinity only
        // touch that local set and the calling thread's (pid 0) affinity.
        unsafe {
            let mut set: libc::cpu_set_t = std::mem::zeroed();
            for c in 0..libc::CPU_SETSIZE as usize {
                if cpu.is_none_or(|only| only == c) {
                    libc::CPU_SET(c, &mut set);
                }
            }
            libc::sched_setaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &set) == 0
        }
    }

    /// Pins the test thread to `cpu` and makes lingering long (2 s) until dropped, so that no
    /// helper leaves by timing out when the scheduler sets it aside.
    struct LongLinger(u64);
    impl LongLinger {
        fn pinned_to(cpu: usize) -> LongLinger {
            num_threads(); // the default counts the CPUs this thread may use: settle it first
            let long = LongLinger(LINGER_NS.swap(2_000_000_000, Ordering::Relaxed));
            assert!(pin(Some(cpu)));
            long
        }
    }
    impl Drop for LongLinger {
        fn drop(&mut self) {
            LINGER_NS.store(self.0, Ordering::Relaxed);
            pin(None);
        }
    }

    #[test]
    #[cfg_attr(miri, ignore = "sets CPU affinity; lingering is timed")]
    fn a_helper_on_the_callers_cpu_stops_lingering() {
        // A helper pinned to the caller's CPU: after its first admitted call there it must go
        // back to the pool, although calls keep coming and lingering is long.
        let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
        let (now, ms) = (std::time::Instant::now, std::time::Duration::from_millis);
        let (before, cpu) = (LINGERING.load(Ordering::Acquire), allowed_cpus()[0]);
        let long = LongLinger::pinned_to(cpu);
        // Its first call came from elsewhere (CPU unknown), so it lingers after that one.
        let first = call_from(-1);
        let h = std::thread::spawn(move || {
            pin(Some(cpu));
            helper(first)
        });
        let deadline = now() + ms(1000);
        while LINGERING.load(Ordering::Acquire) <= before && now() < deadline {
            std::thread::yield_now();
        }
        // Tasks that give the CPU away, so the helper gets to join a call while it is open.
        while !h.is_finished() && now() < deadline {
            share_tasks(8, true, |_, next| {
                while next().is_some() {
                    std::thread::yield_now()
                }
            });
        }
        drop(long);
        let finished = h.is_finished();
        h.join().unwrap();
        assert!(finished, "the helper kept lingering on the caller's CPU");
    }

    #[test]
    #[cfg_attr(miri, ignore = "Miri cannot fork")]
    fn a_forked_child_gets_helpers_of_its_own() {
        // Helpers that linger in the parent at the fork do not exist in the child: unless the
        // child forgets them, it counts them as lingering, spawns none, and runs every parallel
        // loop on its one thread.
        if num_threads() < 2 {
            return;
        }
        crate::fork::install();
        let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
        let linger = LINGER_NS.swap(2_000_000_000, Ordering::Relaxed);
        // A call with slow tasks gets its helper, which then lingers (for 2 s) unless it ran
        // on the caller's CPU: then the next call spawns another, until one lingers.
        let slow = |_: usize, next: &(dyn Fn() -> Option<usize> + Sync)| {
            while next().is_some() {
                std::thread::sleep(std::time::Duration::from_millis(4));
            }
        };
        // Up to 30 s: on a loaded machine the helper may run on the caller's CPU many times
        // over; a quiet run needs one call.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
        while LINGERING.load(Ordering::Acquire) == 0 && std::time::Instant::now() < deadline {
            share_tasks(8, true, slow);
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        assert!(LINGERING.load(Ordering::Acquire) > 0, "no helper lingers");
        // SAFETY: fork; the child runs one parallel call and `_exit`s, never returning into the
        // test harness.
        let pid = unsafe { libc::fork() };
        assert!(pid >= 0, "fork failed");
        if pid == 0 {
            let helped = AtomicBool::new(false);
            // 16 tasks of 4 ms: time for a freshly spawned helper to start and take some.
            share_tasks(16, true, |who, next| {
                if who > 0 {
                    helped.store(true, Ordering::Relaxed);
                }
                slow(who, next)
            });
            // SAFETY: alarm and _exit end only this child (a hang dies of SIGALRM).
            unsafe {
                libc::alarm(10);
                libc::_exit(if helped.into_inner() { 0 } else { 1 });
            }
        }
        let mut status = 0;
        // SAFETY: waits for the child forked above.
        unsafe { libc::waitpid(pid, &mut status, 0) };
        LINGER_NS.store(linger, Ordering::Relaxed);
        assert_eq!(status, 0, "no helper joined the child's parallel call");
    }

    #[test]
    #[cfg_attr(miri, ignore = "sets CPU affinity; lingering is timed")]
    fn helpers_beyond_the_seats_stop_lingering() {
        // Two helpers linger (started on a call already closed) where a call seats one (at two
        // threads). Lingering is made long, so neither leaves by timing out when the scheduler
        // sets it aside, and they are pinned to another CPU than the caller, so neither leaves
        // for sharing the caller's: a steady stream of calls then keeps both spinning unless
        // the one without a seat steps down.
        let cpus = allowed_cpus();
        if cpus.len() < 2 {
            return;
        }
        let other = cpus[1];
        let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
        let (now, ms) = (std::time::Instant::now, std::time::Duration::from_millis);
        let long = LongLinger::pinned_to(cpus[0]);
        let closed = call_from(-1);
        closed.gate.close_and_wait();
        let before = LINGERING.load(Ordering::Acquire);
        // Plain threads rather than pool jobs: rayon need not start two jobs at once.
        let extra: Vec<_> = (0..2)
            .map(|_| {
                let job = closed.clone();
                std::thread::spawn(move || {
                    pin(Some(other));
                    helper(job)
                })
            })
            .collect();
        let deadline = now() + ms(1000);
        while LINGERING.load(Ordering::Acquire) < before + 2 && now() < deadline {
            std::thread::yield_now();
        }
        let crowd = LINGERING.load(Ordering::Acquire);
        assert!(
            crowd >= before + 2,
            "helpers did not start: {before} -> {crowd}"
        );
        // Settled: no more helpers lingering than seats through 5 ms of calls (thousands).
        let mut ok_since: Option<std::time::Instant> = None;
        while now() < deadline && ok_since.is_none_or(|t| t.elapsed() < ms(5)) {
            share_tasks(4, true, |_, next| while next().is_some() {});
            let ok = LINGERING.load(Ordering::Acquire) <= num_threads().saturating_sub(1);
            ok_since = if ok {
                ok_since.or_else(|| Some(now()))
            } else {
                None
            };
        }
        let settled = ok_since.is_some_and(|t| t.elapsed() >= ms(5));
        let lingering = LINGERING.load(Ordering::Acquire);
        drop(long);
        for t in extra {
            t.join().unwrap();
        }
        assert!(settled, "lingering: {lingering}");
    }
}
