# Common Ground: `make demo` installs and starts the demo; `make test` installs and runs every check.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# pyenv picks 3.13 from .python-version; plain python3.13 elsewhere.
PYTHON ?= $(shell command -v python3.13 2>/dev/null || command -v python3 2>/dev/null)

.PHONY: demo test install lint types migrations-check openapi seed serve clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 12), "Common Ground needs Python 3.12+ (3.13 preferred); found " + sys.version' \
		|| { echo "!! No Python 3.12+ found. Install Python 3.13 (pyenv install 3.13) and retry." >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

# axe-core (the accessibility engine the browser tests inject) comes from npm, pinned in
# package-lock.json; without npm the accessibility scan says so loudly and fails under CI.
node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund --silent && touch $@; \
	else echo "!! npm not found: the accessibility scan cannot run. apt-get install npm" >&2; fi

install: $(VENV)/.installed node_modules/.installed

# The demo runs with DEBUG on (the seed refuses demo passwords otherwise); e-mail goes to the console.
DEMO_ENV := DEBUG=1 SITE_URL=http://127.0.0.1:$(PORT)

demo: install
	$(BIN)/commonground compilemessages -l es -i .venv -i node_modules -v 0
	$(DEMO_ENV) $(BIN)/commonground migrate --no-input
	$(DEMO_ENV) $(BIN)/commonground seed
	@echo "Common Ground demo on http://127.0.0.1:$(PORT)/ with its background worker (Ctrl-C stops both)"
	$(DEMO_ENV) $(BIN)/commonground worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT; \
	$(DEMO_ENV) $(BIN)/commonground serve --host 127.0.0.1 --port $(PORT) --workers 2

test: install
	scripts/run-tests

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

types: install
	$(BIN)/mypy .

migrations-check: install
	$(BIN)/commonground makemigrations --check --dry-run

openapi: install
	$(BIN)/commonground openapi --output docs/openapi.json

clean:
	rm -rf $(VENV) var test-artifacts .pytest_cache .mypy_cache .ruff_cache
