# heatplan: `make plan` sets up and plans the bundled sample; `make test` sets up and runs the tests.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: plan test setup

$(BIN)/heatplan: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@

setup: $(BIN)/heatplan

plan: setup
	$(BIN)/heatplan plan

test: setup
	$(BIN)/python -m pytest
