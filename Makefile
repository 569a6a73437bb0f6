VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install serve test lint typecheck bench stress clean

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

# Never part of `test`: it takes a few minutes and measures this machine.
bench: $(STAMP)
	$(BIN)/python bench/run.py

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
