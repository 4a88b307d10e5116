# The README's two commands are `make run` and `make test`; the rest serve development and CI.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
SEED_FIXTURES := fixtures/seed.json
# How the committed seed fixture is built from the wire copy beside it.
SEED_BUILD := fixtures/wire/000_ff7aa41f6574f300.txt --output $(SEED_FIXTURES) \
	--section news/middle-east --section-name news=News --section-name "news/middle-east=Middle East" \
	--published-at 2025-07-25T10:00:00Z

.PHONY: run test test-django61 lint format check fixtures fixtures-check setup serve serve-cdn worker bench bench-day clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --disable-pip-version-check -q -r requirements-dev.txt
	touch $@

setup: $(VENV)/.installed
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_seed
	$(PY) manage.py collectstatic --noinput -v 0
	$(PY) manage.py ensure_superuser

run: setup
	@echo "Newsroom on http://$(HOST):$(PORT)/ — the desk at http://$(HOST):$(PORT)/admin/"
	$(PY) manage.py runserver $(HOST):$(PORT)

# Production-style serving on one machine: gunicorn, workers from the core count, DEBUG off.
WORKERS ?= $(shell expr $$(nproc) \* 2 + 1)
serve: $(VENV)/.installed
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput -v 0
	$(VENV)/bin/gunicorn newsroom.wsgi --workers $(WORKERS) --bind $(HOST):$(PORT) --access-logfile -

# The same behind Varnish (Debian's varnish and varnish-modules): readers' pages cached there and purged
# by surrogate key, the desk passed through (deploy/varnish/). Varnish on CDN_PORT, the app on PORT;
# CDN_PURGE_FROM names addresses or networks besides this machine allowed to purge ("10.0.0.0/8 192.0.2.7").
CDN_PORT ?= 6081
CDN_PURGE_FROM ?=
serve-cdn: $(VENV)/.installed
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput -v 0
	VENV=$(VENV) WORKERS=$(WORKERS) APP_HOST=$(HOST) APP_PORT=$(PORT) CDN_HOST=$(HOST) CDN_PORT=$(CDN_PORT) \
		CDN_PURGE_FROM="$(CDN_PURGE_FROM)" deploy/varnish/serve

# The background worker (README, Background work): first puts back the tasks a killed worker left running,
# then runs django-tasks-db's db_worker on the default queue. Run one beside `make run` or `make serve`.
worker: $(VENV)/.installed
	$(PY) manage.py worker --queue-name default

# The benchmark: a demo database of BENCH_ARTICLES stories, then every page type under gunicorn, on
# SQLite (the embedded default) and, when DATABASE_URL names PostgreSQL, there too (with REDIS_URL's
# Redis as the cache): `make bench DATABASE_URL=postgres://… REDIS_URL=redis://…`. One report prints both.
BENCH_ARTICLES ?= 10000
BENCH_DB ?= /tmp/newsroom-bench-$(BENCH_ARTICLES).sqlite3
BENCH_RESULTS ?= bench-results
bench: $(VENV)/.installed
	@command -v wrk >/dev/null || echo "wrk not found (apt-get install wrk); using the Python load client"
	$(PY) manage.py collectstatic --noinput -v 0
	rm -f $(BENCH_RESULTS)/sqlite.json $(BENCH_RESULTS)/scale.json
	DATABASE_URL=sqlite:///$(BENCH_DB) REDIS_URL= $(PY) manage.py migrate -v 0
	DATABASE_URL=sqlite:///$(BENCH_DB) REDIS_URL= $(PY) manage.py generate_demo --articles $(BENCH_ARTICLES) --unless-present
	DATABASE_URL=sqlite:///$(BENCH_DB) REDIS_URL= $(PY) manage.py bench --save $(BENCH_RESULTS)/sqlite.json
	@case "$(DATABASE_URL)" in postgres*) \
		$(PY) manage.py migrate -v 0 && \
		$(PY) manage.py generate_demo --articles $(BENCH_ARTICLES) --unless-present && \
		$(PY) manage.py bench --wire-files 0 --save $(BENCH_RESULTS)/scale.json;; \
		*) echo "DATABASE_URL names no PostgreSQL database: the report has SQLite alone";; esac
	$(PY) manage.py bench --report $(BENCH_RESULTS)/sqlite.json $$(ls $(BENCH_RESULTS)/scale.json 2>/dev/null)

# A newsroom's day (README, Speed and scale): BENCH_DAY_ARTICLES demo stories behind Varnish, readers on a
# Zipf mix of addresses while the desk publishes or corrects a story every 10 s, with targeted purges and
# with every page purged, side by side. PostgreSQL + Redis when DATABASE_URL and REDIS_URL name them.
BENCH_DAY_ARTICLES ?= 100000
BENCH_DAY_SECONDS ?= 300
bench-day: $(VENV)/.installed
	$(PY) manage.py collectstatic --noinput -v 0
	$(PY) manage.py migrate -v 0
	$(PY) manage.py generate_demo --articles $(BENCH_DAY_ARTICLES) --unless-present
	$(PY) manage.py bench_day --duration $(BENCH_DAY_SECONDS) --save $(BENCH_RESULTS)/day.json

test: $(VENV)/.installed
	$(PY) -m pytest

# The suite on Django 6.1 with Python 3.13, in a venv of its own: requirements.txt picks Django by the
# Python version. Python 3.13 comes from pyenv (~/.pyenv/versions/3.13.*) or python3.13 on PATH.
PYTHON313 ?= $(firstword $(sort $(wildcard $(HOME)/.pyenv/versions/3.13*/bin/python3.13)) $(shell command -v python3.13))
VENV313 ?= .venv-py313

$(VENV313)/.installed: requirements.txt requirements-dev.txt
	@test -n "$(PYTHON313)" && "$(PYTHON313)" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 13))' || { \
		echo "Python 3.13 not found: install it with pyenv (pyenv install 3.13) or put python3.13 on PATH," \
			"or name it: make test-django61 PYTHON313=/path/to/python3.13" >&2; exit 1; }
	test -x $(VENV313)/bin/python || "$(PYTHON313)" -m venv $(VENV313)
	$(VENV313)/bin/python -m pip install --disable-pip-version-check -q -r requirements-dev.txt
	touch $@

test-django61: $(VENV313)/.installed
	$(VENV313)/bin/python -c 'import django; assert django.VERSION[:2] == (6, 1), django.get_version()'
	$(VENV313)/bin/python -m pytest

# ruff, then the import rules between the app's rooms ([tool.importlinter] in pyproject.toml).
lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: $(VENV)/.installed
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

check: $(VENV)/.installed
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

fixtures: $(VENV)/.installed
	$(PY) manage.py build_fixtures $(SEED_BUILD)

fixtures-check: $(VENV)/.installed
	$(PY) manage.py build_fixtures $(SEED_BUILD) --check

clean:
	rm -rf staticfiles .pytest_cache .ruff_cache .import_linter_cache .grimp_cache
