"""A load running while the API answers: no 5xx, and every answer shows the graph as it stood at a
batch boundary — never half a batch, never a state older than one already seen.

Why this check: each batch is one transaction, and the store writes the rows of one label set in a
fixed order (the dataset's), cut into `batch_size` chunks. So while chip models are added, the
only graph states a reader may see hold the first k·batch_size new chips, for some k, and nothing
else changed. `GET /v1/chips` shows exactly that set; the test asserts, for every response during
the load, that it is 200, that the bundled chips are unchanged, and that the new chips form such a
prefix, with k never decreasing from one response to the next. Half a batch, a reordered write or
a reader that went back in time would each fail it. To be sure states between "before" and "after"
are really seen (not only the two ends), the loader waits, at a few batch boundaries, until the
poller has served one request begun after that boundary; it waits on the poller, never on a clock.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from graph.neo4j_store import Neo4jStore
from ontology.records import Dataset, Edge, Node, default_edge_id
from ontology.schema import load_schema
from ontology.vocab import Label, Prop, Rel
from tests.helpers import client_for

pytestmark = pytest.mark.neo4j

NEW_CHIPS = 240
BATCH = 4  # sixty node batches, then sixty relationship batches
CHECKPOINTS = range(BATCH * 10, NEW_CHIPS, BATCH * 10)  # where the loader waits for a fresh answer
PREFIX = "chip-concurrent-"


def new_chips(source: str, designer: str) -> Dataset:
    """Chip models citing a bundled source, each designed by a bundled designer (edges added after)."""
    labels = load_schema().closure((Label.CHIP_MODEL,))
    data = Dataset()
    for i in range(NEW_CHIPS):
        chip = f"{PREFIX}{i:04d}"
        evidence = {Prop.SOURCES: [source], Prop.CONFIDENCE: "illustrative", Prop.ILLUSTRATIVE: True}
        data.nodes[chip] = Node(chip, labels, {Prop.NAME: f"Concurrent {i}", **evidence})  # type: ignore[dict-item]
        edge_id = default_edge_id(designer, Rel.DESIGNS, chip)
        data.edges[edge_id] = Edge(edge_id, Rel.DESIGNS, designer, chip, dict(evidence))  # type: ignore[arg-type]
    return data


class Poller:
    """GET /v1/chips in a loop from one thread, keeping every response in order."""

    def __init__(self, client: TestClient) -> None:
        self.client = client
        self.responses: list[tuple[int, Any]] = []
        self.served = threading.Condition()
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._loop, daemon=True)

    def _loop(self) -> None:
        while not self.done.is_set():
            response = self.client.get("/v1/chips")
            with self.served:
                self.responses.append((response.status_code, response.json()))
                self.served.notify_all()

    def one_more(self, timeout: float = 10.0) -> None:
        """Wait until a request begun after this call has been answered."""
        with self.served:
            seen = len(self.responses)
            self.served.wait_for(lambda: len(self.responses) >= seen + 2, timeout=timeout)


@pytest.fixture
def cleaned(neo4j_store: Neo4jStore) -> Iterator[Neo4jStore]:
    """The bundled data; the chips this test adds are deleted afterwards, whatever happens."""
    yield neo4j_store
    neo4j_store.driver.execute_query("MATCH (n) WHERE n.id STARTS WITH $prefix DETACH DELETE n", {"prefix": PREFIX})


def test_answers_during_a_load_are_whole_batches_in_order(cleaned: Neo4jStore) -> None:
    store = cleaned
    sources = store.nodes(Label.SOURCE)
    designer = store.nodes(Label.CHIP_DESIGNER)[0].id
    data = new_chips(sources[0].id, designer)
    order = list(data.nodes)  # the store writes one label set's rows in the dataset's order
    loader = Neo4jStore.connect(store.settings.model_copy(update={"batch_size": BATCH}))
    with client_for(store) as client:
        before = client.get("/v1/chips").json()
        written = 0

        def progress(count: int) -> None:
            nonlocal written
            written += count
            if written in CHECKPOINTS:
                poller.one_more()

        poller = Poller(client)
        poller.thread.start()
        try:
            loader.load(data, progress=progress)
        finally:
            poller.done.set()
            poller.thread.join(30)
            loader.close()
        after = client.get("/v1/chips").json()

    assert [e["id"] for e in after] == sorted([e["id"] for e in before] + order)
    bundled = {e["id"]: e for e in before}
    seen: list[int] = []
    for status, body in poller.responses:
        assert status == 200, body
        assert [e for e in body if e["id"] in bundled] == before
        added = [e["id"] for e in body if e["id"] not in bundled]
        assert added == order[: len(added)], "the new chips are not a prefix of the load order"
        assert len(added) % BATCH == 0 or len(added) == len(order), f"{len(added)} chips: half a batch"
        assert not seen or len(added) >= seen[-1], f"went back from {seen[-1]} to {len(added)} chips"
        seen.append(len(added))
    intermediate = sorted({k for k in seen if 0 < k < len(order)})
    assert len(intermediate) >= len(CHECKPOINTS), intermediate
    print(f"\n{len(seen)} answers during the load; {len(intermediate)} intermediate states seen")
