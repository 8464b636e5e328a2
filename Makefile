# Two commands matter: `make chat` (talk to the skill locally) and `make test` (the whole suite).
# Both set everything up first, on a fresh machine, with no AWS account.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
ARGS ?=

.PHONY: install chat test serve bench fuzz clean

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

# The skill as a web service on http://127.0.0.1:8080/ (PORT=...), Alexa's request verification on.
# For local development with unsigned requests: LOCAL_DEV_SKIP_VERIFICATION=1 make serve
PORT ?= 8080
serve: $(VENV)/.installed
	$(BIN)/python -m skill.web --port $(PORT)

# Latency, cold start, outbound calls and artifact size beside a hello-world skill (README "Figures").
bench: $(VENV)/.installed
	$(BIN)/python -m benchmarks $(ARGS)

# The hostile-envelope generator of tests/test_hostile.py, 20,000 envelopes.
fuzz: $(VENV)/.installed
	$(BIN)/python -m benchmarks.fuzz $(ARGS)

clean:
	rm -rf $(VENV) node_modules .pytest_cache .hypothesis .aws-sam build
