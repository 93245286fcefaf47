# corepy: one Makefile for developers and CI (.ci/run calls `make test`).
#
#   make report   build, then write the performance report (corepy vs NumPy) to report/
#   make test     every check: venv, build, lint, cargo-test, pytest
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
STAMP := $(VENV)/.corepy-dev-deps
DEV_DEPS := "maturin>=1.9.4" "numpy>=1.24" "pytest>=8" "hypothesis>=6" "ruff>=0.15,<0.18" \
	"pytest-benchmark>=4" "nbclient>=0.10" "nbformat>=5" "ipykernel>=6"
PY_DIRS := python tests benchmarks

# pyo3's build script finds the interpreter through this; exported to every cargo invocation
# (the same value each time, so pyo3 is not rebuilt between build, clippy and bench).
export PYO3_PYTHON := $(CURDIR)/$(VENV)/bin/python

.PHONY: help venv .venv build lint rust-tools cargo-test pytest test bench report fmt clean \
	distclean fuzz sanitize sanitize-build sanitize-test miri

help:
	@echo "make report      build, then write the performance report to report/ (the main job)"
	@echo "make test        every check: venv, build, lint, cargo-test, pytest (what CI runs)"
	@echo "make venv        create .venv with the dev tools (once; a stamp file remembers)"
	@echo "make build       maturin develop --release into .venv"
	@echo "make lint        cargo fmt --check, clippy -D warnings, ruff check, ruff format --check"
	@echo "make cargo-test  Rust tests of the core without Python (--no-default-features)"
	@echo "make pytest      the Python test suite, notebooks included (not the slow tests)"
	@echo "make fuzz        the long run: hypothesis 'thorough' profile plus the slow tests"
	@echo "make sanitize    C++ kernels under ASan+UBSan (own target dir), then a test subset"
	@echo "make bench       criterion kernel benches, then pytest-benchmark corepy vs NumPy"
	@echo "make fmt         cargo fmt and ruff format"
	@echo "make clean       remove build outputs (distclean: and .venv)"

# ---- environment --------------------------------------------------------------------------

venv .venv: $(STAMP)

$(STAMP):
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --progress-bar off -U pip
	$(VENV)/bin/pip install --progress-bar off $(DEV_DEPS)
	touch $@

# rustfmt and clippy are rustup components that a bare toolchain may lack.
rust-tools:
	@if ! cargo fmt --version >/dev/null 2>&1 || ! cargo clippy --version >/dev/null 2>&1; then \
		rustup component add rustfmt clippy; \
	fi

# ---- build --------------------------------------------------------------------------------

build: $(STAMP)
	VIRTUAL_ENV="$(CURDIR)/$(VENV)" PATH="$(CURDIR)/$(VENV)/bin:$$PATH" \
		$(VENV)/bin/maturin develop --release

# ---- checks -------------------------------------------------------------------------------

lint: $(STAMP) rust-tools
	cargo fmt --all --check
	cargo clippy --all-targets -- -D warnings
	$(VENV)/bin/ruff check $(PY_DIRS)
	$(VENV)/bin/ruff format --check $(PY_DIRS)

# The core without Python; its own target dir so pyo3-free builds don't evict the pyo3 ones.
cargo-test:
	cargo test --no-default-features --target-dir target/core

pytest: $(STAMP)
	$(PY) -m pytest -q -m "not slow" tests

test: venv build lint cargo-test pytest sanitize

# The long fuzz run (~15x the examples) and the tests marked slow (2**31-element arrays).
fuzz: build
	HYPOTHESIS_PROFILE=thorough $(PY) -m pytest -q tests/test_fuzz.py tests/test_stress.py

# ---- sanitizers ---------------------------------------------------------------------------
# The C++ kernels built with AddressSanitizer + UndefinedBehaviorSanitizer (the cc crate reads
# CFLAGS/CXXFLAGS), into target/asan so the normal build is not clobbered; the wheel is
# unpacked into target/asan/site, which goes first on PYTHONPATH. The Rust side is not
# instrumented: -Zsanitizer needs a nightly toolchain. CPython leaks by design (detect_leaks=0);
# allocator_may_return_null lets the 4 TiB requests fail as MemoryError, as without ASan.
ASAN_DIR := $(CURDIR)/target/asan
SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
SAN_ENV := LD_PRELOAD="$$(gcc -print-file-name=libasan.so) $$(gcc -print-file-name=libubsan.so)" \
	ASAN_OPTIONS=detect_leaks=0:allocator_may_return_null=1:abort_on_error=1 \
	UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 PYTHONPATH=$(ASAN_DIR)/site
SAN_TESTS := tests/test_fuzz.py tests/test_errors.py tests/test_elementwise.py \
	tests/test_reductions.py tests/test_linalg.py tests/test_tensor.py tests/test_dispatch.py

sanitize: sanitize-build sanitize-test

sanitize-build: $(STAMP)
	CFLAGS="$(SAN_FLAGS)" CXXFLAGS="$(SAN_FLAGS)" CARGO_TARGET_DIR=$(ASAN_DIR) \
		$(VENV)/bin/maturin build --release --quiet -o $(ASAN_DIR)/wheels
	rm -rf $(ASAN_DIR)/site && mkdir -p $(ASAN_DIR)/site
	$(PY) -c "import glob, os, zipfile; \
		w = max(glob.glob('$(ASAN_DIR)/wheels/corepy-*.whl'), key=os.path.getmtime); \
		zipfile.ZipFile(w).extractall('$(ASAN_DIR)/site')"
	nm -D $(ASAN_DIR)/site/corepy/_core*.so | grep __asan_report >/dev/null \
		|| { echo "the sanitized build has no ASan instrumentation"; exit 1; }

sanitize-test:
	$(SAN_ENV) $(PY) -c "import corepy, sys; \
		assert corepy.__file__.startswith('$(ASAN_DIR)'), corepy.__file__"
	$(SAN_ENV) $(PY) -m pytest -q -m "not slow" -p no:cacheprovider $(SAN_TESTS)

# Miri cannot run here: no miri component for any installed toolchain, none can be fetched.
miri:
	cargo +nightly miri --version

# ---- performance --------------------------------------------------------------------------

bench: build
	cargo bench --no-default-features --bench kernels --target-dir target/core
	$(PY) -m pytest benchmarks --benchmark-only -q

report: venv build
	$(PY) -m corepy.report --out report

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
