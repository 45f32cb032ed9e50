"""The trade.gov Consolidated Screening List (CSL): each row becomes a party and its designation.

A row becomes an `Organization` (or a `Person`, only when individuals are asked for) designated
by the listing action of its first Federal Register citation. Every citation of the row becomes a
`ListingAction` that AMENDS the row's list: Entity List actions amend the curated
`list-bis-entity-list`; other lists get a `SanctionsList` of their own (`list-csl-<code>`).

Records shared by many rows (lists, listing actions, AMENDS edges) are built from their shared key
alone, so every row yields the same body. A party's record key is stable across snapshots, unlike
the CSL `_id` (a hash of name and FR citations that changes when BIS amends an entry): the list
code with the OFAC entity number for Treasury rows, else with the normalised name.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path

from loaders.coerce import control_characters
from loaders.sources.base import Invalid, Mapped, ReadOptions, Row, Skipped, SourceInfo
from loaders.sources.csl_files import RawRow, RowError, json_snapshot, read_csv, read_json
from ontology.errors import DataError, Problem
from ontology.records import Edge, Node, Origin, Props
from ontology.schema import load_schema
from ontology.vocab import Label, Prop, Rel

ENTITY_LIST = "list-bis-entity-list"  # curated; CSL Entity List actions amend it
_LABEL = re.compile(r"^(?P<title>[^()]+?)\s*\((?P<code>[^()]+)\)[^()]*-\s*(?P<agency>[^()]+)$")
_CITATION = re.compile(r"\b(\d{1,3})\s*F\.?\s?R\.?\s+(\d{1,6})\b")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ADDRESS_ONLY = re.compile(r"^Address \d+")
_SKIPPED_TYPES = {"vessel": "vessel", "aircraft": "aircraft"}
_SCHEMES = {"unified social credit code (uscc)": "uscc", "uscc": "uscc", "lei": "lei", "isin": "isin"}
# Words in an `ids` type that mark a fact about the entry, not an identifier of the party.
_NOT_IDENTIFIER = (
    "date", "type", "gender", "sanction", "website", "email", "phone", "nationality", "title", "directive",
    "prohibited", "executive order",
)  # fmt: skip
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")  # a fast first look; `control_characters` says which
_YEARS = range(1900, 2101)  # a listing date outside these years is a typo (the CSL once held 3033-01-17)

INFO = SourceInfo(
    name="csl",
    dataset="trade_gov_csl",
    title="Consolidated Screening List",
    publisher="International Trade Administration, U.S. Department of Commerce",
    licence="Public domain (work of the U.S. Government)",
    home="https://www.trade.gov/consolidated-screening-list",
    url="https://data.trade.gov/downloadable_consolidated_screening_list/v1/consolidated.json",
    confidence="confirmed",
    formats=("json", "csv"),
)


def list_code(label: str) -> str | None:
    """`Non-SDN Menu-Based Sanctions List (NS-MBS List) - Treasury Department` -> `MBS`."""
    match = _LABEL.match(label)
    if match is None:
        return None
    code = re.sub(r"\s*List$", "", match["code"].strip()).split("-")[-1].strip()
    return code if re.fullmatch(r"[A-Z0-9]+", code) else None


def citations(notice: str) -> list[tuple[str, str]]:
    """Each `NN FR NNNNN` in a federal_register_notice, as (volume, page), first first."""
    return list(dict.fromkeys((vol, page) for vol, page in _CITATION.findall(notice)))


def scheme(kind: str, number: str = "") -> str | None:
    """The identifier scheme for an `ids` type (`ISIN` -> `isin`), or None when the entry states a
    fact about the listing (`Target Type, Private Company`, `Listing Date (CMIC), 03 Jun 2021`)."""
    lowered = kind.strip().lower()
    if lowered in _SCHEMES:
        return _SCHEMES[lowered]
    if any(word in f"{lowered} {number.lower()}" for word in _NOT_IDENTIFIER):
        return None
    slug = re.sub(r"[^a-z0-9]+", "-", lowered.replace(".", "")).strip("-")
    return slug or None


def _date(text: str, name: str) -> dt.date | None:
    if not text:
        return None
    try:
        day = dt.date.fromisoformat(text) if _ISO_DATE.match(text) else None
    except ValueError:
        day = None
    if day is None or day.year not in _YEARS:
        raise RowError(f"{text!r} is not a possible date YYYY-MM-DD", name)
    return day


def _slug_key(key: str) -> str:
    return hashlib.sha1(key.encode(), usedforsecurity=False).hexdigest()[:12]


def _list_node(code: str, label: str) -> tuple[str, Node | None]:
    if code == "EL":
        return ENTITY_LIST, None
    list_id = f"list-csl-{code.lower()}"
    props: Props = {Prop.NAME: label, Prop.LIST_CODE: code}
    return list_id, Node(list_id, _labels(Label.SANCTIONS_LIST), props)


@cache
def _labels(label: str) -> tuple[str, ...]:
    return load_schema().closure((label,))


def _action(code: str, label: str, list_id: str, cited: tuple[str, str] | None) -> tuple[Node, Edge]:
    if cited is None:
        action_id, props = f"csl-listing-{code.lower()}", {Prop.NAME: f"Listed on {label}"}
    else:
        citation = f"{cited[0]} FR {cited[1]}"
        action_id = f"csl-listing-{cited[0]}-fr-{cited[1]}"
        props = {Prop.NAME: f"Federal Register {citation}", Prop.CITATION: citation}
    node = Node(action_id, _labels(Label.LISTING_ACTION), dict(props))
    return node, Edge(f"{action_id}-amends-{list_id}", Rel.AMENDS, action_id, list_id, {})


def _identifiers(row: RawRow) -> list[str]:
    found = [f"csl:{row.csl_id}"] if row.csl_id else []
    if row.entity_number:
        found.append(f"ofac:{row.entity_number}")
    for kind, number in row.ids:
        name = scheme(kind, number)
        if name:
            found.append(f"{name}:{number}")
    return list(dict.fromkeys(found))


def _party_props(row: RawRow) -> Props:
    countries = list(dict.fromkeys(c for c in row.countries if c))
    props: Props = {
        Prop.NAME: row.name,
        Prop.ALIASES: row.alt_names,
        Prop.ADDRESSES: row.addresses,
        Prop.CITIES: row.cities,
        Prop.COUNTRIES: countries,
        Prop.PROGRAMS: row.programs,
        Prop.REMARKS: row.remarks,
        Prop.IDENTIFIERS: _identifiers(row),
    }
    if countries:
        props[Prop.COUNTRY] = countries[0]  # the first address's, or the first address that names a code
    return {key: value for key, value in props.items() if value}


def _designation_props(row: RawRow, code: str) -> Props:
    props: Props = {
        Prop.VALID_FROM: _date(row.start_date, "start_date") or "",
        Prop.VALID_TO: _date(row.end_date, "end_date") or "",
        Prop.CITATION: row.federal_register_notice,
        Prop.LICENSE_REQUIREMENT: row.license_requirement,
        Prop.LICENSE_POLICY: row.license_policy,
        Prop.PROGRAMS: row.programs,
        Prop.LIST_CODE: code,
        Prop.REMARKS: row.remarks,
    }
    return {key: value for key, value in props.items() if value}


def _check_text(row: RawRow) -> None:
    """A name must be there; no text may hold control characters (tab and line breaks are allowed
    outside names). The real list has held cp1252 mojibake such as U+0092 for an apostrophe."""
    if not row.name:
        raise RowError("the row has no name", "name")
    names = [(row.name, "name"), *((alias, "alt_names") for alias in row.alt_names)]
    texts = [
        *((text, "addresses") for text in row.addresses),
        *((text, "programs") for text in row.programs),
        (row.federal_register_notice, "federal_register_notice"),
        (row.license_requirement, "license_requirement"),
        (row.license_policy, "license_policy"),
        (row.remarks, "remarks"),
    ]
    for text, field, in_name in [(t, f, True) for t, f in names] + [(t, f, False) for t, f in texts]:
        bad = control_characters(text, in_name=in_name) if _CONTROL.search(text) else []
        if bad:
            raise RowError(f"control characters {', '.join(bad)} in {text[:60]!r}", field)


class _Keys:
    """Record keys, stable across snapshots, made unique within one file in reading order."""

    def __init__(self) -> None:
        self.seen: set[str] = set()

    def key(self, row: RawRow, code: str) -> str:
        """`<CODE>:<entity number or normalised name>`; a repeat gets `|<first FR citation or _id>`,
        then `|<_id>`, then `|<n>` (rows of one name and notice the importer did not group)."""
        key = f"{code}:{row.entity_number or ' '.join(row.name.casefold().split())}"
        cited = citations(row.federal_register_notice)
        for extra in (f"{cited[0][0]} FR {cited[0][1]}" if cited else row.csl_id, row.csl_id):
            if key not in self.seen:
                break
            key = f"{key}|{extra}"
        unique, count = key, 1
        while unique in self.seen:
            count += 1
            unique = f"{key}|{count}"
        self.seen.add(unique)
        return unique


def _map(row: RawRow, keys: _Keys, options: ReadOptions) -> Row:
    code = list_code(row.source)
    if code is None:
        raise RowError(f"{row.source[:80]!r} is not a CSL list label 'Title (CODE) - Agency'", "source")
    _check_text(row)
    designation = _designation_props(row, code)  # before the key: an invalid row takes no key
    key = keys.key(row, code)
    party_id = f"csl-{code.lower()}-{_slug_key(key)}"
    kind = row.type.lower()
    if kind in _SKIPPED_TYPES:
        return Skipped(_SKIPPED_TYPES[kind], row.origin, ids=(party_id,))
    if _ADDRESS_ONLY.match(row.name):
        return Skipped("address-only entry", row.origin, ids=(party_id,))
    if kind == "individual" and not options.include_individuals:
        return Skipped("individual", row.origin, ids=(party_id,))
    label = Label.PERSON if kind == "individual" else Label.ORGANIZATION
    list_id, list_node = _list_node(code, row.source)
    cited: list[tuple[str, str] | None] = [*citations(row.federal_register_notice)] or [None]
    actions = [_action(code, row.source, list_id, one) for one in cited]
    party = Node(party_id, _labels(label), _party_props(row), row.origin)
    first = actions[0][0].id
    edge = Edge(f"{party_id}-designated-{first}", Rel.DESIGNATED_BY, party_id, first, designation, row.origin)
    nodes = [party, *(node for node, _ in actions), *([list_node] if list_node else [])]
    return Mapped(key, row.origin, nodes, [edge, *(amends for _, amends in actions)])


def _problem(error: RowError, origin: Origin, record: str | None) -> Invalid:
    return Invalid(Problem(error.message, file=origin.file, line=origin.line, record=record, field=error.field))


class CslSource:
    """The CSL as a `Source`: `consolidated.json` (preferred) or `consolidated.csv`."""

    info = INFO

    def stated_snapshot(self, path: Path) -> dt.date | None:
        """The date of the JSON's `search_performed_at` (else its newest import); None for CSV."""
        return json_snapshot(path) if _kind(path) == "json" else None

    def read(self, path: Path, options: ReadOptions) -> Iterator[Row]:
        """Stream the rows of a CSL download; `DataError` when the file as a whole is unreadable."""
        rows = read_json(path) if _kind(path) == "json" else read_csv(path)
        keys = _Keys()
        for origin, raw in rows:
            record = origin.item if origin.line is None else None
            if isinstance(raw, RowError):
                yield _problem(raw, origin, record)
                continue
            try:
                yield _map(raw, keys, options)
            except RowError as exc:
                yield _problem(exc, origin, record or raw.csl_id or None)


def _kind(path: Path) -> str:
    suffix = path.suffix.lower().lstrip(".")
    if suffix not in INFO.formats:
        message = f"a CSL download is consolidated.json or consolidated.csv, not a .{suffix or '(none)'} file"
        raise DataError([Problem(message, file=str(path))])
    return suffix


CSL = CslSource()
