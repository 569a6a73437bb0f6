VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The lowest versions pyproject.toml allows, in a venv of their own (see `lowest`).
LOWEST ?= .venv-lowest
LOWEST_TESTS := tests/test_smoke.py tests/test_architecture.py tests/fake/test_routing.py
PIP := $(BIN)/python -m pip --disable-pip-version-check
PIP_QUIET ?= --quiet

# Outside clients the suite drives, each in its own environment: Intercom's official Node SDK (its
# version pinned in tests/clients/node/package-lock.json) and the Singer extractor tap-intercom. Where
# one cannot be installed (no node, no network) its tests skip and say why.
TAP_VENV := .venv-tap
TAP_INTERCOM := tap-intercom==2.2.5
NODE_CLIENT := tests/clients/node

.PHONY: install serve test lint typecheck check-generated lowest bench bench-data stress clean clients explore fuzz

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

test: $(STAMP) clients
	$(BIN)/python -m pytest -n 2 --dist loadfile -q

clients: $(TAP_VENV)/.installed $(NODE_CLIENT)/node_modules/.installed

$(TAP_VENV)/.installed: Makefile
	-test -x $(TAP_VENV)/bin/python || $(PYTHON) -m venv $(TAP_VENV)
	-$(TAP_VENV)/bin/python -m pip install --quiet $(TAP_INTERCOM) && touch $@

$(NODE_CLIENT)/node_modules/.installed: $(NODE_CLIENT)/package-lock.json
	-if command -v node >/dev/null && command -v npm >/dev/null; then \
		cd $(NODE_CLIENT) && npm ci --no-audit --no-fund --loglevel=error && touch node_modules/.installed; \
	else echo "node or npm not found: the Node SDK's client test will skip"; fi

# Random exploration, never part of `test` (whose property tests run fixed examples): fresh examples
# on every run, EXPLORE_FACTOR times as many. Turn what it finds into an @example or a fixed test.
EXPLORE_FACTOR ?= 10
explore: $(STAMP)
	EXPLORE_FACTOR=$(EXPLORE_FACTOR) $(BIN)/python -m pytest -n 2 -q --intercom-hypothesis-profile=dev \
		tests/property tests/connector/test_tool_properties.py --ignore=tests/property/test_official_spec.py

# schemathesis from both official descriptions with random data: FUZZ_EXAMPLES examples per
# operation under each of FUZZ_SEEDS. Never part of `test`, which runs fixed examples.
FUZZ_EXAMPLES ?= 25
FUZZ_SEEDS ?= 1 2 3
fuzz: $(STAMP)
	for seed in $(FUZZ_SEEDS); do \
		OFFICIAL_SPEC_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/python -m pytest -n 2 -q --intercom-hypothesis-profile=dev \
			tests/property/test_official_spec.py --hypothesis-seed=$$seed || exit 1; \
	done

# Never part of `test`: it takes minutes and measures this machine. `make bench SIZE=1000000` for 1M
# contacts; BENCH_ARGS passes more (`--repeat 5`, `--only search`, `--json`; see bench/run.py --help).
SIZE ?= 100000
BENCH_ARGS ?=
# The servers it starts load this checkout's bytecode, as an installed package's, rather than compile
# every module at each launch (an editable install run with PYTHONDONTWRITEBYTECODE set writes none).
bench: $(STAMP)
	$(BIN)/python -m compileall -q fake_intercom contracts
	$(BIN)/python bench/run.py --size $(SIZE) $(BENCH_ARGS)

# Build (or find) the benchmark's cached database of SIZE contacts, and say how long it took.
bench-data: $(STAMP)
	$(BIN)/python bench/dataset.py --size $(SIZE)

# Never part of `test` either: the reliability scenarios at full size (minutes, 127.0.0.1 only).
stress: $(STAMP)
	$(BIN)/python -m tests.reliability.stress

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
	rm -rf $(VENV) $(LOWEST) $(TAP_VENV) $(NODE_CLIENT)/node_modules *.egg-info build dist
