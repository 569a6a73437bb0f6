VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The lowest versions pyproject.toml allows, in a venv of their own (see `lowest`).
LOWEST ?= .venv-lowest
LOWEST_TESTS := tests/test_smoke.py tests/test_architecture.py tests/fake/test_routing.py
PIP := $(BIN)/python -m pip --disable-pip-version-check
PIP_QUIET ?= --quiet

.PHONY: install serve test lint typecheck check-generated lowest bench bench-data clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) install $(PIP_QUIET) --upgrade pip
	$(PIP) install $(PIP_QUIET) -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

# Nothing between the user and the URL: an install it needs first keeps its warnings to itself.
serve: PIP_QUIET := --quiet --quiet
serve: $(STAMP)
	@$(BIN)/fake-intercom serve --seed demo

test: $(STAMP)
	$(BIN)/python -m pytest -n 2 --dist loadfile -q

# Never part of `test`: it takes minutes and measures this machine. `make bench SIZE=1000000` for 1M
# contacts; BENCH_ARGS passes more (`--repeat 5`, `--only search`, `--json`; see bench/run.py --help).
SIZE ?= 100000
BENCH_ARGS ?=
bench: $(STAMP)
	$(BIN)/python bench/run.py --size $(SIZE) $(BENCH_ARGS)

# Build (or find) the benchmark's cached database of SIZE contacts, and say how long it took.
bench-data: $(STAMP)
	$(BIN)/python bench/dataset.py --size $(SIZE)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

# contracts/operations.py and connector/tools/*.py are what their generators make of ../shared (skipped,
# with a message, when ../shared is absent).
check-generated: $(STAMP)
	$(BIN)/python scripts/check_generated.py

# Proves pyproject's lower bounds: installs the lowest allowed version of every direct dependency (uv's
# lowest-direct resolution, runtime and test extras together) and runs the smoke, routing and
# architecture tests on them.
lowest:
	test -x $(LOWEST)/bin/python || $(PYTHON) -m venv $(LOWEST)
	$(LOWEST)/bin/python -m pip --disable-pip-version-check install --quiet uv
	$(LOWEST)/bin/uv pip install --quiet --python $(LOWEST)/bin/python --resolution lowest-direct -e '.[test]'
	$(LOWEST)/bin/python -m pytest -q -n 2 $(LOWEST_TESTS)

clean:
	rm -rf $(VENV) $(LOWEST) *.egg-info build dist
