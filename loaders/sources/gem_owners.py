"""GEM owner and parent cells: `Name [60%]; Other [40%]`, with the matching `E…; E…` entity ids.

A share is the bracketed number at the end of a name, in percent, 0–100; a name without brackets
has no known share (never 100% by default). The entity-id cell lists one id per name in the same
order; an empty id cell (older releases) leaves the owners keyed by their names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from loaders.sources.csl_files import RowError

_SHARE = re.compile(r"^(?P<name>.*?)\s*\[(?P<text>[^\[\]]*)\]\s*$")
_NUMBER = re.compile(r"^(\d{1,3}(?:\.\d+)?)\s*%?$")
_ENTITY = re.compile(r"^E\d{6,15}$")


@dataclass(frozen=True)
class Holder:
    """One owner or parent as the cell names it."""

    name: str
    entity: str | None  # the GEM entity id, E…
    share: float | None  # percent, when the cell gives one
    text: str | None  # the share exactly as published, e.g. "60%"


def share(text: str, field: str) -> float:
    """`60%` -> 60.0; raises `RowError` naming the field when it is not a percentage 0–100."""
    match = _NUMBER.match(text.strip())
    if match is None:
        raise RowError(f"share '{text}' is not a percentage", field)
    number = float(match[1])
    if not 0 <= number <= 100:
        raise RowError(f"share '{text}' is outside 0–100", field)
    return number


def holders(names: str, ids: str, names_field: str, ids_field: str) -> list[Holder]:
    """The holders a cell pair names, in order (empty when the name cell is empty)."""
    parts = [part.strip() for part in names.split(";") if part.strip()]
    entities = [part.strip() for part in ids.split(";") if part.strip()] if ids.strip() else []
    if entities and len(entities) != len(parts):
        raise RowError(f"{len(parts)} names in {names_field!r} but {len(entities)} entity ids", ids_field)
    found = []
    for number, part in enumerate(parts):
        match = _SHARE.match(part)
        name, text = (match["name"].strip(), match["text"].strip()) if match else (part, None)
        if not name:
            raise RowError(f"a holder without a name in {part!r}", names_field)
        entity = entities[number] if entities else None
        if entity is not None and not _ENTITY.match(entity):
            raise RowError(f"{entity!r} is not a GEM entity id (E followed by digits)", ids_field)
        found.append(Holder(name, entity, share(text, names_field) if text else None, f"{text}" if text else None))
    return found
