# Two entry points for a fresh machine: `make run` and `make test`.
SHELL := /bin/sh
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test check lint typecheck pytest test-postgres bench bench-browser bench-browser-smoke load publish-check lock clean

$(PY):
	@python=$$(scripts/find-python) && echo "Creating $(VENV) with $$python" && "$$python" -m venv $(VENV)

# Dependencies come from the locks, every file checked against its hash; then the project itself,
# without dependencies and built with the locked setuptools. pyproject.toml keeps the ranges;
# `make lock` turns them into the locks (docs/deploy.md, "Dependencies").
$(VENV)/.installed: requirements.lock pyproject.toml | $(PY)
	@echo "Installing the app and its locked dependencies into $(VENV)"
	@$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	@$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $@

$(VENV)/.installed-dev: requirements-dev.lock pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements-dev.lock
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $@ $(VENV)/.installed

# The setup steps print only a line (their output is in $(VENV)/run-setup.log, shown when one fails).
run: $(VENV)/.installed
	@scripts/prepare-run $(PY) $(VENV)/run-setup.log
	@echo ""
	@echo "  Process Designer is starting on http://$(HOST):$(PORT)/"
	@echo "  Log in as demo / demo. Publishing goes to the built-in sandbox at /sandbox/."
	@echo ""
	@HOST=$(HOST) PORT=$(PORT) $(PY) manage.py runserver $(HOST):$(PORT)

check: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy api checklists designer directory gallery live processes_api publishing
	$(VENV)/bin/lint-imports
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) manage.py check

pytest: $(VENV)/.installed-dev
	scripts/ensure-chromium
	$(PY) -m pytest $(PYTEST_ARGS)

test: check pytest

# The database tests again on PostgreSQL (DATABASE_URL defaults to the local server).
test-postgres: $(VENV)/.installed-dev
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/designer} $(PY) -m pytest -m "not browser" $(PYTEST_ARGS)

# The benchmarks that need no extra services (each prints figures; see docs/performance.md).
bench: $(VENV)/.installed-dev
	$(PY) bench/payload.py
	$(PY) bench/editor.py
	$(PY) bench/publish.py
	$(PY) bench/review.py
	$(PY) bench/directory.py

# The editor and review pages in Chromium against gunicorn + the local PostgreSQL, 30/300/3,000 jobs
# (figures, median of 7; see docs/performance.md). The smoke run (300 jobs, 3 runs) is what CI records.
bench-browser: $(VENV)/.installed-dev
	$(PY) bench/browser.py $(BENCH_BROWSER_ARGS)

bench-browser-smoke: $(VENV)/.installed-dev
	$(PY) bench/browser.py --smoke --json $${BENCH_JSON:-browser-smoke.json}

# 20 simulated editors against gunicorn (2 workers) + the local PostgreSQL; see docs/performance.md.
load: $(VENV)/.installed-dev
	$(PY) bench/load.py $(LOAD_ARGS)

# Concurrent Publish clicks on gunicorn (2 workers) + 2 db_worker processes + the local PostgreSQL
# make exactly one process (exit 1 if not); see docs/deploy.md.
publish-check: $(VENV)/.installed-dev
	$(PY) bench/publish_concurrency.py $(PUBLISH_CHECK_ARGS)

# Re-resolve the locks from pyproject.toml's ranges, keeping every pin that still fits; take the
# newest versions the ranges allow with `make lock LOCK_ARGS=--upgrade`. The dev lock is
# constrained by the runtime lock, so both install the same version of every shared package.
PIP_COMPILE := $(VENV)/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
	--no-emit-index-url --no-emit-find-links --all-build-deps $(LOCK_ARGS)
lock: $(VENV)/.installed-dev
	$(PIP_COMPILE) --output-file=requirements.lock pyproject.toml
	$(PIP_COMPILE) --extra=dev --constraint=requirements.lock --output-file=requirements-dev.lock pyproject.toml

clean:
	rm -rf $(VENV) staticfiles db.sqlite3 db.sqlite3-wal db.sqlite3-shm
