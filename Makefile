# The two commands a newcomer needs: `make serve` and `make test`. Everything else is a step of them.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
export NO_MKDOCS_2_WARNING := 1
STAMP := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: serve site generate check test unit browser-tests lint chromium readers screens bench clean

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	rm -f $(VENV)/.installed-*
	touch $@

serve: $(STAMP)        ## build and serve the site on 127.0.0.1:8000, regenerating on change
	$(PY) -m generator serve --address 127.0.0.1:8000

site: $(STAMP)         ## static build into site/ (mkdocs build --strict); a failure keeps the old site/
	$(PY) -m generator build

generate: $(STAMP)
	$(PY) -m generator generate

check: $(STAMP)
	$(PY) -m generator check

chromium:              ## a Chromium for the browser tests (Debian's, or Playwright's on GitHub)
	bash scripts/install-chromium.sh $(PY)

readers:               ## the applications' own parsers the export tests read our files with (npm ci)
	bash scripts/install-readers.sh

lint: $(STAMP)
	$(PY) -m ruff check generator tests site_tests scripts
	$(PY) -m check_jsonschema --builtin-schema vendor.github-workflows .github/workflows/*.yml

# Tests run in parallel on up to 4 processes (xdist): the browser gates dominate make test.
XDIST := -n auto --maxprocesses 4

unit: $(STAMP) readers
	$(PY) -m pytest $(XDIST) tests

browser-tests: $(STAMP) chromium site
	$(PY) -m pytest $(XDIST) site_tests

screens: $(STAMP) chromium site  ## redraw the reference pictures of site_tests/test_screens.py (look, then commit)
	UPDATE_SCREENS=1 $(PY) -m pytest site_tests/test_screens.py

test: lint unit browser-tests   ## install what the tests need, then run every test

bench: $(STAMP) chromium  ## build times, page weight, quiz responsiveness and Lighthouse, against the budgets
	$(PY) scripts/bench.py

clean:
	rm -rf build site .pytest_cache
