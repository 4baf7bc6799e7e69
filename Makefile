# Set-up is part of every target: a fresh clone needs nothing but Python 3.11 and make.
# Bytecode is compiled here because these machines set PYTHONDONTWRITEBYTECODE: without .pyc files every run
# compiles dagster, polars and the project afresh (seconds of the fixed cost); existing .pyc files are still read.
UV := $(shell command -v uv 2>/dev/null || echo "python3 -m uv")
export DAGSTER_HOME ?= $(CURDIR)/.dagster_home

# The environment is synced (and its packages' bytecode compiled) when uv.lock or pyproject.toml changed since the
# last sync, or there was none: checking it again took 0.5 s of every target. `make setup` then compiles the
# project's own bytecode and writes $(DAGSTER_HOME)/dagster.yaml with the environment's own Python.
SYNKAD := .venv/.finsam-synkad
PY := .venv/bin/python

.PHONY: setup run lint test test-quick dev synth bench docs mallar
$(SYNKAD): uv.lock pyproject.toml
	@command -v uv >/dev/null 2>&1 || python3 -m uv --version >/dev/null 2>&1 || python3 -m pip install --quiet uv
	@$(UV) sync --frozen --quiet --compile-bytecode
	@touch $@

setup: $(SYNKAD)
	@$(PY) -m compileall -q finsam assets pipelines
	@$(PY) -m pipelines.instance "$(DAGSTER_HOME)"

# The pipeline exits 0 (published), 2 (published, some files rejected) or 1 (nothing published).
run: setup
	@$(PY) -m pipelines.run; code=$$?; if [ $$code -eq 0 ] || [ $$code -eq 2 ]; then exit 0; else exit $$code; fi

# Tests keep their temporary folders in RAM where the machine has a writable /dev/shm: nearly every test builds a
# DuckDB file and many a Dagster event log, and on disk their fsyncs are about a fifth of a small build's time.
TEST_TMPDIR := $(shell [ -d /dev/shm ] && [ -w /dev/shm ] && echo /dev/shm || echo "$${TMPDIR:-/tmp}")
test: setup
	@TMPDIR=$(TEST_TMPDIR) $(UV) run pytest

# The suite without the tests marked slow (whole pipeline runs, the 150 MB file, kill -9, the browser): a quick
# check while working. `make test` stays the full suite, and CI runs it.
test-quick: setup
	@TMPDIR=$(TEST_TMPDIR) $(UV) run pytest -m "not slow"

# ruff's checks (pyproject.toml, [tool.ruff]); the code's layout is not enforced (no ruff format).
lint: setup
	@$(UV) run ruff check .

# The fill-in workbook for the insatser (finsam.templates): per förbund, uppfoljning_<kod>_<år>.xlsx (sheets
# Uppföljning and Avslut) in data/marts/mallar/, for the current year or AR (make mallar AR=2025). Filled in, it
# goes back into raw/uppfoljning/ and, a copy, raw/avslut_rapporterade/ as it is: each folder reads its own sheet.
# (make's own AR, the archiver, is not a year: only an AR given on the command line or in the environment counts)
MALLAR_AR := $(if $(filter default,$(origin AR)),,$(AR))
mallar: setup
	@$(UV) run python -m pipelines.cli mallar $(if $(MALLAR_AR),--ar $(MALLAR_AR))

# Dagster webserver and daemon (schedule runs), http://127.0.0.1:3000
dev: setup
	@$(UV) run python -m pipelines.dev

# A national-scale data set in the contract's formats (scripts/make_synth.py): SCALE förbund, 80 = about one
# million SUS registrations. Writes $(SYNTH_DIR)/data/raw, $(SYNTH_DIR)/config and the expected förbund totals.
SCALE ?= 80
SYNTH_DIR ?= build/synth/scale-$(SCALE)
synth: setup
	@$(UV) run python scripts/make_synth.py --scale $(SCALE) --out $(SYNTH_DIR)

# Time the pipeline at 1x/4x/16x (SCALE=5/20/80) against its fixed cost and bench/floor.sql; appends to
# bench/results.md. BENCH_ARGS="--scales 800" measures ten million registrations.
bench: setup
	@$(UV) run python bench/run.py $(BENCH_ARGS)

# The reference docs (docs/marts/, docs/fynd.md) from the declarations in sql/; a test fails when they are stale.
docs: setup
	@$(UV) run python -m finsam.build.docs
