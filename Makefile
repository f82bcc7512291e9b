# The two commands a newcomer needs: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# The settings default to production (DEBUG off, SECRET_KEY required). The demo and the
# development commands below turn DEBUG on: a development key is kept under var/, no HTTPS,
# no second factor for the demo accounts. Django's technical 404 page stays hidden even so.
DEV_ENV := DEBUG=1

.PHONY: demo test install system-deps migrate seed serve worker lint check clean bench screenshots

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

install: $(VENV)/.installed system-deps

# The page checkers of the test suite, axe-core and the Nu Html Checker (vnu.jar, run with
# Java 17): npm packages pinned in package-lock.json, into node_modules/. The demo runs
# without them; without npm only the checks that need them fail, saying so.
install: node_modules/.package-lock.json
node_modules/.package-lock.json: package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then npm ci --ignore-scripts --no-audit --no-fund; \
	else echo "npm not found: the page checks in the tests need Node.js (apt-get install nodejs npm)"; fi

system-deps:
	@bin/system-deps

migrate: install
	$(DEV_ENV) $(BIN)/python manage.py migrate --noinput

seed: migrate
	$(DEV_ENV) $(BIN)/python manage.py seed_demo

# The development server and, beside it, the background worker for long exports/imports.
serve:
	@echo "Serving on http://$(HOST):$(PORT)/  (Ctrl-C stops the server and the worker)"
	@$(DEV_ENV) $(BIN)/python manage.py db_worker --interval 1 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(DEV_ENV) $(BIN)/python manage.py runserver $(HOST):$(PORT)

worker:
	$(DEV_ENV) $(BIN)/python manage.py db_worker

demo: seed serve

# One test process per core (pytest-xdist; each has its own test database; a file's tests stay
# in one process, so the replica tests start one primary and standby pair), and the time the
# whole run took at the end of the output.
TEST_PROCESSES ?= auto
test: install
	@start=$$(date +%s); \
	TASKS_BACKEND=immediate $(BIN)/python -m pytest -n $(TEST_PROCESSES) --dist loadfile $(PYTEST_ARGS); status=$$?; \
	echo "make test: $$(( $$(date +%s) - start )) s"; exit $$status

# Only the browser journeys (tests/browser: Playwright driving /usr/bin/chromium); their
# screenshots become the pictures of the user guide in docs/images/.
screenshots: install
	rm -f var/screenshots/*.png
	TASKS_BACKEND=immediate $(BIN)/python -m pytest tests/browser -m browser $(PYTEST_ARGS)
	mkdir -p docs/images
	cp var/screenshots/*.png docs/images/

# lint-imports: the apps depend one way (pyproject.toml [tool.importlinter]).
lint: install
	$(BIN)/ruff check .
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/lint-imports

check: lint test

clean:
	rm -rf $(VENV) var/hardship.sqlite3

# Province-scale benchmarks on PostgreSQL (BENCH_DATABASE_URL, a database it may drop and
# refill): generate the data once, then measure. Results in docs/benchmarks.md.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/hardship_bench
BENCH_HOUSEHOLDS ?= 100000
# Pages render as in production (DEBUG off), so static files are collected first.
# BENCH=1 installs the `bench` app with its commands (never set in production).
BENCH_ENV = BENCH=1 DATABASE_URL=$(BENCH_DATABASE_URL) DEBUG=0 SECURE_SSL_REDIRECT=0 \
	SECRET_KEY=bench-only-secret-key-not-for-production-0123456789 \
	INTEGRITY_HMAC_KEY=bench-only-integrity-key-not-for-production
bench: install
	$(BENCH_ENV) bin/bench-data $(BENCH_HOUSEHOLDS)
	$(BENCH_ENV) $(BIN)/python manage.py collectstatic --noinput -v0
	$(BENCH_ENV) $(BIN)/python manage.py run_bench
