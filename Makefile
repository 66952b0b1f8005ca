# The two commands: `make run` (set up and serve with demo data) and `make test` (the whole suite).
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py

.PHONY: run serve test lint install migrate demo bench load screenshots messages backup restore clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

migrate: install
	DEBUG=on $(MANAGE) migrate --noinput

demo: migrate
	DEBUG=on $(MANAGE) load_plan_fixture
	DEBUG=on $(MANAGE) seed_demo

run: demo
	@echo "http://127.0.0.1:8000 에서 서비스합니다 (Ctrl+C로 종료)."
	DEBUG=on $(MANAGE) runserver 127.0.0.1:8000

# Production-style serving: gunicorn + whitenoise against DATABASE_URL. Needs DEBUG off and
# DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS set (see README); BIND and WORKERS are optional.
serve: install
	$(MANAGE) collectstatic --noinput --verbosity 0
	$(MANAGE) migrate --noinput
	$(BIN)/gunicorn gwangyang_plan.wsgi --bind $${BIND:-127.0.0.1:8000} --workers $${WORKERS:-3} \
		--access-logfile - --forwarded-allow-ips="$${FORWARDED_ALLOW_IPS:-127.0.0.1}"

# 50 simulated users for 60 s on gunicorn + PostgreSQL (loopback only), then a check that
# every save they were told succeeded is in the database.
load: install
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres} $(BIN)/python -m benchmarks.load

# Backups: PostgreSQL via pg_dump, SQLite via its online-backup API; uploads beside them.
backup: install
	$(MANAGE) backup

restore: install
	@test -n "$(FILE)" || (echo "사용법: make restore FILE=backups/…backup" && exit 2)
	$(MANAGE) restore "$(FILE)"

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: lint
	DEBUG=on $(MANAGE) makemigrations --check --dry-run
	$(BIN)/pytest

# Update the English catalogue after changing interface text (needs GNU gettext:
# apt-get install gettext). The compiled .mo is committed, so running the app never needs it.
messages: install
	DEBUG=on $(MANAGE) makemessages -l en --no-wrap --ignore=.venv --ignore=build --ignore=tests --ignore=benchmarks
	DEBUG=on $(MANAGE) compilemessages -l en

screenshots: install
	$(BIN)/pytest tests/browser/test_screenshots.py tests/browser/test_dashboard_screens.py -q
	@echo "build/screenshots/ 에 저장했습니다."

# On PostgreSQL (the production database) unless DATABASE_URL says otherwise; writes
# benchmarks/RESULTS.md. BENCH_FACTORS=1,100 or BENCH_EXCEL=off make it shorter.
bench: install
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres} $(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) db.sqlite3 build .pytest_cache .ruff_cache
