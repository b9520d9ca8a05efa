# dnsspec: two commands set up a fresh machine (Python 3.11+, make, root's apt).
#   make demo   compile, lint, plan and apply the bundled zones/ to the embedded default target
#   make test   the whole suite: ruff, ruff format --check, mypy, pytest (real BIND 9 included)
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
WHEELS := $(VENV)/.wheels

.PHONY: demo test lint typecheck pytest bench clean system-deps

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

# Wheels of dnsspec and its dependencies: the pre-commit hook test installs the hook
# from them offline (tests/test_pre_commit_hook.py), as another repo would from PyPI.
$(WHEELS): $(STAMP)
	$(BIN)/python -m pip wheel --quiet -w $(VENV)/wheels . setuptools wheel
	@touch $(WHEELS)

system-deps:
	@bash scripts/ensure-system-deps

demo: $(STAMP)
	$(BIN)/dnsspec compile zones/ --format zone
	$(BIN)/dnsspec lint zones/
	$(BIN)/dnsspec test zones/
	$(BIN)/dnsspec plan
	$(BIN)/dnsspec apply --yes
	$(BIN)/dnsspec plan --exit-code

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP) $(WHEELS) system-deps
	$(BIN)/pytest -n 2 -q

test: lint typecheck pytest

# One table of every target (bench/README.md); exits 1 when one is missed.
# DNSSPEC_BENCH_QUICK=1: plan/apply at 1,000 zones only. BENCH_ARGS="--keep" keeps the logs.
bench: $(VENV)/.bench
	$(BIN)/python bench/run.py $(BENCH_ARGS)

$(VENV)/.bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	@touch $@

clean:
	rm -rf $(VENV) .dnsspec-live .pytest_cache .mypy_cache .ruff_cache .hypothesis
