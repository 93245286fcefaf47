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
	distclean

help:
	@echo "make report      build, then write the performance report to report/ (the main job)"
	@echo "make test        every check: venv, build, lint, cargo-test, pytest (what CI runs)"
	@echo "make venv        create .venv with the dev tools (once; a stamp file remembers)"
	@echo "make build       maturin develop --release into .venv"
	@echo "make lint        cargo fmt --check, clippy -D warnings, ruff check, ruff format --check"
	@echo "make cargo-test  Rust tests of the core without Python (--no-default-features)"
	@echo "make pytest      the Python test suite, notebooks included"
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
	$(PY) -m pytest -q tests

test: venv build lint cargo-test pytest

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
