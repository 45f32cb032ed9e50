# chiptrail — everything installs from nothing into .venv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
NEO4J_TOOLS := tools/neo4j
NEO4J_STAMP := $(NEO4J_TOOLS)/lib/.resolved

.PHONY: demo test check lint typecheck install neo4j-jars bench clean

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

demo: $(STAMP)
	$(BIN)/chiptrail demo

test: $(STAMP) $(NEO4J_STAMP)
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

check: lint typecheck test

bench: $(STAMP) $(NEO4J_STAMP)
	$(BIN)/python -m bench.load
	$(BIN)/python -m bench.api

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache $(NEO4J_TOOLS)/lib $(NEO4J_TOOLS)/plugins
