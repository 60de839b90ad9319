# The README's commands. `make test` builds .venv from nothing on a fresh machine.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test bench lint clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

# The API on 127.0.0.1:8000 with the shipped rulesets, a SQLite file, demo cases and a
# fresh demo token per role (printed). Stop it with Ctrl-C.
run: $(STAMP)
	$(BIN)/justenough serve --demo --database justenough.db

# A temporary folder of this run's own: pytest deletes all but the newest three
# of its numbered folders, so another run on the machine would delete the data
# folder of this run's PostgreSQL server under it.
test: $(STAMP)
	$(BIN)/pytest -n 2 -q --basetemp="$$(mktemp -d /tmp/justenough-test.XXXXXX)"

bench: $(STAMP)
	$(BIN)/python -m benchmarks.run_all

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
