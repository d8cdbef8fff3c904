# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test venv deps dev-deps migrate seed clean messages compile screenshots

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.deps: requirements.txt $(PY)
	$(PIP) install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-deps: requirements.txt requirements-dev.txt $(PY)
	$(PIP) install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.deps

deps: $(VENV)/.deps
dev-deps: $(VENV)/.dev-deps

# Local use: DEBUG on (so a local secret key is allowed) and the embedded SQLite database.
run: export DJANGO_DEBUG ?= 1
run: deps
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	$(PY) manage.py ensure_admin
	$(PY) manage.py runserver $(HOST):$(PORT)

# The whole suite: SQLite by default, PostgreSQL when DATABASE_URL points at one.
test: export DJANGO_SECRET_KEY ?= tests-only-not-a-real-secret
test: dev-deps
	$(PY) -m pytest

# Translations (Babel, no GNU gettext needed): `make messages` merges every marked string into
# locale/*/LC_MESSAGES/django.po; fill the empty msgstr, then `make compile` writes the .mo files (committed).
messages: export DJANGO_DEBUG ?= 1
messages: dev-deps
	$(PY) manage.py catalogue extract

compile: export DJANGO_DEBUG ?= 1
compile: dev-deps
	$(PY) manage.py catalogue compile

# Phone and admin screenshots for the README, taken by Chromium against a live server.
screenshots: export DJANGO_SECRET_KEY ?= tests-only-not-a-real-secret
screenshots: dev-deps
	$(PY) -m pytest -m screenshots tests/browser/test_screenshots.py -p no:cacheprovider -q

clean:
	rm -rf $(VENV) .pytest_cache db.sqlite3 db.sqlite3-* .test-db.sqlite3*
