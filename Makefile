# Two commands set up everything on a fresh machine:
#   make site       create .venv, install what building needs, check, score and build the site into site/
#   make test       the same, plus the test tools and the browser, then lint and the whole test suite
#   make test-fast  the tests without a browser or a long build (about seven minutes on a 2-core machine)

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
#: What building needs (pyproject's dependencies), and beside it the test and lint tools (its [test] extra).
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
# Debian packages the browser and HTML-validation tests need.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: site shard merge test test-fast check lint browser bench bench-search lighthouse clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e .
	touch $(STAMP)

$(TEST_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(TEST_STAMP)

# ACCESS=access/accounts.csv builds for an intranet where each unit reads only its own pages.
site: $(STAMP)
	$(BIN)/kaoping build $(if $(ACCESS),--access $(ACCESS),)

# One shard of the unit pages (SHARD=K/N) into shards/K/, and the site merged from all shards (CI, see the README).
shard: $(STAMP)
	$(BIN)/kaoping build --shard $(SHARD)

merge: $(STAMP)
	$(BIN)/kaoping merge

check: $(STAMP)
	$(BIN)/kaoping check

# ruff (style, complexity at most 15, lines at most 120, only the command line prints), mypy, the packages'
# contracts (pyproject's [tool.importlinter]) and no module over 400 lines (pyproject's [tool.pylint]).
lint: $(TEST_STAMP)
	$(BIN)/ruff check generator tests scripts
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/pylint --score=n generator scripts

# Debian's chromium (Playwright's own browser download does not work offline), CJK fonts for
# readable screenshots, a Java runtime for the Nu HTML checker, pdftotext to read the printed notice,
# nginx, which the access tests start on a loopback port, rsync, which the publish script uses, and
# LibreOffice without its GUI (Writer opens the letters' .docx, Calc the downloads; about 1 minute to install).
browser:
	@command -v chromium >/dev/null 2>&1 && fc-list 2>/dev/null | grep -q "Noto Sans CJK" && \
	  command -v java >/dev/null 2>&1 && command -v pdftotext >/dev/null 2>&1 && \
	  { command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ]; } && command -v rsync >/dev/null 2>&1 && \
	  command -v soffice >/dev/null 2>&1 || \
	  ( $(SUDO) apt-get update -q && \
	    $(SUDO) apt-get install -y -q chromium fonts-noto-cjk default-jre-headless poppler-utils nginx-light rsync && \
	    $(SUDO) apt-get install -y -q --no-install-recommends libreoffice-writer-nogui libreoffice-calc-nogui )

test: $(TEST_STAMP) browser lint
	$(BIN)/python -m pytest

test-fast: $(TEST_STAMP)
	$(BIN)/python -m pytest -m "not browser and not slow"

clean:
	rm -rf site docs/assessments .kaoping-tmp-* .kaoping-cache shards test-artifacts

# The benchmark: kaoping build at 100 and 1,000 units step by step, beside a plain mkdocs build of the
# same units; rebuilds after nothing and after one row changed, shards and merge, each checked byte for byte.
# `make bench FULL=1` adds 10,000 units (half an hour on a busy 2-core machine); HUGE=1 adds the full build
# of 100,000 units (time, peak memory, site size; an hour or more, ~9 GB of disk).
bench: $(STAMP)
	$(BIN)/python bench/run.py $(if $(FULL),--full,) $(if $(HUGE),--huge,)

# The search benchmark: the queries of tests/search_queries.yml typed into the search box in Chromium, over
# http and from the folder (file://): top-1 precision, top-3 recall, time to first result, bytes downloaded.
# SYNTH=10000 measures the same at that many synthetic units; SYNTH=100 INDEX=100000 a search index of
# 100,000 units (scored, their pages not rendered). SITE=dir measures an already built site.
bench-search: $(TEST_STAMP) browser
	$(BIN)/python bench/search.py --file $(if $(SITE),--site $(SITE),) $(if $(SYNTH),--synth $(SYNTH),) $(if $(INDEX),--index-units $(INDEX),)

# Lighthouse (mobile, simulated throttling) and axe on the five page kinds of the bundled site, served by
# nginx with the lines kaoping writes (pre-compressed files, cache headers). Lighthouse comes from npm into
# node_modules/ (git-ignored); its performance score depends on the CPU, so run it on a quiet machine.
# SITE=dir measures an already built site; RUNS=3 takes the median of three runs.
LIGHTHOUSE := node_modules/.bin/lighthouse

$(LIGHTHOUSE): package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

lighthouse: $(TEST_STAMP) browser $(LIGHTHOUSE)
	$(BIN)/python bench/lighthouse.py $(if $(SITE),--site $(SITE),) $(if $(RUNS),--runs $(RUNS),)
