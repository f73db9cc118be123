# Waymark — `make help` lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV ?= .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

# An interpreter >= 3.12: $(PYTHON) if given, else the first that works of python3.13,
# python3.12 and pyenv's installed 3.12+/3.13+ versions.
PYTHON ?= $(shell for c in python3.13 python3.12 python3 \
	$$(ls -d $${PYENV_ROOT:-$$HOME/.pyenv}/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -rV); do \
	  if command -v $$c >/dev/null 2>&1 && $$c -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; \
	  then command -v $$c; break; fi; done)

.PHONY: help
help: ## List the targets
	@grep -hE '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  make %-10s %s\n", $$1, $$2}'

$(VENV)/.installed: pyproject.toml uv.lock
	@if [ -z "$(PYTHON)" ]; then \
	  echo "Waymark needs Python 3.12 or newer. Install one (e.g. 'pyenv install 3.12' or"; \
	  echo "'apt-get install python3.12 python3.12-venv'), or point at one: make PYTHON=/path/to/python3.12"; \
	  exit 1; fi
	@echo "Using $(PYTHON) ($$($(PYTHON) --version))"
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check uv==0.13.8
	# --inexact keeps uv itself, which lives in the same environment.
	UV_PROJECT_ENVIRONMENT=$(VENV) $(VENV)/bin/uv sync --frozen --inexact --python $(PY) --quiet
	touch $@

.PHONY: install
install: $(VENV)/.installed ## Create the virtualenv and install the locked dependencies

.PHONY: assets
assets: static/vendor/.built ## Copy nhsuk-frontend, htmx and axe-core from npm into static/vendor

static/vendor/.built: package.json package-lock.json scripts/vendor-assets.sh
	npm ci --no-audit --no-fund --loglevel=error
	bash scripts/vendor-assets.sh
	touch $@

.PHONY: demo
demo: install assets ## Migrate and load the demo data (idempotent)
	$(MANAGE) migrate --no-input
	$(MANAGE) load_demo

# The background-task worker (big PDF exports) runs beside the server, in one shell with it, and
# stops with it: the EXIT trap fires however that shell ends (Ctrl+C, the server failing).
# No autoreload for the worker: restart `make run` after changing task code.
.PHONY: run
run: demo ## Set up and serve the demo on http://127.0.0.1:8000, with the background-task worker
	@$(MANAGE) demo_signins
	@echo "Serving on http://$(HOST):$(PORT)/ — press Ctrl+C to stop."
	@$(MANAGE) db_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; \
	trap 'exit 130' INT TERM; \
	$(MANAGE) runserver $(HOST):$(PORT)

.PHONY: test
# In parallel, one process per core (pytest-xdist): each has its own test database and Redis
# database. A test file stays in one process, so its module fixtures (a demo loaded once, an S3
# server) are set up once. TEST_WORKERS=0 runs everything in this process.
TEST_WORKERS ?= auto
test: install assets ## Run the whole test suite (SQLite, or PostgreSQL when DATABASE_URL is set)
	$(PY) -m pytest -n $(TEST_WORKERS) --maxprocesses 8 --dist loadfile $(PYTEST_ARGS)

.PHONY: lint
lint: install ## ruff, formatting and missing migrations
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	DJANGO_SETTINGS_MODULE=config.settings.test $(MANAGE) makemigrations --check --dry-run

# Exit 0 with "NOTHING WAS AUDITED" when the advisory services cannot be reached (CI has no
# internet); STRICT=1 (before a release) makes that exit 3. A finding not in audit-ignore.toml: 1.
.PHONY: audit
audit: install ## Known vulnerabilities in uv.lock and package-lock.json (STRICT=1: fail if not audited)
	$(PY) scripts/audit.py $(if $(STRICT),--strict)

.PHONY: bench
bench: install ## Print performance figures (needs PostgreSQL: DATABASE_URL)
	$(PY) -m benchmarks

# SCENARIO: fast (20 users at full speed), person (20 users, 1-3 s between clicks) or both;
# LOADTEST_USERS and LOADTEST_TIME (seconds) change the size, e.g. a short check:
# make loadtest SCENARIO=both LOADTEST_USERS=5 LOADTEST_TIME=60. Other options: LOADTEST_ARGS
# (e.g. "--spawn-rate 1": users start one a second instead of all signing in at once).
SCENARIO ?= both
LOADTEST_USERS ?= 20
LOADTEST_TIME ?= 60

.PHONY: loadtest
loadtest: install ## Load test: gunicorn (production settings) on PostgreSQL under Locust; prints req/s, p95 beside the targets
	$(PY) -m loadtest --scenario $(SCENARIO) --users $(LOADTEST_USERS) --time $(LOADTEST_TIME) $(LOADTEST_ARGS)

.PHONY: capacity
capacity: ## The capacity table of docs/capacity.md from loadtest/results.json and benchmarks/results.json
	$(PY) -m loadtest.capacity $(CAPACITY_ARGS)

# Backups: the logic is in planning/backup.py (manage.py backup/restore), which reads the same
# settings as the site, so DATABASE_URL and MEDIA_ROOT mean here what they mean to it.
BACKUP_DIR ?= backups

.PHONY: backup
backup: install ## Back up the database (PostgreSQL: DATABASE_URL) and media into BACKUP_DIR/waymark-<time>
	$(MANAGE) backup --dir "$(BACKUP_DIR)"

.PHONY: restore
restore: install ## Restore BACKUP=<backup directory> into an empty database (FORCE=1 replaces a full one)
	@if [ -z "$(BACKUP)" ]; then echo "Say which backup: make restore BACKUP=$(BACKUP_DIR)/waymark-<time>"; exit 2; fi
	$(MANAGE) restore "$(BACKUP)" $(if $(FORCE),--force)

.PHONY: clean
clean: ## Remove the virtualenv, node_modules, built assets and the SQLite database
	rm -rf $(VENV) node_modules static/vendor staticfiles db.sqlite3
