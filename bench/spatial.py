"""Plants within 50 km of each site in a region: with and without a spatial index, both backends.

    python -m bench.spatial [--plants 1000000] [--sites 100] [--unindexed-sites 20] [--radius-km 50]

A synthetic set of plant points (a tenth in the region's box, the rest anywhere on the globe) and
sites in the region. For each site, the query of `chiptrail power --site` (power_near) runs:

* Neo4j with the point index on PowerPlant.location, then with the index dropped (the same
  Cypher, now a label scan computing point.distance for every plant); the index is re-created;
* the embedded store through its k-d tree, and the same radius lookups by a vectorised linear
  scan of every point.

Plants are written to Neo4j by a direct batched UNWIND CREATE (the store's MERGE load is not what
is measured). A server is started from tools/neo4j unless --use-env is given, in which case the
database at NEO4J_URI is CLEARED first. This machine is shared: read the ratios, not the times.
Prints a table and writes JSON to bench/results/.
"""

from __future__ import annotations

import argparse
import math
import random
import statistics
import time
from collections.abc import Callable, Iterator
from functools import partial
from typing import Any

from rich.console import Console
from rich.table import Table

from bench import write_results
from bench.servers import neo4j_store
from graph.memory import MemoryStore
from graph.neo4j_store import Neo4jStore
from graph.spatial import MARGIN, coordinates
from graph.store import GraphStore
from ontology import load_schema
from ontology.records import Dataset, Edge, Node, Props
from ontology.vocab import Label
from queries import named

REGION = (38.0, 46.0, 80.0, 96.0)  # lat_min, lat_max, lon_min, lon_max of the synthetic region's box
EVIDENCE: Props = {"sources": ["syn-src"], "confidence": "reported"}
console = Console(stderr=True)


def points(count: int, seed: int) -> Iterator[tuple[str, float, float]]:
    """Plant ids and positions: a tenth uniform in the region's box, the rest uniform on the sphere."""
    rng = random.Random(seed)
    lat0, lat1, lon0, lon1 = REGION
    for i in range(count):
        if i % 10 == 0:
            yield f"syn-pp-{i}", rng.uniform(lat0, lat1), rng.uniform(lon0, lon1)
        else:
            yield f"syn-pp-{i}", math.degrees(math.asin(rng.uniform(-1, 1))), rng.uniform(-180, 180)


def site_data(sites: int, seed: int) -> Dataset:
    """A country, a province, and the sites in it (as the curated loader would give them)."""
    schema, rng, data = load_schema(), random.Random(seed + 1), Dataset()
    lat0, lat1, lon0, lon1 = REGION
    records = [
        Node("syn-src", (Label.SOURCE,), {"title": "synthetic", "publisher": "bench"}),
        Node("syn-zz", schema.closure((Label.COUNTRY,)), {"name": "Zedland", "iso3166": "ZZ", **EVIDENCE}),
        Node("syn-zz-r", schema.closure((Label.PROVINCE,)), {"name": "Region", "iso3166": "ZZ-R", **EVIDENCE}),
    ]
    for i in range(sites):
        where = {"latitude": rng.uniform(lat0 + 1, lat1 - 1), "longitude": rng.uniform(lon0 + 1, lon1 - 1)}
        records.append(
            Node(f"syn-dc-{i}", schema.closure((Label.DATA_CENTER,)), {"name": f"site {i}", **where, **EVIDENCE})
        )
    for node in records:
        data.nodes[node.id] = node
    edges = [Edge("syn-e-r", "PART_OF", "syn-zz-r", "syn-zz", dict(EVIDENCE))]
    edges += [Edge(f"syn-e-{i}", "LOCATED_IN", f"syn-dc-{i}", "syn-zz-r", dict(EVIDENCE)) for i in range(sites)]
    data.edges.update((e.id, e) for e in edges)
    return data


def timed(calls: list[Callable[[], object]]) -> dict[str, float]:
    times = []
    for call in calls:
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    times.sort()
    return {"p50_ms": 1000 * statistics.median(times), "p95_ms": 1000 * times[int(0.95 * (len(times) - 1))]}


def per_site(store: GraphStore, sites: int, radius_km: float) -> list[Callable[[], object]]:
    """One power_near query per site (what `chiptrail power --site` asks)."""
    radius_m = radius_km * 1000 * MARGIN
    run: Callable[..., object] = named.run
    return [
        partial(run, store, "power_near", region_id="", site_id=f"syn-dc-{i}", radius_m=radius_m) for i in range(sites)
    ]


def embedded(args: argparse.Namespace) -> dict[str, Any]:
    schema, store, data = load_schema(), MemoryStore(), site_data(args.sites, args.seed)
    labels = schema.closure((Label.POWER_PLANT,))
    for plant_id, lat, lon in points(args.plants, args.seed):
        data.nodes[plant_id] = Node(plant_id, labels, {"latitude": lat, "longitude": lon, "capacity_mw": 100.0})
    with console.status(f"embedded: loading {args.plants:,} plants"):
        store.load(data)
        start = time.perf_counter()
        index = store.point_index(Label.POWER_PLANT)
        build_s = time.perf_counter() - start
    centres = [c for n in store.nodes(Label.DATA_CENTER) if (c := coordinates(n.props))]
    with console.status("embedded: queries"):
        query = timed(per_site(store, args.sites, args.radius_km))
        found = [len(index.within(c, args.radius_km)) for c in centres]
        indexed = timed([partial(index.within, c, args.radius_km) for c in centres])
        scanned = timed([partial(index.scan, c, args.radius_km) for c in centres[: args.unindexed_sites]])
    return {
        "index_build_s": build_s,
        "query": query,
        "lookup_indexed": indexed,
        "lookup_scan": scanned,
        "plants_per_site_median": statistics.median(found),
    }


def write_plants(store: Neo4jStore, count: int, seed: int, batch: int = 20_000) -> float:
    """Plants by UNWIND CREATE with their point, as `with_location` stores it; seconds taken."""
    query = (
        "UNWIND $rows AS row CREATE (p:Entity:PowerPlant {id: row.id, latitude: row.lat, longitude: row.lon, "
        "capacity_mw: 100.0, location: point({latitude: row.lat, longitude: row.lon})})"
    )
    start, rows = time.perf_counter(), []
    with store.driver.session(database=store.settings.database) as session:
        for plant_id, lat, lon in points(count, seed):
            rows.append({"id": plant_id, "lat": lat, "lon": lon})
            if len(rows) == batch:
                session.run(query, rows=rows).consume()
                rows = []
        if rows:
            session.run(query, rows=rows).consume()
    return time.perf_counter() - start


def _index(store: Neo4jStore, *, drop: bool) -> None:
    statement = (
        "DROP INDEX powerplant_location IF EXISTS"
        if drop
        else "CREATE POINT INDEX powerplant_location IF NOT EXISTS FOR (n:PowerPlant) ON (n.location)"
    )
    store.driver.execute_query(statement, database_=store.settings.database)
    if not drop:
        store.driver.execute_query("CALL db.awaitIndexes(1200)", database_=store.settings.database)


def on_neo4j(store: Neo4jStore, args: argparse.Namespace) -> dict[str, Any]:
    store.clear()
    store.load(site_data(args.sites, args.seed))  # also creates the point indexes
    _index(store, drop=True)  # bulk write first, index after: what a first import does
    with console.status(f"Neo4j: writing {args.plants:,} plants, then indexing them"):
        load_s = write_plants(store, args.plants, args.seed)
        start = time.perf_counter()
        _index(store, drop=False)
        index_s = time.perf_counter() - start
    with console.status("Neo4j: queries with the point index"):
        per_site(store, 1, args.radius_km)[0]()  # warm the plan cache
        indexed = timed(per_site(store, args.sites, args.radius_km))
    with console.status("Neo4j: queries without it"):
        _index(store, drop=True)
        per_site(store, 1, args.radius_km)[0]()
        scanned = timed(per_site(store, args.unindexed_sites, args.radius_km))
        _index(store, drop=False)
    return {
        "plants_load_s": load_s,
        "plants_per_s": args.plants / load_s,
        "index_build_s": index_s,
        "indexed": indexed,
        "unindexed": scanned,
    }


def report(results: dict[str, Any]) -> None:
    table = Table(title=f"plants within {results['radius_km']:g} km of each site ({results['plants']:,} plants)")
    for column in ("backend", "with index p50 / p95 ms", "without p50 / p95 ms", "ratio p50", "ratio p95"):
        table.add_column(column)

    def row(name: str, fast: dict[str, float], slow: dict[str, float]) -> None:
        table.add_row(
            name,
            f"{fast['p50_ms']:.2f} / {fast['p95_ms']:.2f}",
            f"{slow['p50_ms']:.2f} / {slow['p95_ms']:.2f}",
            f"{slow['p50_ms'] / fast['p50_ms']:.0f}×",
            f"{slow['p95_ms'] / fast['p95_ms']:.0f}×",
        )

    neo, emb = results["neo4j"], results["embedded"]
    row("Neo4j power_near (point index vs label scan)", neo["indexed"], neo["unindexed"])
    row("embedded radius lookup (k-d tree vs linear scan)", emb["lookup_indexed"], emb["lookup_scan"])
    Console().print(table)
    print(
        f"embedded power_near per site (k-d tree, with rows): p50 {emb['query']['p50_ms']:.2f} ms, "
        f"p95 {emb['query']['p95_ms']:.2f} ms; index built in {emb['index_build_s']:.2f} s; "
        f"median plants per site {emb['plants_per_site_median']:g}; "
        f"Neo4j: plants written at {neo['plants_per_s']:,.0f}/s, point index built in {neo['index_build_s']:.1f} s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--plants", type=int, default=1_000_000)
    parser.add_argument("--sites", type=int, default=100)
    parser.add_argument("--unindexed-sites", type=int, default=20, help="sites timed without the index (slow)")
    parser.add_argument("--radius-km", type=float, default=50.0)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--use-env", action="store_true", help="use (and CLEAR) the database at NEO4J_URI")
    args = parser.parse_args()
    results: dict[str, Any] = {"plants": args.plants, "sites": args.sites, "radius_km": args.radius_km}
    results["embedded"] = embedded(args)
    with neo4j_store(console, use_env=args.use_env) as store:
        results["neo4j"] = on_neo4j(store, args)
    path = write_results("spatial", results)
    report(results)
    console.print(f"results: {path}")


if __name__ == "__main__":
    main()
