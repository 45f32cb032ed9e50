"""Read-only Cypher for power users (`POST /v1/cypher`): refused unless Neo4j itself says the query only reads.

Layers, each enough on its own for the common attack: text checks (no LOAD CSV, no USE, only
allow-listed procedures), EXPLAIN's query type must be 'r', and the query then runs inside a READ
transaction (the server refuses writes there) with a timeout and a row limit.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import neo4j
from neo4j import Query
from neo4j.exceptions import ClientError, Neo4jError, ServiceUnavailable, SessionExpired
from neo4j.graph import Node, Path, Relationship

from graph.neo4j_store import Neo4jStore, unanswered
from graph.store import GraphStore
from ontology.errors import Refused

ALLOWED_PROCEDURES = {
    "db.labels",
    "db.relationshipTypes",
    "db.propertyKeys",
    "db.schema.visualization",
    "db.schema.nodeTypeProperties",
    "db.schema.relTypeProperties",
    "db.index.fulltext.queryNodes",
    "db.index.fulltext.queryRelationships",
}
PROCEDURE = re.compile(r"\bCALL\s+([A-Za-z_][\w.]*)\s*(?:\(|\bYIELD\b|$)", re.IGNORECASE)
FORBIDDEN = {
    "LOAD CSV": re.compile(r"\bLOAD\s+CSV\b", re.IGNORECASE),
    "USE": re.compile(r"^\s*USE\b|\bUSE\s+\w+\s*(MATCH|CALL|RETURN|WITH|UNWIND)", re.IGNORECASE),
}


def _strip_strings(text: str) -> str:
    return re.sub(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|//[^\n]*|/\*.*?\*/", "''", text, flags=re.DOTALL)


def check_text(text: str) -> None:
    """Refuse what EXPLAIN would not flag as a write but still reaches beyond the graph."""
    code = _strip_strings(text)
    for what, pattern in FORBIDDEN.items():
        if pattern.search(code):
            raise Refused(f"{what} is not allowed on this endpoint", 403)
    for name in PROCEDURE.findall(code):
        if name not in ALLOWED_PROCEDURES:
            raise Refused(f"procedure {name} is not allowed; allowed: {', '.join(sorted(ALLOWED_PROCEDURES))}", 403)


def driver_json(value: Any) -> Any:
    """Driver values (nodes, relationships, paths, temporal types) as JSON."""
    if isinstance(value, Node):
        return {"labels": sorted(value.labels), "properties": driver_json(dict(value))}
    if isinstance(value, Relationship):
        return {
            "type": value.type,
            "start": value.start_node["id"] if value.start_node else None,
            "end": value.end_node["id"] if value.end_node else None,
            "properties": driver_json(dict(value)),
        }
    if isinstance(value, Path):
        return {
            "nodes": [driver_json(n) for n in value.nodes],
            "relationships": [driver_json(r) for r in value.relationships],
        }
    if isinstance(value, list):
        return [driver_json(v) for v in value]
    if isinstance(value, dict):
        return {k: driver_json(v) for k, v in value.items()}
    if isinstance(value, neo4j.time.Date | neo4j.time.DateTime | dt.date):
        return value.isoformat()
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def run_read_only(store: GraphStore, text: str, params: dict[str, Any], timeout: float, limit: int) -> dict[str, Any]:
    """Rows of a query Neo4j classifies as read-only, at most `limit`, within `timeout` seconds.

    Raises `Refused` (403) for anything that may write or reach beyond the graph, (400) on another
    backend or when Neo4j refuses the query.
    """
    if not isinstance(store, Neo4jStore):
        raise Refused("the Cypher endpoint needs the Neo4j backend", 400)
    check_text(text)
    database = store.settings.database
    try:
        # The store's read driver: short connection timeouts and no retries, like every other read.
        with store.reader.session(database=database, default_access_mode=neo4j.READ_ACCESS) as session:
            summary = session.run(Query("EXPLAIN " + text, timeout=timeout), params).consume()
            if summary.query_type != "r":
                raise Refused(
                    f"only read-only queries are allowed (Neo4j classifies this one as '{summary.query_type}')", 403
                )

            @neo4j.unit_of_work(timeout=timeout)
            def work(tx: neo4j.ManagedTransaction) -> tuple[list[str], list[list[Any]]]:
                result = tx.run(text, params)
                rows = [
                    [driver_json(v) for v in record.values()]
                    for _, record in zip(range(limit + 1), result, strict=False)
                ]
                return list(result.keys()), rows

            columns, rows = session.execute_read(work)
    except (ServiceUnavailable, SessionExpired, OSError) as exc:
        raise unanswered(store.settings.uri, exc) from exc
    except ClientError as exc:
        raise Refused(f"Neo4j refused the query: {exc.message}", 400) from exc
    except (OverflowError, TypeError, ValueError) as exc:  # parameters the driver cannot encode
        raise Refused(f"a parameter cannot be sent to Neo4j: {exc}", 400) from exc
    except Neo4jError as exc:
        raise Refused(f"the query failed: {exc.message}", 400) from exc
    return {"columns": columns, "rows": rows[:limit], "truncated": len(rows) > limit}
