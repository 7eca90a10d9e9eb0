# The two set-up commands of the README: `make demo` and `make test`.
# Both build .venv from pyproject.toml on first use (torch is pinned to the 2.13.0 CPU build).
PYTHON ?= python3
VENV := .venv
STAMP := $(VENV)/.installed

.PHONY: demo test lint install clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e '.[dev,llm]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/aisle demo

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" bash infra/validate.sh

test: lint
	$(VENV)/bin/python -m pytest

clean:
	rm -rf $(VENV) var
