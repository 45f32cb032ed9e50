# chiptrail — everything installs from nothing into .venv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
NEO4J_TOOLS := tools/neo4j
NEO4J_STAMP := $(NEO4J_TOOLS)/lib/.resolved
# Debian's headless Chromium, for the browser tests (driven by Playwright; no browser is downloaded).
CHROMIUM := /usr/bin/chromium
# Debian's wrk, the HTTP load generator bench/api.py drives the API with.
WRK := /usr/bin/wrk

.PHONY: demo test test-fast check lint typecheck imports install neo4j-jars chromium bench bench-ingest bench-power bench-spatial soak clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# Neo4j Community 5.26 (server, Bolt, Browser, APOC) from Maven Central, for tests without Docker.
$(NEO4J_STAMP): $(NEO4J_TOOLS)/pom.xml
	mvn -q -B -f $(NEO4J_TOOLS)/pom.xml package
	touch $(NEO4J_STAMP)

neo4j-jars: $(NEO4J_STAMP)

# Installed as root; anyone else is told the one command to run.
$(CHROMIUM):
	@if [ "$$(id -u)" = 0 ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver; \
	else \
		echo "The browser tests need Debian's Chromium; run: sudo apt-get install -y chromium chromium-driver" >&2; \
		exit 1; \
	fi

chromium: $(CHROMIUM)

$(WRK):
	@if [ "$$(id -u)" = 0 ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; \
	else \
		echo "bench/api.py needs Debian's wrk; run: sudo apt-get install -y wrk" >&2; \
		exit 1; \
	fi

demo: $(STAMP)
	$(BIN)/chiptrail demo

test: $(STAMP) $(NEO4J_STAMP) $(CHROMIUM)
	$(BIN)/pytest

# Everything that needs no Neo4j server (about a minute and a half).
test-fast: $(STAMP)
	$(BIN)/pytest -m "not neo4j"

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

# The layering (pyproject.toml [tool.importlinter]): ontology ← {loaders | graph} ← queries ← api.
imports: $(STAMP)
	$(BIN)/lint-imports

# The one quality gate, what CI runs: lint, types, the import contract, then every test.
check: lint typecheck imports test

# Every scale goal in one run (bench/all.py): a table for the bundled data (statements per answer,
# API requests/s under wrk, `chiptrail --help`), then one per scale (10^4 … 10^7 relationships on
# Neo4j, to 10^6 embedded), each figure beside its goal. `make bench NEO4J_SCALES=10000,100000`: a
# shorter run. bench.load, bench.embedded, bench.answers and bench.api also run on their own.
NEO4J_SCALES ?= 10000,100000,1000000,10000000
EMBEDDED_SCALES ?= 10000,100000,1000000
bench: $(STAMP) $(NEO4J_STAMP) $(WRK)
	$(BIN)/python -m bench.all --neo4j $(NEO4J_SCALES) --embedded $(EMBEDDED_SCALES)

# Ingest of CSL and OpenSanctions downloads (15,000 and 10^6 records) on both backends: rows/s,
# peak memory, the 1% delta, opening the embedded store. `make bench-ingest SCALE=0.01`: a smoke run.
SCALE ?= 1
bench-ingest: $(STAMP) $(NEO4J_STAMP)
	$(BIN)/python -m bench.ingest --scale $(SCALE)

# The GEM coal + solar + wind trackers at real size (10^5 unit rows, synthetic) on both backends:
# unit rows/s and records/s. `make bench-power SCALE=0.01`: a smoke run; NEO4J_SCALE for Neo4j alone.
NEO4J_SCALE ?= $(SCALE)
bench-power: $(STAMP) $(NEO4J_STAMP)
	$(BIN)/python -m bench.ingest_power --scale $(SCALE) --neo4j-scale $(NEO4J_SCALE) --xlsx

# Plants within 50 km of each site: 10^6 synthetic plant points, Neo4j with and without its point index,
# the embedded store's k-d tree against a linear scan (p50/p95 and their ratios, in one run).
bench-spatial: $(STAMP) $(NEO4J_STAMP)
	$(BIN)/python -m bench.spatial

# The API under 64 concurrent clients for 60 s on each backend (about 3 minutes).
soak: $(STAMP) $(NEO4J_STAMP)
	$(BIN)/python -m bench.soak

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache $(NEO4J_TOOLS)/lib $(NEO4J_TOOLS)/plugins
