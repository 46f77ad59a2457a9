# Two commands on a fresh machine with only Python 3.11+: `make run` and `make test`.
# Without DATABASE_URL, every manage.py/pytest process shares one embedded PostgreSQL under
# .data/postgres, started on demand and stopped when the last process using it exits.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
export DJANGO_ENV ?= development
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: messages backup restore run serve install migrate load test test-unit test-browser browser-deps i18n-deps lint format bench bench-deps bench-casework lock check-deploy clean-db

PORT ?= 8000

run: $(STAMP)
	$(PY) manage.py migrate --no-input
	$(PY) manage.py load_council_data
	$(PY) manage.py load_demo_staff
	$(MAKE) --no-print-directory serve

# The task worker (emails) and the scheduler (earlyhelp/schedule.py) run beside the web server
# and stop with it, on Ctrl-C or on the SIGTERM a service manager sends to the process group.
serve: $(STAMP)
	$(PY) manage.py db_worker --no-reload & worker=$$!; \
	  $(PY) manage.py run_schedule & scheduler=$$!; \
	  trap 'kill $$worker $$scheduler 2>/dev/null; wait $$worker $$scheduler 2>/dev/null; \
	    [ -n "$$DATABASE_URL" ] || $(PY) -m earlyhelp.embedded_db stop-if-unused' EXIT INT TERM; \
	  $(PY) manage.py runserver 127.0.0.1:$(PORT)

install: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit("Python 3.11 or newer is needed, found " + sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

migrate: $(STAMP)
	$(PY) manage.py migrate --no-input

load: migrate
	$(PY) manage.py load_council_data

# The whole suite: unit and integration tests first, then the browser tests.
test: test-unit test-browser

test-unit: $(STAMP) i18n-deps
	$(PY) -m pytest -m "not browser" -q

test-browser: $(STAMP) browser-deps
	$(PY) -m pytest -m browser -q

# GNU gettext lets the tests re-extract the messages and check the catalogues hold every one
# (tests/test_translation_catalogues.py); the app itself needs only the committed .mo files.
i18n-deps:
	@scripts/debian-package.sh xgettext gettext "the translation catalogue test" \
	  "the catalogue extraction test will be SKIPPED"

# Debian's Chromium drives the browser tests (Playwright's own browser download is not used).
browser-deps:
	@scripts/debian-package.sh chromium chromium "the browser tests" \
	  "browser tests will be SKIPPED"

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Benchmarks that write sample data use their own database on the same server.
BENCH_ENV = $(if $(DATABASE_URL),DATABASE_URL=$(dir $(DATABASE_URL))earlyhelp_bench,EMBEDDED_DATABASE_NAME=earlyhelp_bench)

# Debian's wrk drives the public pages' load in bench_search, as #18 measured them; without it the
# bench falls back to earlyhelp.loadgen (which takes more of the CPU from the server it measures).
bench-deps:
	@scripts/debian-package.sh wrk wrk "the public pages' benchmark" \
	  "bench_search uses earlyhelp.loadgen"

bench: $(STAMP) bench-deps
	$(PY) manage.py migrate --no-input -v 0
	$(PY) manage.py load_council_data -v 0
	$(PY) manage.py bench
	$(PY) manage.py bench_search
	$(PY) manage.py bench_oruk
	$(MAKE) bench-casework

# Casework at a council's size, in the bench database: the financial-year scorecard over a
# 20,000-family sample caseload and a million audit events, then matching a child among 100,000.
bench-casework: $(STAMP)
	$(BENCH_ENV) $(PY) manage.py migrate --no-input -v 0
	$(BENCH_ENV) $(PY) manage.py load_council_data -v 0
	$(BENCH_ENV) $(PY) manage.py bench_reports --families 20000 --audit-events 1000000
	$(BENCH_ENV) $(PY) manage.py bench_matching --people 100000

# Production settings must pass Django's deployment checks.
check-deploy: $(STAMP)
	DJANGO_ENV=production SECRET_KEY=check-deploy-only-$$(date +%s)-not-a-real-secret-key-000000000000 \
	  ALLOWED_HOSTS=earlyhelp.example.org DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/earlyhelp} \
	  EMAIL_HOST=smtp.example.org SITE_URL=https://earlyhelp.example.org DEFAULT_FROM_EMAIL=early-help@example.org \
	  $(PY) manage.py check --deploy --fail-level WARNING

# After marking or translating text (#16): extract every marked message into each language's
# catalogue (locale/<code>/LC_MESSAGES/django.po), then compile them (.mo, committed, so a fresh
# machine needs no gettext). Needs GNU gettext: apt-get install gettext.
LOCALES = $(shell $(PY) -c "import json; print(' '.join('-l ' + c for c in json.load(open('data/$${COUNCIL_DATA:-barnet}/council.json'))['languages']))" 2>/dev/null)
messages: $(STAMP)
	$(PY) manage.py taxonomy_messages
	$(PY) manage.py makemessages $(LOCALES) --no-obsolete --ignore=.venv --ignore=tests \
	  --ignore=node_modules --ignore=.data --ignore=staticfiles --ignore=scripts
	$(PY) manage.py compilemessages --ignore=.venv

# Re-pin the whole dependency tree after changing pyproject.toml.
lock:
	rm -rf /tmp/earlyhelp-lock && $(PYTHON) -m venv /tmp/earlyhelp-lock
	/tmp/earlyhelp-lock/bin/pip install --quiet -e '.[dev]'
	/tmp/earlyhelp-lock/bin/pip freeze --exclude-editable | grep -v '^-e ' > constraints.txt

# A timestamped pg_dump -Fc in backups/ (git-ignored), from the embedded server or DATABASE_URL;
# `make restore FILE=backups/....dump` puts it in a new database beside the live one.
backup: $(STAMP)
	$(PY) manage.py backup

restore: $(STAMP)
	@test -n "$(FILE)" || { echo "Say which backup: make restore FILE=backups/....dump"; exit 2; }
	$(PY) manage.py restore "$(FILE)"

# Deletes the embedded database (all local data) so the next run starts afresh.
clean-db:
	rm -rf .data/postgres

# --- Several machines on this one (#17) ----------------------------------------------------------
# A PostgreSQL primary streaming to a read replica (scripts/replica.sh, in .data/scale), two
# gunicorn app servers sharing them and a task worker (earlyhelp/scale.py).
.PHONY: replica replica-stop serve-scale test-scale bench-load

# Starts the pair (creating it the first time) and prints DATABASE_URL and REPLICA_DATABASE_URL.
replica: $(STAMP)
	scripts/replica.sh start

replica-stop:
	scripts/replica.sh stop

# App servers on 127.0.0.1:8001 and :8002 (public pages read from the replica), one task worker;
# Ctrl-C stops them.
serve-scale: $(STAMP)
	$(PY) -m earlyhelp.scale serve

# The tests on real streaming replication alone (tests/scale, under a minute); `make test` runs
# them too, with the unit tests.
test-scale: $(STAMP)
	$(PY) -m pytest -m scale -q

# wrk against the public journeys: one app server, two, two with the replica (a few minutes).
bench-load: $(STAMP)
	scripts/load.sh
# --- End of several machines ---------------------------------------------------------------------
