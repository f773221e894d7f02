# kimweb: `make run` to try it, `make test` to check it. Everything else is set up on the way.
SHELL := /bin/bash
.DEFAULT_GOAL := help
PORT ?= 5000
# uv from PATH, else the one `make uv` installs into .tools/ (works where pip may not
# install into the system Python, as on Debian).
UV = $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)
FLASK = .venv/bin/flask --app wsgi
PYBABEL = .venv/bin/pybabel
VENDOR := kimweb/static/vendor
KERN := node_modules/@kern-ux/native/dist

.PHONY: help run test setup setup-dev uv vendor translations migrate seed chromium lint bench \
        i18n-extract i18n-update i18n-compile bench clean

help:
	@echo "make run   - set everything up and serve kimweb on http://127.0.0.1:$(PORT)"
	@echo "make test  - set everything up and run every test, browser tests included"

run: setup migrate seed
	@echo
	@echo "kimweb runs on http://127.0.0.1:$(PORT)"
	@echo "Demo logins (password kimweb-demo): admin, organiser, staff"
	@echo
	$(FLASK) run --host 127.0.0.1 --port $(PORT)

test: setup-dev chromium
	.venv/bin/ruff check .
	.venv/bin/bandit --quiet --recursive kimweb  # each finding justified in place (# nosec)
	.venv/bin/pytest

# --- set-up ---------------------------------------------------------------------------

uv:
	@command -v uv >/dev/null 2>&1 || [ -x .tools/bin/uv ] || { \
	  python3 -m venv .tools && .tools/bin/pip install --quiet uv; }

setup: uv vendor
	$(UV) sync --frozen --no-dev --inexact
	$(MAKE) --no-print-directory translations

setup-dev: uv vendor
	$(UV) sync --frozen
	$(MAKE) --no-print-directory translations

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

vendor: node_modules/.package-lock.json
	@mkdir -p $(VENDOR)/htmx $(VENDOR)/kern/fonts
	@cp node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/htmx/
	@cp $(KERN)/kern.min.css $(VENDOR)/kern/
	@cp -r $(KERN)/fonts/fira-sans $(KERN)/fonts/fira-sans.css $(VENDOR)/kern/fonts/

translations:
	@$(PYBABEL) compile -d translations 2>&1 | grep -v '^compiling' || true

migrate:
	$(FLASK) db upgrade

seed:
	$(FLASK) kim seed-demo --if-empty

# Debian's Chromium for the browser tests (Playwright cannot download browsers here).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  if command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-core >/dev/null; \
	  else echo "Chromium is missing: install Debian's 'chromium' package." >&2; fi; }

lint:
	.venv/bin/ruff check .
	.venv/bin/bandit --quiet --recursive kimweb

# --- translations -----------------------------------------------------------------------

i18n-extract:
	$(PYBABEL) extract -F babel.cfg -k _l -k lazy_gettext -k N_ --no-location --sort-output \
	  --project kimweb -o translations/messages.pot .

i18n-update: i18n-extract
	$(PYBABEL) update -i translations/messages.pot -d translations --no-fuzzy-matching --ignore-obsolete
	.venv/bin/python translations/fill_en.py  # the msgids are English: en is filled from them

i18n-compile: translations

bench: setup-dev chromium migrate
	@command -v wrk >/dev/null 2>&1 || { \
	  if command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
	    apt-get install -y -qq wrk >/dev/null; fi; }
	.venv/bin/python bench/report.py  # every bench/bench_*.py, then docs/PERFORMANCE.md

clean:
	rm -rf $(VENDOR) node_modules .pytest_cache
