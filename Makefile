# The README's two commands: `make run` and `make test`. Both build .venv from the
# pinned requirements when it is missing or older than requirements.txt.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# manage.py defaults to production; every target here runs on the development
# settings unless the environment says otherwise (make test on the test ones).
export DJANGO_SETTINGS_MODULE ?= lms.settings.dev
# The address printed under certificates' QR codes and in links: the server's own.
run worker: export PUBLIC_BASE_URL ?= http://127.0.0.1:$(PORT)
run worker: export WAGTAILADMIN_BASE_URL ?= http://127.0.0.1:$(PORT)

.PHONY: run test setup system-deps runtime-deps lint format bench worker messages mutation clean

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

setup: $(VENV)/.installed
	$(PY) manage.py setup_demo_site

## Run the site on the embedded default (SQLite, files on disk, database task
## queue) with demo content; the task worker runs beside the server. Installs
## the system packages certificates need when it can.
run: runtime-deps setup
	@$(PY) manage.py db_worker --interval 1 & worker=$$!; \
	$(PY) manage.py runserver 127.0.0.1:$(PORT) & server=$$!; \
	trap 'kill $$worker $$server 2>/dev/null' EXIT INT TERM; \
	$(PY) scripts/wait_for_url.py http://127.0.0.1:$(PORT)/healthz; \
	$(PY) manage.py demo_logins; \
	echo "Serving on http://127.0.0.1:$(PORT)/ (task worker running beside it; Ctrl+C stops both)"; \
	wait $$server

# axe-core and Lighthouse for the browser tests, pinned by their lock file.
BROWSER_TOOLS := tests/browser/node_modules/.installed
$(BROWSER_TOOLS): tests/browser/package.json tests/browser/package-lock.json
	cd tests/browser && npm ci --no-audit --no-fund --loglevel=error
	touch $@

## Run the whole test suite (installs the system packages the tests need when it can).
test: $(VENV)/.installed system-deps $(BROWSER_TOOLS)
	DJANGO_SETTINGS_MODULE=lms.settings.test $(PY) -m pytest $(PYTEST_ARGS)

system-deps:
	@bash scripts/system-deps.sh test

runtime-deps:
	@bash scripts/system-deps.sh run

worker: $(VENV)/.installed
	$(PY) manage.py db_worker

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.installed
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: $(VENV)/.installed
	$(PY) bench/run.py

## Mutation testing of the critical modules (cosmic-ray in .venv-mutation; long:
## see docs/mutation.md). MODULES="scoring checkin" runs only those.
mutation: $(VENV)/.installed
	bash scripts/mutation.sh $(MODULES)

## Regenerate the translation catalogues (needs gettext's xgettext).
messages: $(VENV)/.installed
	$(PY) manage.py makemessages -l vi -l en --ignore=.venv --ignore=bench
	$(PY) manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) db.sqlite3 media staticfiles
