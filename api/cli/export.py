"""`chiptrail export`: the subgraph around seed nodes as GraphML, GEXF, node-link JSON, CSV or Turtle.

The shared options and error handling come from `api.cli.options` and `api.cli.console`.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from api.cli.console import err, fail, loaded
from api.cli.options import Backend, BackendOpt, DataOpt, check_date, parse_date
from graph.formats import FORMATS, ExportFormat
from ontology.errors import ExportTooLarge
from queries.export import DEFAULT_MAX_NODES, subgraph

app = typer.Typer()


@app.command()
def export(
    seed: Annotated[list[str], typer.Option("--seed", help="Node id to start from; repeat for several.")],
    fmt: Annotated[
        ExportFormat,
        typer.Option("--format", help="graphml, gexf (Gephi), json (networkx node-link), csv (zip), ttl (RDF)."),
    ],
    depth: Annotated[
        int,
        typer.Option(
            "--depth", min=0, help="Hops from the seeds, either direction (up to the bound in subgraph.cypher)."
        ),
    ] = 1,
    rel_type: Annotated[
        list[str] | None, typer.Option("--type", help="Relationship type to follow; repeat; default: every type.")
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            help="Follow only relationships valid on YYYY-MM-DD (default: ignore dates).",
            callback=check_date,
        ),
    ] = None,
    output: Annotated[Path | None, typer.Option("--output", help="File to write (default: standard output).")] = None,
    max_nodes: Annotated[
        int, typer.Option("--max-nodes", min=1, help="Refuse subgraphs with more nodes than this.")
    ] = DEFAULT_MAX_NODES,
    data: DataOpt = None,
    backend: BackendOpt = Backend.memory,
) -> None:
    """Export the subgraph around seed nodes for networkx, Gephi or Cytoscape, with every edge's evidence."""
    if output is None and fmt is ExportFormat.csv and sys.stdout.isatty():
        fail("refusing to write a zip archive to a terminal; use --output FILE or redirect standard output", 2)
    with loaded(data, backend) as store:
        try:
            nodes, edges = subgraph(store, seed, depth, rel_type or (), parse_date(as_of), max_nodes)
        except ExportTooLarge as exc:
            fail(f"{exc} (--depth, --type, --seed, --max-nodes)", 2)
        body = FORMATS[fmt].write(nodes, edges)
        if output is None:
            sys.stdout.buffer.write(body)
            sys.stdout.buffer.flush()
        else:
            try:
                output.write_bytes(body)
            except OSError as exc:
                fail(f"cannot write {output}: {exc.strerror or exc}", 2)
            err.print(f"wrote {len(nodes):,} nodes and {len(edges):,} relationships ({fmt.value}) to {output}")
