"""Find chip models and places by what a user types: id, name, alias, Chinese name, family, code."""

from __future__ import annotations

import difflib
import re

from graph.store import GraphStore
from ontology.errors import NotFound
from ontology.records import Node
from ontology.vocab import Label, Prop
from queries.cache import per_version

NAME_KEYS = (Prop.NAME, Prop.NAME_ZH, Prop.ALIASES)


def normalise(text: str) -> str:
    """Case, spaces, hyphens and underscores do not matter: 'h-100 sxm' == 'H100SXM'."""
    return re.sub(r"[\s\-_]+", "", text).casefold()


def names_of(node: Node, keys: tuple[str, ...]) -> list[str]:
    found: list[str] = []
    for key in keys:
        value = node.props.get(key)
        if isinstance(value, list):
            found.extend(value)
        elif isinstance(value, str):
            found.append(value)
    return found


def _match(nodes: list[Node], term: str, keys: tuple[str, ...]) -> list[Node]:
    wanted = normalise(term)
    by_id = [n for n in nodes if n.id == term]
    return by_id or [n for n in nodes if wanted in {normalise(x) for x in names_of(n, keys)}]


def _suggestions(nodes: list[Node], term: str, keys: tuple[str, ...]) -> list[str]:
    names = sorted({x for n in nodes for x in names_of(n, keys)} | {n.id for n in nodes})
    by_norm = {normalise(x): x for x in names}
    close = difflib.get_close_matches(normalise(term), list(by_norm), n=5, cutoff=0.5)
    return [by_norm[c] for c in close]


def resolve_chips(store: GraphStore, term: str) -> list[Node]:
    """Chip models matching `term`; a family name ('H100') covers every variant. Raises `NotFound`."""
    return list(per_version(store, ("resolve_chips", term), lambda: tuple(_resolve_chips(store, term))))


def _resolve_chips(store: GraphStore, term: str) -> list[Node]:
    chips = store.nodes(Label.CHIP_MODEL)
    found = _match(chips, term, (*NAME_KEYS, Prop.FAMILY))
    if not found:
        raise NotFound("chip", term, _suggestions(chips, term, (*NAME_KEYS, Prop.FAMILY)))
    return found


def resolve_place(store: GraphStore, term: str) -> Node:
    """The place matching `term` (id, name, alias, Chinese name or ISO 3166 code). Raises `NotFound`."""
    return per_version(store, ("resolve_place", term), lambda: _resolve_place(store, term))


def _resolve_place(store: GraphStore, term: str) -> Node:
    places = store.nodes(Label.PLACE)
    found = _match(places, term, (*NAME_KEYS, Prop.ISO3166))
    if not found:
        raise NotFound("region", term, _suggestions(places, term, NAME_KEYS))
    return found[0]


def resolve_organization(store: GraphStore, term: str) -> Node:
    """The organisation matching `term` (id, name, alias or Chinese name). Raises `NotFound`."""
    return per_version(store, ("resolve_organization", term), lambda: _resolve_organization(store, term))


def _resolve_organization(store: GraphStore, term: str) -> Node:
    orgs = store.nodes(Label.ORGANIZATION)
    found = _match(orgs, term, NAME_KEYS)
    if not found:
        raise NotFound("organisation", term, _suggestions(orgs, term, NAME_KEYS))
    return found[0]
