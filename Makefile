# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint venv deps dev-deps migrate seed clean messages compile screenshots cjk-fonts serve bench backup purge check-deploy

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
# SITE_URL (QR codes, posters, e-mails, links) follows HOST and PORT unless set: `make run PORT=8001`.
run: export DJANGO_DEBUG ?= 1
run: export SITE_URL ?= http://$(HOST):$(PORT)
# Travel documents are encrypted with TRAVEL_DOCUMENT_KEYS; unset, a local key is generated once into .run-travel-key.
run: deps cjk-fonts
	@test -n "$$TRAVEL_DOCUMENT_KEYS" -o -s .run-travel-key || $(PY) -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())' > .run-travel-key
	TRAVEL_DOCUMENT_KEYS="$${TRAVEL_DOCUMENT_KEYS:-$$(cat .run-travel-key)}" sh -c '\
	  $(PY) manage.py migrate --noinput && \
	  $(PY) manage.py seed_demo && \
	  $(PY) manage.py ensure_admin && \
	  exec $(PY) manage.py runserver $(HOST):$(PORT)'

# The production stack, locally: gunicorn (gunicorn.conf.py, WEB_CONCURRENCY workers), DEBUG off,
# static files collected with hashed, compressed names and served by WhiteNoise. PostgreSQL and
# Redis when DATABASE_URL / REDIS_URL say so. Without DJANGO_SECRET_KEY a local one is generated
# once into .serve-secret-key (never used in production, where the variable must be set).
serve: export DJANGO_DEBUG = 0
serve: export DATABASE_CONN_MAX_AGE ?= 60
serve: export GUNICORN_BIND ?= $(HOST):$(PORT)
serve: export SITE_URL ?= http://$(HOST):$(PORT)

# Without EMAIL_HOST, e-mails are printed here: said out loud (the deploy check refuses it otherwise).
serve: export EMAIL_BACKEND ?= $(if $(EMAIL_HOST),,console)
serve: deps cjk-fonts
	@if [ "$$EMAIL_BACKEND" = console ]; then echo "E-mails: printed to this console (EMAIL_BACKEND=console; set EMAIL_HOST to send them)"; \
	  else echo "E-mails: sent through SMTP $$EMAIL_HOST:$${EMAIL_PORT:-25}"; fi
	@test -n "$$DJANGO_SECRET_KEY" -o -s .serve-secret-key || $(PY) -c 'import secrets; print(secrets.token_urlsafe(50))' > .serve-secret-key
	@test -n "$$TRAVEL_DOCUMENT_KEYS" -o -s .serve-travel-key || $(PY) -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())' > .serve-travel-key
	DJANGO_SECRET_KEY="$${DJANGO_SECRET_KEY:-$$(cat .serve-secret-key)}" \
	TRAVEL_DOCUMENT_KEYS="$${TRAVEL_DOCUMENT_KEYS:-$$(cat .serve-travel-key)}" sh -c '\
	  $(PY) manage.py migrate --noinput && \
	  $(PY) manage.py createcachetable && \
	  $(PY) manage.py collectstatic --noinput -v 0 && \
	  $(PY) manage.py seed_demo && \
	  $(PY) manage.py ensure_admin && \
	  exec $(VENV)/bin/gunicorn incheon_delegation.wsgi:application'

# The demo delegation, with seed_demo's options: `make seed ARGS="--seats 5"`, `--review`, `--first-come`.
seed: export DJANGO_DEBUG ?= 1
seed: deps
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo $(ARGS)

# A consistent backup: pg_dump for PostgreSQL, SQLite's online backup API otherwise (into BACKUP_DIR).
backup: export DJANGO_DEBUG ?= 1
backup: deps
	$(PY) manage.py backup_database

# Anonymise registrations of delegations that ended more than PERSONAL_DATA_RETENTION_DAYS ago.
purge: export DJANGO_DEBUG ?= 1
purge: deps
	$(PY) manage.py purge_personal_data

# Load figures: the production stack on PostgreSQL with 4 workers (see docs/PERFORMANCE.md).
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/delegation_bench
bench: $(VENV)/.bench-deps
	@command -v wrk >/dev/null || { echo "bench: wrk (the HTTP load client of the floor ratio) is missing; installing the Debian package"; \
		apt-get install -y wrk >/dev/null || { echo "bench: run 'sudo apt-get install -y wrk' and try again"; exit 1; }; }
	$(PY) bench/run.py --database-url $(BENCH_DATABASE_URL) $(BENCH_ARGS)

$(VENV)/.bench-deps: requirements.txt requirements-bench.txt $(PY)
	$(PIP) install --quiet -r requirements-bench.txt
	touch $@

# The whole suite: SQLite by default, PostgreSQL when DATABASE_URL points at one.
test: export DJANGO_SECRET_KEY ?= tests-only-not-a-real-secret
test: export TRAVEL_DOCUMENT_KEYS ?= dGVzdHMtb25seS10cmF2ZWwtZG9jdW1lbnQta2V5LTE=
test: dev-deps lint cjk-fonts
	$(PY) -m pytest

# Lint (ruff.toml says which rules and why); part of `make test`.
lint: dev-deps
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# Translations (Babel, no GNU gettext needed): `make messages` merges every marked string into
# locale/*/LC_MESSAGES/django.po; fill the empty msgstr, then `make compile` writes the .mo files (committed).
messages: export DJANGO_DEBUG ?= 1
messages: dev-deps
	$(PY) manage.py catalogue extract

compile: export DJANGO_DEBUG ?= 1
compile: dev-deps
	$(PY) manage.py catalogue compile

# Phone and admin screenshots for the README (docs/screenshots/), taken by Chromium against a live server. Chinese and Korean
# need a CJK font: installed with apt-get when missing (as root, like .ci/run installs Chromium);
# otherwise the screenshot test stops with "apt-get install fonts-noto-cjk".
screenshots: export DJANGO_SECRET_KEY ?= tests-only-not-a-real-secret
screenshots: dev-deps cjk-fonts
	$(PY) -m pytest -m screenshots tests/browser/test_screenshots.py tests/test_document_screenshots.py -p no:cacheprovider -q

# PDFs (letters, badges, lists) embed Noto Sans CJK from the same package (settings.PDF_FONT_FILE): make run and make test need it too.
PDF_FONT_FILE ?= /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc
cjk-fonts:
	@if [ -f "$(PDF_FONT_FILE)" ] && fc-list :lang=zh-cn 2>/dev/null | grep -q . && fc-list :lang=ko 2>/dev/null | grep -q .; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then apt-get update && apt-get install -y fonts-noto-cjk fontconfig; \
	else echo "No Chinese/Korean font (PDFs and screenshots need it) and not root: run 'sudo apt-get install fonts-noto-cjk'." >&2; fi

clean:
	rm -rf $(VENV) .pytest_cache db.sqlite3 db.sqlite3-* .test-db.sqlite3* staticfiles .serve-secret-key
