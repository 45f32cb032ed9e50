"""Pull the subgraph around seed nodes out of either store, for networkx, Gephi or Cytoscape.

`subgraph` runs the `subgraph` named query (Cypher on Neo4j, its twin in process), so both
backends export the same nodes and edges. The writers that turn them into files live in
`graph.formats`.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Iterable

from graph.store import GraphStore
from ontology.errors import ExportTooLarge, InvalidParameter, NotFound
from ontology.names import normalise
from ontology.records import Edge, Node
from ontology.schema import Schema, load_schema
from ontology.vocab import Label, Prop
from queries.named import Row, run, to_edge

DEFAULT_MAX_NODES = 5000


def subgraph(
    store: GraphStore,
    seeds: Iterable[str],
    depth: int = 1,
    types: Iterable[str] = (),
    as_of: dt.date | None = None,
    max_nodes: int = DEFAULT_MAX_NODES,
) -> tuple[list[Node], list[Edge]]:
    """Nodes within `depth` hops of the seeds (either direction) and every relationship traversed.

    Only relationships of `types` (all if empty) valid on `as_of` (any date if None) are followed.
    Both lists come sorted by id. Raises `NotFound` for an unknown seed or relationship type (with
    the closest names), `ExportTooLarge` past `max_nodes`, `InvalidParameter` for a depth outside
    the bounds written in subgraph.cypher.
    """
    schema = load_schema()
    wanted = list(dict.fromkeys(seeds))
    followed = list(dict.fromkeys(types))
    if not wanted:
        raise InvalidParameter("name at least one seed node id")
    _check_types(followed, schema)
    _check_seeds(store, wanted)
    row = run(store, "subgraph", seeds=wanted, depth=depth, types=followed, as_of=as_of)[0]
    if len(row["nodes"]) > max_nodes:
        raise ExportTooLarge(len(row["nodes"]), max_nodes)
    nodes, edges = [_node(n, schema) for n in row["nodes"]], [to_edge(e) for e in row["edges"]]
    return sorted([*nodes, *_snapshots(store, nodes, edges)], key=lambda n: n.id), edges


def _snapshots(store: GraphStore, nodes: list[Node], edges: list[Edge]) -> list[Node]:
    """The dataset snapshots the exported records cite, so their licence (CC BY-NC for ETO and
    OpenSanctions data) and origin travel with every export."""
    have = {n.id for n in nodes}
    records: list[Node | Edge] = [*nodes, *edges]
    cited = {s for r in records for s in _listed(r.props.get(Prop.SOURCES))} - have
    held = store.nodes_by_id(cited).values()
    return [n for n in held if Label.SOURCE in n.labels and n.props.get(Prop.DATASET) and n.props.get(Prop.LICENCE)]


def _listed(value: object) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else []


def _node(row: Row, schema: Schema) -> Node:
    """A node map from the query -> a Node with its labels in closure order, as the loaders make them."""
    labels = schema.closure(tuple(label for label in row["labels"] if label in schema.classes))
    return Node(row["id"], labels, {k: v for k, v in row["props"].items() if k != Prop.ID})


def _check_types(types: list[str], schema: Schema) -> None:
    for rel_type in types:
        if rel_type not in schema.relationships:
            close = difflib.get_close_matches(rel_type.upper(), sorted(schema.relationships), n=3, cutoff=0.5)
            raise NotFound("relationship type", rel_type, close)


def _check_seeds(store: GraphStore, seeds: list[str]) -> None:
    """Fail on the first seed no node has: an export silently missing its centre would mislead."""
    for seed in seeds:
        if store.node(seed) is None:
            raise NotFound("seed", seed, suggest_ids(store, seed))


def suggest_ids(store: GraphStore, term: str) -> list[str]:
    """Ids of the nodes whose id, name, Chinese name or alias is closest to what was typed."""
    by_name: dict[str, str] = {}
    for node in [*store.nodes(Label.ENTITY), *store.nodes(Label.SOURCE)]:
        aliases = node.props.get(Prop.ALIASES)
        names = [node.id, node.props.get(Prop.NAME), node.props.get(Prop.NAME_ZH)]
        names += aliases if isinstance(aliases, list) else []
        for name in names:
            if isinstance(name, str):
                by_name.setdefault(normalise(name), node.id)
    close = difflib.get_close_matches(normalise(term), list(by_name), n=5, cutoff=0.6)
    return list(dict.fromkeys(by_name[c] for c in close))
