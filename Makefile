# Every target creates .venv when missing and installs what the project needs.
PY        ?= python3
VENV      := .venv
BIN       := $(VENV)/bin
STAMP     := $(VENV)/.installed
RUNSTAMP  := $(VENV)/.installed-run
SYSSTAMP  := $(VENV)/.system
HOST      ?= 127.0.0.1
PORT      ?= 8000

.PHONY: serve test lint typecheck unit bench clean system

$(BIN)/python:
	$(PY) -m venv $(VENV)

# What the server needs; the test extras (a model server among them, which compiles) only for tests.
$(RUNSTAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e .
	touch $@

$(STAMP): pyproject.toml $(RUNSTAMP)
	$(BIN)/pip install -q -e '.[test]'
	touch $@

# Noto fonts for non-Latin scripts and Chromium for the browser tests, when run as root with apt.
$(SYSSTAMP): | $(BIN)/python
	@if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  need=""; \
	  [ -f /usr/share/fonts/truetype/noto/NotoSansDevanagari-Regular.ttf ] || need="$$need fonts-noto-core"; \
	  [ -f /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc ] || need="$$need fonts-noto-cjk"; \
	  [ -x /usr/bin/chromium ] || need="$$need chromium"; \
	  if [ -n "$$need" ]; then \
	    apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$need; \
	  fi; \
	else echo "not root or no apt: skipping fonts-noto-core fonts-noto-cjk chromium"; fi
	touch $@

system: $(SYSSTAMP)

serve: $(RUNSTAMP) $(SYSSTAMP)
	$(BIN)/videogen serve --host $(HOST) --port $(PORT)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP) $(SYSSTAMP)
	$(BIN)/pytest

test: lint typecheck unit

bench: $(STAMP) $(SYSSTAMP)
	$(BIN)/python -m bench.compose
	$(BIN)/python -m bench.concurrency
	$(BIN)/python -m bench.serve

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
