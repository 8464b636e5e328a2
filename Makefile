# Two commands matter: `make chat` (talk to the skill locally) and `make test` (the whole suite).
# Both set everything up first, on a fresh machine, with no AWS account.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
ARGS ?=

.PHONY: install chat test clean

install: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $@

# Third-party checkers used by the tests: ssml-check-core and virtual-alexa.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

chat: $(VENV)/.installed
	$(BIN)/python -m localdev.chat $(ARGS)

test: install
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) node_modules .pytest_cache .hypothesis .aws-sam build

# How long the skill talks: every response key by day and by night, and each guided routine
# walked by voice (measured audio too, if espeak-ng and sox are installed).
.PHONY: bench-spoken
bench-spoken: $(VENV)/.installed
	$(BIN)/python -m benchmarks.spoken $(ARGS)
