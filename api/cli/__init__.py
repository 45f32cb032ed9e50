"""The `chiptrail` command line: one module per group of commands, each a Typer app merged here.

trace (routes, restrictions, demo) · data (validate, load, serve) · ingest (ingest, datasets,
changes) · policy (screen, exposure, whatif, chokepoints) · export · neo4j (start, stop, status) ·
resolve (candidates, judge, undo, apply). Every command translates domain errors through
`api.cli.console.user_errors`; shared options live in `api.cli.options`.
"""

from __future__ import annotations

import typer

from api.cli import data, export, ingest, neo4j, policy, resolve, trace

app = typer.Typer(
    help="chiptrail: a knowledge graph of the AI compute supply chain and the export controls on it.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
for group in (trace, data, ingest, export, policy):
    app.add_typer(group.app)
app.add_typer(neo4j.app, name="neo4j")
app.add_typer(resolve.app, name="resolve")


def main() -> None:
    """Console-script entry point."""
    app()
