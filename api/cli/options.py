"""Options every command shares, declared once: --as-of, --backend, --data, --format, --output, --region."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer


class Format(StrEnum):
    table = "table"
    json = "json"


class PictureFormat(StrEnum):
    """Formats of the answers that are also drawn (routes, exposure)."""

    table = "table"
    json = "json"
    html = "html"


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
    list[Path] | None,
    typer.Option("--data", help="YAML files or folders to load (default: CHIPTRAIL_DATA, else the bundled data/)."),
]
AsOfOpt = Annotated[
    str | None,
    typer.Option("--as-of", help="Date YYYY-MM-DD the answer holds for (default: today).", callback=check_date),
]
BackendOpt = Annotated[
    Backend,
    typer.Option("--backend", help="memory: load the data files in process; neo4j: query the database at NEO4J_URI."),
]
HomeOpt = Annotated[
    Path, typer.Option("--home", help="With --bulk: the folder of the server `chiptrail neo4j start` runs.")
]
FormatOpt = Annotated[Format, typer.Option("--format", help="table for people, json for programs.")]
PictureFormatOpt = Annotated[
    PictureFormat,
    typer.Option("--format", help="table for people, json for programs, html for a self-contained picture."),
]
OutputOpt = Annotated[
    Path | None, typer.Option("-o", "--output", help="Write the json or html to this file instead of printing it.")
]
RegionOpt = Annotated[str, typer.Option(help="Region id, name, Chinese name or ISO code; places inside it count.")]
PathsArg = Annotated[
    list[Path] | None,
    typer.Argument(help="YAML files or folders (default: CHIPTRAIL_DATA, else the bundled data/)."),
]
