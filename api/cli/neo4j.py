"""`chiptrail neo4j start|stop|status`: a local Neo4j from Maven-resolved jars, no Docker."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from api.cli.console import out, user_errors
from graph import neo4j_server
from graph.settings import Neo4jSettings

app = typer.Typer(name="neo4j", help="Run a local Neo4j 5.26 server from the jars in tools/neo4j (no Docker needed).")

HomeOpt = Annotated[Path, typer.Option("--home", help="Folder for the server's data, logs and config.")]
BoltOpt = Annotated[int, typer.Option("--bolt-port", help="Loopback Bolt port.")]
HttpOpt = Annotated[int, typer.Option("--http-port", help="Loopback HTTP port (the Browser).")]
DEFAULT_HOME = Path(".chiptrail/neo4j")


def _config(home: Path, bolt_port: int, http_port: int) -> neo4j_server.ServerConfig:
    return neo4j_server.ServerConfig(home.resolve(), bolt_port, http_port)


@app.command()
def start(home: HomeOpt = DEFAULT_HOME, bolt_port: BoltOpt = 7687, http_port: HttpOpt = 7474) -> None:
    """Start the server (password from NEO4J_PASSWORD) and wait until Bolt answers."""
    config = _config(home, bolt_port, http_port)
    with user_errors():
        password = Neo4jSettings().checked_password()
        with out.status("starting Neo4j (about 20 s)…"):
            pid = neo4j_server.start(config, password)
    out.print(f"Neo4j running (pid {pid})\n  Bolt:    {config.bolt_uri}\n  Browser: {config.browser_url}")
    out.print(f"  export NEO4J_URI={config.bolt_uri}   # then: chiptrail load --backend neo4j")


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
