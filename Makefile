# Two commands for a newcomer: `make serve` and `make test`. Both set up what they
# need on a fresh Debian machine with Python 3.11+ and Node/npm.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# The address readers will use; Material's instant navigation needs it to match.
SITE_URL ?= http://$(HOST):$(PORT)/
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
export NO_MKDOCS_2_WARNING := 1

.PHONY: setup serve site test test-unit test-site test-browser bench chromium clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

setup: $(VENV)/.installed node_modules/.installed

# Debian's chromium, for the browser tests (Playwright cannot download a browser here).
chromium:
	@command -v chromium >/dev/null || { $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

## Build and serve the site at http://127.0.0.1:8000 (rebuilds on change).
serve: setup
	SITE_URL=$(SITE_URL) $(BIN)/mkdocs serve --strict -a $(HOST):$(PORT)

## The static site in site/ plus a dated zip for an intranet server: make site SITE_URL=http://intranet/training/
## SITE_URL must be the address readers will type (scheme, host, port and path): see 部署指南.
site: setup
	SITE_URL=$(SITE_URL) $(BIN)/mkdocs build --strict --clean -d site
	@rm -f dist/*.zip; mkdir -p dist
	cd site && $(CURDIR)/$(BIN)/python -c "import shutil, datetime; shutil.make_archive('../dist/training-site-' + datetime.date.today().isoformat(), 'zip', '.')"
	@ls -lh dist/*.zip
	@echo "Built for $(SITE_URL) — unzip into the folder the server publishes at that address."

## Every test: engine, CLI, site build, and the browser suite in headless Chromium.
test: setup chromium
	$(BIN)/python -m pytest -q

test-unit: setup
	$(BIN)/python -m pytest -q tests/unit

## Benchmark against the usual main-thread Pyodide page: bench/results.json + a table (RUNS=5).
RUNS ?= 5
bench: setup chromium
	$(BIN)/python bench/run.py --runs $(RUNS)

clean:
	rm -rf site dist .pytest_cache
