# The two commands of the contract: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
export CASEFLOW_ENV ?= development

.PHONY: run test install translations messages fuzz bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@

install: $(VENV)/.installed translations

# Compiled catalogues are build output (not committed); rebuild them from the .po files.
translations: $(VENV)/.installed
	$(BIN)/pybabel compile --use-fuzzy -d caseflow/translations -D messages >/dev/null

# After adding or changing a message: extract, merge into the catalogues, then translate the
# new Spanish entries in caseflow/translations/es/LC_MESSAGES/messages.po (a test checks).
messages: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k lazy_gettext -o caseflow/translations/messages.pot \
		--no-location --sort-output --project caseflow --copyright-holder caseflow .
	$(BIN)/pybabel update -i caseflow/translations/messages.pot -d caseflow/translations --no-fuzzy-matching

PORT ?= 5000
run: install
	$(BIN)/caseflow init
	$(BIN)/caseflow demo
	@echo ""
	@echo "Console: http://127.0.0.1:$(PORT)/  (sign in with a demo login above, e.g. admision or supervisora)"
	@echo "API:     http://127.0.0.1:$(PORT)/api/v1/"
	$(BIN)/caseflow scheduler run & scheduler=$$!; \
	trap 'kill $$scheduler 2>/dev/null' EXIT INT TERM; \
	$(BIN)/caseflow serve --host 127.0.0.1 --port $(PORT) --workers 2

# Lint and the import contracts (the layers of docs/architecture.md) first, then the suite.
test: install
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	CASEFLOW_ENV=testing $(BIN)/pytest $(PYTEST_ARGS)

# Long-form API fuzzing against a live `caseflow serve`: SQLite by default, PostgreSQL when
# CASEFLOW_DATABASE_URL is set (a scratch database: it is dropped and refilled).
FUZZ_SECONDS ?= 60
fuzz: install
	FUZZ_SECONDS=$(FUZZ_SECONDS) PYTHONPATH=. $(BIN)/python -m bench.fuzz
	PYTHONPATH=. $(BIN)/python -m bench.report

# Every benchmark of bench/ (those declaring BENCHMARK = True), then the docs' tables.
SIZE ?= 2000
DBS ?= sqlite
bench: install
	SIZE=$(SIZE) DBS=$(DBS) PYTHONPATH=. $(BIN)/python -m bench.run_all

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
