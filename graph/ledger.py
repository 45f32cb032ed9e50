"""The embedded store's ingested datasets, kept between commands in `CHIPTRAIL_HOME/ledger.sqlite`.

A user without a server ingests a download once; every later command opens the ledger and loads
its records next to the bundled data. One SQLite file: each snapshot is applied in one
transaction (nothing half-written if the ingest stops), and records are kept as JSON lines, so
the file can be read without chiptrail.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path

from graph.target import Fingerprint, Ref
from ontology.errors import DataError, Problem
from ontology.recordjson import date_properties, dumps, loads
from ontology.records import Dataset, Edge, Node
from ontology.schema import Schema
from ontology.vocab import Label, Prop

Record = Node | Edge
FILE = "ledger.sqlite"
CHUNK = 500  # ids per lookup (SQLite allows 32,766 parameters)
SCHEMA_SQL = (
    "CREATE TABLE IF NOT EXISTS items ("
    " id TEXT PRIMARY KEY, kind TEXT NOT NULL, dataset TEXT NOT NULL, live INTEGER NOT NULL, body TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS items_dataset ON items (dataset, kind, live)",
)


def _kind(record: Record) -> str:
    if isinstance(record, Edge):
        return "edge"
    return "snapshot" if Label.SOURCE in record.labels else "node"


class Ledger:
    """Ingested records by id, with their dataset and whether they have ended."""

    backend = "memory"

    def __init__(self, home: Path, schema: Schema, outside: set[str] | None = None) -> None:
        """Open (creating if needed) the ledger in `home`; `outside` are node ids the bundled data
        holds, which ingested records may point at."""
        self.path = home / FILE
        self.schema = schema
        self.dates = date_properties(schema)
        self.outside = outside or set()
        try:
            home.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(self.path, isolation_level=None)
            for statement in SCHEMA_SQL:
                self.db.execute(statement)
        except (OSError, sqlite3.Error) as exc:
            raise DataError([Problem(f"cannot open the ledger of ingested data: {exc}", file=str(self.path))]) from exc
        self._open = False

    @classmethod
    def exists(cls, home: Path) -> bool:
        return (home / FILE).is_file()

    def _begin(self) -> None:
        if not self._open:
            self.db.execute("BEGIN IMMEDIATE")
            self._open = True

    def _records(self, query: str, params: tuple[object, ...]) -> Iterator[Record]:
        for (body,) in self.db.execute(query, params):
            yield loads(body, self.dates)

    # --- what an ingest reads -----------------------------------------------------------------

    def snapshots(self, dataset: str) -> list[Node]:
        found = self._records("SELECT body FROM items WHERE dataset = ? AND kind = 'snapshot'", (dataset,))
        nodes = [n for n in found if isinstance(n, Node)]
        return sorted(nodes, key=lambda n: str(n.props.get(Prop.SNAPSHOT)))

    def datasets(self) -> list[str]:
        rows = self.db.execute("SELECT DISTINCT dataset FROM items WHERE kind = 'snapshot' ORDER BY dataset")
        return [row[0] for row in rows]

    def known(self, ids: set[str]) -> set[str]:
        inside: list[Ref] = [(i, None) for i in ids if i not in self.outside]
        found = {str(i) for i, kind in self._by_id("id, kind", inside) if kind != "edge"}
        return found | (ids & self.outside)

    def _by_id(self, columns: str, refs: list[Ref]) -> Iterator[tuple[object, ...]]:
        ids = [record_id for record_id, _ in refs]
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            marks = ",".join("?" * len(chunk))  # only placeholders enter the text; ids are parameters
            yield from self.db.execute(f"SELECT {columns} FROM items WHERE id IN ({marks})", chunk)  # noqa: S608

    def fingerprints(self, refs: list[Ref]) -> dict[str, Fingerprint]:
        columns = "id, dataset, json_extract(body, '$.props.digest'), live"
        return {
            str(i): Fingerprint(str(ds) or None, str(d) if d else None, not live)
            for i, ds, d, live in self._by_id(columns, refs)
        }

    def stored(self, refs: list[Ref]) -> dict[str, Record]:
        return {str(i): loads(str(body), self.dates) for i, body in self._by_id("id, body", refs)}

    def live(self, dataset: str) -> Iterator[Ref]:
        query = (
            "SELECT id, CASE kind WHEN 'edge' THEN json_extract(body, '$.type') END FROM items "
            "WHERE dataset = ? AND live = 1 AND kind != 'snapshot'"
        )
        yield from self.db.execute(query, (dataset,))

    # --- what an ingest writes ----------------------------------------------------------------

    def write(self, records: Iterable[Record]) -> None:
        self._begin()
        rows = [
            (r.id, _kind(r), str(r.props.get(Prop.DATASET, "")), int(Prop.ENDED_IN not in r.props), dumps(r))
            for r in records
        ]
        self.db.executemany("INSERT OR REPLACE INTO items VALUES (?, ?, ?, ?, ?)", rows)

    def stamp_seen(self, dataset: str, day: dt.date, kept: list[Ref]) -> None:
        """Every live record of the dataset at once (the ledger's dataset column is indexed)."""
        self._begin()
        self.db.execute(
            "UPDATE items SET body = json_set(body, '$.props.last_seen', ?1) "
            "WHERE dataset = ?2 AND live = 1 AND kind != 'snapshot' "
            "AND json_extract(body, '$.props.last_seen') IS NOT ?1",  # those written now already are
            (day.isoformat(), dataset),
        )

    def commit(self) -> None:
        if self._open:
            self.db.execute("COMMIT")
            self._open = False

    def abort(self) -> None:
        if self._open:
            self.db.execute("ROLLBACK")
            self._open = False

    # --- what the embedded store loads --------------------------------------------------------

    def dataset(self) -> Dataset:
        """Every ingested record, ended ones included (history answers `--as-of` questions)."""
        data = Dataset()
        for record in self._records("SELECT body FROM items", ()):
            if isinstance(record, Node):
                data.nodes[record.id] = record
            else:
                data.edges[record.id] = record
        return data

    def close(self) -> None:
        self.abort()
        self.db.close()
