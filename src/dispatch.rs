//! Runtime ISA dispatch: one table of kernels per ISA (filled by the C++ side from one kernel body),
//! the best one the CPU supports chosen once and cached. The hot path is one atomic load.

use crate::error::{CoreError, Result};
use crate::ffi::{self, KernelTable};
use std::ffi::CStr;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::OnceLock;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Isa {
    Scalar = 0,
    Avx2 = 1,
    Avx512 = 2,
}

impl Isa {
    pub const ALL: [Isa; 3] = [Isa::Scalar, Isa::Avx2, Isa::Avx512];

    pub fn name(self) -> &'static str {
        match self {
            Isa::Scalar => "scalar",
            Isa::Avx2 => "avx2",
            Isa::Avx512 => "avx512",
        }
    }

    pub fn table(self) -> &'static KernelTable {
        // Miri cannot run C++: every ISA is the Rust copy of the scalar table there.
        if cfg!(miri) {
            return &crate::reference::TABLE;
        }
        match tables() {
            Ok(t) => t.tables[self as usize],
            // The Python module checks kernel_library() at import, so only a Rust caller that
            // set COREPY_KERNELS_SO to a bad library gets here.
            Err(e) => panic!("{e}"),
        }
    }

    /// The ISA string compiled into this table by the C++ side (from the compiler's target macros).
    pub fn compiled_name(self) -> &'static str {
        // SAFETY: `isa` points at a NUL-terminated string literal in the C++ library.
        unsafe { CStr::from_ptr(self.table().isa) }
            .to_str()
            .unwrap_or("?")
    }
}

/// Names a shared library of kernel tables to use instead of the linked ones: `make sanitize`
/// builds the kernel TUs this CPU runs with ASan and UBSan into one, so the sanitizer run needs
/// no second build of the Rust side. ISAs the library lacks keep the linked table.
const KERNELS_SO_ENV: &str = "COREPY_KERNELS_SO";

struct Tables {
    tables: [&'static KernelTable; 3],
    library: Option<String>,
}

fn tables() -> &'static std::result::Result<Tables, String> {
    static TABLES: OnceLock<std::result::Result<Tables, String>> = OnceLock::new();
    TABLES.get_or_init(load_tables)
}

/// The kernel library in use (None: the tables linked into corepy), or why the one that
/// `COREPY_KERNELS_SO` names cannot be used.
pub fn kernel_library() -> Result<Option<&'static str>> {
    match tables() {
        Ok(t) => Ok(t.library.as_deref()),
        Err(e) => Err(CoreError::value(e.clone())),
    }
}

fn load_tables() -> std::result::Result<Tables, String> {
    // SAFETY: each getter returns a pointer to an immutable, statically allocated table.
    let mut tables = unsafe {
        [
            &*ffi::corepy_kernels_scalar(),
            &*ffi::corepy_kernels_avx2(),
            &*ffi::corepy_kernels_avx512(),
        ]
    };
    let Some(path) = std::env::var_os(KERNELS_SO_ENV) else {
        return Ok(Tables {
            tables,
            library: None,
        });
    };
    let path = path.to_string_lossy().into_owned();
    let fail = |why: String| format!("{KERNELS_SO_ENV}={path}: {why}");
    let cpath = std::ffi::CString::new(path.as_str()).map_err(|e| fail(e.to_string()))?;
    // SAFETY: a NUL-terminated path; the handle is never closed, so its symbols stay valid for
    // the life of the process. RTLD_LOCAL keeps them out of the global scope.
    let handle = unsafe { libc::dlopen(cpath.as_ptr(), libc::RTLD_NOW | libc::RTLD_LOCAL) };
    if handle.is_null() {
        // SAFETY: dlerror returns NULL or a NUL-terminated message.
        let err = unsafe { libc::dlerror() };
        return Err(fail(if err.is_null() {
            "dlopen failed".into()
        } else {
            // SAFETY: non-NULL, NUL-terminated (above).
            unsafe { CStr::from_ptr(err) }
                .to_string_lossy()
                .into_owned()
        }));
    }
    // SAFETY: a live handle and a NUL-terminated name.
    let sym = |name: &CStr| unsafe { libc::dlsym(handle, name.as_ptr()) };
    let size = sym(c"corepy_kernels_table_size");
    if size.is_null() {
        return Err(fail("not a corepy kernel library".into()));
    }
    // SAFETY: the symbol is `size_t corepy_kernels_table_size(void)` (corepy_kernels.h).
    let size = unsafe {
        std::mem::transmute::<*mut libc::c_void, unsafe extern "C" fn() -> usize>(size)()
    };
    if size != std::mem::size_of::<KernelTable>() {
        return Err(fail(format!(
            "its kernel table has {size} bytes, this build's {}: built from other sources",
            std::mem::size_of::<KernelTable>()
        )));
    }
    let names = [
        c"corepy_kernels_scalar",
        c"corepy_kernels_avx2",
        c"corepy_kernels_avx512",
    ];
    for (slot, name) in tables.iter_mut().zip(names) {
        let getter = sym(name);
        if !getter.is_null() {
            // SAFETY: the getters have the signature corepy_kernels.h declares and return tables
            // of the size checked above, immutable for the life of the process.
            *slot = unsafe {
                &*std::mem::transmute::<
                    *mut libc::c_void,
                    unsafe extern "C" fn() -> *const KernelTable,
                >(getter)()
            };
        }
    }
    Ok(Tables {
        tables,
        library: Some(path),
    })
}

/// CPU features relevant to dispatch, detected once.
#[derive(Debug, Clone, Copy, Default)]
pub struct CpuFeatures {
    pub sse2: bool,
    pub avx: bool,
    pub avx2: bool,
    pub fma: bool,
    pub avx512f: bool,
    pub avx512bw: bool,
    pub avx512dq: bool,
    pub avx512vl: bool,
}

impl CpuFeatures {
    pub fn as_pairs(&self) -> [(&'static str, bool); 8] {
        [
            ("sse2", self.sse2),
            ("avx", self.avx),
            ("avx2", self.avx2),
            ("fma", self.fma),
            ("avx512f", self.avx512f),
            ("avx512bw", self.avx512bw),
            ("avx512dq", self.avx512dq),
            ("avx512vl", self.avx512vl),
        ]
    }

    pub fn supports(&self, isa: Isa) -> bool {
        match isa {
            Isa::Scalar => true,
            Isa::Avx2 => self.avx2 && self.fma,
            Isa::Avx512 => {
                self.supports(Isa::Avx2)
                    && self.avx512f
                    && self.avx512bw
                    && self.avx512dq
                    && self.avx512vl
            }
        }
    }
}

pub fn cpu_features() -> &'static CpuFeatures {
    static FEATURES: OnceLock<CpuFeatures> = OnceLock::new();
    FEATURES.get_or_init(|| {
        // Under Miri only the scalar (reference) table exists.
        #[cfg(all(target_arch = "x86_64", not(miri)))]
        {
            CpuFeatures {
                sse2: is_x86_feature_detected!("sse2"),
                avx: is_x86_feature_detected!("avx"),
                avx2: is_x86_feature_detected!("avx2"),
                fma: is_x86_feature_detected!("fma"),
                avx512f: is_x86_feature_detected!("avx512f"),
                avx512bw: is_x86_feature_detected!("avx512bw"),
                avx512dq: is_x86_feature_detected!("avx512dq"),
                avx512vl: is_x86_feature_detected!("avx512vl"),
            }
        }
        #[cfg(any(not(target_arch = "x86_64"), miri))]
        {
            CpuFeatures::default()
        }
    })
}

pub fn available_isas() -> Vec<Isa> {
    Isa::ALL
        .into_iter()
        .filter(|&i| cpu_features().supports(i))
        .collect()
}

fn best_isa() -> Isa {
    *available_isas().last().unwrap_or(&Isa::Scalar)
}

const UNSET: u8 = u8::MAX;
static ACTIVE: AtomicU8 = AtomicU8::new(UNSET);

fn from_index(i: u8) -> Isa {
    match i {
        0 => Isa::Scalar,
        1 => Isa::Avx2,
        _ => Isa::Avx512,
    }
}

/// The active ISA. First use reads `COREPY_ISA` (same names as `set_isa`), else picks the best.
pub fn active_isa() -> Isa {
    let cur = ACTIVE.load(Ordering::Relaxed);
    if cur != UNSET {
        return from_index(cur);
    }
    let chosen = std::env::var("COREPY_ISA")
        .ok()
        .and_then(|name| resolve(&name).ok())
        .unwrap_or_else(best_isa);
    // Another thread may race us here; both compute the same choice, so either store is fine.
    ACTIVE.store(chosen as u8, Ordering::Relaxed);
    chosen
}

/// Parses an ISA name ("auto" means the best available) and checks the CPU supports it.
pub fn resolve(name: &str) -> Result<Isa> {
    if name == "auto" {
        return Ok(best_isa());
    }
    let isa = Isa::ALL
        .into_iter()
        .find(|i| i.name() == name)
        .ok_or_else(|| {
            CoreError::value(format!(
                "unknown ISA {name:?}: expected one of \"auto\", \"scalar\", \"avx2\", \"avx512\""
            ))
        })?;
    if !cpu_features().supports(isa) {
        return Err(CoreError::value(format!(
            "ISA {name:?} is not supported by this CPU (available: {})",
            available_isas()
                .iter()
                .map(|i| i.name())
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    Ok(isa)
}

pub fn set_isa(name: &str) -> Result<Isa> {
    let isa = resolve(name)?;
    ACTIVE.store(isa as u8, Ordering::Relaxed);
    Ok(isa)
}

/// The kernel table of the active ISA.
#[inline]
pub fn kernels() -> &'static KernelTable {
    active_isa().table()
}

/// Turns a missing table entry into a TypeError that names the op and dtype.
pub fn need<F>(f: Option<F>, op: &str, dtype: crate::dtype::DType) -> Result<F> {
    f.ok_or_else(|| {
        CoreError::type_err(format!("{op} is not supported for dtype {}", dtype.name()))
    })
}
