VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install serve test lint typecheck bench bench-data stress clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

serve: $(STAMP)
	$(BIN)/fake-intercom serve --seed demo

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

# Never part of `test` either: the reliability scenarios at full size (minutes, 127.0.0.1 only).
stress: $(STAMP)
	$(BIN)/python -m tests.reliability.stress

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

clean:
	rm -rf $(VENV) *.egg-info
