# Set-up is part of every target: a fresh clone needs nothing but Python 3.11 and make.
UV := $(shell command -v uv 2>/dev/null || echo "python3 -m uv")
export DAGSTER_HOME ?= $(CURDIR)/.dagster_home

.PHONY: setup run test dev
setup:
	@command -v uv >/dev/null 2>&1 || python3 -m uv --version >/dev/null 2>&1 || python3 -m pip install --quiet uv
	@$(UV) sync --frozen --quiet
	@mkdir -p $(DAGSTER_HOME) && cp dagster.yaml $(DAGSTER_HOME)/dagster.yaml

# The pipeline exits 0 (published), 2 (published, some files rejected) or 1 (nothing published).
run: setup
	@$(UV) run python -m pipelines.run; code=$$?; if [ $$code -eq 0 ] || [ $$code -eq 2 ]; then exit 0; else exit $$code; fi

test: setup
	@$(UV) run pytest

# Dagster webserver and daemon (schedule runs), http://127.0.0.1:3000
dev: setup
	@$(UV) run python -m pipelines.dev
