"""`chiptrail neo4j start|stop|status`: a local Neo4j from Maven-resolved jars, no Docker."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated

import typer

from api.cli.console import out, user_errors
from graph import neo4j_server
from graph.neo4j_browser import DEFAULT_API_URL, deep_link, guide_url, style_url
from graph.settings import Neo4jSettings
from queries.guide import guide as guide_text
from queries.style import grass

app = typer.Typer(name="neo4j", help="Run a local Neo4j 5.26 server from the jars in tools/neo4j (no Docker needed).")

HomeOpt = Annotated[Path, typer.Option("--home", help="Folder for the server's data, logs and config.")]
BoltOpt = Annotated[int, typer.Option("--bolt-port", help="Loopback Bolt port.")]
HttpOpt = Annotated[int, typer.Option("--http-port", help="Loopback HTTP port (the Browser).")]
ApiOpt = Annotated[
    str, typer.Option("--api-url", help="Where `chiptrail serve` answers; the Browser loads the guide and style there.")
]
DEFAULT_HOME = Path(".chiptrail/neo4j")


def _size(value: str) -> str:
    if not re.fullmatch(r"[1-9][0-9]*[kmg]", value.lower()):
        raise typer.BadParameter(f"'{value}' is not a size such as 512m or 2g")
    return value.lower()


HeapOpt = Annotated[
    str,
    typer.Option(
        "--heap",
        help="Java heap, which queries and transactions use (512m, 2g…); raise it when Neo4j runs out of memory.",
        callback=_size,
    ),
]
PageCacheOpt = Annotated[
    str, typer.Option("--pagecache", help="Memory caching the database files (512m, 2g…).", callback=_size)
]


def _config(
    home: Path, bolt_port: int, http_port: int, api_url: str, heap: str, pagecache: str
) -> neo4j_server.ServerConfig:
    return neo4j_server.ServerConfig(home.resolve(), bolt_port, http_port, heap, pagecache, api_url=api_url)


def _print_browser(config: neo4j_server.ServerConfig) -> None:
    port = config.api_url.rsplit(":", 1)[-1].strip("/")
    env = f"CHIPTRAIL_BROWSER_PORT={config.http_port} " if config.http_port != 7474 else ""
    out.print(
        f"  Log in at {config.browser_url}: the Browser then loads the chiptrail style and guide from\n"
        f"  {config.api_url} (`{env}chiptrail serve --port {port}`; without it the Browser works, in plain colours).\n"
        f"  The guide without logging in (no style): {deep_link(config.browser_url, config.api_url)}\n"
        f"  API started later? In the Browser: :style {style_url(config.api_url)}\n"
        f"                                     :guide {guide_url(config.api_url)}\n"
        "  The guide without the API: chiptrail neo4j guide -o chiptrail.md",
        soft_wrap=True,
        highlight=False,
    )


@app.command()
def start(
    home: HomeOpt = DEFAULT_HOME,
    bolt_port: BoltOpt = 7687,
    http_port: HttpOpt = 7474,
    api_url: ApiOpt = DEFAULT_API_URL,
    heap: HeapOpt = neo4j_server.ServerConfig.heap,
    pagecache: PageCacheOpt = neo4j_server.ServerConfig.pagecache,
) -> None:
    """Start the server (password from NEO4J_PASSWORD) and wait until Bolt answers."""
    config = _config(home, bolt_port, http_port, api_url, heap, pagecache)
    with user_errors():
        password = Neo4jSettings().checked_password()
        with out.status("starting Neo4j (about 20 s)…"):
            pid = neo4j_server.start(config, password)
    out.print(f"Neo4j running (pid {pid})\n  Bolt:    {config.bolt_uri}\n  Browser: {config.browser_url}")
    out.print(f"  export NEO4J_URI={config.bolt_uri}   # then: chiptrail load --backend neo4j")
    _print_browser(config)


@app.command()
def guide(
    output: Annotated[Path | None, typer.Option("-o", "--output", help="File to write (default: print).")] = None,
    style: Annotated[bool, typer.Option("--style", help="The style (GraSS) instead of the guide.")] = False,
) -> None:
    """The chiptrail guide for the Neo4j Browser (markdown), or its style, as the API serves them."""
    with user_errors():
        text = grass() if style else guide_text()
        if output is None:
            typer.echo(text, nl=False)
        else:
            output.write_text(text, encoding="utf-8")


@app.command()
def stop(home: HomeOpt = DEFAULT_HOME) -> None:
    """Stop the server: SIGTERM, then kill after a grace period."""
    with user_errors():
        stopped = neo4j_server.stop(neo4j_server.ServerConfig.saved(home.resolve()))
    out.print("Neo4j stopped" if stopped else "Neo4j was not running")


@app.command()
def status(home: HomeOpt = DEFAULT_HOME) -> None:
    """Whether the server of this folder runs, and where (exit 3 if not)."""
    with user_errors():
        config = neo4j_server.ServerConfig.saved(home.resolve())
        pid = neo4j_server.running_pid(config)
    if pid is None:
        out.print(f"Neo4j is not running (home {config.home})")
        raise typer.Exit(3)
    out.print(f"Neo4j running (pid {pid})\n  Bolt:    {config.bolt_uri}\n  Browser: {config.browser_url}")
