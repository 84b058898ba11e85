# The two commands people need are `make run` and `make test`; everything else is a step of theirs.

PYTHON ?= python
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
MANAGE := $(BIN)/python manage.py
AXE := tests/node_modules/.installed

# The test suite runs against the real services (see tests/ensure_services.sh).
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/kvinnofrid
TEST_REDIS_URL ?= redis://127.0.0.1:6379/15
TEST_CACHE_URL ?= redis://127.0.0.1:6379/14

.PHONY: run test install messages lint format lock services clean bench

run: install
	@mkdir -p var/mail var/broker/queue var/broker/processed var/broker/control
	DEBUG=true $(MANAGE) migrate --noinput
	DEBUG=true $(MANAGE) load_demo
	@echo
	@echo "  Kvinnofridspriset runs at http://127.0.0.1:8000  (English: /en/, admin: /admin/)"
	@echo "  Worker and beat use the embedded broker in var/broker; e-mails land in var/mail"
	@echo "  and are printed below. One Ctrl-C stops everything."
	@echo
	DEBUG=true PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/honcho -d . -f kvinnofrid/Procfile.dev start

test: install services $(AXE)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	SECRET_KEY=tests-only-not-a-secret $(BIN)/mypy
	DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) CACHE_URL=$(TEST_CACHE_URL) SECRET_KEY=tests-only-not-a-secret \
		DJANGO_ALLOW_ASYNC_UNSAFE=true \
		$(BIN)/pytest

install: $(STAMP) messages

# axe-core for the browser tests' accessibility checks, from the npm registry at the version
# tests/package-lock.json pins; reinstalled when the lock file changes.
$(AXE): tests/package.json tests/package-lock.json
	cd tests && npm ci --no-audit --no-fund
	@touch $@

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 13) else "Python 3.13 is needed (see .python-version); found " + sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(BIN)/python pyproject.toml constraints.txt
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	@touch $@

# Compiled catalogues are build output, not source: compiled here, ignored by git.
MO_FILES := $(patsubst %.po,%.mo,$(wildcard kvinnofrid/locale/*/LC_MESSAGES/*.po))

messages: $(MO_FILES)

%.mo: %.po
	@command -v msgfmt >/dev/null || { echo "msgfmt is missing: apt-get install gettext"; exit 1; }
	msgfmt --check -o $@ $<

services:
	@bash tests/ensure_services.sh

# Seeds kvinnofrid_bench (dropped and made anew), starts gunicorn on 127.0.0.1 and measures
# (README.md, "Performance"). A few minutes; CI does not run it.
bench: install
	$(BIN)/python -m bench

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Refresh the pinned versions after changing pyproject.toml's dependencies.
lock: $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade -e '.[dev]'
	$(BIN)/python -m pip freeze --exclude-editable > constraints.txt

clean:
	rm -rf $(VENV) var tests/node_modules
