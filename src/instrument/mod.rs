//! The one counter registry: allocations (counting allocator), arenas (`crate::arena`), per-op
//! counters and per-call spans for the profiles that are open.
//!
//! With no profile open an op pays one relaxed atomic load. With profiles open, each op call is
//! folded into every open profile under one short lock.

pub mod alloc;
pub mod perf;
pub mod tag;

use std::cell::Cell;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering::Relaxed};
use std::sync::Mutex;
use std::time::Instant;

/// Per-op totals over a profile.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OpStats {
    pub calls: u64,
    pub elements: u64,
    pub bytes_read: u64,
    pub bytes_written: u64,
    /// Floating-point operations by the textbook count, for ops that report one (linalg, FFTs;
    /// 0 otherwise).
    pub flops: u64,
    pub seconds: f64,
    pub parallel_calls: u64,
    pub zero_copy_inputs: u64,
    pub copied_inputs: u64,
    /// ISA of the kernel table of the last call.
    pub isa: &'static str,
    /// How the last call ran (see `OpStats::last_decision`).
    last: CallState,
}

impl OpStats {
    /// Why the last call ran as it did, e.g. "parallel: 1000000 >= threshold 131072" (formatted
    /// here, when read, not on every call).
    pub fn last_decision(&self) -> String {
        let s = &self.last;
        if !s.decided {
            "sequential: no parallel path".to_string()
        } else if s.parallel {
            format!("parallel: {} >= threshold {}", s.n, s.threshold)
        } else if s.n >= s.threshold {
            "sequential: 1 thread".to_string()
        } else {
            format!("sequential: {} < threshold {}", s.n, s.threshold)
        }
    }
}

/// One op call on the timeline (for the chrome trace).
#[derive(Debug, Clone, PartialEq)]
pub struct Span {
    pub op: &'static str,
    pub thread: u64,
    pub start_us: f64,
    pub dur_us: f64,
    pub elements: u64,
}

/// Per (call site, op) totals over a profile: op time by the user's Python line.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LineStats {
    pub calls: u64,
    pub seconds: f64,
    pub bytes: u64,
}

#[derive(Debug, Clone, Default)]
pub struct ProfileData {
    pub ops: BTreeMap<&'static str, OpStats>,
    /// Keyed by (call-site id from the site hook, op); site 0 is "unknown".
    pub lines: BTreeMap<(u32, &'static str), LineStats>,
    pub spans: Vec<Span>,
    pub dropped_spans: u64,
}

/// Spans kept per profile; later calls still count in `ops`.
const MAX_SPANS: usize = 200_000;

static OPEN: AtomicUsize = AtomicUsize::new(0);
static NEXT_ID: AtomicU64 = AtomicU64::new(1);
/// One open profile: its id, the thread that opened it (`thread_id`) and what it recorded.
struct Open {
    id: u64,
    owner: u64,
    data: ProfileData,
}
static PROFILES: Mutex<Vec<Open>> = Mutex::new(Vec::new());

/// Holds the open profiles' lock across a fork (`crate::fork`). In the child only the forking
/// thread goes on, so the profiles other threads opened are dropped there (nothing could close
/// them, and every op would go on recording into them); the forking thread's own stay open.
pub(crate) fn fork_prepare() -> Box<dyn crate::fork::Held> {
    struct Profiles(std::sync::MutexGuard<'static, Vec<Open>>);
    impl crate::fork::Held for Profiles {
        fn in_child(&mut self) {
            let me = thread_id();
            self.0.retain(|p| p.owner == me);
            OPEN.store(self.0.len(), Relaxed);
        }
    }
    Box::new(Profiles(PROFILES.lock().unwrap_or_else(|e| e.into_inner())))
}

pub(crate) fn epoch() -> Instant {
    static EPOCH: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();
    *EPOCH.get_or_init(Instant::now)
}

/// Opens a profile; returns its id. The first open profile restarts the allocation peak.
pub fn open() -> u64 {
    alloc::uncounted(open_uncounted)
}

fn open_uncounted() -> u64 {
    let id = NEXT_ID.fetch_add(1, Relaxed);
    let mut p = PROFILES.lock().unwrap_or_else(|e| e.into_inner());
    if p.is_empty() {
        alloc::reset_peak();
    }
    p.push(Open {
        id,
        owner: thread_id(),
        data: ProfileData::default(),
    });
    OPEN.fetch_add(1, Relaxed);
    epoch();
    id
}

/// Closes a profile and returns what it recorded (empty if the id is unknown).
pub fn close(id: u64) -> ProfileData {
    let mut p = PROFILES.lock().unwrap_or_else(|e| e.into_inner());
    match p.iter().position(|o| o.id == id) {
        Some(pos) => {
            OPEN.fetch_sub(1, Relaxed);
            p.swap_remove(pos).data
        }
        None => ProfileData::default(),
    }
}

pub fn any_open() -> bool {
    OPEN.load(Relaxed) > 0
}

/// This thread's tallies for the op call in progress (inputs are counted as they are imported,
/// the parallel decision as it is made).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct CallState {
    zero_copy: u32,
    copied: u32,
    parallel: bool,
    decided: bool,
    n: usize,
    threshold: usize,
}

thread_local! {
    static CALL: Cell<CallState> = const { Cell::new(CallState {
        zero_copy: 0, copied: 0, parallel: false, decided: false, n: 0, threshold: 0,
    }) };
}

fn update(f: impl FnOnce(&mut CallState)) {
    let _ = CALL.try_with(|c| {
        let mut s = c.get();
        f(&mut s);
        c.set(s);
    });
}

/// An input was used in place (a tensor, or a buffer wrapped without a copy).
pub fn note_zero_copy() {
    update(|s| s.zero_copy += 1);
}

/// An input imported in place was then gathered into a dense copy (a reduction or matmul of a
/// strided view): it counts as copied, not zero-copy.
pub fn note_gathered() {
    update(|s| {
        s.zero_copy = s.zero_copy.saturating_sub(1);
        s.copied += 1;
    });
}

/// An input had to be copied (strided, misaligned or converted).
pub fn note_copy() {
    update(|s| s.copied += 1);
}

/// Records the sequential/parallel decision; the first decision of a call is the one reported.
pub fn note_parallel(n: usize, threshold: usize, parallel: bool) {
    update(|s| {
        if !s.decided {
            *s = CallState {
                parallel,
                decided: true,
                n,
                threshold,
                ..*s
            };
        }
    });
}

/// Names the caller of an op (the Python binding layer sets it: the user's Python stack at the
/// call and the op, interned to a small id); called only while a profile is open.
static SITE_HOOK: std::sync::OnceLock<fn(&'static str) -> u32> = std::sync::OnceLock::new();

pub fn set_site_hook(hook: fn(&'static str) -> u32) {
    let _ = SITE_HOOK.set(hook);
}

/// A running op call. Created at the start of every op; costs nothing when no profile is open.
/// While profiling, the call's site is also this thread's sampler tag (`tag`) until it ends.
pub struct OpCall {
    op: &'static str,
    start: Option<Instant>,
    site: u32,
    /// The thread's tag before this call (restored when the call ends).
    outer_tag: u64,
}

impl OpCall {
    pub fn begin(op: &'static str) -> OpCall {
        update(|s| *s = CallState::default());
        if !any_open() {
            return OpCall {
                op,
                start: None,
                site: 0,
                outer_tag: 0,
            };
        }
        let site = SITE_HOOK
            .get()
            .map_or(0, |hook| alloc::uncounted(|| hook(op)));
        let outer_tag = tag::swap(site as u64);
        OpCall {
            op,
            start: Some(Instant::now()),
            site,
            outer_tag,
        }
    }

    /// Folds the finished call into every open profile.
    pub fn finish(
        self,
        elements: usize,
        bytes_read: usize,
        bytes_written: usize,
        isa: &'static str,
    ) {
        self.finish_flops(elements, bytes_read, bytes_written, 0, isa)
    }

    /// [`OpCall::finish`] for ops that count their floating-point operations.
    pub fn finish_flops(
        self,
        elements: usize,
        bytes_read: usize,
        bytes_written: usize,
        flops: u64,
        isa: &'static str,
    ) {
        let Some(start) = self.start else { return };
        // The profiler's own bookkeeping (spans, strings) is not corepy's allocation.
        alloc::uncounted(|| self.record(start, elements, bytes_read, bytes_written, flops, isa));
    }

    /// The call's site id (0 when no profile is open or the site is unknown).
    pub fn site(&self) -> u32 {
        self.site
    }

    fn record(
        &self,
        start: Instant,
        elements: usize,
        bytes_read: usize,
        bytes_written: usize,
        flops: u64,
        isa: &'static str,
    ) {
        let dur = start.elapsed();
        let s = CALL.try_with(|c| c.get()).unwrap_or_default();
        let span = Span {
            op: self.op,
            thread: thread_id(),
            start_us: start.duration_since(epoch()).as_secs_f64() * 1e6,
            dur_us: dur.as_secs_f64() * 1e6,
            elements: elements as u64,
        };
        let mut profiles = PROFILES.lock().unwrap_or_else(|e| e.into_inner());
        for Open { data: p, .. } in profiles.iter_mut() {
            let o = p.ops.entry(self.op).or_default();
            o.calls += 1;
            o.elements += elements as u64;
            o.bytes_read += bytes_read as u64;
            o.bytes_written += bytes_written as u64;
            o.flops += flops;
            o.seconds += dur.as_secs_f64();
            o.parallel_calls += s.parallel as u64;
            o.zero_copy_inputs += s.zero_copy as u64;
            o.copied_inputs += s.copied as u64;
            o.isa = isa;
            o.last = s;
            let l = p.lines.entry((self.site, self.op)).or_default();
            l.calls += 1;
            l.seconds += dur.as_secs_f64();
            l.bytes += (bytes_read + bytes_written) as u64;
            if p.spans.len() < MAX_SPANS {
                p.spans.push(span.clone());
            } else {
                p.dropped_spans += 1;
            }
        }
    }
}

impl Drop for OpCall {
    /// Ends the call's sampler tag, also when the op failed before `finish`.
    fn drop(&mut self) {
        if self.start.is_some() {
            tag::swap(self.outer_tag);
        }
    }
}

/// A small stable id for the calling thread (for trace lanes).
pub fn thread_id() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    thread_local! {
        static ID: u64 = NEXT.fetch_add(1, Relaxed);
    }
    ID.try_with(|i| *i).unwrap_or(0)
}
