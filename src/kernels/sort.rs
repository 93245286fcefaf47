//! Sorting along an axis (sort, argsort) and the sort-based searching and set ops.
//!
//! Every row along the axis is gathered (strided reads are fine) into integer sort keys in
//! scratch memory by the C++ key map, sorted by the kernel's introsort (with the row's indices as
//! payload for argsort), and written back: values rebuilt from the keys, or the indices. Many rows
//! are shared out to the pool a group at a time. One long row takes one MSD radix pass instead
//! (parallel histograms and a stable parallel scatter into buckets of consecutive key ranges),
//! then its buckets are sorted in cache and written out in parallel.

use crate::arena;
use crate::dispatch::{kernels, need};
use crate::dtype::DType;
use crate::error::{CoreError, Result};
use crate::ffi::{self, SortFn, SortPartitionFn};
use crate::parallel::{self, SendPtr};
use crate::tensor::{normalize_axis, Storage, Tensor, View};
use std::ffi::c_void;
use std::sync::atomic::{AtomicBool, Ordering};

/// Elements from which a sort uses the pool (one long row is split, many rows shared out).
const PARALLEL_MIN: usize = 1 << 16;
/// Elements of rows sorted by one task when many short rows are shared out.
const ROWS_TASK: usize = 1 << 12;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Output {
    /// The sorted values (`sort`).
    Values,
    /// The indices that sort (`argsort`).
    Indices,
}

/// Runs `f` with `bytes` of 64-byte-aligned scratch: the thread's arena when it fits, else a
/// storage buffer (large ones are recycled, so repeated large sorts pay no page faults).
pub fn with_scratch<R>(bytes: usize, f: impl FnOnce(*mut u8) -> Result<R>) -> Result<R> {
    arena::with_arena(|s| {
        if s.too_big(bytes) {
            let st = Storage::alloc(bytes, false)?;
            f(st.ptr())
        } else {
            f(s.uninit::<u64>(bytes.div_ceil(8)).as_mut_ptr() as *mut u8)
        }
    })
}

/// The kernels one sort needs, looked up once (a TypeError for complex input).
#[derive(Clone, Copy)]
pub struct SortKernels {
    pub keys: ffi::SortKeysFn,
    pub values: ffi::SortValuesFn,
    pub take: ffi::SortTakeFn,
    pub sort: SortFn,
    pub partition: SortPartitionFn,
    pub indices: ffi::SortIndicesFn,
    pub search: ffi::SortSearchFn,
    pub isin: ffi::SortIsinFn,
    pub unique: ffi::SortUniqueFn,
    /// Key width in bytes (4 or 8); payloads have the same width.
    pub kb: usize,
    /// `SORT_WIDE` when 8-byte keys are used for a narrower dtype.
    pub wide_flag: i32,
}

impl SortKernels {
    /// Kernels for `dtype`; `len` is the longest run sorted with an index payload (int32 keys
    /// hold indices below 2^31).
    pub fn new(op: &str, dtype: DType, len: usize) -> Result<SortKernels> {
        let t = kernels();
        let c = dtype.code();
        let keys = need(t.sort_keys[c], op, dtype)?;
        let wide = dtype.itemsize() == 8 || len > i32::MAX as usize;
        let w = wide as usize;
        let missing = || CoreError::type_err(format!("{op}: no sort kernels in this table"));
        Ok(SortKernels {
            keys,
            values: need(t.sort_values[c], op, dtype)?,
            take: need(t.sort_take[c], op, dtype)?,
            sort: t.sort[w].ok_or_else(missing)?,
            partition: t.sort_partition[w].ok_or_else(missing)?,
            indices: t.sort_indices[w].ok_or_else(missing)?,
            search: t.sort_search[w].ok_or_else(missing)?,
            isin: t.sort_isin[w].ok_or_else(missing)?,
            unique: t.sort_unique[w].ok_or_else(missing)?,
            kb: if wide { 8 } else { 4 },
            wide_flag: if wide && dtype.itemsize() < 8 {
                ffi::SORT_WIDE
            } else {
                0
            },
        })
    }

    fn wide(&self) -> bool {
        self.kb == 8
    }

    /// Reads key `i` of a key array.
    ///
    /// # Safety
    /// `keys` must hold more than `i` keys of this width.
    pub unsafe fn key_at(&self, keys: *const u8, i: usize) -> i64 {
        // SAFETY: forwarded contract.
        unsafe {
            if self.wide() {
                keys.cast::<i64>().add(i).read()
            } else {
                keys.cast::<i32>().add(i).read() as i64
            }
        }
    }

    /// The key one value maps to under `flags` (the NaN key of a float dtype, for example).
    pub fn key_of_bytes(&self, value: &[u8; 8], flags: i32) -> i64 {
        let mut k = 0i64;
        // SAFETY: one element read from `value` (8 bytes hold any real dtype), one key written
        // into `k` (8 bytes hold either key width); no payload.
        unsafe {
            (self.keys)(
                value.as_ptr() as *const c_void,
                8,
                1,
                flags | self.wide_flag,
                &mut k as *mut i64 as *mut c_void,
                std::ptr::null_mut(),
                0,
            )
        };
        if self.wide() {
            k
        } else {
            k as i32 as i64
        }
    }
}

/// Rows along one axis: the byte offsets of row `r` in the input and the output.
struct Rows {
    outer: Vec<usize>,
    in_strides: Vec<isize>,
    out_strides: Vec<isize>,
}

impl Rows {
    fn new(x: &View, out: &Tensor, ax: usize) -> Rows {
        let (isz, osz) = (
            x.dtype().itemsize() as isize,
            out.dtype().itemsize() as isize,
        );
        let others = (0..x.ndim()).filter(|&a| a != ax);
        let mut r = Rows {
            outer: vec![],
            in_strides: vec![],
            out_strides: vec![],
        };
        for a in others {
            r.outer.push(x.shape()[a]);
            r.in_strides.push(x.strides()[a] * isz);
            r.out_strides.push(out.strides()[a] * osz);
        }
        r
    }

    fn offsets(&self, mut row: usize) -> (isize, isize) {
        let (mut i, mut o) = (0isize, 0isize);
        for d in (0..self.outer.len()).rev() {
            let k = row % self.outer[d];
            row /= self.outer[d];
            i += k as isize * self.in_strides[d];
            o += k as isize * self.out_strides[d];
        }
        (i, o)
    }
}

/// What one row sort does (shared by the row-parallel and the split paths).
#[derive(Clone, Copy)]
struct Job {
    k: SortKernels,
    flags: i32,
    stable: bool,
    output: Output,
    float: bool,
    /// The contiguous input's elements are already its ascending sort keys (int64, or int32
    /// with 4-byte keys): a plain sort reads them in place instead of copying them into keys.
    in_place_keys: bool,
}

impl Job {
    /// Sorts one row of `len` elements at `src` (byte stride `ss`) into `dst` (byte stride `ds`),
    /// with `scratch` of `4 * len` keys: the keys, their payloads, then the sort's work space.
    ///
    /// # Safety
    /// Every row element must be readable, every destination element writable, the scratch
    /// writable as described.
    unsafe fn row(
        &self,
        (src, ss): (*const u8, isize),
        len: usize,
        (dst, ds): (*mut u8, isize),
        scratch: *mut u8,
    ) {
        let k = &self.k;
        let (keys, payload, work) = (
            scratch,
            scratch.wrapping_add(len * k.kb),
            scratch.wrapping_add(2 * len * k.kb),
        );
        let (src_v, keys_v, pay_v) = (
            src as *const c_void,
            keys as *mut c_void,
            payload as *mut c_void,
        );
        let canon = self.flags | ffi::SORT_CANONICAL;
        let work = work as *mut c_void;
        // SAFETY: the caller's contract covers every pointer handed to the kernels.
        unsafe {
            match self.output {
                Output::Values => {
                    let null = std::ptr::null_mut();
                    let special = (k.keys)(src_v, ss, len, self.flags, keys_v, null, 0);
                    if self.stable && special != 0 && self.float {
                        // -0.0 or NaNs: equal keys whose values differ, so their order is
                        // observable; sort indices stably and take the values.
                        (k.keys)(src_v, ss, len, canon, keys_v, pay_v, 0);
                        (k.sort)(keys_v, pay_v, len, 1, work);
                        (k.take)(
                            src_v,
                            ss,
                            pay_v,
                            k.wide() as i32,
                            len,
                            dst as *mut c_void,
                            ds,
                        );
                    } else {
                        (k.sort)(keys_v, null, len, 0, work);
                        (k.values)(keys_v, len, self.flags, dst as *mut c_void, ds);
                    }
                }
                Output::Indices => {
                    (k.keys)(src_v, ss, len, canon, keys_v, pay_v, 0);
                    (k.sort)(keys_v, pay_v, len, self.stable as i32, work);
                    (k.indices)(pay_v, len, dst as *mut i64, ds);
                }
            }
        }
    }
}

/// `sort` / `argsort` of `x` along `axis`.
pub fn sort_axis(
    x: &View,
    axis: i64,
    descending: bool,
    stable: bool,
    output: Output,
) -> Result<Tensor> {
    let dt = x.dtype();
    let op = match output {
        Output::Values => "sort",
        Output::Indices => "argsort",
    };
    if dt.is_complex() {
        return Err(CoreError::type_err(format!(
            "{op}: complex numbers have no order (got {}); expected a real-valued dtype",
            dt.name()
        )));
    }
    let ax = normalize_axis(axis, x.ndim())?;
    let len = x.shape()[ax];
    let k = SortKernels::new(op, dt, len)?;
    let out = Tensor::empty(
        x.shape(),
        match output {
            Output::Values => dt,
            Output::Indices => DType::I64,
        },
    )?;
    if out.size() == 0 {
        return Ok(out);
    }
    let rows = out.size() / len;
    let job = Job {
        k,
        flags: k.wide_flag | if descending { ffi::SORT_DESCENDING } else { 0 },
        stable,
        output,
        float: dt.is_float(),
        in_place_keys: !descending
            && x.strides()[ax] == 1
            && (dt == DType::I64 || (dt == DType::I32 && k.kb == 4)),
    };
    let geo = Rows::new(x, &out, ax);
    let ss = x.strides()[ax] * dt.itemsize() as isize;
    let ds = out.strides()[ax] * out.dtype().itemsize() as isize;
    let (src, dst) = (SendPtr(x.data() as *mut u8), SendPtr(out.data_mut()?));
    if rows == 1 && len >= PARALLEL_MIN {
        let par = parallel::should_parallelize(len, PARALLEL_MIN);
        // SAFETY: the one row covers x and out exactly.
        unsafe { long_row(&job, src.get(), ss, len, dst.get(), ds, par)? };
        return Ok(out);
    }
    let per = (ROWS_TASK / len).max(1);
    let par = rows > 1 && parallel::should_parallelize(out.size(), PARALLEL_MIN);
    // A task's scratch allocation may fail (MemoryError): kept here, raised after the loop.
    let failed = std::sync::Mutex::new(None);
    parallel::run_tasks_checked(rows.div_ceil(per), par, per * len, |t| {
        let r = with_scratch(4 * len * k.kb, |buf| {
            for r in t * per..((t + 1) * per).min(rows) {
                let (oi, oo) = geo.offsets(r);
                // SAFETY: row r of x and out (offsets from their shapes and strides); the
                // scratch holds 4 * len keys.
                unsafe {
                    job.row(
                        (src.get().offset(oi), ss),
                        len,
                        (dst.get().offset(oo), ds),
                        buf,
                    )
                };
            }
            Ok(())
        });
        if let Err(e) = r {
            *failed.lock().unwrap_or_else(|p| p.into_inner()) = Some(e);
        }
    })?;
    if let Some(e) = failed.into_inner().unwrap_or_else(|p| p.into_inner()) {
        return Err(e);
    }
    Ok(out)
}

/// Digit bits of the long-row histogram (2^16 fine bins, grouped into buckets by a map).
const FINE_BITS: u32 = 16;

/// Largest per-task bucket-sort scratch kept per thread (larger buckets, from heavy duplicates,
/// use the row's keys region under them). Not the arena: the caller's arena is held open by the
/// sort's own scope, so each group's block would be a fresh allocation rather than a reused one.
const BUCKET_SCRATCH_MAX: usize = 1 << 20;

thread_local! {
    /// Each thread's bucket-sort scratch (at most `BUCKET_SCRATCH_MAX` bytes), kept between sorts
    /// so it is warm and never faulted in again.
    static BUCKET_SCRATCH: std::cell::RefCell<Vec<u64>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Keys per bucket of the long-row split: about 16384 int32 keys (a bucket, its payload and
/// their scratch stay in L2; the introsort, or with a payload two LSD passes, sorts it) or 2048
/// int64 keys (the introsort, or LSD passes for narrow ranges and payloads), and at most ~4096
/// int32 or ~512 int64 buckets (~1024 with payloads, whose buckets take twice the cache): a scatter to more destinations than that
/// costs more than it saves in the buckets' in-cache sorts (int64, 1e7 keys, one thread: 4096
/// buckets spent 92-103 ms in the scatter, 610 buckets 44-51 ms, their sorts 5-10% more).
fn bucket_target(len: usize, kb: usize, payload: bool) -> usize {
    if kb == 4 {
        (1 << 14).max(len / 4096)
    } else {
        (1 << 11).max(len / if payload { 1024 } else { 512 })
    }
}

/// Groups consecutive fine bins (counts `total`) into buckets of at most `target` keys (a bin
/// larger than that is a bucket of its own): returns the bin -> bucket map and the bucket count.
/// Equal-depth buckets whatever the distribution (uniform floats put half their keys in one
/// binade, which fixed-width digits would leave in one or two buckets).
fn bucket_map(total: &[u64], target: usize) -> (Vec<u16>, usize) {
    let mut map = vec![0u16; total.len()];
    let (mut b, mut fill) = (0usize, 0u64);
    for (f, &c) in total.iter().enumerate() {
        if fill > 0 && fill + c > target as u64 {
            b += 1;
            fill = 0;
        }
        fill += c;
        map[f] = b as u16;
    }
    (map, b + 1)
}

/// One long row: keys in parallel chunks; one MSD radix pass over the offsets of the keys from
/// their minimum (per-chunk histograms, then a stable scatter of every chunk into its slice of
/// each bucket); then groups of consecutive buckets sorted in cache and written out, in parallel.
/// Each element crosses memory about four times, where a quicksort's top levels would take it
/// across ~log2(len / cache) times.
///
/// # Safety
/// As [`Job::row`].
unsafe fn long_row(
    job: &Job,
    src: *const u8,
    ss: isize,
    len: usize,
    dst: *mut u8,
    ds: isize,
    par: bool,
) -> Result<()> {
    let k = job.k;
    let kb = k.kb;
    let t = kernels();
    let missing = || CoreError::type_err("sort: no radix kernels in this table");
    let w = k.wide() as usize;
    let (range, hist, scatter) = (
        t.sort_range[w].ok_or_else(missing)?,
        t.sort_hist[w].ok_or_else(missing)?,
        t.sort_scatter[w].ok_or_else(missing)?,
    );
    // Payloads only for argsort and stable float sorts (which may meet -0.0 or NaNs): a plain
    // sort needs half the scratch, which then stays small enough for the storage cache to
    // recycle (a fresh 320 MB scratch for 1e7 int64 keys spent half its time in page faults).
    let may_pay = job.output == Output::Indices || (job.stable && job.float);
    // The unbucketed payload is dead once scattered, before anything is written to the output:
    // it lives in the output when that is contiguous with room for it, so the scratch is three
    // parts, not four (argsort of 1e7 int64: 240 MB, which the storage cache recycles, where a
    // fresh 320 MB scratch spent ~23% of the call clearing pages).
    let pay_in_dst = may_pay && ds > 0 && ds as usize >= kb;
    // An argsort whose input holds its keys reads them there: the payload (the indices) is
    // written straight into the output and the scratch is the bucketed keys and payload only
    // (1e7 int64: 160 MB, which fits the storage cache beside the 80 MB output).
    let keys_in_src = job.in_place_keys && job.output == Output::Indices && pay_in_dst;
    let parts = match (may_pay, pay_in_dst) {
        _ if keys_in_src => 2,
        (false, _) => 2,
        (true, true) => 3,
        (true, false) => 4,
    };
    // Each part starts on a 64-byte line, so the bucketed keys and payloads are congruent modulo
    // a line, as the scatter's combined writes need (a part of len * kb bytes ends mid-line).
    let part = (len * kb).next_multiple_of(64);
    with_scratch(parts * part, |buf| {
        // keys | payload | bucketed keys | bucketed payload (without payloads: keys | bucketed
        // keys; with the payload in the output: keys | bucketed keys | bucketed payload). Once
        // scattered, keys | payload are the sort scratch of buckets too large for the thread's
        // block: bucket [s, s + m) uses keys [2s, 2s + 2m) (without payloads [s, s + m)).
        let at = |i: usize| SendPtr(buf.wrapping_add(i * part));
        let (keys, pay, tk, tp) = match (may_pay, pay_in_dst) {
            _ if keys_in_src => (SendPtr(std::ptr::null_mut()), SendPtr(dst), at(0), at(1)),
            (false, _) => (
                at(0),
                SendPtr(std::ptr::null_mut()),
                at(1),
                SendPtr(std::ptr::null_mut()),
            ),
            (true, true) => (at(0), SendPtr(dst), at(1), at(2)),
            (true, false) => (at(0), at(1), at(2), at(3)),
        };
        let work = if may_pay { 2 } else { 1 };
        let (src, dst) = (SendPtr(src as *mut u8), SendPtr(dst));
        let canon = job.flags | ffi::SORT_CANONICAL;
        let with_payload = match job.output {
            Output::Indices => true,
            Output::Values if job.in_place_keys => false,
            Output::Values => {
                let special = AtomicBool::new(false);
                parallel::for_chunks_checked(len, PARALLEL_MIN, |s, l| {
                    // SAFETY: chunk [s, s + l) of the row and of the keys.
                    let r = unsafe {
                        (k.keys)(
                            src.get().offset(s as isize * ss) as *const c_void,
                            ss,
                            l,
                            job.flags,
                            keys.get().add(s * kb) as *mut c_void,
                            std::ptr::null_mut(),
                            0,
                        )
                    };
                    if r != 0 {
                        special.store(true, Ordering::Relaxed);
                    }
                })?;
                job.stable && job.float && special.into_inner()
            }
        };
        if keys_in_src {
            parallel::for_chunks_checked(len, PARALLEL_MIN, |s, l| {
                // SAFETY: chunk [s, s + l) of the payload (len keys of width kb in the output,
                // whose len elements are at least kb bytes each); indices below len fit the
                // key width (SortKernels::new).
                unsafe {
                    if kb == 8 {
                        let p = std::slice::from_raw_parts_mut(pay.get().cast::<i64>().add(s), l);
                        p.iter_mut().zip(s..).for_each(|(v, i)| *v = i as i64);
                    } else {
                        let p = std::slice::from_raw_parts_mut(pay.get().cast::<i32>().add(s), l);
                        p.iter_mut().zip(s..).for_each(|(v, i)| *v = i as i32);
                    }
                }
            })?;
        } else if with_payload {
            parallel::for_chunks_checked(len, PARALLEL_MIN, |s, l| {
                // SAFETY: chunk [s, s + l) of the row, the keys and the payload.
                unsafe {
                    (k.keys)(
                        src.get().offset(s as isize * ss) as *const c_void,
                        ss,
                        l,
                        canon,
                        keys.get().add(s * kb) as *mut c_void,
                        pay.get().add(s * kb) as *mut c_void,
                        s,
                    )
                };
            })?;
        }
        // The keys that range, hist and scatter read: the input itself when it holds them (the
        // keys region then serves only as the buckets' scratch).
        let rkeys = if job.in_place_keys && (!with_payload || keys_in_src) {
            src
        } else {
            keys
        };
        // One chunk per thread (of at least 4096 keys, so none is empty): the passes over them
        // are uniform work, and each chunk's fine histogram and bucket offsets are combined
        // serially, so more chunks than threads only add serial time.
        let chunks = if par {
            parallel::num_threads().min(len / 4096).max(1)
        } else {
            1
        };
        let chunk = |c: usize| (c * len / chunks, (c + 1) * len / chunks);
        let ranges = parallel::map_tasks(chunks, par, |c| {
            let (s, e) = chunk(c);
            let mut lo_hi = [0i64; 2];
            // SAFETY: chunk [s, e) of the keys, non-empty (len >= 4096 * chunks).
            unsafe {
                range(
                    rkeys.get().add(s * kb) as *const c_void,
                    e - s,
                    lo_hi.as_mut_ptr(),
                )
            };
            lo_hi
        });
        let lo = ranges.iter().map(|r| r[0]).min().unwrap_or(0);
        let hi = ranges.iter().map(|r| r[1]).max().unwrap_or(0);
        let span = hi.wrapping_sub(lo) as u64;
        let bits = u64::BITS - span.leading_zeros();
        let shift = bits.saturating_sub(FINE_BITS);
        let nfine = (span >> shift) as usize + 1;
        let hists = parallel::map_tasks(chunks, par, |c| {
            let (s, e) = chunk(c);
            let mut h = vec![0u64; nfine];
            // SAFETY: chunk [s, e) of the keys; every digit is below nfine (lo, hi bound them).
            unsafe {
                hist(
                    rkeys.get().add(s * kb) as *const c_void,
                    e - s,
                    lo,
                    shift as i32,
                    nfine,
                    h.as_mut_ptr(),
                )
            };
            h
        });
        let total: Vec<u64> = (0..nfine)
            .map(|f| hists.iter().map(|h| h[f]).sum())
            .collect();
        let (map, nbins) = bucket_map(&total, bucket_target(len, kb, with_payload));
        // Bucket b starts at starts[b]; chunk c writes its part of it from offsets[c][b].
        let mut offsets = vec![vec![0u64; nbins]; chunks];
        for (c, h) in hists.iter().enumerate() {
            for (f, &n) in h.iter().enumerate() {
                offsets[c][map[f] as usize] += n;
            }
        }
        let mut starts = vec![0usize; nbins + 1];
        let mut run = 0u64;
        for b in 0..nbins {
            starts[b] = run as usize;
            for off in offsets.iter_mut() {
                let n = off[b];
                off[b] = run;
                run += n;
            }
        }
        starts[nbins] = len;
        let pay_or_null = |p: SendPtr, at: usize| {
            if with_payload {
                p.get().wrapping_add(at * kb) as *mut c_void
            } else {
                std::ptr::null_mut()
            }
        };
        parallel::run_tasks_checked(chunks, par, len / chunks, |c| {
            let (s, e) = chunk(c);
            let mut off = offsets[c].clone();
            // SAFETY: chunk [s, e) of the keys (and payload) goes to its own disjoint slices of
            // the buckets (offsets from the histograms), inside tk/tp's len keys; the map covers
            // every digit and sends it below nbins.
            unsafe {
                scatter(
                    rkeys.get().add(s * kb) as *const c_void,
                    pay_or_null(pay, s),
                    e - s,
                    lo,
                    shift as i32,
                    map.as_ptr(),
                    nbins,
                    off.as_mut_ptr(),
                    tk.get() as *mut c_void,
                    pay_or_null(tp, 0),
                )
            };
        })?;
        // Groups of consecutive buckets of about len / (8 * threads) keys each.
        let target = len.div_ceil(8 * parallel::num_threads()).max(1);
        let mut groups = vec![0usize];
        for b in 1..nbins {
            if starts[b] - starts[*groups.last().unwrap_or(&0)] >= target {
                groups.push(b);
            }
        }
        groups.push(nbins);
        let stable = (with_payload && (job.stable || job.output == Output::Values)) as i32;
        // A group's scratch allocation may fail (MemoryError): kept here, raised after the loop.
        let failed = std::sync::Mutex::new(None);
        parallel::run_tasks_checked(groups.len() - 1, par, target, |g| {
            let (b0, b1) = (groups[g], groups[g + 1]);
            let widest = (b0..b1)
                .map(|b| starts[b + 1] - starts[b])
                .max()
                .unwrap_or(0);
            // The buckets' sort scratch: one small block reused by every bucket of the group
            // (it stays in cache; the keys region under each bucket is cold by now), or for a
            // group with a bucket too large for it, that region, or (when the payload lives in
            // the output, so keys | payload is not contiguous or absent) a block of its own.
            let local = work * widest * kb <= BUCKET_SCRATCH_MAX;
            let own_block = !local && (keys_in_src || (pay_in_dst && work > 1));
            let sort_group = |own: *mut u8| {
                for b in b0..b1 {
                    let (s, m) = (starts[b], starts[b + 1] - starts[b]);
                    if m < 2 {
                        continue;
                    }
                    let scratch = if local || own_block {
                        own
                    } else {
                        keys.get().wrapping_add(work * s * kb)
                    };
                    // SAFETY: bucket [s, s + m) of tk/tp is this task's; its scratch (work * m
                    // keys) is either the task's own block (work * widest keys) or keys
                    // [work * s, work * (s + m)), inside keys | payload (work * len contiguous
                    // keys unless pay_in_dst, which takes an own block) and disjoint from the
                    // other buckets'.
                    unsafe {
                        (k.sort)(
                            tk.get().add(s * kb) as *mut c_void,
                            pay_or_null(tp, s),
                            m,
                            stable,
                            scratch as *mut c_void,
                        )
                    };
                }
            };
            if local {
                BUCKET_SCRATCH.with(|cell| {
                    let mut v = cell.borrow_mut();
                    let words = (work * widest * kb).div_ceil(8);
                    if v.len() < words {
                        v.resize(words, 0);
                    }
                    sort_group(v.as_mut_ptr() as *mut u8)
                });
            } else if own_block {
                let r = with_scratch(work * widest * kb, |buf| {
                    sort_group(buf);
                    Ok(())
                });
                if let Err(e) = r {
                    *failed.lock().unwrap_or_else(|p| p.into_inner()) = Some(e);
                    return;
                }
            } else {
                sort_group(std::ptr::null_mut());
            }
            let (s, l) = (starts[b0], starts[b1] - starts[b0]);
            let d = dst.get().wrapping_offset(s as isize * ds) as *mut c_void;
            // SAFETY: the group's sorted range [s, s + l) of the scratch and of the destination.
            unsafe {
                match (job.output, with_payload) {
                    (Output::Indices, _) => {
                        (k.indices)(tp.get().add(s * kb) as *const c_void, l, d as *mut i64, ds)
                    }
                    (Output::Values, true) => (k.take)(
                        src.get() as *const c_void,
                        ss,
                        tp.get().add(s * kb) as *const c_void,
                        k.wide() as i32,
                        l,
                        d,
                        ds,
                    ),
                    (Output::Values, false) => {
                        (k.values)(tk.get().add(s * kb) as *const c_void, l, job.flags, d, ds)
                    }
                }
            }
        })?;
        match failed.into_inner().unwrap_or_else(|p| p.into_inner()) {
            Some(e) => Err(e),
            None => Ok(()),
        }
    })
}

/// `x` as a C-contiguous tensor of `dtype` (itself when it already is one).
fn dense(x: &Tensor, dtype: DType) -> Result<Tensor> {
    if x.dtype() == dtype && x.is_contiguous() {
        Ok(x.clone())
    } else {
        x.astype(dtype)
    }
}

fn real_only(op: &str, dt: DType) -> Result<()> {
    if dt.is_complex() {
        return Err(CoreError::type_err(format!(
            "{op}: complex numbers have no order (got {}); expected a real-valued dtype",
            dt.name()
        )));
    }
    Ok(())
}

/// The canonical NaN key of a float dtype (every NaN maps to it), for the set and search kernels.
fn nan_key(k: &SortKernels, dt: DType) -> Option<i64> {
    let mut b = [0u8; 8];
    match dt {
        DType::F32 => b[..4].copy_from_slice(&f32::NAN.to_ne_bytes()),
        DType::F64 => b.copy_from_slice(&f64::NAN.to_ne_bytes()),
        _ => return None,
    }
    Some(k.key_of_bytes(&b, ffi::SORT_CANONICAL))
}

/// What `unique` computes besides the values.
#[derive(Debug, Clone, Copy, Default)]
pub struct UniqueWants {
    pub indices: bool,
    pub inverse: bool,
    pub counts: bool,
}

/// The standard's unique_* results (values sorted ascending, each NaN distinct).
pub struct Unique {
    pub values: Tensor,
    pub indices: Option<Tensor>,
    pub inverse: Option<Tensor>,
    pub counts: Option<Tensor>,
}

/// The distinct values of `x` (all of it, any shape) by one sort of canonical keys: runs of equal
/// keys are the distinct values; a stable index payload gives first occurrences and the inverse.
pub fn unique(x: &Tensor, want: UniqueWants) -> Result<Unique> {
    let dt = x.dtype();
    real_only("unique", dt)?;
    let xc = dense(x, dt)?;
    let n = xc.size();
    let k = SortKernels::new("unique", dt, n)?;
    let kb = k.kb;
    let payload = want.indices || want.inverse;
    let inverse = if want.inverse {
        Some(Tensor::empty(x.shape(), DType::I64)?)
    } else {
        None
    };
    let counts_buf = if want.counts {
        Some(Tensor::empty(&[n], DType::I64)?)
    } else {
        None
    };
    let nk = nan_key(&k, dt);
    let flags = ffi::SORT_CANONICAL | k.wide_flag;
    let isz = dt.itemsize() as isize;
    with_scratch(4 * n * kb + (n + 1) * 8, |buf| {
        let (keys, pay, work) = (buf, buf.wrapping_add(n * kb), buf.wrapping_add(2 * n * kb));
        let starts = buf.wrapping_add(4 * n * kb) as *mut i64;
        let pay_or_null = if payload { pay } else { std::ptr::null_mut() } as *mut c_void;
        // SAFETY: the scratch holds n keys, n payloads, 2n keys of radix work and n + 1 starts;
        // xc is contiguous with n elements; inverse holds n int64 and counts n.
        let runs = unsafe {
            (k.keys)(
                xc.data() as *const c_void,
                isz,
                n,
                flags,
                keys as *mut c_void,
                pay_or_null,
                0,
            );
            (k.sort)(
                keys as *mut c_void,
                pay_or_null,
                n,
                payload as i32,
                work as *mut c_void,
            );
            (k.unique)(
                keys as *mut c_void,
                pay_or_null,
                n,
                nk.is_some() as i32,
                nk.unwrap_or(0),
                starts,
                inverse
                    .as_ref()
                    .map_or(std::ptr::null_mut(), |t| t.data() as *mut i64),
                counts_buf
                    .as_ref()
                    .map_or(std::ptr::null_mut(), |t| t.data() as *mut i64),
            )
        };
        let values = Tensor::empty(&[runs], dt)?;
        // SAFETY: the first `runs` keys (and payloads) are the compacted runs; the outputs hold
        // `runs` elements.
        unsafe {
            (k.values)(
                keys as *const c_void,
                runs,
                flags,
                values.data_mut()? as *mut c_void,
                isz,
            )
        };
        let indices = if want.indices {
            let t = Tensor::empty(&[runs], DType::I64)?;
            // SAFETY: as above.
            unsafe { (k.indices)(pay as *const c_void, runs, t.data_mut()? as *mut i64, 8) };
            Some(t)
        } else {
            None
        };
        let counts = match counts_buf {
            Some(c) => Some(c.slice(&[crate::tensor::Index::Range {
                start: 0,
                step: 1,
                len: runs,
            }])?),
            None => None,
        };
        Ok(Unique {
            values,
            indices,
            inverse,
            counts,
        })
    })
}

/// Canonical ascending keys of a contiguous tensor into `keys`.
///
/// # Safety
/// `keys` must hold `t.size()` keys of the width of `k`.
unsafe fn keys_of(k: &SortKernels, t: &Tensor, keys: *mut u8) {
    // SAFETY: t is contiguous (caller), keys sized by the caller.
    unsafe {
        (k.keys)(
            t.data() as *const c_void,
            t.dtype().itemsize() as isize,
            t.size(),
            ffi::SORT_CANONICAL | k.wide_flag,
            keys as *mut c_void,
            std::ptr::null_mut(),
            0,
        )
    };
}

/// `isin(x1, x2)`: both converted to `dt` (their promoted dtype); x2's keys sorted once, then a
/// binary search per element of x1. NaN is in nothing.
pub fn isin(x1: &Tensor, x2: &Tensor, dt: DType, invert: bool) -> Result<Tensor> {
    real_only("isin", dt)?;
    let (a, b) = (dense(x1, dt)?, dense(x2, dt)?);
    let (n, m) = (b.size(), a.size());
    let k = SortKernels::new("isin", dt, 0)?;
    let out = Tensor::empty(x1.shape(), DType::Bool)?;
    let nk = nan_key(&k, dt);
    with_scratch((3 * n + m) * k.kb, |buf| {
        let (sorted, work, needles) = (
            buf,
            buf.wrapping_add(n * k.kb),
            buf.wrapping_add(3 * n * k.kb),
        );
        // SAFETY: scratch sized for n sorted keys, 2n keys of radix work and m needles; out
        // holds m bytes.
        unsafe {
            keys_of(&k, &b, sorted);
            (k.sort)(
                sorted as *mut c_void,
                std::ptr::null_mut(),
                n,
                0,
                work as *mut c_void,
            );
            keys_of(&k, &a, needles);
            (k.isin)(
                sorted as *const c_void,
                n,
                needles as *const c_void,
                m,
                nk.is_some() as i32,
                nk.unwrap_or(0),
                invert as i32,
                out.data_mut()?,
            );
        }
        Ok(out)
    })
}

/// `searchsorted(x1, x2, side, sorter)`: x1 is 1-D and ascending (or `sorter` orders it); both
/// are compared as `dt`. NaNs count as above +inf, as where `sort` puts them.
pub fn searchsorted(
    x1: &Tensor,
    x2: &Tensor,
    dt: DType,
    right: bool,
    sorter: Option<&Tensor>,
) -> Result<Tensor> {
    real_only("searchsorted", dt)?;
    if x1.ndim() != 1 {
        return Err(CoreError::value(format!(
            "searchsorted: x1 must be one-dimensional, got shape {}",
            crate::error::shape_str(x1.shape())
        )));
    }
    let n = x1.size();
    let mut a = dense(x1, dt)?;
    if let Some(s) = sorter {
        if !s.dtype().is_int() {
            return Err(CoreError::type_err(format!(
                "searchsorted: sorter must have an integer dtype, got {}",
                s.dtype().name()
            )));
        }
        if s.shape() != [n] {
            return Err(CoreError::value(format!(
                "searchsorted: sorter must have x1's shape {}, got {}",
                crate::error::shape_str(x1.shape()),
                crate::error::shape_str(s.shape())
            )));
        }
        let idx = dense(s, DType::I64)?;
        // SAFETY: a contiguous int64 tensor of n elements.
        let iv = unsafe { std::slice::from_raw_parts(idx.data() as *const i64, n) };
        if let Some(bad) = iv.iter().find(|&&i| i < 0 || i as usize >= n) {
            return Err(CoreError::Index(format!(
                "searchsorted: sorter index {bad} is out of bounds for x1 of size {n}"
            )));
        }
        let taken = Tensor::empty(&[n], dt)?;
        let k = SortKernels::new("searchsorted", dt, 0)?;
        let isz = dt.itemsize() as isize;
        // SAFETY: every index is in bounds (checked above); taken holds n elements.
        unsafe {
            (k.take)(
                a.data() as *const c_void,
                isz,
                idx.data() as *const c_void,
                1,
                n,
                taken.data_mut()? as *mut c_void,
                isz,
            )
        };
        a = taken;
    }
    let b = dense(x2, dt)?;
    let m = b.size();
    let k = SortKernels::new("searchsorted", dt, 0)?;
    let out = Tensor::empty(x2.shape(), DType::I64)?;
    with_scratch((n + m) * k.kb, |buf| {
        let needles = buf.wrapping_add(n * k.kb);
        // SAFETY: scratch for n + m keys; out holds m int64.
        unsafe {
            keys_of(&k, &a, buf);
            keys_of(&k, &b, needles);
            (k.search)(
                buf as *const c_void,
                n,
                needles as *const c_void,
                m,
                right as i32,
                out.data_mut()? as *mut i64,
            );
        }
        Ok(out)
    })
}
