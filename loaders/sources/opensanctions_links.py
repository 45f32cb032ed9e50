"""OpenSanctions links: Ownership entities as OWNS edges, Sanction entities as designations.

FtM keeps a share as text, so an `OWNS` edge carries it both as a number (when it is one) and as
published; dates are ISO prefixes, read as the first day they cover for a start and the last for
an end. A Sanction becomes a `DESIGNATED_BY` edge to a listing action: an Entity List (US-BIS-EL)
entry with a Federal Register citation to that FR action, which AMENDS the curated
`list-bis-entity-list` (so screening and the 50% rule treat it as an Entity List designation);
any other programme to a listing action of its own list. Listing actions, lists and AMENDS edges
are shared by many rows, so their records depend on nothing but their key.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from loaders.sources import ftm
from loaders.sources.base import Mapped
from loaders.sources.ftm import Entity, ValueProblem
from loaders.sources.opensanctions_parties import digest, node_id
from ontology.records import Edge, Node, Origin, Props
from ontology.schema import load_schema
from ontology.vocab import Label, Prop, Rel

ENTITY_LIST = "list-bis-entity-list"
ENTITY_LIST_PROGRAM = "US-BIS-EL"
_FR = re.compile(r"^(\d{1,3})\s*FR\s*(\d{1,6})\.?$")


class FieldProblem(Exception):
    """A value of one entity that cannot be mapped: becomes an `Invalid` naming the field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


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
    return f"{cleaned}-{digest(key)}" if cleaned else digest(key)


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
