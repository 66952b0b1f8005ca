# The two commands: `make run` (set up and serve with demo data) and `make test` (the whole suite).
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
PORT ?= 8000
# gunicorn's worker processes for `make serve`, and for `make load`, which measures what it serves.
WORKERS ?= 3
# Installs go through uv (from PyPI, pinned): the same pinned packages as pip, in seconds
# rather than a minute. It trusts the system's certificates, as pip does; should it fail
# anyway, pip installs the same pins.
UV_VERSION := 0.13.8

.PHONY: run serve test lint install migrate demo bench load screenshots messages krds backup restore clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet uv==$(UV_VERSION)
	$(BIN)/uv pip install --quiet --system-certs --python $(BIN)/python -e '.[dev]' \
		|| $(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

migrate: install
	DEBUG=on $(MANAGE) migrate --noinput

demo: migrate
	DEBUG=on $(MANAGE) load_plan_fixture
	DEBUG=on $(MANAGE) seed_demo

run: demo
	@echo "http://127.0.0.1:$(PORT) 에서 서비스합니다 (Ctrl+C로 종료)."
	DEBUG=on $(MANAGE) runserver 127.0.0.1:$(PORT)

# Production-style serving: gunicorn + whitenoise against DATABASE_URL. Needs DEBUG off and
# DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS set (see README); BIND (default 127.0.0.1:PORT) and
# WORKERS are optional. Refuses to start while `check --deploy` finds an error (e.g. a demo
# account that still has the demo password).
serve: install
	$(MANAGE) migrate --noinput
	@$(MANAGE) check --deploy || { echo "배포 점검(manage.py check --deploy)에 실패해 서비스를 시작하지 않습니다: 위의 오류를 고치세요."; exit 1; }
	$(MANAGE) collectstatic --noinput --verbosity 0
	$(BIN)/gunicorn gwangyang_plan.wsgi --bind $${BIND:-127.0.0.1:$(PORT)} --workers $(WORKERS) \
		--access-logfile - --forwarded-allow-ips="$${FORWARDED_ALLOW_IPS:-127.0.0.1}"

# 100 simulated users for 60 s on gunicorn + PostgreSQL (loopback only), then a check that
# every save they were told succeeded is in the database. Drops and re-creates the database
# LOAD_DATABASE_URL names (its name must contain "bench" or "load"); WORKERS, LOAD_PORT,
# LOAD_USERS, LOAD_SECONDS, LOAD_FACTOR (data size, default 1) and LOAD_WAIT (seconds between a
# person's pages, default "0.5,2"; "5,15" reads each page) are optional.
LOAD_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/gwangyang_load
load: install
	DATABASE_URL=$(LOAD_DATABASE_URL) WORKERS=$(WORKERS) $(BIN)/python -m benchmarks.load

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
	$(BIN)/pytest -n auto

# Update the English catalogue after changing interface text (needs GNU gettext:
# apt-get install gettext). The compiled .mo is committed, so running the app never needs it.
messages: install
	DEBUG=on $(MANAGE) makemessages -l en --no-wrap --no-obsolete --ignore=.venv --ignore=build --ignore=tests --ignore=benchmarks
	DEBUG=on $(MANAGE) compilemessages -l en

# Also the meeting documents as printed: the workbook through LibreOffice and the PDF, each page
# a PNG (skipped without soffice or pdftoppm unless REQUIRE_OFFICE=1).
screenshots: install
	$(BIN)/pytest tests/browser/test_screenshots.py tests/browser/test_dashboard_screens.py tests/test_paper_renderings.py -q
	@echo "build/screenshots/ 에 저장했습니다."

# Refresh static/vendor/krds/ from the npm package krds-uiux (needs npm; `make run` does not):
# tokens, the components we use, icons, and PretendardGOV subset by fontTools. Commit the result.
KRDS_VERSION ?= 1.1.0
krds: install
	rm -rf build/krds && mkdir -p build/krds
	cd build/krds && npm pack --silent krds-uiux@$(KRDS_VERSION) && tar xzf krds-uiux-$(KRDS_VERSION).tgz
	$(BIN)/python -m gwangyang_plan.vendor_krds build/krds/package

# On PostgreSQL (the production database); drops and re-creates a database per scale, named
# after BENCH_DATABASE_URL's with _1x, _100x (it must contain "bench"; sqlite:///… runs in
# memory). Writes benchmarks/RESULTS.md. BENCH_FACTORS=1,100,300 adds 300×; BENCH_EXCEL=off
# skips the workbook and the meeting documents (workbook and PDF as downloaded).
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/gwangyang_bench
bench: install
	DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) db.sqlite3 build .pytest_cache .ruff_cache
