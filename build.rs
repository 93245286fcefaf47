//! Builds the C++ kernels (cpp/): the same kernel bodies (cpp/kernels/kernels-inl.h) compiled once
//! per ISA, each translation unit with its own target flags, so the base build needs no
//! -march=native and the Rust side picks a table at run time (cpp/include/corepy_kernels.h).

use std::env;

/// Flags shared by every kernel TU. No -ffast-math: kernels must keep IEEE results (x/0 = inf/nan,
/// NaN propagation); -fno-math-errno only lets the compiler skip errno bookkeeping.
const COMMON: &[&str] = &[
    "-fno-math-errno",
    "-fno-exceptions", // kernels never throw; no unwinding tables beyond what profilers need
    "-fno-rtti",
    "-fno-omit-frame-pointer", // cheap, reliable stacks for the sampling profiler
];

/// (isa, optimisation level, ISA flags). Only these TUs get ISA flags.
const UNITS: &[(&str, u32, &[&str])] = &[
    // -fno-tree-vectorize: the scalar table is the reference, keep the compiler from vectorising it.
    ("scalar", 2, &["-fno-tree-vectorize"]),
    ("avx2", 3, &["-mavx2", "-mfma"]),
    (
        "avx512",
        3,
        &[
            "-mavx512f",
            "-mavx512bw",
            "-mavx512dq",
            "-mavx512vl",
            "-mavx2",
            "-mfma",
            "-mprefer-vector-width=512",
        ],
    ),
];

fn main() {
    println!("cargo:rerun-if-changed=cpp");
    println!("cargo:rerun-if-changed=build.rs");
    // `cargo clippy` only checks (nothing is linked), so the kernels need not be compiled: that
    // saves `make lint` a full C++ build. Keyed on the wrapper, so a later real build runs again.
    println!("cargo:rerun-if-env-changed=RUSTC_WORKSPACE_WRAPPER");
    if env::var("RUSTC_WORKSPACE_WRAPPER").is_ok_and(|w| w.contains("clippy")) {
        return;
    }

    // The AVX tables only exist on x86; elsewhere only the scalar table is built.
    let arch = env::var("CARGO_CFG_TARGET_ARCH").unwrap_or_default();
    let x86 = arch == "x86_64" || arch == "x86";
    // Keep at least line tables so flamegraphs name the kernels even when the profile has debug off.
    let debug_off = matches!(
        env::var("DEBUG").as_deref(),
        Ok("false" | "0" | "none" | "")
    );

    // The TUs are independent and each takes seconds (the AVX ones tens: every dtype, op and cast
    // instantiated once per ISA), so they compile side by side, each in its own thread.
    std::thread::scope(|scope| {
        for &(isa, opt, isa_flags) in UNITS {
            if isa != "scalar" && !x86 {
                continue;
            }
            scope.spawn(move || compile_unit(isa, opt, isa_flags, debug_off));
        }
    });
}

fn compile_unit(isa: &str, opt: u32, isa_flags: &[&str], debug_off: bool) {
    let mut build = cc::Build::new();
    build
        .cpp(true)
        // Kernels use no C++ runtime (constant-initialised tables, no new/exceptions): don't link one.
        .cpp_link_stdlib(None)
        .std("c++17")
        .include("cpp/include")
        .file(format!("cpp/kernels/isa_{isa}.cpp"))
        // Kernels are always optimised, also in dev builds (the profile's OPT_LEVEL is ignored).
        .opt_level(opt)
        .warnings(true)
        .extra_warnings(true);
    if debug_off {
        build.debug_str("line-tables-only");
    }
    for flag in COMMON.iter().chain(isa_flags) {
        build.flag(flag);
    }
    // One static library per TU: cc needs a distinct output name per Build.
    build.compile(&format!("corepy_kernels_{isa}"));
}
