"""The `chiptrail` command line: one module per group of commands, each a Typer app merged here.

trace (routes, restrictions, demo) · data (validate, load, serve) · ingest (ingest, datasets,
changes) · policy (screen, exposure, whatif, chokepoints) · export · neo4j (start, stop, status) ·
resolve (candidates, judge, undo, apply) · power. Every command translates domain errors through
`api.cli.console.user_errors`; shared options live in `api.cli.options`.

A command imports only its own group (`chiptrail validate` never loads the HTTP face, networkx or
the query layer it does not use); `chiptrail --help` and an unknown command build the whole app.
"""

from __future__ import annotations

import importlib
import sys

import typer

GROUPS = ("trace", "data", "ingest", "export", "policy", "power")  # commands at the top level
NAMED = ("neo4j", "resolve")  # commands under their group's name: `chiptrail neo4j start`
COMMANDS = {
    "routes": "trace",
    "restrictions": "trace",
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
    "power": "power",
    "neo4j": "neo4j",
    "resolve": "resolve",
}


def build(only: str | None = None) -> typer.Typer:
    """The command line with every group, or with the one group named."""
    app = typer.Typer(
        help="chiptrail: a knowledge graph of the AI compute supply chain and the export controls on it.",
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
    )

    @app.callback()
    def chiptrail() -> None:
        """chiptrail: a knowledge graph of the AI compute supply chain and the export controls on it."""

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
    build(COMMANDS.get(words[0]) if words else None)()
