"""FollowTheMoney statements CSV (`statements.csv`): one row per property value, read as entities.

The 14 columns are `canonical_id, entity_id, prop, prop_type, schema, value, dataset, origin,
lang, original_value, external, first_seen, last_seen, id`, every field quoted. The rows of one
entity are contiguous in OpenSanctions' exports, so entities are built one at a time (memory stays
bounded by one entity); an entity whose rows come back after another's is a `DataError`, since
its first part would already have been read as a whole entity.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

from loaders.sources.ftm import Entity, sniff
from ontology.errors import DataError, Problem
from ontology.records import Origin

COLUMNS = (
    "canonical_id",
    "entity_id",
    "prop",
    "prop_type",
    "schema",
    "value",
    "dataset",
    "origin",
    "lang",
    "original_value",
    "external",
    "first_seen",
    "last_seen",
    "id",
)
# When statements of one entity name several schemata (merged sources), the most specific wins.
_SPECIFIC = ("Company", "PublicBody", "Organization", "Person", "LegalEntity")


class _Group:
    """The statements of one entity read so far."""

    def __init__(self, entity_id: str, line: int) -> None:
        self.entity_id = entity_id
        self.line = line
        self.schemata: list[str] = []
        self.canonical: set[str] = set()
        self.props: dict[str, list[str]] = {}

    def add(self, row: dict[str, str]) -> None:
        if row["schema"] not in self.schemata:
            self.schemata.append(row["schema"])
        if row["canonical_id"] and row["canonical_id"] != self.entity_id:
            self.canonical.add(row["canonical_id"])
        if row["prop"] != "id":
            values = self.props.setdefault(row["prop"], [])
            if row["value"] not in values:
                values.append(row["value"])

    def entity(self, path: Path) -> Entity:
        schema = next((s for s in _SPECIFIC if s in self.schemata), self.schemata[0])
        origin = Origin(str(path), self.line)
        return Entity(self.entity_id, schema, self.props, tuple(sorted(self.canonical)), origin)


def statement_entities(path: Path) -> Iterator[Entity | Problem]:
    """Stream the entities of a statements file (a bad row is a `Problem` naming line and field).

    Raises `DataError` when the file is not UTF-8 text, lacks the header, or splits an entity."""
    try:
        with path.open("rb") as raw:
            sniff(raw.read(8192), path)
            raw.seek(0)
            text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
            yield from _entities(csv.reader(text), path)
    except OSError as exc:
        raise DataError([Problem(f"cannot read file: {exc.strerror}", file=str(path))]) from exc


def _entities(reader: Iterator[list[str]], path: Path) -> Iterator[Entity | Problem]:
    where = str(path)
    header = _next(reader, path)
    if header is None or tuple(header) != COLUMNS:
        message = f"not a statements file: the header must be {', '.join(COLUMNS)}"
        raise DataError([Problem(message, file=where, line=1)])
    group: _Group | None = None
    done: set[str] = set()
    while (cells := _next(reader, path)) is not None:
        line = getattr(reader, "line_num", 0)
        if len(cells) != len(COLUMNS):
            yield Problem(f"{len(cells)} columns where a statement has {len(COLUMNS)}", file=where, line=line)
            continue
        row = dict(zip(COLUMNS, cells, strict=True))
        for key in ("entity_id", "prop", "schema"):
            if not row[key].strip():
                yield Problem(f"a statement needs its {key}", file=where, line=line, field=key)
                break
        else:
            if group is None or row["entity_id"] != group.entity_id:
                if group is not None:
                    done.add(group.entity_id)
                    yield group.entity(path)
                if row["entity_id"] in done:
                    message = (
                        f"the statements of entity {row['entity_id']} are not contiguous; sort the file by entity_id"
                    )
                    raise DataError([Problem(message, file=where, line=line, field="entity_id")])
                group = _Group(row["entity_id"], line)
            group.add(row)
    if group is not None:
        yield group.entity(path)


def _next(reader: Iterator[list[str]], path: Path) -> list[str] | None:
    try:
        return next(reader)
    except StopIteration:
        return None
    except UnicodeDecodeError as exc:
        line = getattr(reader, "line_num", 0) + 1
        raise DataError(
            [Problem(f"not UTF-8 ({exc.reason}); save the file as UTF-8", file=str(path), line=line)]
        ) from exc
    except csv.Error as exc:
        line = getattr(reader, "line_num", 0)
        raise DataError([Problem(f"CSV syntax: {exc}", file=str(path), line=line)]) from exc
