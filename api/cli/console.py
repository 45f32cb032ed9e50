"""What every command shares at run time: the consoles, error translation, opening a store, output.

Domain errors are translated here, once, by reading them: the message goes to standard error and
the exit code is the error's own (2 for what the user typed — an unknown name, an invalid
parameter; 1 for invalid data, an unavailable backend or a fault).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import typer
from pydantic import BaseModel, ValidationError
from rich.console import Console

from api.cli.options import Backend, Format, PictureFormat
from api.settings import shared_settings
from ontology.errors import ChiptrailError, DataError

if TYPE_CHECKING:
    from graph import GraphStore

out = Console(soft_wrap=False)
err = Console(stderr=True, soft_wrap=True)


def fail(message: str, code: int) -> NoReturn:
    err.print(f"[bold red]error:[/] {message}", highlight=False)
    raise typer.Exit(code)


@contextmanager
def user_errors() -> Iterator[None]:
    """Translate domain errors (and invalid settings) into a message and the error's exit code."""
    try:
        yield
    except DataError as exc:
        count = f"{len(exc.problems)} problem{'' if len(exc.problems) == 1 else 's'}"
        fail(f"invalid data ({count}):\n" + "\n".join(f"  {p}" for p in exc.problems), 1)
    except ChiptrailError as exc:
        fail(str(exc), exc.exit_code)
    except ValidationError as exc:  # settings read from the environment
        fail("invalid settings: " + "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors()), 2)


def data_paths(data: list[Path] | None) -> list[Path]:
    """The paths given, else CHIPTRAIL_DATA, else the bundled data."""
    return list(data) if data else shared_settings().data


@contextmanager
def loaded(data: list[Path] | None, backend: Backend = Backend.memory) -> Iterator[GraphStore]:
    """A command's store, closed at the end, with domain errors translated: the Neo4j store as
    loaded, or an embedded store holding the given data."""
    if backend is Backend.neo4j and data:
        raise typer.BadParameter("--data is for the memory backend; put data into Neo4j with `chiptrail load`")
    from api.stores import open_loaded_store  # the store and the query layer load only when a command needs them

    with user_errors():
        settings = shared_settings()
        store = open_loaded_store(backend.value, data_paths(data), settings.home, settings.judgement_files)
        try:
            yield store
        finally:
            store.close()


def emit(fmt: Format, answer: BaseModel | Any, table: Callable[[], None]) -> None:
    """The answer's JSON (its model, as the API returns it) or the table for people."""
    if fmt is Format.json:
        sys.stdout.write(_json(answer))
    else:
        table()


def _json(answer: BaseModel | Any) -> str:
    payload = answer.model_dump(mode="json", by_alias=True) if isinstance(answer, BaseModel) else answer
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"


def emit_drawn(
    fmt: PictureFormat, answer: BaseModel, table: Callable[[], None], draw: Callable[[], str], output: Path | None
) -> None:
    """The table, or the JSON or the HTML picture (both drawn from the same answer model) printed or
    written to `output`."""
    if fmt is PictureFormat.table:
        if output is not None:
            raise typer.BadParameter("--output is for --format json or html")
        table()
        return
    text = _json(answer) if fmt is PictureFormat.json else draw()
    if output is None:
        sys.stdout.write(text)
        return
    with user_errors():
        try:
            output.write_text(text, encoding="utf-8")
        except OSError as exc:
            fail(f"cannot write {output}: {exc.strerror}", 1)
    err.print(f"wrote {output}", highlight=False)
