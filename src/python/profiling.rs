//! Private `_core` functions behind `corepy.profile()` and `corepy.tune()`: the Python side
//! (python/corepy/profile.py) turns these raw counters into the public result objects.

use super::sampler;
use crate::arena::{self, ArenaSnapshot};
use crate::instrument::{self, alloc, perf};
use crate::parallel;
use crate::tensor;
use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString};

/// Drops what the profiler's own, uncounted code built (reports, folded stacks, SVG, counter
/// sets) without counting the free: counted, those bytes came off corepy's live bytes although
/// they were never added (a soak run saw the live bytes sink by megabytes over minutes).
fn drop_uncounted<T>(value: T) {
    alloc::uncounted(move || drop(value))
}

/// A cheap hasher for the call-site tables (keys are addresses and small ids, hashed on every
/// profiled op call: SipHash would cost more than the rest of the lookup).
#[derive(Default, Clone, Copy)]
struct Fx(u64);

impl std::hash::Hasher for Fx {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.write_u64(*b as u64);
        }
    }
    fn write_u64(&mut self, v: u64) {
        self.0 = (self.0.rotate_left(5) ^ v).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    fn write_u32(&mut self, v: u32) {
        self.write_u64(v as u64)
    }
    fn write_i32(&mut self, v: i32) {
        self.write_u64(v as u32 as u64)
    }
    fn write_usize(&mut self, v: usize) {
        self.write_u64(v as u64)
    }
}

type FxMap<K, V> = std::collections::HashMap<K, V, std::hash::BuildHasherDefault<Fx>>;

/// A code object seen at a call site.
struct Code {
    /// Keeps the code object (and so its address, the key) alive.
    _code: Py<PyAny>,
    /// Defined inside the corepy package: skipped at the leaf end of a call site.
    inside: bool,
    /// A generator or coroutine: its frame's callers change between resumptions.
    resumable: bool,
    file: String,
    func: String,
}

/// The last user frame an op was called from, per thread: while that frame object is alive
/// (the reference here keeps it so) its callers cannot change, so the next op call from it
/// reuses their interned stack instead of walking them again.
struct LastFrame {
    thread: u64,
    frame: Py<PyAny>,
    code: usize,
    /// Interned stack of the frame's callers.
    parent: u32,
}

/// A caller frame on the last walked chain. While it is alive (the reference keeps it so) and on
/// the current stack it is executing, so its own callers cannot have changed; only the line it
/// is suspended at may (`pos`).
struct Held {
    frame: Py<PyAny>,
    code: usize,
    pos: i32,
    /// Interned stack of its callers, and of it (at `pos`).
    parent: u32,
    stack: u32,
}

/// Interned call sites: the user's Python stacks of op calls made while profiling.
///
/// Frames are (code object, line); stacks form a trie of (parent stack, frame) (0 is the empty
/// stack); a call site ("context") is (stack, op) and its id is also the sampler tag of the
/// call (`instrument::tag`), so a sample maps back to its Python stack and op.
#[derive(Default)]
struct Sites {
    code: FxMap<usize, Code>,
    frame_ids: FxMap<(usize, i32), u32>,
    /// Frame id -> (code address, line).
    frames: Vec<(usize, i32)>,
    stack_ids: FxMap<(u32, u32), u32>,
    /// Stack id - 1 -> (parent stack, frame id).
    stacks: Vec<(u32, u32)>,
    context_ids: FxMap<(u32, usize), u32>,
    /// Context id - 1 -> (stack, op).
    contexts: Vec<(u32, &'static str)>,
    /// (callers' stack, leaf code, leaf position, op) -> context: the per-call lookup.
    fast: FxMap<(u32, usize, i32, usize), u32>,
    last: Vec<LastFrame>,
    /// Per thread, the callers of its last call site (root first) that may be cached: see
    /// `Sites::callers`.
    chains: Vec<(u64, Vec<Held>)>,
    /// Directory of the corepy package: frames under it are corepy's own.
    package: Option<String>,
    /// Label (what the label hook named the running work, e.g. a Dask task) -> the key of its
    /// pseudo code entry in `code`.
    labels: std::collections::HashMap<String, usize>,
}

static SITES: std::sync::Mutex<Option<Sites>> = std::sync::Mutex::new(None);

/// A Python callable naming the work the calling thread runs (corepy.dask sets one on Dask
/// workers: the running task's name), or None; when it names one, op calls are attributed to
/// that label (a one-frame stack "label (<task>:0)") instead of the Python stack.
static LABEL_HOOK: std::sync::Mutex<Option<Py<PyAny>>> = std::sync::Mutex::new(None);
/// Whether LABEL_HOOK is set: the per-call path reads this, not the lock.
static LABEL_HOOK_SET: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Sets (or with None clears) the label hook of `call_site`.
#[pyfunction]
fn _set_site_label_hook(hook: Option<Py<PyAny>>) {
    let mut slot = LABEL_HOOK.lock().unwrap_or_else(|e| e.into_inner());
    LABEL_HOOK_SET.store(hook.is_some(), std::sync::atomic::Ordering::Relaxed);
    *slot = hook;
}

/// The label hook's answer for the calling thread, if a hook is set and names one.
fn site_label(py: Python<'_>) -> Option<String> {
    if !LABEL_HOOK_SET.load(std::sync::atomic::Ordering::Relaxed) {
        return None;
    }
    let hook = LABEL_HOOK
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .as_ref()
        .map(|h| h.clone_ref(py))?;
    hook.call0(py).ok()?.extract::<Option<String>>(py).ok()?
}

fn sites() -> std::sync::MutexGuard<'static, Option<Sites>> {
    SITES.lock().unwrap_or_else(|e| e.into_inner())
}

/// A frame's position for the per-call lookup: `PyFrame_GetLasti` (Python 3.11+, looked up at
/// run time so the extension still loads on 3.10) is a field read, while the line number
/// decodes the code's line table; without it, the line.
fn frame_position(frame: *mut pyo3::ffi::PyFrameObject) -> i32 {
    type GetLasti = unsafe extern "C" fn(*mut pyo3::ffi::PyFrameObject) -> std::os::raw::c_int;
    static LASTI: std::sync::OnceLock<Option<GetLasti>> = std::sync::OnceLock::new();
    let lasti = LASTI.get_or_init(|| {
        // SAFETY: dlsym with a NUL-terminated name; a non-null result is the C API function of
        // that name, whose signature is GetLasti's.
        unsafe {
            let f = libc::dlsym(libc::RTLD_DEFAULT, c"PyFrame_GetLasti".as_ptr());
            (!f.is_null()).then(|| std::mem::transmute::<*mut libc::c_void, GetLasti>(f))
        }
    });
    // SAFETY (both): the GIL is held and `frame` is a live frame object.
    match lasti {
        Some(f) => unsafe { f(frame) },
        None => unsafe { pyo3::ffi::PyFrame_GetLineNumber(frame) },
    }
}

impl Sites {
    fn code_info(&mut self, py: Python<'_>, code: Bound<'_, PyAny>) -> PyResult<&Code> {
        let key = code.as_ptr() as usize;
        if !self.code.contains_key(&key) {
            let file: String = code.getattr("co_filename")?.extract()?;
            let func: String = code
                .getattr("co_qualname")
                .or_else(|_| code.getattr("co_name"))?
                .extract()?;
            let flags: u32 = code.getattr("co_flags")?.extract()?;
            // CO_GENERATOR, CO_COROUTINE, CO_ITERABLE_COROUTINE, CO_ASYNC_GENERATOR
            let resumable = flags & (0x20 | 0x80 | 0x100 | 0x200) != 0;
            if self.package.is_none() {
                let init: String = py.import("corepy")?.getattr("__file__")?.extract()?;
                let dir = std::path::Path::new(&init)
                    .parent()
                    .map(|d| d.to_string_lossy().into_owned())
                    .unwrap_or_default();
                self.package = Some(dir + std::path::MAIN_SEPARATOR_STR);
            }
            let inside = file.starts_with(self.package.as_deref().unwrap_or(""));
            let info = Code {
                _code: code.unbind(),
                inside,
                resumable,
                file,
                func,
            };
            self.code.insert(key, info);
        }
        Ok(&self.code[&key])
    }

    fn frame_id(&mut self, code: usize, line: i32) -> u32 {
        let next = self.frames.len() as u32;
        let id = *self.frame_ids.entry((code, line)).or_insert(next);
        if id == next {
            self.frames.push((code, line));
        }
        id
    }

    fn stack_id(&mut self, parent: u32, frame: u32) -> u32 {
        let next = self.stacks.len() as u32 + 1;
        let id = *self.stack_ids.entry((parent, frame)).or_insert(next);
        if id == next {
            self.stacks.push((parent, frame));
        }
        id
    }

    fn context_id(&mut self, stack: u32, op: &'static str) -> u32 {
        let next = self.contexts.len() as u32 + 1;
        let id = *self
            .context_ids
            .entry((stack, op.as_ptr() as usize))
            .or_insert(next);
        if id == next {
            self.contexts.push((stack, op));
        }
        id
    }

    /// The interned stack of `frame`'s callers (root first). Walks up only to the first caller
    /// still on this thread's last walked chain (`chains`), whose stack is known; the chain then
    /// becomes the callers walked now on top of that part. At most MAX_DEPTH callers are walked
    /// (the innermost). Frames let go of are put in `dropped` (freed outside the lock).
    ///
    /// # Safety
    /// The GIL is held and `frame` is a live frame object.
    unsafe fn callers(
        &mut self,
        py: Python<'_>,
        frame: *mut pyo3::ffi::PyFrameObject,
        thread: u64,
        dropped: &mut Vec<Py<PyAny>>,
    ) -> PyResult<u32> {
        const MAX_DEPTH: usize = 128;
        let slot = match self.chains.iter().position(|(t, _)| *t == thread) {
            Some(i) => i,
            None => {
                self.chains.push((thread, Vec::new()));
                self.chains.len() - 1
            }
        };
        let mut chain = std::mem::take(&mut self.chains[slot].1);
        let mut walked: Vec<Bound<'_, PyAny>> = Vec::new();
        let (mut keep, mut stack) = (0, 0);
        // SAFETY: PyFrame_GetBack returns a new reference (or null), owned by `walked`.
        let mut back = unsafe { pyo3::ffi::PyFrame_GetBack(frame) };
        while !back.is_null() {
            // SAFETY: `back` is a new reference to a frame object.
            let f = unsafe { Bound::from_owned_ptr(py, back.cast()) };
            if let Some(i) = chain.iter().rposition(|h| h.frame.as_ptr() == f.as_ptr()) {
                let fp = f.as_ptr().cast();
                let pos = frame_position(fp);
                let h = &mut chain[i];
                if pos != h.pos {
                    // SAFETY: `f` is a live frame.
                    let line = unsafe { pyo3::ffi::PyFrame_GetLineNumber(fp) };
                    let id = self.frame_id(h.code, line);
                    h.stack = self.stack_id(h.parent, id);
                    h.pos = pos;
                }
                (keep, stack) = (i + 1, chain[i].stack);
                break;
            }
            if walked.len() == MAX_DEPTH {
                break;
            }
            // SAFETY: as above.
            back = unsafe { pyo3::ffi::PyFrame_GetBack(f.as_ptr().cast()) };
            walked.push(f);
        }
        dropped.extend(chain.drain(keep..).map(|h| h.frame));
        for f in walked.iter().rev() {
            let fp = f.as_ptr().cast();
            // SAFETY: `f` is a live frame; PyFrame_GetCode returns a new reference.
            let code = unsafe { Bound::from_owned_ptr(py, pyo3::ffi::PyFrame_GetCode(fp).cast()) };
            let key = code.as_ptr() as usize;
            let resumable = self.code_info(py, code)?.resumable;
            // SAFETY: as above.
            let line = unsafe { pyo3::ffi::PyFrame_GetLineNumber(fp) };
            let id = self.frame_id(key, line);
            let parent = stack;
            stack = self.stack_id(parent, id);
            // A generator's callers change between resumptions: it is walked every time.
            if !resumable {
                chain.push(Held {
                    frame: f.clone().unbind(),
                    code: key,
                    pos: frame_position(fp),
                    parent,
                    stack,
                });
            }
        }
        self.chains[slot].1 = chain;
        Ok(stack)
    }

    /// The context id of an op call made now (0 if there is no Python frame).
    fn call_site(
        &mut self,
        py: Python<'_>,
        op: &'static str,
        dropped: &mut Vec<Py<PyAny>>,
    ) -> PyResult<u32> {
        // SAFETY: the GIL is held; PyEval_GetFrame's frame is borrowed, and so is each frame
        // reached from it while `held` (new references from PyFrame_GetBack) keeps it alive.
        unsafe {
            let mut frame = pyo3::ffi::PyEval_GetFrame();
            // The frames walked past (corepy's own), kept alive while the walk goes on.
            let mut held: Vec<Bound<'_, PyAny>> = Vec::new();
            loop {
                if frame.is_null() {
                    return Ok(0);
                }
                let addr = frame as usize;
                let me = crate::instrument::thread_id();
                let last = self.last.iter().position(|l| l.thread == me);
                if let Some(i) = last.filter(|&i| self.last[i].frame.as_ptr() as usize == addr) {
                    let (parent, code) = (self.last[i].parent, self.last[i].code);
                    return self.leaf(py, frame, code, parent, op);
                }
                let code = Bound::from_owned_ptr(py, pyo3::ffi::PyFrame_GetCode(frame).cast::<_>());
                let key = code.as_ptr() as usize;
                let (inside, resumable) = {
                    let c = self.code_info(py, code)?;
                    (c.inside, c.resumable)
                };
                if !inside {
                    let parent = self.callers(py, frame, me, dropped)?;
                    if !resumable {
                        let entry = LastFrame {
                            thread: me,
                            frame: Bound::from_borrowed_ptr(py, frame.cast()).unbind(),
                            code: key,
                            parent,
                        };
                        match last {
                            Some(i) => {
                                dropped.push(std::mem::replace(&mut self.last[i], entry).frame)
                            }
                            None => self.last.push(entry),
                        }
                    }
                    return self.leaf(py, frame, key, parent, op);
                }
                let back = pyo3::ffi::PyFrame_GetBack(frame);
                if back.is_null() {
                    return Ok(0);
                }
                held.push(Bound::from_owned_ptr(py, back.cast()));
                frame = back;
            }
        }
    }

    /// The context of an op called from `frame` (code `code`, callers `parent`).
    ///
    /// # Safety
    /// The GIL is held and `frame` is a live frame object.
    unsafe fn leaf(
        &mut self,
        _py: Python<'_>,
        frame: *mut pyo3::ffi::PyFrameObject,
        code: usize,
        parent: u32,
        op: &'static str,
    ) -> PyResult<u32> {
        let pos = frame_position(frame);
        let key = (parent, code, pos, op.as_ptr() as usize);
        if let Some(&ctx) = self.fast.get(&key) {
            return Ok(ctx);
        }
        // SAFETY: as the caller's.
        let line = unsafe { pyo3::ffi::PyFrame_GetLineNumber(frame) };
        let id = self.frame_id(code, line);
        let stack = self.stack_id(parent, id);
        let ctx = self.context_id(stack, op);
        self.fast.insert(key, ctx);
        Ok(ctx)
    }

    /// The context of an op called from the work labelled `label`: a one-frame stack whose
    /// "code" is the label (file "<task>", line 0).
    fn labelled(&mut self, py: Python<'_>, label: String, op: &'static str) -> u32 {
        let key = match self.labels.get(&label) {
            Some(&k) => k,
            None => {
                let name = PyString::new(py, &label).into_any().unbind();
                let key = name.as_ptr() as usize; // unique while `_code` keeps it alive
                self.code.insert(
                    key,
                    Code {
                        _code: name,
                        inside: false,
                        resumable: false,
                        file: "<task>".to_string(),
                        func: label.clone(),
                    },
                );
                self.labels.insert(label, key);
                key
            }
        };
        let frame = self.frame_id(key, 0);
        let stack = self.stack_id(0, frame);
        self.context_id(stack, op)
    }

    /// (file, line, function) of a frame id.
    fn frame_info(&self, id: u32) -> Option<(&str, i32, &str)> {
        let &(code, line) = self.frames.get(id as usize)?;
        let c = self.code.get(&code)?;
        Some((&c.file, line, &c.func))
    }

    /// The user's frame that called the op of context `ctx`: (file, line, function).
    fn site(&self, ctx: u32) -> Option<(&str, i32, &str)> {
        let &(stack, _) = self.contexts.get((ctx as usize).checked_sub(1)?)?;
        let &(_, frame) = self.stacks.get((stack as usize).checked_sub(1)?)?;
        self.frame_info(frame)
    }

    /// The flamegraph frames of context `ctx`, root first: "function (file.py:line)" for each
    /// Python frame, then "cp.op".
    fn stack_frames(&self, ctx: u32) -> Option<Vec<String>> {
        let &(mut stack, op) = self.contexts.get((ctx as usize).checked_sub(1)?)?;
        let mut out = vec![format!("cp.{op}")];
        while stack != 0 {
            let &(parent, frame) = self.stacks.get(stack as usize - 1)?;
            let (file, line, func) = self.frame_info(frame)?;
            let base = std::path::Path::new(file)
                .file_name()
                .map_or(std::borrow::Cow::Borrowed(file), |n| n.to_string_lossy());
            out.push(format!("{func} ({base}:{line})").replace(';', ":"));
            stack = parent;
        }
        out.reverse();
        Some(out)
    }
}

/// The op call's site hook (`instrument::set_site_hook`): the user's Python stack at the call
/// (from the first frame outside corepy to the root) and the op, interned to a context id. Runs
/// with the GIL held (every op begins in its binding) and only while a profile is open.
fn call_site(op: &'static str) -> u32 {
    Python::attach(|py| {
        // Before SITES is locked: the hook runs Python code.
        let label = site_label(py);
        let mut dropped = Vec::new();
        let ctx = {
            let mut guard = sites();
            let sites = guard.get_or_insert_with(Sites::default);
            match label {
                Some(label) => sites.labelled(py, label, op),
                None => sites.call_site(py, op, &mut dropped).unwrap_or(0),
            }
        };
        // A frame let go here may free its locals, whose finalizers may call ops: not under
        // the lock. Counted, although the hook runs uncounted: its locals may hold tensors that
        // were counted when allocated (uncounted frees made the soak's live bytes climb).
        alloc::counting(true, || drop(dropped));
        ctx
    })
}

/// Lets go of the frames kept for the per-call lookup (when the last profile closes: they keep
/// their locals alive).
fn release_frames() {
    let frames = match sites().as_mut() {
        Some(s) => (std::mem::take(&mut s.last), std::mem::take(&mut s.chains)),
        None => return,
    };
    drop(frames);
}

#[pyfunction]
fn _profile_open() -> u64 {
    instrument::open()
}

#[pyfunction]
fn _profile_close(py: Python<'_>, id: u64) -> PyResult<Bound<'_, PyDict>> {
    let data = instrument::close(id);
    let ops = PyDict::new(py);
    for (name, s) in &data.ops {
        let d = PyDict::new(py);
        d.set_item("calls", s.calls)?;
        d.set_item("elements", s.elements)?;
        d.set_item("bytes_read", s.bytes_read)?;
        d.set_item("bytes_written", s.bytes_written)?;
        d.set_item("flops", s.flops)?;
        d.set_item("seconds", s.seconds)?;
        d.set_item("isa", s.isa)?;
        d.set_item("parallel_calls", s.parallel_calls)?;
        d.set_item("last_decision", s.last_decision())?;
        d.set_item("zero_copy_inputs", s.zero_copy_inputs)?;
        d.set_item("copied_inputs", s.copied_inputs)?;
        ops.set_item(*name, d)?;
    }
    let spans = PyList::empty(py);
    for s in &data.spans {
        spans.append((s.op, s.thread, s.start_us, s.dur_us, s.elements))?;
    }
    let lines = PyList::empty(py);
    {
        let guard = sites();
        for ((ctx, op), l) in &data.lines {
            let site = guard.as_ref().and_then(|s| s.site(*ctx));
            let (file, line, func) = site.unwrap_or(("<unknown>", 0, "<unknown>"));
            lines.append((file, line, func, *op, l.calls, l.seconds, l.bytes))?;
        }
    }
    if !instrument::any_open() {
        release_frames();
    }
    let out = PyDict::new(py);
    out.set_item("ops", ops)?;
    out.set_item("lines", lines)?;
    out.set_item("spans", spans)?;
    out.set_item("dropped_spans", data.dropped_spans)?;
    drop_uncounted(data); // recorded under `alloc::uncounted` (instrument::OpCall::finish)
    Ok(out)
}

#[pyfunction]
fn _alloc_stats(py: Python<'_>) -> PyResult<Bound<'_, PyDict>> {
    let s = alloc::snapshot();
    let d = PyDict::new(py);
    d.set_item("count", s.count)?;
    d.set_item("bytes", s.bytes)?;
    d.set_item("live_bytes", s.live)?;
    d.set_item("peak_bytes", s.peak)?;
    Ok(d)
}

fn arena_dict<'py>(py: Python<'py>, s: &ArenaSnapshot) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("thread", &s.thread)?;
    d.set_item("hits", s.hits)?;
    d.set_item("misses", s.misses)?;
    d.set_item("bytes", s.bytes)?;
    d.set_item("high_water", s.high_water)?;
    Ok(d)
}

#[pyfunction]
fn _arena_stats(py: Python<'_>) -> PyResult<Bound<'_, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("total", arena_dict(py, &arena::snapshot_total())?)?;
    let threads = PyList::empty(py);
    for s in arena::snapshot_per_thread() {
        threads.append(arena_dict(py, &s)?)?;
    }
    d.set_item("threads", threads)?;
    Ok(d)
}

#[pyfunction]
fn _sampler_start(hz: i32) -> PyResult<()> {
    sampler::start(hz).map_err(PyRuntimeError::new_err)
}

/// Stops the sampler: a list of (thread, frames, count, in_op), frames joined by ";" root
/// first. A sample taken while its thread ran or served an op call (`in_op`) starts at that
/// call's Python stack, then "cp.<op>", then corepy's native frames; others hold the native
/// frames only (or "(outside corepy)").
#[pyfunction]
fn _sampler_stop(py: Python<'_>) -> PyResult<Bound<'_, PyList>> {
    let samples = py.detach(sampler::stop).map_err(PyRuntimeError::new_err)?;
    let rows: Vec<(String, String, isize, bool)> = alloc::uncounted(|| {
        let guard = sites();
        samples
            .iter()
            .map(|s| {
                let user = u32::try_from(s.tag)
                    .ok()
                    .and_then(|ctx| guard.as_ref()?.stack_frames(ctx));
                let in_op = user.is_some();
                let mut frames = user.unwrap_or_default();
                frames.extend(s.frames.iter().cloned());
                (s.thread.clone(), frames.join(";"), s.count, in_op)
            })
            .collect()
    });
    drop_uncounted(samples);
    let list = PyList::new(py, &rows);
    drop_uncounted(rows);
    list
}

#[pyfunction]
fn _render_flamegraph<'py>(
    py: Python<'py>,
    lines: Vec<String>,
    title: &str,
) -> PyResult<Option<Bound<'py, PyString>>> {
    let svg = py
        .detach(|| sampler::render_svg(&lines, title))
        .map_err(PyRuntimeError::new_err)?;
    let out = svg.as_deref().map(|s| PyString::new(py, s));
    drop_uncounted(svg);
    Ok(out)
}

/// The open hardware-counter session: one counter set per measured thread.
static COUNTERS: std::sync::Mutex<Option<Vec<perf::ThreadCounters>>> = std::sync::Mutex::new(None);

/// Holds the counter session's lock across a fork (`crate::fork`). A child does not inherit the
/// session: its counters count the parent's threads (closed in the child, so that the child may
/// open its own).
pub fn fork_prepare() -> Box<dyn crate::fork::Held> {
    struct Held(std::sync::MutexGuard<'static, Option<Vec<perf::ThreadCounters>>>);
    impl crate::fork::Held for Held {
        fn in_child(&mut self) {
            self.0.take();
        }
    }
    Box::new(Held(COUNTERS.lock().unwrap_or_else(|e| e.into_inner())))
}

/// Opens and starts counters on this thread and every pool worker. Returns None when started,
/// else the reason they are unavailable (e.g. "cycles: no hardware PMU").
#[pyfunction]
fn _counters_start(py: Python<'_>) -> PyResult<Option<Bound<'_, PyString>>> {
    // The session (counter sets, some opened on pool workers, which count nothing) is the
    // profiler's bookkeeping: made and freed uncounted.
    let why = alloc::uncounted(counters_start)?;
    let out = why.as_deref().map(|w| PyString::new(py, w));
    drop_uncounted(why);
    Ok(out)
}

fn counters_start() -> PyResult<Option<String>> {
    let mut slot = COUNTERS.lock().unwrap_or_else(|e| e.into_inner());
    if slot.is_some() {
        return Err(PyRuntimeError::new_err(
            "hardware counters are already open in another profile",
        ));
    }
    let mut sets = vec![match perf::ThreadCounters::open() {
        Ok(c) => c,
        Err(why) => return Ok(Some(why)),
    }];
    for c in parallel::on_every_worker(perf::ThreadCounters::open) {
        match c {
            Ok(c) => sets.push(c),
            Err(why) => return Ok(Some(why)),
        }
    }
    sets.iter().for_each(perf::ThreadCounters::start);
    *slot = Some(sets);
    Ok(None)
}

/// Stops the session and returns the summed counts with IPC and miss rates (None if not open).
#[pyfunction]
fn _counters_stop(py: Python<'_>) -> PyResult<Option<Bound<'_, PyDict>>> {
    let Some(sets) = COUNTERS.lock().unwrap_or_else(|e| e.into_inner()).take() else {
        return Ok(None);
    };
    let mut total = [0u64; 5];
    for c in &sets {
        c.stop();
        for (t, v) in total.iter_mut().zip(c.read()) {
            *t += v;
        }
    }
    let d = PyDict::new(py);
    for (name, v) in perf::EVENTS.iter().zip(total) {
        d.set_item(*name, v)?;
    }
    let ratio = |a: u64, b: u64| {
        if b == 0 {
            None
        } else {
            Some(a as f64 / b as f64)
        }
    };
    d.set_item("ipc", ratio(total[1], total[0]))?;
    d.set_item("cache_miss_rate", ratio(total[3], total[2]))?;
    d.set_item(
        "l1d_misses_per_kilo_instruction",
        ratio(total[4] * 1000, total[1]),
    )?;
    d.set_item("threads", sets.len())?;
    drop_uncounted(sets);
    Ok(Some(d))
}

/// STREAM bandwidth with a working set of `bytes` (to fit one cache level):
/// {kernel: {threads: GB/s}}, for `corepy.machine(levels=True)`.
#[pyfunction]
#[pyo3(signature = (bytes, repeats=3))]
fn _level_bandwidth(py: Python<'_>, bytes: usize, repeats: usize) -> PyResult<Bound<'_, PyDict>> {
    if bytes > 1 << 34 {
        return Err(pyo3::exceptions::PyValueError::new_err(format!(
            "working set of {bytes} bytes is larger than any cache level"
        )));
    }
    let r = py
        .detach(|| crate::kernels::stream::level_bandwidth(bytes, repeats))
        .map_err(PyErr::from)?;
    let d = PyDict::new(py);
    for b in &r {
        let per = match d.get_item(b.kernel)? {
            Some(x) => x.cast_into::<PyDict>()?,
            None => {
                let x = PyDict::new(py);
                d.set_item(b.kernel, &x)?;
                x
            }
        };
        per.set_item(b.threads, b.gbps)?;
    }
    Ok(d)
}

#[pyfunction]
fn _set_threshold(op: &str, elements: usize) -> PyResult<()> {
    Ok(parallel::set_threshold(op, elements)?)
}

#[pyfunction]
fn _reset_thresholds() {
    parallel::reset_thresholds()
}

#[pyfunction]
fn _buffer_cache_bytes() -> usize {
    tensor::cached_bytes()
}

#[pyfunction]
fn _clear_buffer_cache() {
    tensor::clear_cache()
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(_set_site_label_hook, m)?)?;
    instrument::set_site_hook(call_site);
    m.add_function(wrap_pyfunction!(_profile_open, m)?)?;
    m.add_function(wrap_pyfunction!(_profile_close, m)?)?;
    m.add_function(wrap_pyfunction!(_alloc_stats, m)?)?;
    m.add_function(wrap_pyfunction!(_arena_stats, m)?)?;
    m.add_function(wrap_pyfunction!(_sampler_start, m)?)?;
    m.add_function(wrap_pyfunction!(_sampler_stop, m)?)?;
    m.add_function(wrap_pyfunction!(_render_flamegraph, m)?)?;
    m.add_function(wrap_pyfunction!(_counters_start, m)?)?;
    m.add_function(wrap_pyfunction!(_counters_stop, m)?)?;
    m.add_function(wrap_pyfunction!(_set_threshold, m)?)?;
    m.add_function(wrap_pyfunction!(_level_bandwidth, m)?)?;
    m.add_function(wrap_pyfunction!(_reset_thresholds, m)?)?;
    m.add_function(wrap_pyfunction!(_buffer_cache_bytes, m)?)?;
    m.add_function(wrap_pyfunction!(_clear_buffer_cache, m)?)?;
    Ok(())
}
