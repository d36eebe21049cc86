# Every target creates .venv when missing and installs what the project needs.
PY        ?= python3
VENV      := .venv
BIN       := $(VENV)/bin
STAMP     := $(VENV)/.installed
RUNSTAMP  := $(VENV)/.installed-run
SYSSTAMP  := $(VENV)/.system
BROWSERSTAMP := $(VENV)/.browser
PGSTAMP   := $(VENV)/.postgres
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

# llama-cpp-python (the LLM writer's test server) compiles from source: built portable
# (GGML_NATIVE=OFF; a build tuned to this CPU crashed at the first decode on another CPU of
# this kind) and never taken from pip's wheel cache, which may hold a native build.
$(STAMP): pyproject.toml $(RUNSTAMP)
	CMAKE_ARGS="-DGGML_NATIVE=OFF" $(BIN)/pip install -q --no-cache-dir \
	  "$$(grep -o 'llama-cpp-python\[server\]==[0-9.]*' pyproject.toml)"
	$(BIN)/pip install -q -e '.[test]'
	touch $@

# apt packages, when run as root with apt: Noto fonts for non-Latin scripts (serving needs them),
# Chromium (only the browser tests do) and PostgreSQL (the store tests start their own server
# from its binaries, as the postgres user; nothing uses the cluster the package may create).
define apt_need
	@if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  need=""; for pair in $(1); do f=$${pair%%=*}; p=$${pair#*=}; [ -e "$$f" ] || need="$$need $$p"; done; \
	  if [ -n "$$need" ]; then \
	    apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$need; \
	  fi; \
	else echo "not root or no apt: skipping $(1)"; fi
endef

$(SYSSTAMP): | $(BIN)/python
	$(call apt_need,/usr/share/fonts/truetype/noto/NotoSansDevanagari-Regular.ttf=fonts-noto-core /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc=fonts-noto-cjk)
	touch $@

$(BROWSERSTAMP): | $(BIN)/python
	$(call apt_need,/usr/bin/chromium=chromium)
	touch $@

# Debian 12's PostgreSQL is 15 (tests/postgres.py finds any version's initdb).
$(PGSTAMP): | $(BIN)/python
	$(call apt_need,/usr/lib/postgresql/15/bin/initdb=postgresql)
	touch $@

system: $(SYSSTAMP) $(BROWSERSTAMP) $(PGSTAMP)

serve: $(RUNSTAMP) $(SYSSTAMP)
	$(BIN)/videogen serve --host $(HOST) --port $(PORT)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP) $(SYSSTAMP) $(BROWSERSTAMP) $(PGSTAMP)
	$(BIN)/pytest

test: lint typecheck unit

bench: $(STAMP) $(SYSSTAMP) $(PGSTAMP)
	$(BIN)/python -m bench.compose
	$(BIN)/python -m bench.concurrency
	$(BIN)/python -m bench.serve
	$(BIN)/python -m bench.grounding
	$(BIN)/python -m bench.retrieval
	$(BIN)/python -m bench.documents
	$(BIN)/python -m bench.layouts
	$(BIN)/python -m bench.resolution
	$(BIN)/python -m bench.drawing
	$(BIN)/python -m bench.segments
	$(BIN)/python -m bench.pictograms
	$(BIN)/python -m bench.loudness
	$(BIN)/python -m bench.exports
	$(BIN)/python -m bench.revisions
	$(BIN)/python -m bench.store
	$(BIN)/python -m bench.replicas

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
