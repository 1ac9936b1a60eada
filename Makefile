# The two commands a newcomer needs: `make serve` and `make test`. Everything else is a step of them.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
export NO_MKDOCS_2_WARNING := 1
STAMP := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | cksum | cut -d' ' -f1)
# The site builder: mkdocs (Material) or zensical, each from the same mkdocs.yml and overrides/.
BUILDER ?= mkdocs
ZVENV := .venv-zensical
ZSTAMP := $(ZVENV)/.installed-$(shell cat requirements-zensical.lock | cksum | cut -d' ' -f1)
export ZENSICAL := $(CURDIR)/$(ZVENV)/bin/zensical

.PHONY: serve site site-zensical zensical generate check test unit browser-tests valid-html lint chromium readers screens bench clean

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	rm -f $(VENV)/.installed-*
	touch $@

$(ZSTAMP): requirements-zensical.lock
	$(PYTHON) -m venv $(ZVENV)
	$(ZVENV)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-zensical.lock
	rm -f $(ZVENV)/.installed-*
	touch $@

zensical: $(ZSTAMP)    ## Zensical, pinned by requirements-zensical.lock, in a venv of its own

serve: $(STAMP)        ## build and serve the site on 127.0.0.1:8000, regenerating on change
	$(PY) -m generator serve --address 127.0.0.1:8000

site: $(STAMP) $(if $(filter zensical,$(BUILDER)),$(ZSTAMP))  ## static build into site/ (BUILDER=mkdocs or zensical); a failure keeps the old site/
	$(PY) -m generator build --builder $(BUILDER)

site-zensical: $(STAMP) $(ZSTAMP)  ## Zensical's build into site-zensical/, which make test checks beside site/
	$(PY) -m generator build --builder zensical --site site-zensical

generate: $(STAMP)
	$(PY) -m generator generate

check: $(STAMP)
	$(PY) -m generator check

chromium:              ## a Chromium for the browser tests (Debian's, or Playwright's on GitHub)
	bash scripts/install-chromium.sh $(PY)

readers:               ## the export tests' parsers and the HTML validator (npm ci), node and Java if missing
	bash scripts/install-readers.sh

lint: $(STAMP)
	$(PY) -m ruff check generator tests site_tests scripts
	$(PY) -m ruff format --check generator tests site_tests scripts
	$(PY) -m check_jsonschema --builtin-schema vendor.github-workflows .github/workflows/*.yml

# Tests run in parallel on up to 4 processes (xdist): the browser gates dominate make test.
XDIST := -n auto --maxprocesses 4

unit: $(STAMP) readers  ## the Python tests, and the site's scripts under node's own test runner
	node --test tests/js/*.test.js
	$(PY) -m pytest $(XDIST) tests

# Every page of both builds (MkDocs' site/, Zensical's site-zensical/) through the W3C Nu HTML
# validator (vnu-jar, pinned in tests/readers): 0 errors. Zensical's adds about a minute.
VNU := tests/readers/node_modules/vnu-jar/build/dist/vnu.jar
valid-html: readers site site-zensical
	find site site-zensical -name '*.html' -print0 | sort -z | xargs -0 java -jar $(VNU) --errors-only --format gnu

# Every browser test on MkDocs' build, then the builder-neutral ones on Zensical's.
browser-tests: $(STAMP) chromium site site-zensical
	$(PY) -m pytest $(XDIST) site_tests
	SITE_DIR=site-zensical $(PY) -m pytest $(XDIST) site_tests/test_builders.py

screens: $(STAMP) chromium site  ## redraw the reference pictures of site_tests/test_screens.py (look, then commit)
	UPDATE_SCREENS=1 $(PY) -m pytest site_tests/test_screens.py

test: lint unit valid-html browser-tests   ## install what the tests need, then run every test

bench: $(STAMP) $(ZSTAMP) chromium  ## build times, page weight, quiz responsiveness and Lighthouse, against the budgets
	$(PY) scripts/bench.py

clean:
	rm -rf build site site-zensical .pytest_cache
