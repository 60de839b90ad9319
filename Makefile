# The README's commands. `make test` builds .venv from nothing on a fresh machine.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
ASSETS := api/web/static/VERSION

.PHONY: run test bench lint clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

# GOV.UK Frontend's compiled assets for the web pages, from the npm registry.
$(ASSETS): api/web/govuk_assets.sh
	api/web/govuk_assets.sh

# The API on 127.0.0.1:8000 with the shipped rulesets, a SQLite file, demo cases and a
# fresh demo token per role (printed). Stop it with Ctrl-C.
run: $(STAMP) $(ASSETS)
	$(BIN)/justenough serve --demo --database justenough.db

# A temporary folder of this run's own: pytest deletes all but the newest three
# of its numbered folders, so another run on the machine would delete the data
# folder of this run's PostgreSQL server under it. The browser tests share one
# worker (--dist loadgroup).
test: $(STAMP) $(ASSETS)
	$(BIN)/pytest -n 2 --dist loadgroup -q --basetemp="$$(mktemp -d /tmp/justenough-test.XXXXXX)"

bench: $(STAMP)
	$(BIN)/python -m benchmarks.run_all

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis
