"""The `chiptrail` command line: one module per group of commands, each a Typer app merged here.

trace (routes, restrictions, specs, demo) · data (validate, load, serve) · ingest (ingest, datasets,
changes) · policy (screen, exposure, whatif, chokepoints, dependencies) · export · neo4j (start, stop, status) ·
resolve (candidates, judge, undo, apply) · power. Every command translates domain errors through
`api.cli.console.user_errors`; shared options live in `api.cli.options`.

A command imports only its own group (`chiptrail validate` never loads the HTTP face, networkx or
the query layer it does not use). `chiptrail --help` (and an unknown command) imports no group at
all: it lists each command's summary from `SUMMARIES`, which tests/test_start.py holds equal to
the commands' own help.
"""

from __future__ import annotations

import importlib
import sys

import typer
from typer.core import DEFAULT_MARKUP_MODE

GROUPS = ("trace", "data", "ingest", "export", "policy", "power")  # commands at the top level
NAMED = ("neo4j", "resolve")  # commands under their group's name: `chiptrail neo4j start`
COMMANDS = {
    "routes": "trace",
    "restrictions": "trace",
    "specs": "trace",
    "demo": "trace",
    "validate": "data",
    "load": "data",
    "serve": "data",
    "ingest": "ingest",
    "datasets": "ingest",
    "changes": "ingest",
    "export": "export",
    "screen": "policy",
    "exposure": "policy",
    "whatif": "policy",
    "chokepoints": "policy",
    "dependencies": "policy",
    "power": "power",
    "neo4j": "neo4j",
    "resolve": "resolve",
}

# The first paragraph of each command's help, as `chiptrail --help` lists it.
SUMMARIES = {
    "routes": "Routes that carry a chip model into a region, each hop with its evidence, and leads (--format html\n"
    "draws them).",
    "restrictions": "Whether a chip model needs a US licence for a destination on a date, and why.",
    "specs": "A chip model's figures from every source side by side (curated, Epoch AI, …), the conflicts,\n"
    "and with --destination the decision from each source's figures.",
    "demo": "Load the curated and scenario data; show counts, restrictions, screened routes into Xinjiang, leads,\n"
    "the region's exposure and the top chokepoints.",
    "validate": "Check data files against the ontology and the SHACL shapes; exit 1 on any problem.",
    "load": "Validate data and write it into the store (idempotent: loading twice changes nothing).",
    "serve": "Serve the HTTP API (docs at /docs). Other settings: CHIPTRAIL_* and NEO4J_* variables.",
    "ingest": "Load one download as a dated snapshot: adds what is new, updates what changed, ends what is gone.",
    "datasets": "The datasets ingested into the store, with each snapshot's file and counts.",
    "changes": "What the dataset's latest snapshots added, changed and ended, and whose screening changes.",
    "export": "Export the subgraph around seed nodes for networkx, Gephi or Cytoscape, with every edge's evidence.",
    "screen": "Is the organisation designated on the date, by which listing — or a ≥ 50% affiliate of listed parties?",
    "exposure": "Compute reaching a region: chips, TPP and H100-equivalents by chip model and confidence, per site\n"
    "(--format html draws them).",
    "whatif": "What changes (chip models, routes, data centres, exposure) under a modified rule set.",
    "chokepoints": "Intermediaries ranked by the licence-requiring routes into a region that pass through them;\n"
    "with --upstream, the providers of supply-chain inputs ranked by their share.",
    "dependencies": "What the chip needs upstream, by stage: who provides each input (country, share, year, source)\n"
    'and whether an export-control rule of the provider\'s country covers it ("unknown" where the\n'
    "graph is silent); the chip's designer and foundry.",
    "power": "Power plants within a radius of each site in a region (or of one site): capacity, fuel, owners and\n"
    "great-circle distance, with totals by fuel and owner. With --near, the sites and plants within the\n"
    "radius of a point.",
    "neo4j": "Run a local Neo4j 5.26 server from the jars in tools/neo4j (no Docker needed).",
    "resolve": "Entity resolution: candidates to review, judgements, SAME_AS edges.",
}
HELP = "chiptrail: a knowledge graph of the AI compute supply chain and the export controls on it."


def _root(*, plain: bool = False) -> typer.Typer:
    """The bare command line; `plain` formats help without rich (which takes longer to import than the rest)."""
    app = typer.Typer(
        help=HELP,
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
        rich_markup_mode=None if plain else DEFAULT_MARKUP_MODE,
    )

    @app.callback()
    def chiptrail() -> None:
        """chiptrail: a knowledge graph of the AI compute supply chain and the export controls on it."""

    return app


def overview() -> typer.Typer:
    """Every command by name and summary, importing none of the groups (what `chiptrail --help` shows)."""
    app = _root(plain=True)
    for name in COMMANDS:
        # Never run: a command word on the command line builds its own group instead.
        summary = " ".join(SUMMARIES[name].split())
        app.command(name=name, help=summary, short_help=summary, add_help_option=False)(_listed_only)
    return app


def _listed_only() -> None:
    """A command of the overview: listed, never run."""


def build(only: str | None = None) -> typer.Typer:
    """The command line with every group, or with the one group named."""
    app = _root()
    for name in (g for g in (*GROUPS, *NAMED) if only in (None, g)):
        group = importlib.import_module(f"api.cli.{name}").app
        if name in NAMED:
            app.add_typer(group, name=name)
        else:
            app.add_typer(group)
    return app


def main() -> None:
    """Console-script entry point."""
    words = [arg for arg in sys.argv[1:] if not arg.startswith("-")]
    group = COMMANDS.get(words[0]) if words else None
    (build(group) if group is not None else overview())()
