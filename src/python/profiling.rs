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

/// Interned call sites: the user's (file, line, function) of op calls made while profiling.
#[derive(Default)]
struct Sites {
    /// (code object address, line) -> site id (1-based: 0 is "unknown").
    ids: std::collections::HashMap<(usize, i32), u32>,
    /// Site id - 1 -> (file, line, function).
    info: Vec<(String, i32, String)>,
    /// Code object address -> (a reference keeping the address unique, inside corepy, file,
    /// function).
    code: std::collections::HashMap<usize, (Py<PyAny>, bool, String, String)>,
    /// Directory of the corepy package: frames under it are corepy's own.
    package: Option<String>,
    /// Label (what the label hook named the running work, e.g. a Dask task) -> site id.
    labels: std::collections::HashMap<String, u32>,
}

/// A Python callable naming the work the calling thread runs (corepy.dask sets one on Dask
/// workers: the running task's name), or None; when it names one, op calls are attributed to
/// that label instead of a source line.
static LABEL_HOOK: std::sync::Mutex<Option<Py<PyAny>>> = std::sync::Mutex::new(None);

/// Sets (or with None clears) the label hook of `call_site`.
#[pyfunction]
fn _set_site_label_hook(hook: Option<Py<PyAny>>) {
    *LABEL_HOOK.lock().unwrap_or_else(|e| e.into_inner()) = hook;
}

/// The label hook's answer for the calling thread, if a hook is set and names one.
fn site_label(py: Python<'_>) -> Option<String> {
    let hook = LABEL_HOOK
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .as_ref()
        .map(|h| h.clone_ref(py))?;
    hook.call0(py).ok()?.extract::<Option<String>>(py).ok()?
}

static SITES: std::sync::Mutex<Option<Sites>> = std::sync::Mutex::new(None);

/// The first Python frame outside corepy that led to the op being called, interned (the op
/// call's site hook: `instrument::set_site_hook`). Runs with the GIL held (every op begins in
/// its binding) and only while a profile is open.
fn call_site() -> u32 {
    Python::attach(|py| call_site_in(py).unwrap_or(0))
}

fn call_site_in(py: Python<'_>) -> PyResult<u32> {
    // Called before SITES is locked: the hook runs Python code.
    let label = site_label(py);
    let mut guard = SITES.lock().unwrap_or_else(|e| e.into_inner());
    let sites = guard.get_or_insert_with(Sites::default);
    if let Some(label) = label {
        let next = sites.info.len() as u32 + 1;
        let id = *sites.labels.entry(label.clone()).or_insert(next);
        if id == next {
            sites.info.push(("<task>".to_string(), 0, label));
        }
        return Ok(id);
    }
    if sites.package.is_none() {
        let file: String = py.import("corepy")?.getattr("__file__")?.extract()?;
        let dir = std::path::Path::new(&file)
            .parent()
            .map(|d| d.to_string_lossy().into_owned())
            .unwrap_or_default();
        sites.package = Some(dir + std::path::MAIN_SEPARATOR_STR);
    }
    // SAFETY: the GIL is held; PyEval_GetFrame's frame is borrowed (taken a reference to here),
    // PyFrame_GetBack and PyFrame_GetCode return new references, each released below.
    unsafe {
        let mut frame = pyo3::ffi::PyEval_GetFrame();
        if frame.is_null() {
            return Ok(0);
        }
        pyo3::ffi::Py_INCREF(frame.cast());
        let owned = |p: *mut pyo3::ffi::PyObject| Bound::from_owned_ptr(py, p);
        loop {
            let f = owned(frame.cast());
            let code = owned(pyo3::ffi::PyFrame_GetCode(frame).cast());
            let key = code.as_ptr() as usize;
            if !sites.code.contains_key(&key) {
                let file: String = code.getattr("co_filename")?.extract()?;
                let func: String = code
                    .getattr("co_qualname")
                    .or_else(|_| code.getattr("co_name"))?
                    .extract()?;
                let inside = file.starts_with(sites.package.as_deref().unwrap_or(""));
                sites
                    .code
                    .insert(key, (code.clone().unbind(), inside, file, func));
            }
            let (_, inside, file, func) = &sites.code[&key];
            if !inside {
                let line = pyo3::ffi::PyFrame_GetLineNumber(frame);
                let next = sites.info.len() as u32 + 1;
                let id = *sites.ids.entry((key, line)).or_insert(next);
                if id == next {
                    sites.info.push((file.clone(), line, func.clone()));
                }
                return Ok(id);
            }
            let back = pyo3::ffi::PyFrame_GetBack(frame);
            drop(f);
            if back.is_null() {
                return Ok(0);
            }
            frame = back;
        }
    }
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
        let guard = SITES.lock().unwrap_or_else(|e| e.into_inner());
        let info = guard.as_ref().map(|s| &s.info);
        for ((site, op), l) in &data.lines {
            let (file, line, func) =
                match info.and_then(|i| i.get((*site as usize).wrapping_sub(1))) {
                    Some((f, l, n)) => (f.as_str(), *l, n.as_str()),
                    None => ("<unknown>", 0, "<unknown>"),
                };
            lines.append((file, line, func, *op, l.calls, l.seconds, l.bytes))?;
        }
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

#[pyfunction]
fn _sampler_stop(py: Python<'_>) -> PyResult<Bound<'_, PyList>> {
    let lines = py.detach(sampler::stop).map_err(PyRuntimeError::new_err)?;
    let list = PyList::new(py, &lines);
    drop_uncounted(lines);
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
    m.add_function(wrap_pyfunction!(_reset_thresholds, m)?)?;
    m.add_function(wrap_pyfunction!(_buffer_cache_bytes, m)?)?;
    m.add_function(wrap_pyfunction!(_clear_buffer_cache, m)?)?;
    Ok(())
}
