"""OpenSanctions `entities.ftm.json` (or `statements.csv`): parties, ownership stakes and designations.

Each FtM entity (a JSON line, or the contiguous statements of one entity_id) becomes one source
record keyed by its entity id:

- a Company, Organization, LegalEntity or PublicBody an `Organization` node (a Person a `Person`
  node, only when individuals are asked for), with identifiers as scheme:value and the
  deterministic bridges to other sources (`trade-csl-<x>` → `csl:<x>`, `ofac-<n>` → `ofac:<n>`);
- an Ownership an `OWNS` edge owner → asset, its share both as a number (when it is one) and as
  published, because FtM keeps percentages as text;
- a Sanction a `DESIGNATED_BY` edge to a listing action: an Entity List (US-BIS-EL) entry with a
  Federal Register citation to that FR action, which AMENDS the curated `list-bis-entity-list`, so
  screening and the 50% rule treat it as an Entity List designation; any other programme to a
  listing action of its own list.

Address entities only lend their text to the parties that point at them (a first pass collects
them); every other schema is skipped and counted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

from loaders.sources import ftm
from loaders.sources.base import Invalid, Mapped, ReadOptions, Row, Skipped, SourceInfo
from loaders.sources.ftm import Entity
from loaders.sources.ftm_statements import statement_entities
from loaders.sources.opensanctions_links import FieldProblem, ownership, sanction
from loaders.sources.opensanctions_parties import AddressBook, node_id, party
from ontology.errors import Problem
from ontology.records import Origin
from ontology.vocab import Label

ORGANIZATION_SCHEMATA = frozenset({"Company", "Organization", "LegalEntity", "PublicBody"})


def entities(path: Path, hint: str | None = None) -> Iterator[Entity | Problem]:
    """The entities of a download: a statements CSV by its name, else FtM JSON lines."""
    if path.name.lower().endswith(".csv"):
        return statement_entities(path)
    return ftm.json_entities(path, hint)


def collect_addresses(path: Path) -> AddressBook:
    """First pass: every readable Address entity of the file (bad lines are reported by the second)."""
    book = AddressBook()
    for parsed in entities(path, hint='"Address"'):
        if isinstance(parsed, Entity) and parsed.schema == "Address":
            book.add(parsed)
    return book


def map_entity(entity: Entity, book: AddressBook, options: ReadOptions) -> Row:
    """What one entity becomes (a `FieldProblem` becomes an `Invalid`)."""
    origin = entity.origin
    try:
        if entity.schema in ORGANIZATION_SCHEMATA:
            return Mapped(entity.id, origin, [party(entity, Label.ORGANIZATION, book)])
        if entity.schema == "Person":
            if not options.include_individuals:
                return Skipped("individual", origin, ids=(node_id(entity.id),))
            return Mapped(entity.id, origin, [party(entity, Label.PERSON, book)])
        if entity.schema == "Ownership":
            return Mapped(entity.id, origin, edges=ownership(entity))
        if entity.schema == "Sanction":
            return sanction(entity)
    except FieldProblem as exc:
        problem = Problem(str(exc), file=origin.file, line=origin.line, record=entity.id, field=exc.field)
        return Invalid(problem)
    if entity.schema == "Address":
        return Skipped("address entity", origin)
    return Skipped(f"schema {entity.schema}", origin)


class OpenSanctionsSource:
    """The OpenSanctions default collection (or any dataset) as FtM JSON lines."""

    info = SourceInfo(
        name="opensanctions",
        dataset="opensanctions",
        title="OpenSanctions",
        publisher="OpenSanctions",
        licence="CC BY-NC 4.0 (non-commercial use; the publisher licenses commercial use)",
        home="https://www.opensanctions.org/datasets/default/",
        url="https://data.opensanctions.org/datasets/latest/default/entities.ftm.json",
        confidence="reported",
        formats=("ftm.json", "jsonl", "csv"),
    )

    def stated_snapshot(self, path: Path) -> dt.date | None:
        """An entities file states no date of its own: the ingest uses --snapshot or the file's."""
        return None

    def read(self, path: Path, options: ReadOptions) -> Iterator[Row]:
        """Stream the file twice: Address entities first, then every entity as a row."""
        read = self.pieces(path, options)
        yield from (read(piece) for piece in read.cut())

    def pieces(self, path: Path, options: ReadOptions) -> EntityPieces:
        """The entities, one a piece: a JSON line (parsed where it is mapped), or the contiguous
        statements of one entity (grouped as they are read), after the addresses' first pass."""
        return EntityPieces(path, collect_addresses(path), options)


class EntityPieces:
    """The rows of an entities or statements file, piece by piece (`base.Pieces`)."""

    def __init__(self, path: Path, book: AddressBook, options: ReadOptions) -> None:
        self.path, self.book, self.options = path, book, options
        self.statements = path.name.lower().endswith(".csv")

    def cut(self) -> Iterator[tuple[int, str] | Entity | Problem]:
        return statement_entities(self.path) if self.statements else ftm.lines(self.path)

    def __call__(self, piece: tuple[int, str] | Entity | Problem) -> Row:
        if isinstance(piece, tuple):
            number, text = piece
            piece = ftm.parse_entity(text, Origin(str(self.path), number))
        return Invalid(piece) if isinstance(piece, Problem) else map_entity(piece, self.book, self.options)


OPENSANCTIONS = OpenSanctionsSource()
