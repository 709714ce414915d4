# TixMo developer commands. Everything a fresh machine needs is installed by these targets.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint typecheck check install install-test install-bench system-deps clean lock audit

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet -e .

## Exactly the locked versions (requirements.lock), then TixMo itself without resolving again.
install-test: $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e ".[test]"

## Re-resolve requirements.lock from pyproject.toml (after changing a dependency), then make install-test.
lock: $(BIN)/python
	$(BIN)/pip install --quiet "uv>=0.5"
	$(BIN)/uv pip compile pyproject.toml --extra test --python-version 3.11 --quiet -o requirements.lock

## Known vulnerabilities with a fix available in the locked dependency set (needs network to PyPI).
audit: install-test
	$(BIN)/python scripts/audit.py

install-bench: $(BIN)/python
	$(BIN)/pip install --quiet -e ".[bench]"

## Install and start the API on the embedded PostgreSQL with demo data.
run: install
	$(BIN)/tixmo serve --host $(HOST) --port $(PORT)

## Debian's chromium and nginx for the browser and deployment tests (apt-get when missing and allowed).
system-deps:
	bash scripts/system-deps.sh

## Install test dependencies and run the whole test suite.
test: install-test system-deps
	$(BIN)/python -m pytest

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

typecheck: install-test
	$(BIN)/mypy

check: test lint typecheck

clean:
	rm -rf $(VENV) .tixmo-data .pytest_cache .mypy_cache .ruff_cache
