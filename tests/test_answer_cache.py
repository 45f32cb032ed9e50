"""Answers kept per data version (api/http/cache.py): a repeat gives the same bytes from memory, an ETag
gives 304, `no-cache` computes afresh, and any write — on Neo4j one made outside chiptrail too — makes
the next request compute the answer again and see the write."""

from __future__ import annotations

import asyncio
import datetime as dt
import threading
from collections.abc import Hashable
from typing import cast

import pytest
from fastapi.testclient import TestClient

from api.http.cache import Answers, Kept, VersionReads
from graph.memory import MemoryStore
from graph.neo4j_store import Neo4jStore
from graph.store import GraphStore
from ontology.records import Dataset, Node
from ontology.vocab import Label
from tests.helpers import client_for

DAY = dt.date(2026, 1, 1).isoformat()
ROUTES = {"chip": "H100", "region": "Xinjiang", "as_of": DAY}
NEW_CHIP = "chip-cache-test-x1"  # a record of this test only


def chip_ids(client: TestClient) -> set[str]:
    response = client.get("/v1/chips")
    assert response.status_code == 200
    return {c["id"] for c in response.json()}


@pytest.fixture
def fresh(backend: str, load_on_backend: object, bundled: Dataset) -> GraphStore:
    """The bundled data in a store the test may write to, on the test's backend."""
    assert callable(load_on_backend)
    store: GraphStore = load_on_backend(bundled)
    return store


@pytest.mark.parametrize("backend", ["memory", pytest.param("neo4j", marks=pytest.mark.neo4j)], indirect=True)
def test_a_repeat_is_the_same_answer_from_memory(fresh: GraphStore) -> None:
    with client_for(fresh) as client:
        first = client.get("/v1/routes", params=ROUTES)
        second = client.get("/v1/routes", params=ROUTES)
        assert (first.status_code, second.status_code) == (200, 200)
        assert (first.headers["x-cache"], second.headers["x-cache"]) == ("miss", "hit")
        assert second.content == first.content and first.json()["routes"]
        assert second.headers["etag"] == first.headers["etag"]
        assert second.headers["content-type"] == first.headers["content-type"]
        assert first.headers["vary"] == second.headers["vary"] == "Accept"
        drawn = client.get("/v1/routes", params=ROUTES, headers={"Accept": "text/html"})
        assert drawn.headers["x-cache"] == "miss" and drawn.headers["content-type"].startswith("text/html")
        other = client.get("/v1/routes", params={**ROUTES, "region": "Qinghai"})
        assert other.headers["x-cache"] == "miss" and other.content != first.content


@pytest.mark.parametrize("backend", ["memory", pytest.param("neo4j", marks=pytest.mark.neo4j)], indirect=True)
def test_an_etag_sent_back_is_answered_not_modified(fresh: GraphStore) -> None:
    with client_for(fresh) as client:
        first = client.get("/v1/routes", params=ROUTES)
        again = client.get("/v1/routes", params=ROUTES, headers={"If-None-Match": first.headers["etag"]})
        assert again.status_code == 304 and again.content == b""
        assert again.headers["etag"] == first.headers["etag"]
        stale = client.get("/v1/routes", params=ROUTES, headers={"If-None-Match": '"not-this-one"'})
        assert stale.status_code == 200 and stale.content == first.content


@pytest.mark.parametrize("backend", ["memory"], indirect=True)
def test_no_cache_computes_afresh(fresh: GraphStore) -> None:
    with client_for(fresh) as client:
        client.get("/v1/routes", params=ROUTES)
        fresh_answer = client.get("/v1/routes", params=ROUTES, headers={"Cache-Control": "no-cache"})
        assert fresh_answer.headers["x-cache"] == "miss"
        assert client.get("/v1/routes", params=ROUTES).headers["x-cache"] == "hit"


@pytest.mark.parametrize("backend", ["memory"], indirect=True)
def test_a_write_through_chiptrail_is_seen_by_the_next_request(fresh: GraphStore) -> None:
    assert isinstance(fresh, MemoryStore)
    with client_for(fresh) as client:
        before = chip_ids(client)
        assert NEW_CHIP not in before
        fresh.load(Dataset(nodes={NEW_CHIP: Node(NEW_CHIP, (Label.CHIP_MODEL,), {"name": "Cache Test X1"})}))
        response = client.get("/v1/chips")
        assert response.headers["x-cache"] == "miss"
        assert {c["id"] for c in response.json()} == before | {NEW_CHIP}


@pytest.mark.neo4j
@pytest.mark.parametrize("backend", ["neo4j"], indirect=True)
def test_a_write_made_outside_chiptrail_is_seen_by_the_next_request(fresh: GraphStore) -> None:
    assert isinstance(fresh, Neo4jStore)
    with client_for(fresh) as client:
        before = chip_ids(client)
        version = fresh.data_version()
        assert fresh.data_version() == version  # reads do not move it
        with fresh.driver.session(database=fresh.settings.database) as session:  # as the Browser would
            session.run("CREATE (:ChipModel {id: $id, name: 'Cache Test X1'})", id=NEW_CHIP).consume()
        assert fresh.data_version() != version
        response = client.get("/v1/chips")
        assert response.headers["x-cache"] == "miss"
        assert {c["id"] for c in response.json()} == before | {NEW_CHIP}


@pytest.mark.parametrize("backend", ["memory"], indirect=True)
def test_files_beside_the_store_are_never_kept(fresh: GraphStore) -> None:
    with client_for(fresh) as client:
        for _ in range(2):
            response = client.get("/v1/resolution/judgements")
            assert response.status_code == 200 and "x-cache" not in response.headers
        assert "x-cache" not in client.get("/healthz").headers


def test_the_kept_answers_stay_within_their_bytes() -> None:
    answers = Answers(max_bytes=10)
    for i in range(5):
        answers.put(i, Kept(200, [], b"abcd", b'"x"'))
    assert len(answers) == 2 and answers.size == 8  # the oldest went first
    assert answers.get(0) is None and answers.get(4) is not None
    answers.put(3, Kept(200, [], b"abcdefgh", b'"y"'))  # 3 replaced and made recent; 4 goes
    assert answers.size == 8 and answers.get(4) is None and answers.get(3) is not None


class CommitsBetweenReads:
    """A store whose every version read sees one more commit, and whose first read waits to be let go."""

    backend = "neo4j"

    def __init__(self) -> None:
        self.reads = 0
        self.first_read_began, self.let_go = threading.Event(), threading.Event()

    def data_version(self) -> int:
        self.reads += 1
        if self.reads == 1:
            self.first_read_began.set()
            assert self.let_go.wait(10)
        return self.reads


def test_requests_arriving_during_a_version_read_share_the_next_one() -> None:
    store = CommitsBetweenReads()
    reads = VersionReads(cast(GraphStore, store))

    async def requests() -> tuple[Hashable, list[Hashable]]:
        first = asyncio.ensure_future(reads.version())
        assert await asyncio.to_thread(store.first_read_began.wait, 10)
        later = [asyncio.ensure_future(reads.version()) for _ in range(20)]  # they arrive while it reads
        await asyncio.sleep(0)
        store.let_go.set()
        return await first, list(await asyncio.gather(*later))

    first, later = asyncio.run(requests())
    assert first == 1  # the read under way when the others arrived
    assert later == [2] * 20  # one read begun after all of them arrived, so it sees what they could
    assert store.reads == 2


@pytest.mark.neo4j
@pytest.mark.parametrize("backend", ["neo4j"], indirect=True)
def test_names_resolved_on_a_data_version_are_looked_up_once(fresh: GraphStore) -> None:
    assert isinstance(fresh, Neo4jStore)
    with client_for(fresh) as client:
        sent = fresh.statements
        assert client.get("/v1/routes", params=ROUTES).headers["x-cache"] == "miss"
        assert fresh.statements - sent == 3  # the chip and the region looked up, then the answer's sub-graph
        sent = fresh.statements
        again = client.get("/v1/routes", params=ROUTES, headers={"Cache-Control": "no-cache"})
        assert again.headers["x-cache"] == "miss" and fresh.statements - sent == 1  # the sub-graph alone
        variants = {c["id"] for c in client.get("/v1/chips/H100").json()}
        assert variants == {"chip-nvidia-h100-sxm", "chip-nvidia-h100-pcie"}
        with fresh.driver.session(database=fresh.settings.database) as session:  # a new variant, from outside
            session.run(  # written as chiptrail writes a node: its root label and its folded names
                "CREATE (:ChipModel:Entity {id: $id, name: 'Cache Test X1', family: 'H100', "
                "name_keys: ['cachetestx1', 'h100']})",
                id=NEW_CHIP,
            ).consume()
        assert {c["id"] for c in client.get("/v1/chips/H100").json()} == variants | {NEW_CHIP}
