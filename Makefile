# Two commands set up everything on a fresh machine:
#   make site   create .venv, install, check, score and build the site into site/
#   make test   the same set-up, then the whole test suite (browser tests included)

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: site test check score lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

site: $(STAMP)
	$(BIN)/kaoping check

check: $(STAMP)
	$(BIN)/kaoping check

test: $(STAMP)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check generator tests scripts
	$(BIN)/mypy

clean:
	rm -rf site .site-* docs/_generated build
