"""In-process twin of the spatial query (`power_near.cypher`), over the embedded store's point index.

Neo4j filters plants by `point.distance` on its own sphere (6378.14 km); the twin takes the
index's candidates and applies the same formula (`graph.spatial.neo4j_distance_m`), so both
give the same rows. The answer (`queries.power`) then measures on the mean Earth radius.
"""

from __future__ import annotations

from graph.memory import MemoryStore
from graph.spatial import EARTH_RADIUS_KM, NEO4J_EARTH_RADIUS_M, coordinates, neo4j_distance_m
from graph.store import SITE_LABELS
from ontology.records import Node
from ontology.vocab import Label, Prop, Rel
from queries.named.memory import sites_in
from queries.named.rows import Row, twin


def _props(node: Node) -> Row:
    return {**node.props, Prop.ID: node.id}


def _home(store: MemoryStore, site: Node) -> Node | None:
    places = (store.node(e.target) for e in store.edges(Rel.LOCATED_IN, source=site.id))
    found = sorted(
        (p for p in places if p is not None and Label.PLACE in p.labels and coordinates(p.props)), key=lambda p: p.id
    )
    return found[0] if found else None


def _plants(store: MemoryStore, here: tuple[float, float] | None, radius_m: float) -> list[Row]:
    if here is None:
        return []
    # The index measures on the mean radius, Neo4j on a larger one: ask the index a little wider.
    wider = radius_m * EARTH_RADIUS_KM / NEO4J_EARTH_RADIUS_M * 1.001
    rows = []
    for plant_id in store.point_index(Label.POWER_PLANT).within(here, wider):
        plant = store.node(plant_id)
        where = coordinates(plant.props) if plant else None
        if plant is None or where is None or not neo4j_distance_m(here, where) < radius_m:
            continue
        owners = [
            {"source": e.source, "edge": _props_edge(e.props, e.id)} for e in store.edges(Rel.OWNS, target=plant_id)
        ]
        rows.append({"id": plant_id, "props": _props(plant), "owners": owners})
    return rows


def _props_edge(props: Row, edge_id: str) -> Row:
    return {**props, Prop.ID: edge_id}


@twin("power_near")
def power_near(store: MemoryStore, *, region_id: str, site_id: str, radius_m: float) -> list[Row]:
    ids = sites_in(store, region_id) if region_id else set()
    ids |= {site_id} if site_id else set()
    rows = []
    for site in (store.node(i) for i in sorted(ids)):
        if site is None or not any(lab in site.labels for lab in SITE_LABELS):
            continue
        home = _home(store, site)
        here = coordinates(site.props) or (coordinates(home.props) if home else None)
        place = {"id": home.id, "props": _props(home)} if home else None
        rows.append({"id": site.id, "site": _props(site), "place": place, "plants": _plants(store, here, radius_m)})
    return rows


def _near(store: MemoryStore, label: str, here: tuple[float, float], radius_m: float) -> list[Node]:
    """The nodes of `label` whose point lies within `radius_m` of `here` by Neo4j's `point.distance`."""
    wider = radius_m / NEO4J_EARTH_RADIUS_M * EARTH_RADIUS_KM * 1.001
    found = []
    for node_id in store.point_index(label).within(here, wider):
        node = store.node(node_id)
        where = coordinates(node.props) if node else None
        if node is not None and where is not None and neo4j_distance_m(here, where) < radius_m:
            found.append(node)
    return found


@twin("near_point")
def near_point(store: MemoryStore, *, lat: float, lon: float, radius_m: float) -> list[Row]:
    here = (lat, lon)
    sites = {n.id: n for label in SITE_LABELS for n in _near(store, label, here, radius_m)}
    plants = sorted(_near(store, Label.POWER_PLANT, here, radius_m), key=lambda n: n.id)
    unlocated = {n.id for label in SITE_LABELS for n in store.nodes(label) if coordinates(n.props) is None}
    return [
        {
            "sites": [{"id": i, "props": _props(sites[i])} for i in sorted(sites)],
            "plants": [{"id": p.id, "props": _props(p), "owners": _owners(store, p.id)} for p in plants],
            "unlocated": len(unlocated),
        }
    ]


def _owners(store: MemoryStore, plant_id: str) -> list[Row]:
    edges = sorted(store.edges(Rel.OWNS, target=plant_id), key=lambda e: (e.source, e.id))
    return [{"source": e.source, "edge": _props_edge(e.props, e.id)} for e in edges]
