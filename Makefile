# casework — the two set-up commands of the README, and a few helpers.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO_DB := var/demo.sqlite
DEMO := CASEWORK_DATABASE_URL=sqlite:///$(DEMO_DB)

.PHONY: run test lint install dev bench bench-timers bench-api bench-report clean

$(BIN)/casework: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $@

install: $(BIN)/casework

## The main job on the embedded default (SQLite): the demo (the sample history replayed and its
## 2023 report printed), open example cases with their deadlines, then the embedded worker
## (Celery with beat inside, filesystem broker in var/) until Ctrl-C.
run: install
	CASEWORK_DATA_DIR=var $(BIN)/casework demo
	$(DEMO) $(BIN)/casework replay examples/open-cases-2026.json
	$(DEMO) $(BIN)/casework case list
	$(DEMO) $(BIN)/casework demo-users
	$(DEMO) CASEWORK_DATA_DIR=var $(BIN)/casework serve

## The tests (SQLite always; PostgreSQL too when CASEWORK_TEST_POSTGRES_URL is set), two
## processes per core (pytest-xdist; each process has its own databases, servers and ports):
## the tests spend much of their time waiting on servers, workers and the browser.
TEST_WORKERS ?= $(shell $(PYTHON) -c "import os; print(2 * (os.cpu_count() or 1))")
test: install
	$(BIN)/pytest -q -n $(TEST_WORKERS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

bench: install
	$(BIN)/python benchmarks/calendar.py

## The timer sweep on PostgreSQL + Redis with real Celery workers (about 35 min; ARGS=--quick: a
## smoke run). Needs PostgreSQL binaries and redis-server; see benchmarks/README.md.
bench-timers: install
	$(BIN)/python benchmarks/timers.py $(ARGS)

## The HTTP API against a bare FastAPI endpoint doing equivalent SQL, on SQLite and PostgreSQL,
## 2 uvicorn workers each (about 10 min; ARGS=--quick: about 1 min; ARGS='--profile 300': where
## a request's time goes, in-process). Needs PostgreSQL binaries; see benchmarks/README.md.
bench-api: install
	$(BIN)/python benchmarks/api.py $(ARGS)

## The annual report's figures on 1,000,000 generated cases against bare GROUP BYs (SQLite:
## about 5 min to generate, then ~1 min; ARGS=--reuse times the generated database again;
## ARGS='--backend postgresql --url postgresql://…/bench_report'). See benchmarks/README.md.
bench-report: install
	$(BIN)/python benchmarks/report.py $(ARGS)

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache .hypothesis *.egg-info
