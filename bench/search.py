"""Search with typos: the names near the term against reading every entity, on both backends.

    python -m bench.search [--entities 10000,100000,1000000] [--queries 30] [--neo4j 100000]

Invented organisations (names of three made-up words and a suffix, an alias each) are loaded into
the embedded store, and for `--neo4j` sizes into Neo4j (a server from tools/neo4j, or the CLEARED
database at NEO4J_URI). Each query is a name with one to three letters dropped, added or changed.
For each size: the first search (which builds the table of names, once per data version), then
p50/p95 of the searches after it, and p50 of a search that reads and scores every entity, as
search did before the table (a few queries only: it is slow). Both give the same hits; the bench
checks. This machine is shared: read the ratios, measured in one run. Writes JSON to
bench/results/.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable
from functools import partial
from typing import Any

from rich.console import Console
from rich.table import Table

from bench import write_results
from bench.servers import neo4j_store
from graph.memory import MemoryStore
from graph.store import GraphStore, pinned_version
from ontology.names import normalise
from ontology.records import Dataset, Node
from ontology.schema import load_schema
from ontology.vocab import Label
from queries.answers import SearchHit
from queries.search import ranked, search

SYLLABLES = "ka lo mi ren sul tar vin zo qua bel dor fen gri hal jun kes lum nor pes rit sal tem"
SUFFIXES = ("Co., Ltd.", "Holdings Limited", "Trading LLC", "Technology Co.", "Industries")
FULL_READS = 3  # queries timed reading every entity


def invented(count: int, seed: int = 5) -> Dataset:
    rng, schema, data = random.Random(seed), load_schema(), Dataset()
    syllables = SYLLABLES.split()

    def word() -> str:
        return "".join(rng.choice(syllables) for _ in range(rng.randint(2, 3))).capitalize()

    labels = schema.closure((Label.ORGANIZATION,))
    for i in range(count):
        name = f"{word()} {word()} {word()} {rng.choice(SUFFIXES)}"
        node = Node(f"bench-org-{i}", labels, {"name": name, "aliases": [f"{word()} {i}"]})
        data.nodes[node.id] = node
    return data


def typo(rng: random.Random, text: str) -> str:
    chars = list(text)
    for _ in range(rng.randint(1, 3)):
        at = min(rng.randrange(len(chars)), len(chars) - 1)
        edit = rng.choice("dac")
        if edit == "d" and len(chars) > 1:
            chars.pop(at)
        elif edit == "a":
            chars.insert(at, rng.choice("aeiou"))
        else:
            chars[at] = rng.choice("aeiou")
    return "".join(chars)


def timed(work: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    value = work()
    return time.perf_counter() - start, value


def every_entity(store: GraphStore, q: str) -> list[SearchHit]:
    """The search as it was before the table of names: every entity read and scored."""
    return ranked(store.nodes(Label.ENTITY), normalise(q))[:20]


def measure(store: GraphStore, queries: list[str]) -> dict[str, Any]:
    first, _ = timed(lambda: search(store, queries[0]))
    times, answers = [], {}
    for q in queries[1:]:
        seconds, answers[q] = timed(partial(search, store, q))
        times.append(seconds)
    full = []
    for q in queries[1 : 1 + FULL_READS]:
        seconds, hits = timed(partial(every_entity, store, q))
        assert hits == answers[q], q  # the same hits as reading every entity
        full.append(seconds)
    p50, p95 = statistics.median(times), statistics.quantiles(times, n=20)[-1]
    return {"first_s": first, "p50_s": p50, "p95_s": p95, "every_entity_p50_s": statistics.median(full)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entities", default="10000,100000,1000000")
    parser.add_argument("--queries", type=int, default=30)
    parser.add_argument("--neo4j", default="100000", help="sizes also run on Neo4j ('' for none)")
    args = parser.parse_args()
    rng, console = random.Random(9), Console()
    results: dict[str, Any] = {}
    for size in [int(s) for s in args.entities.split(",") if s]:
        data = invented(size)
        names = [str(n.props["name"]) for n in data.nodes.values()]
        queries = [typo(rng, rng.choice(names)) for _ in range(args.queries + 1)]
        memory = MemoryStore()
        memory.load(data)
        results[f"memory-{size}"] = measure(memory, queries)
        del memory
        if str(size) in args.neo4j.split(","):
            with neo4j_store(console) as store:
                store.clear()
                store.load(data)
                with pinned_version(store.data_version()):  # as an API request does
                    results[f"neo4j-{size}"] = measure(store, queries)
                store.clear()
    table = Table(title="search with typos (seconds)")
    for column in ("store, entities", "first (builds the names)", "p50", "p95", "reading every entity, p50", "ratio"):
        table.add_column(column, justify="right")
    for key, row in results.items():
        ratio = row["every_entity_p50_s"] / row["p50_s"]
        cells = [f"{row[k]:.3f}" for k in ("first_s", "p50_s", "p95_s", "every_entity_p50_s")]
        table.add_row(key, *cells, f"{ratio:.0f}x")
    console.print(table)
    print(write_results("search", results))


if __name__ == "__main__":
    main()
