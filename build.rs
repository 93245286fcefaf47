//! Builds the C++ kernels (cpp/): the same kernel bodies (cpp/kernels/kernels-inl.h) compiled once
//! per ISA, each translation unit with its own target flags, so the base build needs no
//! -march=native and the Rust side picks a table at run time (cpp/include/corepy_kernels.h).

use std::collections::hash_map::DefaultHasher;
use std::env;
use std::fs;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

/// The kernel TUs and their flags (cpp/units.txt, which the Makefile's sanitizer build reads
/// too): (name, optimisation level, flags), the `common` line's flags first in each.
fn units() -> Vec<(String, u32, Vec<String>)> {
    let text = fs::read_to_string("cpp/units.txt").expect("cpp/units.txt lists the kernel TUs");
    let lines: Vec<Vec<&str>> = text
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>())
        .filter(|w| w.first().is_some_and(|f| !f.starts_with('#')))
        .collect();
    let common: Vec<&str> = lines
        .iter()
        .find(|w| w[0] == "common")
        .map(|w| w[1..].to_vec())
        .unwrap_or_default();
    lines
        .iter()
        .filter(|w| w[0] != "common")
        .map(|w| {
            let mut opt = 0;
            let mut flags: Vec<String> = common.iter().map(|f| f.to_string()).collect();
            for f in &w[1..] {
                match f.strip_prefix("-O").and_then(|o| o.parse().ok()) {
                    Some(o) => opt = o,
                    None => flags.push(f.to_string()),
                }
            }
            (w[0].to_string(), opt, flags)
        })
        .collect()
}

fn main() {
    println!("cargo:rerun-if-changed=cpp");
    println!("cargo:rerun-if-changed=build.rs");
    // A check-only build (`make lint`'s cargo clippy) links nothing, so it sets this to skip the
    // kernels. Not keyed on clippy's wrapper: `make build` compiles through clippy-driver too.
    println!("cargo:rerun-if-env-changed={SKIP_ENV}");
    println!("cargo:rerun-if-env-changed={CACHE_ENV}");
    if env::var_os(SKIP_ENV).is_some() {
        return;
    }

    // The AVX tables only exist on x86; elsewhere only the scalar table is built.
    let arch = env::var("CARGO_CFG_TARGET_ARCH").unwrap_or_default();
    let x86 = arch == "x86_64" || arch == "x86";
    let sources = source_hash(Path::new("cpp"));

    // The TUs are independent and each takes seconds (the AVX ones tens: every dtype, op and cast
    // instantiated once per ISA), so they compile side by side, each in its own thread.
    let units = units();
    std::thread::scope(|scope| {
        for (isa, opt, flags) in &units {
            if isa != "scalar" && !x86 {
                continue;
            }
            scope.spawn(move || compile_unit(isa, *opt, flags, sources));
        }
    });
}

/// Set by check-only builds: no kernels are compiled (nothing would link them).
const SKIP_ENV: &str = "COREPY_SKIP_KERNELS";

/// Where compiled kernel libraries are kept between builds, if set (the Makefile sets it): the
/// release build, the core's tests and a clippy-free rebuild then compile each TU once, not
/// once per target directory and profile (an AVX TU alone takes minutes of CPU).
const CACHE_ENV: &str = "COREPY_KERNEL_CACHE";

fn compile_unit(isa: &str, opt: u32, flags: &[String], sources: u64) {
    let mut build = cc::Build::new();
    build
        .cpp(true)
        // Kernels use no C++ runtime (constant-initialised tables, no new/exceptions): don't link one.
        .cpp_link_stdlib(None)
        .std("c++17")
        .include("cpp/include")
        .file(format!("cpp/kernels/isa_{isa}.cpp"))
        // Kernels are always optimised, also in dev builds (the profile's OPT_LEVEL is ignored),
        // and always carry line tables (flamegraphs name them), whatever the profile's debug
        // setting: the same flags in every profile let every build share one compiled copy.
        .opt_level(opt)
        .debug(false)
        .flag("-g1")
        .warnings(true)
        .extra_warnings(true);
    for flag in flags {
        build.flag(flag);
    }
    // One static library per TU: cc needs a distinct output name per Build.
    let name = format!("corepy_kernels_{isa}");
    let Some(cache) = env::var_os(CACHE_ENV).map(PathBuf::from) else {
        build.compile(&name);
        return;
    };
    // The key: the compiler, its version and full command line (CFLAGS included), and every
    // source file under cpp/.
    let compiler = build.get_compiler();
    let mut h = DefaultHasher::new();
    (isa, compiler.path(), compiler.args()).hash(&mut h);
    std::process::Command::new(compiler.path())
        .arg("--version")
        .output()
        .map(|o| o.stdout)
        .unwrap_or_default()
        .hash(&mut h);
    let flags = h.finish();
    let entry = cache.join(format!("{isa}-{flags:016x}-{sources:016x}.a"));
    let out = PathBuf::from(env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    let lib = out.join(format!("lib{name}.a"));
    if fs::copy(&entry, &lib).is_ok() {
        println!("cargo:rustc-link-search=native={}", out.display());
        println!("cargo:rustc-link-lib=static={name}");
        return;
    }
    build.compile(&name);
    // Best effort: a failed store only means the next build compiles again. Older entries for
    // the same TU and flags are stale sources: drop them so the cache stays a few libraries.
    let prefix = format!("{isa}-{flags:016x}-");
    if fs::create_dir_all(&cache).is_ok() {
        if let Ok(dir) = fs::read_dir(&cache) {
            for e in dir.flatten() {
                if e.file_name().to_string_lossy().starts_with(&prefix) {
                    let _ = fs::remove_file(e.path());
                }
            }
        }
        let tmp = cache.join(format!(".{isa}-{}.tmp", std::process::id()));
        if fs::copy(&lib, &tmp).is_ok() && fs::rename(&tmp, &entry).is_err() {
            let _ = fs::remove_file(&tmp);
        }
    }
}

/// A hash of every file under `dir` (paths and contents, in a fixed order).
fn source_hash(dir: &Path) -> u64 {
    fn walk(dir: &Path, files: &mut Vec<PathBuf>) {
        if let Ok(rd) = fs::read_dir(dir) {
            for e in rd.flatten() {
                let p = e.path();
                if p.is_dir() {
                    walk(&p, files);
                } else {
                    files.push(p);
                }
            }
        }
    }
    let mut files = Vec::new();
    walk(dir, &mut files);
    files.sort();
    let mut h = DefaultHasher::new();
    for f in files {
        f.hash(&mut h);
        fs::read(&f).unwrap_or_default().hash(&mut h);
    }
    h.finish()
}
