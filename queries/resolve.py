"""Find chip models and places by what a user types: id, name, alias, Chinese name, family, code."""

from __future__ import annotations

import difflib

from graph.store import GraphStore
from ontology.errors import NotFound
from ontology.names import NAME_KEYS, names_in, normalise
from ontology.records import Node
from ontology.vocab import Label, Prop
from queries import fuzzy
from queries.cache import per_version


def _resolve(
    store: GraphStore, kind: str, label: str, term: str, keys: tuple[str, ...], hints: tuple[str, ...]
) -> list[Node]:
    """The nodes of the label whose id is `term`, else those with a name under `keys` equal to it once
    folded: read from the store's lookup by id and folded name (`GraphStore.named`), and only when
    that finds nothing from every node of the label (so a node written outside chiptrail, without its
    folded names, is still found), which also gives the suggestions (names under `hints`) of the
    `NotFound` raised when nothing matches."""
    if found := _matching(store.named(label, term), term, keys):
        return found
    every = store.nodes(label, keys=tuple(dict.fromkeys((*keys, *hints))))  # the names alone
    if found := _matching(every, term, keys):
        whole = store.nodes_by_id(n.id for n in found)
        return [whole[n.id] for n in found]
    raise NotFound(kind, term, _suggestions(every, term, hints))


def _matching(nodes: list[Node], term: str, keys: tuple[str, ...]) -> list[Node]:
    wanted = normalise(term)
    by_id = [n for n in nodes if n.id == term]
    return by_id or [n for n in nodes if wanted in {normalise(x) for x in names_in(n.props, keys)}]


def _suggestions(nodes: list[Node], term: str, keys: tuple[str, ...]) -> list[str]:
    names = sorted({x for n in nodes for x in names_in(n.props, keys)} | {n.id for n in nodes})
    by_norm = {normalise(x): x for x in names}
    wanted, folded = normalise(term), list(by_norm)
    places, _ = fuzzy.near(wanted, folded, 0.5)  # difflib then reads only those it may find close
    close = difflib.get_close_matches(wanted, [folded[i] for i in places], n=5, cutoff=0.5)
    return [by_norm[c] for c in close]


def resolve_chips(store: GraphStore, term: str) -> list[Node]:
    """Chip models matching `term`; a family name ('H100') covers every variant. Raises `NotFound`."""
    return list(per_version(store, ("resolve_chips", term), lambda: tuple(_resolve_chips(store, term))))


def _resolve_chips(store: GraphStore, term: str) -> list[Node]:
    keys = (*NAME_KEYS, Prop.FAMILY)
    return _resolve(store, "chip", Label.CHIP_MODEL, term, keys, keys)


def resolve_place(store: GraphStore, term: str) -> Node:
    """The place matching `term` (id, name, alias, Chinese name or ISO 3166 code). Raises `NotFound`."""
    return per_version(store, ("resolve_place", term), lambda: _resolve_place(store, term))


def _resolve_place(store: GraphStore, term: str) -> Node:
    return _resolve(store, "region", Label.PLACE, term, (*NAME_KEYS, Prop.ISO3166), NAME_KEYS)[0]


def resolve_organization(store: GraphStore, term: str) -> Node:
    """The organisation matching `term` (id, name, alias or Chinese name). Raises `NotFound`."""
    return per_version(store, ("resolve_organization", term), lambda: _resolve_organization(store, term))


def _resolve_organization(store: GraphStore, term: str) -> Node:
    return _resolve(store, "organisation", Label.ORGANIZATION, term, NAME_KEYS, NAME_KEYS)[0]
