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
import hashlib
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from loaders.sources import ftm
from loaders.sources.base import Invalid, Mapped, ReadOptions, Row, Skipped, SourceInfo
from loaders.sources.ftm import Entity, ValueProblem
from loaders.sources.ftm_statements import statement_entities
from ontology.errors import Problem
from ontology.records import Edge, Node, Origin, Props
from ontology.schema import load_schema
from ontology.vocab import Label, Prop, Rel

ENTITY_LIST = "list-bis-entity-list"
ENTITY_LIST_PROGRAM = "US-BIS-EL"
ORGANIZATION_SCHEMATA = frozenset({"Company", "Organization", "LegalEntity", "PublicBody"})
IDENTIFIER_SCHEMES = {
    "leiCode": "lei",
    "uscCode": "uscc",
    "registrationNumber": "reg",
    "innCode": "inn",
    "ogrnCode": "ogrn",
    "taxNumber": "tax",
    "swiftBic": "bic",
    "isinCode": "isin",
    "dunsCode": "duns",
    "permId": "permid",
    "idNumber": "id",
    "wikidataId": "wikidata",
}
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_KANA_HANGUL = re.compile(r"[\u3040-\u30ff\u31f0-\u31ff\uac00-\ud7af\u1100-\u11ff]")  # Japanese, Korean
_ALPHA2 = re.compile(r"^[A-Za-z]{2}$")
_FR = re.compile(r"^(\d{1,3})\s*FR\s*(\d{1,6})\.?$")
_OFAC = re.compile(r"^ofac-(\d+)$")
_UNSAFE = re.compile(r"[^a-z0-9._-]")


class FieldProblem(Exception):
    """A value of one entity that cannot be mapped: becomes an `Invalid` naming the field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def _digest(text: str, size: int = 8) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:size]  # noqa: S324 - an id, not security


def node_id(entity_id: str, prefix: str = "os-") -> str:
    """The graph id of an FtM id: lower-cased (plus a short hash when that changed it: `NK-` ids
    are mixed case) and made kebab-safe."""
    lowered = entity_id.lower()
    if lowered != entity_id:
        lowered += "-" + _digest(entity_id, 6)
    return _UNSAFE.sub("-", prefix + lowered)


@dataclass
class AddressBook:
    """The Address entities of one file, by id: their text, city and country."""

    full: dict[str, str] = field(default_factory=dict)
    city: dict[str, list[str]] = field(default_factory=dict)
    country: dict[str, list[str]] = field(default_factory=dict)

    def add(self, entity: Entity) -> None:
        parts = ("street", "street2", "postOfficeBox", "city", "postalCode", "region", "state", "country")
        text = entity.first("full") or ", ".join(entity.values(*parts))
        if text:
            self.full[entity.id] = text
        self.city[entity.id] = entity.values("city")
        self.country[entity.id] = entity.values("country")


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


def _dates(entity: Entity, starts: tuple[str, ...], ends: tuple[str, ...]) -> Props:
    props: Props = {}
    for names, end in ((starts, False), (ends, True)):
        for name in names:
            values = entity.values(name)
            if not values:
                continue
            try:
                days = [ftm.prefix_date(value, end=end) for value in values]
            except ValueProblem as exc:
                raise FieldProblem(name, str(exc)) from exc
            props[Prop.VALID_TO if end else Prop.VALID_FROM] = max(days) if end else min(days)
            break
    start, finish = props.get(Prop.VALID_FROM), props.get(Prop.VALID_TO)
    if isinstance(start, dt.date) and isinstance(finish, dt.date) and finish < start:
        raise FieldProblem(ends[0], f"ends {finish} before it starts {start}")
    return props


def script(name: str) -> str:
    """ "zh" for a name in Chinese characters (kana or hangul make it Japanese or Korean: "other"),
    "latin" when every letter is Latin, else "other" (Cyrillic, Arabic, …)."""
    if _KANA_HANGUL.search(name):
        return "other"
    if _HAN.search(name):
        return "zh"
    latin = all(unicodedata.name(ch, "").startswith("LATIN") for ch in name if ch.isalpha())
    return "latin" if latin else "other"


def _names(entity: Entity) -> Props:
    """The first Latin name, with the first Chinese one as name_zh; a Chinese name when there is no
    Latin one; else the first name in any script. Every other name is an alias."""
    names = entity.values("name")
    latin = [name for name in names if script(name) == "latin"]
    han = [name for name in names if script(name) == "zh"]
    props: Props = {Prop.NAME: (latin or han or names or entity.values("alias", "weakAlias") or [entity.id])[0]}
    if latin and han:
        props[Prop.NAME_ZH] = han[0]
    taken = {props[Prop.NAME], props.get(Prop.NAME_ZH)}
    aliases = [n for n in entity.values("name", "alias", "previousName", "weakAlias") if n not in taken]
    if aliases:
        props[Prop.ALIASES] = aliases
    return props


def identifiers(entity: Entity) -> list[str]:
    """Registry identifiers as scheme:value, the OpenSanctions ids and the bridges they imply."""
    found = [f"{scheme}:{value}" for prop, scheme in IDENTIFIER_SCHEMES.items() for value in entity.values(prop)]
    for known in (entity.id, *entity.referents):
        found.append(f"opensanctions:{known}")
        if known.startswith("trade-csl-") and len(known) > len("trade-csl-"):
            found.append(f"csl:{known.removeprefix('trade-csl-')}")
        elif match := _OFAC.match(known):
            found.append(f"ofac:{match.group(1)}")
    return list(dict.fromkeys(found))


def _codes(values: list[str]) -> list[str]:
    return list(dict.fromkeys(v.upper() for v in values if _ALPHA2.match(v)))


def party(entity: Entity, label: str, book: AddressBook) -> Node:
    """An Organization or Person node from a legal entity."""
    linked = [a for a in entity.values("addressEntity") if a in book.full or a in book.city]
    props = _names(entity)
    own = _codes(entity.values("country", "jurisdiction", "mainCountry"))
    countries = list(dict.fromkeys(own + _codes([c for a in linked for c in book.country.get(a, [])])))
    lists: dict[str, list[str]] = {
        Prop.COUNTRIES: countries,
        Prop.ADDRESSES: list(
            dict.fromkeys(entity.values("address") + [book.full[a] for a in linked if a in book.full])
        ),
        Prop.CITIES: list(dict.fromkeys(c for a in linked for c in book.city.get(a, []))),
        Prop.TOPICS: entity.values("topics"),
        Prop.PROGRAMS: entity.values("programId"),
        Prop.IDENTIFIERS: identifiers(entity),
    }
    if own:
        props[Prop.COUNTRY] = own[0]
    props.update({key: value for key, value in lists.items() if value})
    labels = load_schema().closure((label,))
    return Node(node_id(entity.id), labels, props, entity.origin)


def ownership(entity: Entity) -> list[Edge]:
    """OWNS edges owner → asset with the share as a number (when it is one) and as published."""
    owners, assets = entity.values("owner"), entity.values("asset")
    for name, values in (("owner", owners), ("asset", assets)):
        if not values:
            raise FieldProblem(name, f"an Ownership needs an {name}")
    props = _dates(entity, ("startDate",), ("endDate",))
    notes: list[str] = []
    share = entity.first("percentage")
    if share is not None:
        try:
            number = ftm.percentage(share)
        except ValueProblem as exc:
            raise FieldProblem("percentage", str(exc)) from exc
        props[Prop.PERCENTAGE_TEXT] = share
        if number is None:
            notes.append(f"share published as '{share}': not one number, so the percentage is unknown")
        else:
            props[Prop.PERCENTAGE] = number
    notes += [f"source: {url}" for url in entity.values("sourceUrl")]
    if notes:
        props[Prop.NOTE] = "; ".join(notes)
    base = node_id(entity.id, "os-own-")
    pairs = [(o, a) for o in owners for a in assets]
    return [
        Edge(base if len(pairs) == 1 else f"{base}-{n}", Rel.OWNS, node_id(o), node_id(a), dict(props), entity.origin)
        for n, (o, a) in enumerate(pairs, start=1)
    ]


@dataclass(frozen=True)
class Listing:
    """The listing action a designation hangs on, and the list it amends: both shared by every
    designation with the same key, so their records depend on nothing else."""

    action: Node
    list_node: Node | None  # None: the curated Entity List
    amends: Edge


def programme_slug(key: str, is_program_id: bool) -> str:
    """The id part of a programme's list: a programme code as it is (`US-RUSHAR` → `us-rushar`),
    free text (a programme or authority name) cut short and always followed by its hash, so two
    texts, or a text and a code, never share a list."""
    if is_program_id and key == key.upper() and re.fullmatch(r"[A-Z0-9][A-Z0-9._-]*", key):
        return key.lower()
    cleaned = re.sub(r"[^a-z0-9]+", "-", key.lower()).strip("-")[:48].strip("-")
    return f"{cleaned}-{_digest(key)}" if cleaned else _digest(key)


def _listing_node(listing_id: str, props: Props, origin: Origin) -> Node:
    return Node(listing_id, load_schema().closure((Label.LISTING_ACTION,)), props, origin)


def listing(entity: Entity) -> Listing:
    """The Federal Register action of an Entity List entry, or the listing of another programme."""
    programs = entity.values("programId")
    citations = sorted({(int(m[1]), int(m[2])) for a in entity.values("authorityId") if (m := _FR.match(a))})
    if ENTITY_LIST_PROGRAM in programs:
        if citations:
            vol, page = citations[0]
            props: Props = {Prop.NAME: f"Federal Register {vol} FR {page}", Prop.CITATION: f"{vol} FR {page}"}
            action = _listing_node(f"os-listing-{vol}-fr-{page}", props, entity.origin)
        else:
            props = {Prop.NAME: "Entity List entry with no Federal Register citation given"}
            action = _listing_node("os-listing-us-bis-el", props, entity.origin)
        amends = Edge(f"{action.id}-amends-{ENTITY_LIST}", Rel.AMENDS, action.id, ENTITY_LIST, {}, entity.origin)
        return Listing(action, None, amends)
    key = entity.first("programId", "program", "authority") or "unspecified"
    slug = programme_slug(key, bool(programs))
    list_props: Props = {Prop.NAME: key}
    if programs:
        list_props[Prop.PROGRAMS] = [key]
    list_node = Node(f"os-list-{slug}", load_schema().closure((Label.SANCTIONS_LIST,)), list_props, entity.origin)
    action = _listing_node(f"os-listing-{slug}", {Prop.NAME: f"Listing under {key}"}, entity.origin)
    amends = Edge(f"{action.id}-amends-{list_node.id}", Rel.AMENDS, action.id, list_node.id, {}, entity.origin)
    return Listing(action, list_node, amends)


def sanction(entity: Entity) -> Mapped:
    """DESIGNATED_BY edges from the sanctioned entity to its listing action, with the terms."""
    targets = entity.values("entity")
    if not targets:
        raise FieldProblem("entity", "a Sanction needs the entity it designates")
    props = _dates(entity, ("startDate", "listingDate"), ("endDate",))
    texts = {
        Prop.LICENSE_POLICY: entity.values("provisions"),
        Prop.LICENSE_REQUIREMENT: entity.values("reason"),
        Prop.CITATION: entity.values("authorityId"),
    }
    props.update({key: "; ".join(values) for key, values in texts.items() if values})
    if programs := entity.values("programId"):
        props[Prop.PROGRAMS] = programs
    notes = [
        f"{what}: {'; '.join(entity.values(prop))}"
        for what, prop in (("program", "program"), ("authority", "authority"), ("source", "sourceUrl"))
        if entity.values(prop)
    ]
    if notes:
        props[Prop.NOTE] = " | ".join(notes)
    found = listing(entity)
    base = node_id(entity.id, "os-san-")
    edges = [
        Edge(
            base if len(targets) == 1 else f"{base}-{n}",
            Rel.DESIGNATED_BY,
            node_id(t),
            found.action.id,
            dict(props),
            entity.origin,
        )
        for n, t in enumerate(targets, start=1)
    ]
    nodes = [found.action] + ([found.list_node] if found.list_node else [])
    return Mapped(entity.id, entity.origin, nodes, [*edges, found.amends])


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
        book = collect_addresses(path)
        for parsed in entities(path):
            yield Invalid(parsed) if isinstance(parsed, Problem) else map_entity(parsed, book, options)


OPENSANCTIONS = OpenSanctionsSource()
