"""Which country a site or place lies in: restriction decisions are made for that country."""

from __future__ import annotations

from graph.store import GraphStore
from queries import named
from queries.cache import per_version


def countries_of(store: GraphStore, node_ids: set[str]) -> dict[str, str | None]:
    """ISO 3166-1 code of the country each site or place lies in (LOCATED_IN, then PART_OF), in one
    query for those not yet known in this data version."""
    known: dict[str, str | None] = per_version(store, ("countries of",), dict)
    wanted = {i for i in node_ids if i not in known}
    if wanted:
        found = {row["id"]: row["country"] for row in named.run(store, "countries", node_ids=sorted(wanted))}
        known.update({i: found.get(i) for i in wanted})
    return {i: known[i] for i in node_ids}


def country_of(store: GraphStore, node_id: str) -> str | None:
    """The country of one site or place (see `countries_of`)."""
    return countries_of(store, {node_id})[node_id]
