# casework — the two set-up commands of the README, and a few helpers.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO_DB := var/demo.sqlite
DEMO := CASEWORK_DATABASE_URL=sqlite:///$(DEMO_DB)

.PHONY: run test lint install dev bench clean

$(BIN)/casework: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $@

install: $(BIN)/casework

## The main job on the embedded default (SQLite): replay the example histories, list the cases.
run: install
	rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	$(DEMO) $(BIN)/casework init
	$(DEMO) $(BIN)/casework replay examples/sample-2023.json
	$(DEMO) $(BIN)/casework replay examples/open-cases-2026.json
	$(DEMO) $(BIN)/casework case list

## The tests (SQLite always; PostgreSQL too when CASEWORK_TEST_POSTGRES_URL is set).
test: install
	$(BIN)/pytest -q

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

bench: install
	$(BIN)/python benchmarks/calendar.py

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache .hypothesis *.egg-info
