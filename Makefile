# Two commands on a fresh machine: `make demo` and `make test`. Everything else is optional.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEMO_OUT ?= demo-out

.PHONY: demo test test-fast fuzz bench eval install clean

# The venv is rebuilt when pyproject.toml changes. torch comes first, pinned, so
# nothing later pulls a CUDA build from the registry. The ray extra (`--engine ray`) is
# installed too, so that `make test` runs the Ray engine's tests.
# Leaflet and world-atlas (package.json, pinned by package-lock.json) go to node_modules/ for
# report.html's map; without npm the report is still written, without a map, and says so.
$(STAMP): pyproject.toml package.json package-lock.json
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet "torch==2.13.0"
	$(BIN)/python -m pip install --quiet -e ".[dev,ray]"
	@if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund --loglevel=error; \
	else echo "npm not found: report.html will have no map (install Node.js and npm, then run make install)"; fi
	@# Trace the sentence encoder into sitrep's cache now, not in the first run (see src/sitrep/nlp/embed.py).
	$(BIN)/python -c "from sitrep.nlp.embed import Embedder; Embedder()"
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/sitrep run src/sitrep/data/sample --out $(DEMO_OUT) --no-progress
	@echo
	@echo "sitrep demo finished: outputs are in $(abspath $(DEMO_OUT))/; the situation report is"
	@echo "$(abspath $(DEMO_OUT))/report.html"

# The browser tests drive Debian's chromium (never a downloaded build); they skip, saying why, without it.
# The store tests run on SQLite and on a throw-away PostgreSQL server the tests start from Debian's
# postgresql binaries (tests/pgserver.py), or on the server SITREP_TEST_PG_URL names; without either they skip.
test: $(STAMP)
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing chromium for the browser tests (apt-get)"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null) \
	      || echo "could not install chromium with apt-get: the browser tests will be skipped"; \
	  else echo "chromium is missing and apt-get cannot install it here (needs root): the browser tests will be skipped;" \
	    "install it with: sudo apt-get install chromium chromium-driver"; fi; \
	fi
	@if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && ! command -v initdb >/dev/null 2>&1 \
	    && [ -z "$$SITREP_TEST_PG_URL" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing PostgreSQL for the store tests (apt-get)"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null) \
	      || echo "could not install postgresql with apt-get: the PostgreSQL tests will be skipped"; \
	  else echo "PostgreSQL is missing and apt-get cannot install it here (needs root): the PostgreSQL tests will be skipped;" \
	    "install it with: sudo apt-get install postgresql (or set SITREP_TEST_PG_URL to a server of yours)"; fi; \
	fi
	$(BIN)/python -m pytest -q

# The developer loop: no browser, no subprocess run, no spaCy and no embedding model (tests/conftest.py
# fails a test that loads one without the nlp marker).
test-fast: $(STAMP)
	$(BIN)/python -m pytest -q -m "not slow and not nlp"

# Only the fuzz suite (fixed seed); FUZZ_SCALE=10 runs ten times the generated examples.
FUZZ_SCALE ?= 1
fuzz: $(STAMP)
	SITREP_FUZZ_SCALE=$(FUZZ_SCALE) $(BIN)/python -m pytest -q tests/fuzz

bench: $(STAMP)
	$(BIN)/python bench/run.py

eval: $(STAMP)
	$(BIN)/python bench/eval.py

clean:
	rm -rf $(VENV) $(DEMO_OUT) .pytest_cache
