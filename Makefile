# Two commands matter: `make chat` (talk to the skill locally) and `make test` (the whole suite).
# Both set everything up first, on a fresh machine, with no AWS account. `make demo` serves a page
# to try the skill in a browser (docs/demo.md).
# Deploying: `sam build && sam deploy --guided` (sam build calls build-SkillFunction below), then
# `make skill-package` for the Alexa side.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# The AWS SAM CLI pins many packages of its own, so it lives in a virtualenv of its own.
VENV_SAM ?= .venv-sam
# Lambda's own Python (3.13) with what its managed runtime provides (awslambdaric,
# snapshot-restore-py, boto3), to run the built artifact as Lambda does (`make bench`).
VENV_LAMBDA ?= .venv-lambda
ARGS ?=

.PHONY: install browser chat demo demo-screenshot test serve bench build fuzz clean \
	build-SkillFunction skill-package models lock nlu-annotations

install: $(VENV)/.installed node_modules/.installed $(VENV_SAM)/.installed $(VENV_LAMBDA)/.installed \
	browser

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $@

$(VENV_SAM)/.installed:
	$(PYTHON) -m venv $(VENV_SAM)
	$(VENV_SAM)/bin/pip install --quiet --disable-pip-version-check 'aws-sam-cli>=1.120,<2'
	touch $@

$(VENV_LAMBDA)/.installed: pyproject.toml
	@py="$(PYTHON313)"; test -n "$$py" || { echo "Python 3.13 is needed on PATH (or pyenv)" >&2; exit 2; }; \
	set -e; "$$py" -m venv $(VENV_LAMBDA); \
	$(VENV_LAMBDA)/bin/pip install --quiet --disable-pip-version-check \
		$$("$$py" -c "import tomllib; print(*tomllib.load(open('pyproject.toml', 'rb'))['project']['optional-dependencies']['lambda-runtime'])")
	touch $@

# Third-party checkers used by the tests (ssml-check-core, virtual-alexa, apl-suggester) and
# Amazon's APL renderer for the demo page (apl-viewhost-web).
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# A real browser for the demo page's test: Debian's Chromium and ChromeDriver, installed when
# missing (as root, or with sudo). Elsewhere, install them and point CHROMIUM and CHROMEDRIVER at
# them.
CHROMIUM ?= /usr/bin/chromium
CHROMEDRIVER ?= /usr/bin/chromedriver
browser:
	@test -x "$(CHROMIUM)" && test -x "$(CHROMEDRIVER)" && exit 0; \
	command -v apt-get >/dev/null 2>&1 || { echo "The demo page's test needs Chromium and" \
		"ChromeDriver: install them, and set CHROMIUM and CHROMEDRIVER" >&2; exit 0; }; \
	sudo=; test "$$(id -u)" = 0 || sudo=sudo; log=$$(mktemp); \
	{ $$sudo apt-get update -qq && $$sudo env DEBIAN_FRONTEND=noninteractive apt-get install \
		-y -qq --no-install-recommends chromium chromium-driver fonts-liberation; } >"$$log" 2>&1 \
		|| { cat "$$log" >&2; rm -f "$$log"; exit 1; }; \
	rm -f "$$log"

chat: $(VENV)/.installed
	$(BIN)/python -m localdev.chat $(ARGS)

# Try the skill in a browser, as on an Echo: http://127.0.0.1:8000/ (PORT=...), offline.
demo: $(VENV)/.installed node_modules/.installed
	$(BIN)/python -m demo --port $(if $(filter file,$(origin PORT)),8000,$(PORT))

# Retake docs/demo.png, the README's screenshot, with the demo page's browser test.
demo-screenshot: install
	UPDATE_DEMO_SCREENSHOT=1 $(BIN)/python -m pytest tests/test_demo_page.py -q

test: install
	$(BIN)/python -m pytest

# The skill as a web service on http://127.0.0.1:8080/ (PORT=...), Alexa's request verification on:
# SKILL_ID=amzn1.ask.skill.... make serve (it refuses to start without the skill's id).
# For local development with unsigned requests: LOCAL_DEV_SKIP_VERIFICATION=1 make serve
# The `webservice` package, outside the Lambda artifact (docs/web-service.md).
PORT ?= 8080
serve: $(VENV)/.installed
	$(BIN)/python -m webservice --port $(PORT)

# Latency, cold start, outbound calls and artifact size beside a hello-world skill (docs/performance.md),
# and the built artifact under the real Lambda runtime client (benchmarks/runtime.py).
bench: $(VENV)/.installed $(VENV_LAMBDA)/.installed build
	$(BIN)/python -m benchmarks $(ARGS)

# The Lambda artifact in .aws-sam/build/SkillFunction, as `sam build` makes it.
build: $(VENV_SAM)/.installed
	@py="$(PYTHON313)"; test -n "$$py" || { echo "Python 3.13 is needed on PATH (or pyenv)" >&2; exit 2; }; \
	PATH="$$(dirname "$$py"):$$PATH" SAM_CLI_TELEMETRY=0 $(VENV_SAM)/bin/sam build

# The interaction models (interaction_models/<locale>.json) from their source, models/, and the
# symptom table (docs/models.md). The JSON is committed; a test fails when it drifts from the source.
models: $(VENV)/.installed
	$(BIN)/python -m localdev.interaction_models

# The phrasings as annotation sets for Amazon's NLU Evaluation Tool, in build/nlu/<locale>.json
# (docs/routing.md: how to run them against the deployed model).
nlu-annotations: $(VENV)/.installed
	$(BIN)/python -m localdev.nlu_annotations --out build/nlu

# requirements-lambda.txt, what the artifact ships, pinned with hashes: run after changing
# pyproject.toml's `dependencies`, or to take newer releases (docs/operations.md).
lock: $(VENV)/.installed
	$(BIN)/python -m localdev.lock

# The hostile-envelope generator of tests/test_hostile.py, 20,000 envelopes.
fuzz: $(VENV)/.installed
	$(BIN)/python -m benchmarks.fuzz $(ARGS)

clean:
	rm -rf $(VENV) $(VENV_SAM) $(VENV_LAMBDA) node_modules .pytest_cache .hypothesis .aws-sam build

# How long the skill talks: every response key by day and by night, and each guided routine
# walked by voice (measured audio too, if espeak-ng and sox are installed).
.PHONY: bench-spoken
bench-spoken: $(VENV)/.installed
	$(BIN)/python -m benchmarks.spoken $(ARGS)

# The ASK CLI v2 skill package (manifest, interaction models, icons) for the deployed function,
# checked against Amazon's SMAPI models. For submission (the default) the clinic's pages and icons
# are required: make skill-package PRIVACY_URL=https://... TERMS_URL=https://... \
#   SMALL_ICON=icon-108.png LARGE_ICON=icon-512.png [ENDPOINT=arn:aws:lambda:...|https://...]
#   [SSL_CERTIFICATE_TYPE=Trusted|Wildcard|SelfSigned]. To try it in development: DRAFT=1.
# Each can also be set in the environment.
ENDPOINT ?=
SKILL_PACKAGE ?= build/skill-package

skill-package: $(VENV)/.installed
	$(BIN)/python -m localdev.skill_package --out '$(SKILL_PACKAGE)' \
		$(if $(ENDPOINT),--endpoint '$(ENDPOINT)') \
		$(if $(PRIVACY_URL),--privacy-url '$(PRIVACY_URL)') \
		$(if $(TERMS_URL),--terms-url '$(TERMS_URL)') \
		$(if $(SMALL_ICON),--small-icon '$(SMALL_ICON)') \
		$(if $(LARGE_ICON),--large-icon '$(LARGE_ICON)') \
		$(if $(SSL_CERTIFICATE_TYPE),--ssl-certificate-type '$(SSL_CERTIFICATE_TYPE)') \
		$(if $(filter-out 0,$(DRAFT)),--draft)

# --- The Lambda artifact ----------------------------------------------------------------------
# `sam build` runs this target (template.yaml: BuildMethod makefile) with ARTIFACTS_DIR set. The
# function folder gets skill/, responses/ and the runtime dependencies (exactly the files pinned
# in requirements-lambda.txt, hashes checked: wheels for Lambda's arm64 Python 3.13; boto3 is in
# the runtime already), and nothing else but responses_compiled/: every template compiled to a
# Python module by the Jinja2 it ships with, so that a cold start loads the templates it needs
# rather than compiling them (docs/performance.md). Lambda's code folder is read-only, so the
# bytecode is compiled here, for 3.13, with hashes rather than file times (the zip's times cannot
# make it stale).
LAMBDA_PLATFORM ?= manylinux2014_aarch64
# Python 3.13 from PATH, else from pyenv (evaluated only when a recipe needs it).
PYTHON313 ?= $(firstword $(foreach candidate,python3.13 \
	$(shell pyenv prefix 3.13 2>/dev/null)/bin/python3.13,$(shell $(candidate) -c \
	"import sys; assert sys.version_info[:2] == (3, 13)" >/dev/null 2>&1 && echo $(candidate))))

build-SkillFunction:
	@test -n "$(ARTIFACTS_DIR)" || { echo "ARTIFACTS_DIR is not set: run sam build" >&2; exit 2; }
	@py="$(PYTHON313)"; test -n "$$py" || { echo "Python 3.13 is needed on PATH" >&2; exit 2; }; \
	set -e; \
	"$$py" -m pip install --quiet --disable-pip-version-check --no-compile \
		--target "$(ARTIFACTS_DIR)" --platform $(LAMBDA_PLATFORM) --implementation cp \
		--python-version 3.13 --only-binary=:all: --upgrade \
		--require-hashes --no-deps -r requirements-lambda.txt; \
	rm -rf "$(ARTIFACTS_DIR)/bin"; \
	find "$(ARTIFACTS_DIR)" -mindepth 2 -maxdepth 2 -type d -name tests -exec rm -rf {} +; \
	tar --create --exclude=__pycache__ --exclude='*.pyc' skill responses \
		| tar --extract --directory "$(ARTIFACTS_DIR)"; \
	(cd "$(ARTIFACTS_DIR)" && "$$py" -m skill.speech responses_compiled \
		&& "$$py" -m skill.symptom_table); \
	"$$py" -m compileall -q -j 0 --invalidation-mode unchecked-hash "$(ARTIFACTS_DIR)"
