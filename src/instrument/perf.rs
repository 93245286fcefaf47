//! Hardware counters (cycles, instructions, cache references/misses, L1d read misses) through
//! `perf_event_open`, one counter set per thread: the calling thread and every pool worker.
//!
//! Many virtual machines expose no hardware PMU; then opening fails and the caller reports
//! "unavailable" with the reason -- never zeros.

use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};

/// Event names in the order `read` returns them.
pub const EVENTS: [&str; 5] = [
    "cycles",
    "instructions",
    "cache_references",
    "cache_misses",
    "l1d_read_misses",
];

const PERF_TYPE_HARDWARE: u32 = 0;
const PERF_TYPE_HW_CACHE: u32 = 3;
// (type, config) per event; L1d read miss = L1D | OP_READ << 8 | RESULT_MISS << 16.
const CONFIGS: [(u32, u64); 5] = [
    (PERF_TYPE_HARDWARE, 0),
    (PERF_TYPE_HARDWARE, 1),
    (PERF_TYPE_HARDWARE, 2),
    (PERF_TYPE_HARDWARE, 3),
    (PERF_TYPE_HW_CACHE, 1 << 16),
];

/// `struct perf_event_attr` (PERF_ATTR_SIZE_VER5 layout; only the fields we set are named).
#[repr(C)]
#[derive(Default)]
struct Attr {
    kind: u32,
    size: u32,
    config: u64,
    sample_period: u64,
    sample_type: u64,
    read_format: u64,
    /// Bit flags: disabled (0), exclude_kernel (5), exclude_hv (6).
    flags: u64,
    rest: [u64; 9],
}

const IOC_ENABLE: libc::c_ulong = 0x2400;
const IOC_DISABLE: libc::c_ulong = 0x2401;
const IOC_RESET: libc::c_ulong = 0x2403;

/// One thread's open counters.
pub struct ThreadCounters {
    fds: Vec<OwnedFd>,
}

impl ThreadCounters {
    /// Opens every event for the calling thread, disabled. Err names the first failure.
    pub fn open() -> Result<ThreadCounters, String> {
        let mut fds = Vec::with_capacity(EVENTS.len());
        for (i, &(kind, config)) in CONFIGS.iter().enumerate() {
            let attr = Attr {
                kind,
                size: std::mem::size_of::<Attr>() as u32,
                config,
                flags: 1 | (1 << 5) | (1 << 6),
                ..Default::default()
            };
            // SAFETY: attr is a valid, fully initialised perf_event_attr of the size it states;
            // pid 0 / cpu -1 means "this thread, any CPU".
            let fd = unsafe {
                libc::syscall(
                    libc::SYS_perf_event_open,
                    &attr as *const Attr,
                    0,
                    -1,
                    -1,
                    0,
                )
            };
            if fd < 0 {
                let err = std::io::Error::last_os_error();
                let why = match err.raw_os_error() {
                    Some(libc::ENOENT) | Some(libc::EOPNOTSUPP) | Some(libc::ENODEV) => {
                        "no hardware PMU".to_string()
                    }
                    Some(libc::EACCES) | Some(libc::EPERM) => {
                        format!("not permitted ({err}; see /proc/sys/kernel/perf_event_paranoid)")
                    }
                    _ => err.to_string(),
                };
                return Err(format!("{}: {why}", EVENTS[i]));
            }
            // SAFETY: fd is a fresh descriptor we own.
            fds.push(unsafe { OwnedFd::from_raw_fd(fd as i32) });
        }
        Ok(ThreadCounters { fds })
    }

    fn ioctl_all(&self, req: libc::c_ulong) {
        for fd in &self.fds {
            // SAFETY: fd is an open perf event descriptor; these ioctls take no argument.
            unsafe { libc::ioctl(fd.as_raw_fd(), req, 0) };
        }
    }

    pub fn start(&self) {
        self.ioctl_all(IOC_RESET);
        self.ioctl_all(IOC_ENABLE);
    }

    pub fn stop(&self) {
        self.ioctl_all(IOC_DISABLE);
    }

    pub fn read(&self) -> [u64; 5] {
        let mut out = [0u64; 5];
        for (v, fd) in out.iter_mut().zip(&self.fds) {
            // SAFETY: reading one u64 counter value into a u64.
            unsafe { libc::read(fd.as_raw_fd(), (v as *mut u64).cast(), 8) };
        }
        out
    }
}
