//! The sampling profiler behind `cp.profile(flamegraph=True)`: pprof's SIGPROF sampler, folded
//! into readable stacks and rendered to SVG by inferno.
//!
//! Unwinder: framehop. It reads every module's unwind tables once when the sampler first starts
//! and then unwinds from the interrupted registers without allocating or taking locks in the
//! signal handler (libgcc's unwinder can deadlock there), and it keeps the interrupted PC, so
//! the leaf frame -- the SIMD kernel itself -- is in every stack (the frame-pointer walk drops it).
//!
//! Hazards handled here: only one sampler at a time (a second start is refused); the host's
//! previous SIGPROF disposition is restored on stop, except that a default disposition is left
//! as "ignore" (a stray pending SIGPROF would otherwise kill the process); the host's own
//! ITIMER_PROF (e.g. Python's `signal.setitimer`) is re-armed on stop (pprof disarms it); the
//! profiler's own allocations are not counted as corepy's. While sampling, SIGPROF goes to
//! pprof only: a host handler sees no ticks until the profile closes.
//!
//! Fork: every call into pprof (start, report, stop) happens under the `SAMPLER` lock, which the
//! fork handlers take together with pprof's own (`fork_prepare`). A child forked while a sampler
//! runs inherits it marked running but without its timer (`setitimer` timers are not inherited):
//! it samples nothing, and the child's next start or stop shuts it down first (a stop then
//! returns no stacks: the samples belong to the parent).

use crate::instrument::alloc::uncounted;
use std::sync::{Mutex, MutexGuard};

struct Active {
    guard: pprof::ProfilerGuard<'static>,
    previous: libc::sigaction,
    /// The host's ITIMER_PROF (e.g. Python's signal.setitimer), which pprof overwrites and then
    /// disarms on stop.
    timer: libc::itimerval,
}

#[derive(Default)]
struct Sampler {
    active: Option<Active>,
    /// `active` was started before this process was forked from its parent.
    inherited: bool,
}
// SAFETY: the guard is only touched under the SAMPLER mutex; pprof's state is a global behind
// its own lock, and the sigaction struct is plain data.
unsafe impl Send for Sampler {}

static SAMPLER: Mutex<Sampler> = Mutex::new(Sampler {
    active: None,
    inherited: false,
});

/// Flamegraph rendering (inferno initialises lazy statics on first use) is serialized with
/// fork too.
static RENDER: Mutex<()> = Mutex::new(());

fn lock<T>(m: &'static Mutex<T>) -> MutexGuard<'static, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Takes the sampler's locks (and pprof's) for a fork: see `crate::fork`.
pub fn fork_prepare() -> Vec<Box<dyn crate::fork::Held>> {
    struct Held(MutexGuard<'static, Sampler>);
    impl crate::fork::Held for Held {
        fn in_child(&mut self) {
            if self.0.active.is_some() {
                self.0.inherited = true;
                // No timer ticks here, but a stray SIGPROF must not feed the inherited
                // collector (it shares its file with the parent's) before it is shut down.
                // SAFETY: sets SIGPROF's disposition to ignore (async-signal-safe).
                unsafe { libc::signal(libc::SIGPROF, libc::SIG_IGN) };
            }
            pprof::fork::child();
        }
    }
    impl Drop for Held {
        fn drop(&mut self) {
            // In the parent, releases pprof's lock; in the child `in_child` already did.
            pprof::fork::parent();
        }
    }
    let sampler = lock(&SAMPLER);
    // After SAMPLER: no thread of ours is inside pprof, only its signal handlers may be.
    pprof::fork::prepare();
    vec![Box::new(Held(sampler)), Box::new(lock(&RENDER))]
}

/// Shuts down a sampler inherited through fork (no timer ran it here); its samples are the
/// parent's. The host's handler comes back; its timer was not inherited.
fn shut_down_inherited(s: &mut Sampler) {
    if let Some(Active {
        guard, previous, ..
    }) = s.active.take()
    {
        uncounted(|| drop(guard));
        restore(&previous);
    }
    s.inherited = false;
}

pub fn start(hz: i32) -> Result<(), String> {
    if !(1..=10_000).contains(&hz) {
        return Err(format!("hz must be between 1 and 10000, got {hz}"));
    }
    register_tag_reader();
    let mut s = lock(&SAMPLER);
    if s.inherited {
        shut_down_inherited(&mut s);
    }
    if s.active.is_some() {
        return Err(
            "another cp.profile(flamegraph=True) is already sampling in this process; \
             nest profiles with flamegraph=False"
                .into(),
        );
    }
    // SAFETY: querying the current SIGPROF disposition into a zeroed struct.
    let previous = unsafe {
        let mut prev: libc::sigaction = std::mem::zeroed();
        libc::sigaction(libc::SIGPROF, std::ptr::null(), &mut prev);
        prev
    };
    // SAFETY: reads the current ITIMER_PROF into a zeroed struct.
    let timer = unsafe {
        let mut t: libc::itimerval = std::mem::zeroed();
        libc::getitimer(libc::ITIMER_PROF, &mut t);
        t
    };
    let built = uncounted(|| {
        pprof::ProfilerGuardBuilder::default()
            .frequency(hz)
            // Never sample inside these: unwinding or symbol lookups there can deadlock.
            .blocklist(&["libc", "libgcc", "pthread", "vdso", "ld-linux"])
            .build()
    });
    match built {
        Ok(guard) => {
            s.active = Some(Active {
                guard,
                previous,
                timer,
            });
            Ok(())
        }
        Err(e) => {
            restore(&previous);
            Err(format!("could not start the sampler: {e}"))
        }
    }
}

fn restore(previous: &libc::sigaction) {
    if previous.sa_sigaction == libc::SIG_DFL {
        // pprof leaves SIGPROF ignored; keep it so, as a pending signal would kill us under SIG_DFL.
        return;
    }
    // SAFETY: reinstalls the exact disposition read before the sampler started.
    unsafe { libc::sigaction(libc::SIGPROF, previous, std::ptr::null_mut()) };
}

/// Re-arms the host's ITIMER_PROF if it had one when sampling started (its handler is back).
/// A periodic timer read at the instant it fired can show a zero value, and setting a zero
/// value disarms it for good (the full suite once saw the host's timer stop ticking with its
/// interval still set), so a periodic timer restarts from its interval then.
fn restore_timer(timer: &libc::itimerval) {
    let armed = |t: &libc::timeval| t.tv_sec != 0 || t.tv_usec != 0;
    let mut t = *timer;
    if !armed(&t.it_value) {
        t.it_value = t.it_interval;
    }
    if armed(&t.it_value) {
        // SAFETY: sets ITIMER_PROF to the host's own timer, read before the sampler started.
        unsafe { libc::setitimer(libc::ITIMER_PROF, &t, std::ptr::null_mut()) };
    }
}

/// Sampled stacks of one thread with one tag (`crate::instrument::tag`: the op call the thread
/// was running or serving, 0 if none), folded by readable frame names, root first.
#[derive(Debug, Clone, PartialEq)]
pub struct Sample {
    pub thread: String,
    pub tag: u64,
    pub frames: Vec<String>,
    pub count: isize,
}

/// Makes every sample carry the sampled thread's tag (once, before the first start).
fn register_tag_reader() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| pprof::tag::set_reader(crate::instrument::tag::read_in_signal));
}

/// Stops sampling; returns the samples folded by (thread, tag, frames).
pub fn stop() -> Result<Vec<Sample>, String> {
    let mut s = lock(&SAMPLER);
    if s.inherited {
        shut_down_inherited(&mut s);
        return Ok(Vec::new());
    }
    let Some(Active {
        guard,
        previous,
        timer,
    }) = s.active.take()
    else {
        return Err("the sampler is not running".into());
    };
    let report = uncounted(|| guard.report().build());
    uncounted(|| drop(guard)); // stops the timer, sets SIGPROF to ignore
    restore(&previous);
    restore_timer(&timer);
    let report = report.map_err(|e| format!("could not build the profile: {e}"))?;
    let lines = uncounted(|| fold(&report));
    uncounted(move || drop(report)); // built uncounted: freed uncounted
    Ok(lines)
}

const CPP_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/cpp/");

/// Strips `<...>` generic arguments (Rust names carry whole closure types in them).
fn strip_generics(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut depth = 0usize;
    for c in name.chars() {
        match c {
            '<' => depth += 1,
            '>' => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// The crates corepy hands whole operations to (FFTs, decompositions): their frames are named
/// in the flamegraph too ("rustfft::algorithm::radix4::perform_fft_out_of_place"), so a
/// profile shows where inside them the time went.
const NAMED_CRATES: &[&str] = &["rustfft", "realfft", "faer"];

/// `module::function` of a Rust frame from its source path below a crate's `src/` and its
/// symbol: generic arguments (and `<T as Trait>` qualifiers) dropped.
fn rust_frame(prefix: &str, rel_src: &str, name: &str) -> Option<String> {
    let func = strip_generics(name);
    // A closure names its function ("f::{{closure}}"): the task body a pool worker runs then
    // reads as the driver that shared it.
    let mut func = func.as_str();
    while let Some(outer) = func.strip_suffix("::{{closure}}") {
        func = outer;
    }
    let func = func.rsplit("::").next().unwrap_or(func).trim();
    if func.is_empty() || func.starts_with('{') {
        return None;
    }
    let path = rel_src.trim_end_matches(".rs").trim_end_matches("/mod");
    let module = path.replace('/', "::");
    Some(match prefix {
        "" => format!("{module}::{func}"),
        _ if path == "lib" => format!("{prefix}::{func}"),
        _ => format!("{prefix}::{module}::{func}"),
    })
}

/// The crate and the path below its `src/` of a file of one of `NAMED_CRATES`, from a path
/// such as `.../registry/src/<index>/rustfft-6.4.1/src/avx/avx_radix4.rs`.
fn named_crate_file(file: &str) -> Option<(&'static str, &str)> {
    NAMED_CRATES.iter().find_map(|krate| {
        let at = file.rfind(&format!("/{krate}-"))?;
        let rest = &file[at + krate.len() + 2..];
        let src = rest.find("/src/")?;
        // The part between the crate name and /src/ is its version, e.g. 6.4.1.
        let version = &rest[..src];
        version
            .starts_with(|c: char| c.is_ascii_digit())
            .then(|| (*krate, &rest[src + 5..]))
    })
}

/// A readable frame name for corepy's own code and the crates in `NAMED_CRATES`, or None for
/// everything else (rayon, std, the interpreter, the profiler): a parallel op then reads as
/// thread -> op driver -> kernel. Ownership is decided by the source file in the debug info,
/// which survives any demangler.
fn frame_name(sym: &pprof::Symbol) -> Option<String> {
    let file = sym.filename.as_ref()?.to_string_lossy().into_owned();
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/");
    let rel = file.strip_prefix(root).unwrap_or(&file);
    let name = sym.name();
    // The argument list starts at the first '(' outside template arguments (those may hold
    // casts: "micro_tile<float, (unsigned char)6>(...)").
    let mut depth = 0i32;
    let end = name
        .char_indices()
        .find(|&(_, c)| {
            match c {
                '<' => depth += 1,
                '>' => depth -= 1,
                _ => {}
            }
            c == '(' && depth == 0
        })
        .map_or(name.len(), |(i, _)| i);
    let name = name[..end].trim();
    if let Some(rust) = rel.strip_prefix("src/") {
        // The sampler hides itself, and the allocation-counting wrappers are not work.
        if rust.starts_with("python/sampler") || rust.starts_with("instrument/alloc") {
            return None;
        }
        rust_frame("", rust, name)
    } else if rel.starts_with("cpp/") {
        // "void corepy_avx512::sum<float>" -> "corepy_avx512::sum<float>"
        let start = name.find("corepy_").unwrap_or(0);
        Some(name[start..].replace(' ', ""))
    } else if let Some((krate, src)) = named_crate_file(rel) {
        rust_frame(krate, src, name)
    } else {
        None
    }
}

fn fold(report: &pprof::Report) -> Vec<Sample> {
    let mut counts: std::collections::BTreeMap<(String, u64, Vec<String>), isize> =
        Default::default();
    for (frames, count) in &report.data {
        let mut stack: Vec<String> = Vec::new();
        // pprof lists frames leaf first (and inlined calls innermost first); a flamegraph wants
        // the root first.
        for symbols in frames.frames.iter().rev() {
            // C++ kernels: only the real function, not the vector helpers inlined into it.
            let outer = symbols.last();
            for sym in symbols.iter().rev() {
                let inlined = outer.is_some_and(|o| !std::ptr::eq(o, sym));
                if inlined
                    && sym
                        .filename
                        .as_ref()
                        .is_some_and(|f| f.starts_with(CPP_DIR))
                {
                    continue;
                }
                if let Some(name) = frame_name(sym) {
                    let name = name.replace([';', ' '], "_");
                    if stack.last() != Some(&name) {
                        stack.push(name);
                    }
                }
            }
        }
        if stack.is_empty() {
            stack.push("(outside corepy)".into());
        }
        let key = (frames.thread_name_or_id(), frames.tag, stack);
        *counts.entry(key).or_default() += count;
    }
    counts
        .into_iter()
        .map(|((thread, tag, frames), count)| Sample {
            thread,
            tag,
            frames,
            count,
        })
        .collect()
}

/// Renders folded stacks to an SVG flamegraph (None when there are no samples).
pub fn render_svg(lines: &[String], title: &str) -> Result<Option<String>, String> {
    if lines.is_empty() {
        return Ok(None);
    }
    let _render = lock(&RENDER);
    uncounted(|| {
        let mut opts = inferno::flamegraph::Options::default();
        opts.title = title.to_string();
        opts.count_name = "samples".to_string();
        let mut svg = Vec::new();
        inferno::flamegraph::from_lines(&mut opts, lines.iter().map(String::as_str), &mut svg)
            .map_err(|e| format!("could not render the flamegraph: {e}"))?;
        String::from_utf8(svg).map(Some).map_err(|e| e.to_string())
    })
}
