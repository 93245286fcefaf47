# corepy: one Makefile for developers and CI (.ci/run calls `make test`).
#
#   make report   build, then write the performance report (corepy vs NumPy, PyTorch) to report/
#   make test     every check: venv beside the sanitizer kernels, build (linted by clippy), style,
#                 cargo-test, pytest, the sanitizer test subset (each step timed)
#   make lab      JupyterLab on notebooks/
#
# A fresh clone needs only python3 (with venv and pip), cargo and gcc: everything else is
# installed here, into .venv.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
# Targets run in the order written (test = venv, build, lint, ...), even under make -j.
.NOTPARALLEL:
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
DEV_DEPS := "maturin>=1.9.4" "numpy>=1.24" "pytest>=8" "hypothesis>=6" "ruff>=0.15,<0.18" \
	"pytest-benchmark>=4" "nbclient>=0.10" "nbformat>=5" "ipykernel>=6" "matplotlib>=3.7" \
	"tqdm>=4.60" "array-api-strict>=2.4" "pytest-xdist>=3.5" "dask[array]>=2024.1" \
	"distributed>=2024.1"
# The stamp names the dependency list, so a changed list is installed into an existing .venv.
STAMP := $(VENV)/.corepy-dev-deps-$(shell echo '$(DEV_DEPS)' | cksum | cut -d' ' -f1)
# Optional extras, never part of `make test`: PyTorch for the report (the wheel the package
# index offers for this platform), JupyterLab for `make lab`.
TORCH_PIP_ARGS ?= torch
LAB_DEPS := "jupyterlab>=4" "ipywidgets>=8" "playwright>=1.40"
CHROMIUM ?= $(shell command -v chromium || command -v chromium-browser || command -v google-chrome)
PY_DIRS := python tests benchmarks

# pyo3's build script finds the interpreter through this; exported to every cargo invocation
# (the same value each time, so pyo3 is not rebuilt between build, clippy and bench).
export PYO3_PYTHON := $(CURDIR)/$(VENV)/bin/python
# build.rs keeps each compiled kernel TU here, keyed by compiler, flags and sources: the
# release build, the core's tests (another target dir and profile) and later builds reuse it
# instead of compiling the AVX kernels again (minutes of CPU each time).
export COREPY_KERNEL_CACHE := $(CURDIR)/target/kernel-cache

.PHONY: help venv .venv build lint style rust-tools cargo-test pytest test bench report report-deps \
	report-screenshot cache-deps lab lab-deps lab-check fmt clean distclean fuzz sanitize sanitize-build \
	sanitize-test miri soak venv+sanitize-build

help:
	@echo "make report      build, then write the performance report to report/ (the main job);"
	@echo "                 tries to pip install torch first (report-deps; never fails)"
	@echo "make report-screenshot  render report/index.html in headless Chromium to a PNG"
	@echo "make cache-deps  install valgrind if missing (cp.lab.cache_profile, report --cache;"
	@echo "                 apt-get; never fails: without it those tests skip, saying so)"
	@echo "make lab         JupyterLab on notebooks/ (installs jupyterlab, ipywidgets: lab-deps)"
	@echo "make lab-deps    jupyterlab, ipywidgets, playwright (pip) and Debian's chromium (apt-get)"
	@echo "make lab-check   notebook 12 run in JupyterLab in headless Chromium (Playwright, the"
	@echo "                 system browser); outputs checked, report/lab-check.png; skips visibly"
	@echo "make test        every check: venv, build, style, cargo-test, pytest, ... (what CI runs)"
	@echo "make venv        create .venv with the dev tools (once; a stamp file remembers)"
	@echo "make build       maturin develop --release into .venv"
	@echo "make lint        clippy -D warnings (a check build), cargo fmt --check, ruff check and format"
	@echo "make style       cargo fmt --check, ruff check, ruff format --check (make test's lint: its"
	@echo "                 builds compile through clippy-driver; CLIPPY=0 skips)"
	@echo "make cargo-test  Rust tests of the core without Python (--no-default-features)"
	@echo "make pytest      the Python test suite, notebooks included (not the slow tests)"
	@echo "make fuzz        the long run: hypothesis 'thorough' profile plus the slow tests"
	@echo "make soak        30 min of mixed use (ops on every layout, flamegraph profiles, forks,"
	@echo "                 thread-count/ISA switches, Ctrl-C): RSS and live bytes must stay flat,"
	@echo "                 no hang or crash (SOAK_MINUTES=..; a 25 s version runs in make test)"
	@echo "make sanitize    C++ kernels under ASan+UBSan (a kernel library), then a test subset"
	@echo "make miri        the core's Rust tests under Miri (installs the nightly component;"
	@echo "                ~15 min, so not part of make test)"
	@echo "make bench       criterion kernel benches, then pytest-benchmark corepy vs NumPy"
	@echo "make fmt         cargo fmt and ruff format"
	@echo "make clean       remove build outputs (distclean: and .venv)"

# ---- environment --------------------------------------------------------------------------

venv .venv: $(STAMP)

$(STAMP):
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --progress-bar off -U pip
	$(VENV)/bin/pip install --progress-bar off $(DEV_DEPS)
	touch $@

# rustfmt and clippy are rustup components that a bare toolchain may lack.
rust-tools:
	@if ! cargo fmt --version >/dev/null 2>&1 || ! cargo clippy --version >/dev/null 2>&1; then \
		rustup component add rustfmt clippy; \
	fi

# ---- build --------------------------------------------------------------------------------

# Clippy lints corepy while it compiles: clippy-driver stands in for rustc on the workspace's own
# crate only (RUSTC_WORKSPACE_WRAPPER), so the build and the core's tests lint their code, with
# warnings as errors, and the dependencies are shared with a plain build. `make test` then needs no
# separate `cargo clippy`, whose check build of every dependency cost ~165 s of CPU cold.
# CLIPPY=0 (make build CLIPPY=0) compiles with plain rustc, warnings allowed (the next linted build
# compiles corepy again).
CLIPPY ?= 1
ifeq ($(CLIPPY),1)
LINTED = RUSTC_WORKSPACE_WRAPPER="$$(command -v clippy-driver)" \
	CLIPPY_ARGS="-D__CLIPPY_HACKERY__warnings__CLIPPY_HACKERY__"
endif

build: $(STAMP) rust-tools
	VIRTUAL_ENV="$(CURDIR)/$(VENV)" PATH="$(CURDIR)/$(VENV)/bin:$$PATH" $(LINTED) \
		$(VENV)/bin/maturin develop --release

# ---- checks -------------------------------------------------------------------------------

# Every lint on its own: clippy over all targets with the default features (a check build; the
# kernels are not compiled, nothing links them), then the formatting and ruff.
lint: $(STAMP) rust-tools
	COREPY_SKIP_KERNELS=1 cargo clippy --all-targets -- -D warnings
	@$(MAKE) --no-print-directory style

# What `make test` adds to the linted build and cargo-test: formatting and the Python lints.
style: $(STAMP) rust-tools
	cargo fmt --all --check
	$(VENV)/bin/ruff check $(PY_DIRS)
	$(VENV)/bin/ruff format --check $(PY_DIRS)

# The core without Python; its own target dir so pyo3-free builds don't evict the pyo3 ones.
# Through clippy-driver (see CLIPPY): the tests and the criterion benches (compiled, not run) are
# linted too.
cargo-test: rust-tools
	$(LINTED) cargo test --no-default-features --all-targets --no-run --target-dir target/core
	$(LINTED) cargo test --no-default-features --target-dir target/core

# Two pytest workers: the suite is mostly single-threaded Python and subprocesses (valgrind,
# notebooks, forks), so a second worker nearly halves its wall time on a 2-core machine.
PYTEST_WORKERS ?= 2
pytest: $(STAMP)
	$(PY) -m pytest -q -m "not slow" -n $(PYTEST_WORKERS) --dist worksteal tests

# Two targets side by side, the second's output kept in target/logs and printed when both are
# done; fails if either did. This fills the time the first leaves a core idle (pip waiting on the
# network). The two must share no cargo target directory, and the second must need nothing the
# first builds.
beside = mkdir -p target/logs; \
	$(MAKE) --no-print-directory $(2) >target/logs/$(2).log 2>&1 & bg=$$!; \
	fg=0; $(MAKE) --no-print-directory $(1) || fg=$$?; bgs=0; wait $$bg || bgs=$$?; \
	echo "---- make $(2) (ran beside make $(1)) ----"; cat target/logs/$(2).log; \
	test $$fg = 0 && test $$bgs = 0

# The sanitizer's kernels (g++ only) compile while pip installs the environment (network-bound).
venv+sanitize-build:
	@$(call beside,venv,sanitize-build)

# cache-deps before pytest: with valgrind the cache-simulation tests run, without it they skip.
# Clippy runs inside build and cargo-test (see CLIPPY), so `style` is the rest of `make lint`. Each
# step's wall time is printed as it ends, and all of them at the end.
TEST_STEPS := venv+sanitize-build build style cargo-test cache-deps pytest lab-check sanitize-test
test:
	@: > target/test-times.txt 2>/dev/null || { mkdir -p target && : > target/test-times.txt; }; \
	for s in $(TEST_STEPS); do t0=$$(date +%s); \
		$(MAKE) --no-print-directory $$s || { echo "make test: $$s failed"; exit 1; }; \
		echo "make test: $$s took $$(( $$(date +%s) - t0 )) s" | tee -a target/test-times.txt; \
	done; echo "---- make test: every step passed ----"; cat target/test-times.txt

# The long fuzz run (~15x the examples) and the tests marked slow (2**31-element arrays).
fuzz: build
	HYPOTHESIS_PROFILE=thorough $(PY) -m pytest -q tests/test_fuzz.py tests/test_fuzz_linalg.py tests/test_stress.py

# The soak run: SOAK_MINUTES of mixed API use (tests/soak.py says what); it prints RSS and
# corepy's live bytes every 30 s and fails on growth after the warm-up, a wrong answer, a failed
# fork child, a hang (its watchdog prints every thread's stack) or a crash. tests/test_soak.py
# runs a 25-second version in `make test`.
SOAK_MINUTES ?= 30
soak: build
	$(PY) tests/soak.py --minutes $(SOAK_MINUTES)

# ---- sanitizers ---------------------------------------------------------------------------
# The C++ kernels under AddressSanitizer + UndefinedBehaviorSanitizer. The kernel TUs this CPU
# runs are compiled (flags from cpp/units.txt, as build.rs uses them, plus SAN_FLAGS) into one
# shared library, and the test subset runs on the release build that `make build` installed
# with COREPY_KERNELS_SO naming it: corepy then takes those TUs' tables from it instead of its
# linked ones, so the Rust side is not built a second time. The Rust side is not instrumented:
# -Zsanitizer needs a nightly toolchain. The kernels build at -O0: the SIMD is explicit vector
# code, so the same paths run, and every access stays in code ASan checks; -O1 compiles about
# three times slower, a cost every CI run pays.
# CPython leaks by design (detect_leaks=0); allocator_may_return_null lets the 4 TiB requests
# fail as MemoryError, as without ASan.
ASAN_DIR := $(CURDIR)/target/asan
ASAN_LIB := $(ASAN_DIR)/libcorepy_kernels.so
SAN_FLAGS := -O0 -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
SAN_ENV := LD_PRELOAD="$$(gcc -print-file-name=libasan.so) $$(gcc -print-file-name=libubsan.so)" \
	ASAN_OPTIONS=detect_leaks=0:allocator_may_return_null=1:abort_on_error=1 \
	UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 COREPY_KERNELS_SO=$(ASAN_LIB)
SAN_TESTS := tests/test_fuzz.py tests/test_fuzz_linalg.py tests/test_errors.py tests/test_elementwise.py \
	tests/test_elementwise_api.py tests/test_reductions.py tests/test_linalg.py tests/test_linalg_small.py \
	tests/test_tensor.py tests/test_dispatch.py tests/test_sort_buckets.py \
	tests/test_linalg_ext.py::test_eigh_real_blocked_reduction tests/test_linalg_ext.py::test_eigh_on_every_isa \
	tests/test_linalg_ext.py::test_eigh_scaled_and_clustered
# A unit's flags from cpp/units.txt (the `common` line's, then its own).
unit_flags = $(shell awk '$$1 == "common" || $$1 == "$(1)" { $$1 = ""; print }' cpp/units.txt)
# The units this CPU can run (the others would never execute under the tests).
CPU_FLAGS := $(shell grep -m1 '^flags' /proc/cpuinfo 2>/dev/null)
SAN_UNITS := scalar $(if $(filter avx2,$(CPU_FLAGS)),avx2) \
	$(if $(word 4,$(filter avx512f avx512bw avx512dq avx512vl,$(CPU_FLAGS))),avx512)

sanitize: build sanitize-build sanitize-test

sanitize-build:
	rm -rf $(ASAN_DIR) && mkdir -p $(ASAN_DIR)
	pids=""; $(foreach u,$(SAN_UNITS),$(CXX) -std=c++17 -fPIC -g1 -Wall -Wextra -Icpp/include \
		$(call unit_flags,$(u)) $(SAN_FLAGS) -c cpp/kernels/isa_$(u).cpp -o $(ASAN_DIR)/isa_$(u).o & \
		pids="$$pids $$!";) for p in $$pids; do wait $$p; done
	$(CXX) -shared $(SAN_FLAGS) -o $(ASAN_LIB) $(ASAN_DIR)/isa_*.o
	nm -D $(ASAN_LIB) | grep __asan_report >/dev/null \
		|| { echo "the sanitized kernel library has no ASan instrumentation"; exit 1; }

sanitize-test:
	$(SAN_ENV) $(PY) -c "import corepy as cp; \
		assert cp.config()['kernel_library'] == '$(ASAN_LIB)', cp.config()"
	$(SAN_ENV) $(PY) -m pytest -q -m "not slow" -p no:cacheprovider -n $(PYTEST_WORKERS) $(SAN_TESTS)

# ---- Miri ---------------------------------------------------------------------------------
# Miri interprets the core's Rust tests and stops at undefined behaviour: out-of-bounds,
# misaligned or use-after-free accesses, data races between the pool's threads, invalid
# provenance. It cannot call C++, so under Miri every ISA is src/reference.rs, the Rust copy of
# the scalar kernel table (which cargo-test holds to the C++ one bit for bit). The component
# comes with rustup's nightly; where neither can be installed (no network to rustup's server),
# the target says so and stops without failing, as the valgrind-based tests skip.
# Tree Borrows: crossbeam-epoch (under rayon) breaks the older Stacked Borrows rules but not
# these (crossbeam's own Miri CI uses them); its int-to-pointer casts need permissive provenance;
# the pool's threads live for the whole process, so their allocations are never freed (leaks are
# checked by tests/test_stress.py's million-cycle run instead).
MIRI_TOOLCHAIN ?= nightly
MIRI := cargo +$(MIRI_TOOLCHAIN) miri
export MIRIFLAGS ?= -Zmiri-tree-borrows -Zmiri-permissive-provenance -Zmiri-ignore-leaks

miri:
	@$(MIRI) --version >/dev/null 2>&1 \
		|| rustup toolchain install $(MIRI_TOOLCHAIN) --profile minimal --component miri,rust-src \
		|| rustup component add miri rust-src --toolchain $(MIRI_TOOLCHAIN) || true
	@if $(MIRI) --version >/dev/null 2>&1; then \
		$(MIRI) --version; \
		$(MIRI) test --no-default-features --lib --target-dir target/miri -- --test-threads=1; \
	else \
		echo "SKIPPED make miri: no miri component for toolchain '$(MIRI_TOOLCHAIN)', and rustup could not install one"; \
	fi

# ---- performance --------------------------------------------------------------------------

bench: build
	cargo bench --no-default-features --bench kernels --target-dir target/core
	$(PY) -m pytest benchmarks --benchmark-only -q

report: venv build report-deps cache-deps
	$(PY) -m corepy.report --out report --cache

# PyTorch makes the report a three-way comparison. Installing it may fail (no wheel for this
# platform, no network): the report then compares corepy with NumPy and says so.
report-deps: $(STAMP)
	@if [ -z "$(TORCH_PIP_ARGS)" ]; then \
		echo "report-deps: TORCH_PIP_ARGS is empty: not installing torch"; \
	elif $(PY) -c "import torch" 2>/dev/null; then \
		echo "report-deps: torch $$($(PY) -c 'import torch; print(torch.__version__)') is installed"; \
	else \
		echo "report-deps: pip install $(TORCH_PIP_ARGS) (optional; may take a while)"; \
		$(VENV)/bin/pip install --progress-bar off $(TORCH_PIP_ARGS) \
			|| echo "note: could not install torch; the report compares corepy with NumPy only"; \
	fi

# valgrind (its cachegrind tool) simulates the caches for cp.lab.cache_profile, notebook 08 and
# the report's cache section. Installing it needs apt-get and root; where that fails, those say
# so (the tests skip) and everything else goes on.
cache-deps:
	@if command -v valgrind >/dev/null 2>&1; then \
		echo "cache-deps: $$(valgrind --version) is installed"; \
	elif command -v apt-get >/dev/null 2>&1; then \
		echo "cache-deps: installing valgrind (apt-get)"; \
		SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo -n); \
		( $$SUDO apt-get update -qq && $$SUDO env DEBIAN_FRONTEND=noninteractive \
			apt-get install -y -qq valgrind >/dev/null ) \
			|| echo "note: could not install valgrind; the cache-simulation tests will skip"; \
	else \
		echo "note: no valgrind and no apt-get: install valgrind to run the cache simulation"; \
	fi

# What a person sees: report/index.html rendered by headless Chromium (Debian: apt-get install
# chromium). Skips, saying so, when there is no Chromium; writes a quick report if none exists.
report-screenshot: $(STAMP)
	@if [ -z "$(CHROMIUM)" ]; then \
		echo "SKIP report-screenshot: no chromium on PATH (Debian: apt-get install -y chromium)"; \
	else \
		test -f report/index.html || $(PY) -m corepy.report --out report --quick; \
		rm -f report/screenshot.png; \
		"$(CHROMIUM)" --headless --no-sandbox --disable-gpu --hide-scrollbars \
			--window-size=1280,$${SHOT_HEIGHT:-6000} --virtual-time-budget=3000 \
			--screenshot="$(CURDIR)/report/screenshot.png" "file://$(CURDIR)/report/index.html" \
			2>/dev/null; \
		test -s report/screenshot.png; \
		echo "wrote report/screenshot.png"; \
	fi

# ---- notebooks ----------------------------------------------------------------------------

# Playwright drives the system's Chromium (executable_path): it never downloads a browser.
lab-deps: $(STAMP)
	$(VENV)/bin/pip install --progress-bar off $(LAB_DEPS)
	@if [ -n "$(CHROMIUM)" ]; then \
		echo "lab-deps: chromium is installed ($(CHROMIUM))"; \
	elif command -v apt-get >/dev/null 2>&1; then \
		echo "lab-deps: installing chromium (apt-get)"; \
		SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo -n); \
		( $$SUDO apt-get update -qq && $$SUDO env DEBIAN_FRONTEND=noninteractive \
			apt-get install -y -qq chromium >/dev/null ) \
			|| echo "note: could not install chromium; make lab-check will skip"; \
	else \
		echo "note: no chromium and no apt-get: install Chromium to run make lab-check"; \
	fi

# A notebook run by JupyterLab in a real browser (tests/lab_check.py says what is checked).
# Part of `make test` where Chromium and the lab packages are installed; skips, saying so,
# elsewhere.
lab-check: $(STAMP)
	@if [ -z "$(CHROMIUM)" ]; then \
		echo "SKIP lab-check: no chromium on PATH (make lab-deps installs Debian's chromium)"; \
	elif ! $(PY) -c "import playwright, jupyterlab, ipywidgets" 2>/dev/null; then \
		echo "SKIP lab-check: playwright, jupyterlab or ipywidgets missing (make lab-deps)"; \
	else \
		CHROMIUM="$(CHROMIUM)" $(PY) -m pytest -q -s -p no:cacheprovider tests/lab_check.py; \
	fi

lab: lab-deps
	$(VENV)/bin/jupyter lab --notebook-dir=notebooks

# ---- housekeeping -------------------------------------------------------------------------

fmt: $(STAMP) rust-tools
	cargo fmt --all
	$(VENV)/bin/ruff check --fix --select I $(PY_DIRS)
	$(VENV)/bin/ruff format $(PY_DIRS)

clean:
	rm -rf target report .pytest_cache .hypothesis .benchmarks .ruff_cache
	rm -f python/corepy/_core*.so python/corepy/_core*.pyd
	find python tests benchmarks -name __pycache__ -type d -prune -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV)
