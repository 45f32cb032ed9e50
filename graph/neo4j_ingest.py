"""Ingest into Neo4j: the dataset's stored records are read from the database itself.

Writes go through the store's batched, retried upserts; a snapshot written twice converges to
the same graph, so an ingest stopped half-way is finished by running it again. The snapshot's
Source node is written last: until it exists the snapshot does not count as applied.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any

import neo4j

from graph.neo4j_store import Neo4jStore, PagedRead, identifier
from graph.target import Fingerprint, Ref
from ontology.records import Dataset, Edge, Node
from ontology.vocab import Label, Prop

Record = Node | Edge
PAGE = 10_000


# Reads of one small value per record (ids, fingerprints) come back as one row holding a list:
# the driver's cost is per row (a row per id measured about 20x slower than one list of the ids).


def _collected(var: str) -> str:
    """The fingerprint fields of each matched record, collected into one row (`found`)."""
    fields = f"{var}.id, {var}.{Prop.DATASET}, {var}.{Prop.DIGEST}, {var}.{Prop.ENDED_IN} IS NOT NULL"
    return f"RETURN collect([{fields}]) AS found"


def _fingerprints(rows: list[dict[str, Any]]) -> Iterator[tuple[str, Fingerprint]]:
    for record_id, dataset, fingerprint, ended in rows[0]["found"]:
        yield (
            str(record_id),
            Fingerprint(str(dataset) if dataset else None, str(fingerprint) if fingerprint else None, bool(ended)),
        )


def _live(var: str) -> str:
    """The condition a record of the `$dataset` that has not ended meets."""
    return f"{var}.{Prop.DATASET} = $dataset AND {var}.{Prop.ENDED_IN} IS NULL"


def _unseen(var: str) -> str:
    """The condition a record not yet stamped `$day` meets (those this snapshot wrote already are)."""
    return f"({var}.{Prop.LAST_SEEN} IS NULL OR {var}.{Prop.LAST_SEEN} <> $day)"


def _write(tx: neo4j.ManagedTransaction, statement: str, params: dict[str, Any]) -> None:
    tx.run(statement, params).consume()


def _by_type(refs: list[Ref]) -> dict[str, list[str]]:
    """Relationship ids grouped by type (a relationship index is per type)."""
    by_type: dict[str, list[str]] = defaultdict(list)
    for record_id, rel_type in refs:
        if rel_type is not None:
            by_type[rel_type].append(record_id)
    return by_type


class Neo4jTarget:
    """The ingest target of a Neo4j store."""

    backend = "neo4j"

    def __init__(self, store: Neo4jStore) -> None:
        self.store = store
        store.setup_schema()

    def _roots(self) -> list[str]:
        return sorted(identifier(root, self.store.roots) for root in self.store.roots)

    def snapshots(self, dataset: str) -> list[Node]:
        query = (
            f"MATCH (s:{Label.SOURCE}) WHERE s.{Prop.DATASET} = $dataset AND s.{Prop.SNAPSHOT} IS NOT NULL "
            f"RETURN labels(s) AS labels, properties(s) AS props ORDER BY s.{Prop.SNAPSHOT}"
        )
        return [self.store.node_from_row(row) for row in self.store.run(query, dataset=dataset)]

    def known(self, ids: set[str]) -> set[str]:
        if not ids:
            return set()
        query = f"MATCH (n:{'|'.join(self._roots())}) WHERE n.id IN $ids RETURN collect(n.id) AS ids"
        return {str(i) for i in self.store.run(query, ids=sorted(ids))[0]["ids"]}

    def fingerprints(self, refs: list[Ref]) -> dict[str, Fingerprint]:
        found: dict[str, Fingerprint] = {}
        ids = [i for i, rel_type in refs if rel_type is None]
        if ids:
            any_root = "|".join(self._roots())
            query = f"MATCH (x:{any_root}) WHERE x.id IN $ids " + _collected("x")
            found.update(_fingerprints(self.store.run(query, ids=ids)))
        for rel_type, rel_ids in _by_type(refs).items():
            rel = identifier(rel_type, self.store.schema.relationships)
            query = f"MATCH ()-[x:{rel}]->() WHERE x.id IN $ids " + _collected("x")
            found.update(_fingerprints(self.store.run(query, ids=rel_ids)))
        return found

    def stored(self, refs: list[Ref]) -> dict[str, Record]:
        found: dict[str, Record] = dict(self.store.nodes_by_id(i for i, rel_type in refs if rel_type is None))
        for rel_type, ids in _by_type(refs).items():
            rel = identifier(rel_type, self.store.schema.relationships)
            query = (
                f"MATCH (a)-[r:{rel}]->(b) WHERE r.id IN $ids "
                "RETURN type(r) AS type, a.id AS source, b.id AS target, properties(r) AS props"
            )
            found.update((e.id, e) for e in map(self.store.edge_from_row, self.store.run(query, ids=ids)))
        return found

    def live(self, dataset: str) -> Iterator[Ref]:
        for rel_type, read in self.live_reads():
            yield from ((i, rel_type) for i in self.store.paged(read, dataset=dataset))

    def live_reads(self) -> list[tuple[str | None, PagedRead]]:
        """What `live` reads (relationship type, or None for nodes), a page at a time through each
        id index: the constructor made them, so the hints hold."""
        unended = f"{_live('n')} AND NOT n:{Label.SOURCE}"
        reads: list[tuple[str | None, PagedRead]] = [
            (None, PagedRead(f"MATCH (n:{root}) USING INDEX n:{root}(id)", unended, "n", "n.id"))
            for root in self._roots()
        ]
        for rel_type in sorted(self.store.schema.relationships):
            rel = identifier(rel_type, self.store.schema.relationships)
            reads.append(
                (rel_type, PagedRead(f"MATCH ()-[r:{rel}]->() USING INDEX r:{rel}(id)", _live("r"), "r", "r.id"))
            )
        return reads

    def write(self, records: Iterable[Record]) -> None:
        data = Dataset()
        for record in records:
            if isinstance(record, Node):
                data.nodes[record.id] = record
            else:
                data.edges[record.id] = record
        self.store.load(data)

    def stamp_seen(self, dataset: str, day: dt.date, kept: list[Ref]) -> None:
        """Nodes through each root label's `dataset` index; relationships, which have no such index
        (one per type would cost every first load its population), by the ids of those `kept`,
        a page at a time through each type's id index."""
        statements = [
            f"MATCH (n:{root}) WHERE {_live('n')} AND NOT n:{Label.SOURCE} "
            f"AND {_unseen('n')} "
            f"CALL (n) {{ SET n.{Prop.LAST_SEEN} = $day }} IN TRANSACTIONS OF {PAGE} ROWS"
            for root in self._roots()
        ]
        with self.store.driver.session(database=self.store.settings.database) as session:
            for statement in statements:
                session.run(statement, dataset=dataset, day=day).consume()
            for rel_type, ids in sorted(_by_type(kept).items()):
                rel = identifier(rel_type, self.store.schema.relationships)
                statement = (
                    f"UNWIND $ids AS id MATCH ()-[r:{rel}]->() USING INDEX r:{rel}(id) WHERE r.id = id "
                    f"AND {_live('r')} AND {_unseen('r')} SET r.{Prop.LAST_SEEN} = $day"
                )
                for start in range(0, len(ids), PAGE):
                    page = ids[start : start + PAGE]
                    session.execute_write(_write, statement, {"ids": page, "dataset": dataset, "day": day})

    def commit(self) -> None:
        """Every batch is committed as it is written."""

    def abort(self) -> None:
        """Batches already written stay; writing the same snapshot again converges."""
