"""What every command shares: consoles, options, error translation, opening a store.

Domain errors are translated here, once, into a message and an exit code (2 for an unknown chip,
region, seed or bad option; 1 for invalid data or an unavailable backend).
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console

from graph import GraphStore, open_store
from loaders import default_data_dir, load_paths
from ontology.errors import ChiptrailError, DataError, NotFound

out = Console(soft_wrap=False)
err = Console(stderr=True, soft_wrap=True)


class Format(StrEnum):
    table = "table"
    json = "json"


class Backend(StrEnum):
    memory = "memory"
    neo4j = "neo4j"


def parse_date(value: str | None) -> dt.date | None:
    """--as-of YYYY-MM-DD (None means today)."""
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"expected a date YYYY-MM-DD, got '{value}'") from None


def check_date(value: str | None) -> str | None:
    """Option callback: reject a bad date while parsing, so the usage error names the option."""
    parse_date(value)
    return value


DataOpt = Annotated[
    list[Path] | None, typer.Option("--data", help="YAML files or folders to load (default: the bundled data/).")
]
AsOfOpt = Annotated[
    str | None,
    typer.Option("--as-of", help="Date YYYY-MM-DD the answer holds for (default: today).", callback=check_date),
]
BackendOpt = Annotated[
    Backend,
    typer.Option("--backend", help="memory: load data/ in process (default); neo4j: query the database at NEO4J_URI."),
]
FormatOpt = Annotated[Format, typer.Option("--format", help="table for people, json for programs.")]


def fail(message: str, code: int) -> NoReturn:
    err.print(f"[bold red]error:[/] {message}", highlight=False)
    raise typer.Exit(code)


@contextmanager
def user_errors() -> Iterator[None]:
    """Translate domain errors into a message and an exit code."""
    try:
        yield
    except NotFound as exc:
        fail(str(exc), 2)
    except DataError as exc:
        fail(f"invalid data ({len(exc.problems)} problems):\n" + "\n".join(f"  {p}" for p in exc.problems), 1)
    except ValueError as exc:
        fail(str(exc), 2)
    except ChiptrailError as exc:
        fail(str(exc), 1)


def open_loaded(data: list[Path] | None, backend: Backend = Backend.memory) -> GraphStore:
    """The Neo4j store as loaded, or an embedded store holding the given data (default: data/)."""
    if backend is Backend.neo4j:
        if data:
            raise typer.BadParameter("--data is for the memory backend; put data into Neo4j with `chiptrail load`")
        return open_store("neo4j")
    store = open_store("memory")
    store.load(load_paths(data or [default_data_dir()]))
    return store


@contextmanager
def loaded(data: list[Path] | None, backend: Backend = Backend.memory) -> Iterator[GraphStore]:
    """A command's store (see `open_loaded`), closed at the end, with domain errors translated."""
    with user_errors():
        store = open_loaded(data, backend)
        try:
            yield store
        finally:
            store.close()


def emit(fmt: Format, payload: Any, table: Callable[[], None]) -> None:
    if fmt is Format.json:
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
    else:
        table()
