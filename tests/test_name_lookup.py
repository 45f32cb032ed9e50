"""Names are looked up, never read from every node of a label: `GraphStore.named` finds a node by id
or by any of its names folded as a user's term is (case, spaces, hyphens, underscores), on both
backends alike; on Neo4j through the id constraint and the keyword full-text index `name_keys`."""

from __future__ import annotations

import difflib
import random
from collections.abc import Iterable

import pytest

from api.http.app import prepared
from graph.memory import MemoryStore
from graph.neo4j_store import Neo4jStore
from graph.store import GraphStore, pinned_version
from loaders.synthetic import generate
from ontology.errors import NotFound
from ontology.names import normalise
from ontology.records import Dataset, Node
from ontology.schema import load_schema
from ontology.vocab import Label
from queries.resolve import resolve_chips, resolve_organization, resolve_place
from queries.search import FUZZY_BELOW, name_table, ranked, search
from tests.test_named_plans import operators

SCHEMA = load_schema()
BOTH = pytest.mark.parametrize("backend", ["memory", pytest.param("neo4j", marks=pytest.mark.neo4j)], indirect=True)


def node(node_id: str, label: str, **props: object) -> Node:
    return Node(node_id, SCHEMA.closure((label,)), props)  # type: ignore[arg-type]


def graph() -> Dataset:
    """Invented organisations, one with quotes and a backslash in its name, and a place of the same name."""
    data = Dataset()
    for n in (
        node(
            "org-ext",
            Label.ORGANIZATION,
            name="Shenzhen Example-Tech Co., Ltd",
            aliases=["EXT", "Ex Tech"],
            name_zh="深圳示例科技",
        ),
        node("org-quote", Label.ORGANIZATION, name='Acme "Quoted" \\ Holdings'),
        node("org-other", Label.ORGANIZATION, name="Other Trading", aliases=["ext"]),
        node("place-acme", Label.PROVINCE, name="Shenzhen Example-Tech Co., Ltd", iso3166="CN-ZZ"),
        node("chip-x1", Label.CHIP_MODEL, name="X1 SXM", family="X1"),
    ):
        data.nodes[n.id] = n
    return data


@pytest.fixture
def named_store(load_on_backend: object) -> GraphStore:
    assert callable(load_on_backend)
    store: GraphStore = load_on_backend(graph())
    return store


def ids(nodes: list[Node]) -> list[str]:
    return [n.id for n in nodes]


@BOTH
def test_a_name_is_found_whatever_its_case_spaces_and_hyphens(named_store: GraphStore) -> None:
    assert ids(named_store.named(Label.ORGANIZATION, "shenzhen example_tech CO., LTD")) == ["org-ext"]
    assert ids(named_store.named(Label.ORGANIZATION, "深圳示例科技")) == ["org-ext"]
    assert ids(named_store.named(Label.ORGANIZATION, "extech")) == ["org-ext"]
    assert ids(named_store.named(Label.ORGANIZATION, "Ext")) == ["org-ext", "org-other"]  # an alias of both


@BOTH
def test_quotes_and_backslashes_in_a_name_are_matched_as_written(named_store: GraphStore) -> None:
    assert ids(named_store.named(Label.ORGANIZATION, 'acme "quoted" \\ holdings')) == ["org-quote"]
    assert named_store.named(Label.ORGANIZATION, 'acme "quoted"') == []


@BOTH
def test_the_label_an_id_and_codes_are_kept_apart(named_store: GraphStore) -> None:
    assert ids(named_store.named(Label.PLACE, "Shenzhen Example-Tech Co., Ltd")) == ["place-acme"]
    assert ids(named_store.named(Label.ORGANIZATION, "org-quote")) == ["org-quote"]
    assert named_store.named(Label.ORGANIZATION, "place-acme") == []
    assert ids(named_store.named(Label.PLACE, "cn-zz")) == ["place-acme"]
    assert ids(named_store.named(Label.CHIP_MODEL, "x1")) == ["chip-x1"]
    assert named_store.named(Label.ORGANIZATION, "nothing by this name") == []


@BOTH
def test_resolvers_answer_from_the_lookup(named_store: GraphStore) -> None:
    assert resolve_organization(named_store, "EX-TECH").id == "org-ext"
    assert resolve_place(named_store, "CN-ZZ").id == "place-acme"
    assert ids(resolve_chips(named_store, "x1")) == ["chip-x1"]
    with pytest.raises(NotFound) as raised:
        resolve_organization(named_store, "Acme Quoted Holding")
    assert 'Acme "Quoted" \\ Holdings' in raised.value.suggestions


@pytest.mark.neo4j
@pytest.mark.parametrize("backend", ["neo4j"], indirect=True)
def test_a_node_written_outside_chiptrail_without_folded_names_is_still_resolved(named_store: GraphStore) -> None:
    assert isinstance(named_store, Neo4jStore)
    with named_store.driver.session(database=named_store.settings.database) as session:
        session.run("CREATE (:Organization:Entity {id: 'org-browser', name: 'Typed In The Browser'})").consume()
    assert named_store.named(Label.ORGANIZATION, "typed in the browser") == []  # no folded names to look up
    assert resolve_organization(named_store, "typed in the browser").id == "org-browser"  # found by reading them all


@pytest.mark.neo4j
@pytest.mark.parametrize("backend", ["neo4j"], indirect=True)
def test_on_neo4j_the_lookup_seeks_and_never_scans_a_label(named_store: GraphStore) -> None:
    assert isinstance(named_store, Neo4jStore)
    query = named_store.named_statement(Label.ORGANIZATION)
    assert query is not None
    with named_store.driver.session(database=named_store.settings.database) as session:
        plan = session.run("EXPLAIN " + query, {"term": "x", "phrase": '"x"'}).consume().plan
    assert plan is not None
    found = [name for name, _ in operators(plan)]
    assert not [name for name in found if "Scan" in name and "Seek" not in name], found
    assert any(name.startswith("NodeUniqueIndexSeek") or name.startswith("NodeIndexSeek") for name in found), found
    assert "ProcedureCall" in found, found


@BOTH
def test_a_fragment_is_found_inside_folded_names_and_matched_as_written(named_store: GraphStore) -> None:
    assert ids(named_store.containing(Label.ORGANIZATION, "ample-TE")) == ["org-ext"]  # the place is not one
    assert ids(named_store.containing(Label.PLACE, "ample-TE")) == ["place-acme"]
    assert ids(named_store.containing(Label.ORGANIZATION, "ext")) == ["org-ext", "org-other"]
    assert ids(named_store.containing(Label.ORGANIZATION, '"quoted" \\')) == ["org-quote"]
    assert ids(named_store.containing(Label.ORGANIZATION, "示例")) == ["org-ext"]
    # Lucene's operators are characters like any other: no wildcard, no fuzzy, no boolean
    assert named_store.containing(Label.ORGANIZATION, "acme*") == []
    assert named_store.containing(Label.ORGANIZATION, "ac?e") == []
    assert named_store.containing(Label.ORGANIZATION, "acme~") == []
    assert named_store.containing(Label.ORGANIZATION, "acme OR other") == []


@BOTH
@pytest.mark.parametrize(
    ("q", "limit"),
    [("ext", 2), ("ext", 3), ("Exampel", 5), ("holdings", 1), ("深圳", 2), ("Exmaple Holdngs", 3), ("oher", 2)],
)
def test_search_ranks_as_reading_every_entity_does(named_store: GraphStore, q: str, limit: int) -> None:
    found = search(named_store, q, limit)
    assert found == ranked(named_store.nodes(Label.ENTITY), normalise(q))[:limit]
    assert found


@pytest.mark.neo4j
@pytest.mark.parametrize("backend", ["neo4j"], indirect=True)
def test_search_reads_every_entitys_names_only_for_fuzzy_hits(named_store: GraphStore) -> None:
    assert isinstance(named_store, Neo4jStore)
    before = named_store.statements
    assert [h.id for h in search(named_store, "ext", 2)] == ["org-other", "org-ext"]  # tied: by name
    assert named_store.statements - before == 1  # two exact hits: the look-up alone
    before = named_store.statements
    assert search(named_store, "Exampel", 2)[0].id == "org-ext"  # a typo: fuzzy
    # the look-up, every entity's names (once per data version in the API), the entities near it
    assert named_store.statements - before == 3


def typo(rng: random.Random, text: str) -> str:
    """`text` with up to three letters dropped, added or changed."""
    chars = list(text)
    for _ in range(rng.randint(1, 3)):
        at = rng.randrange(len(chars) + 1)
        edit = rng.choice("dac") if chars else "a"
        if edit == "d":
            chars.pop(min(at, len(chars) - 1))
        elif edit == "a":
            chars.insert(at, rng.choice("aeiouxyz -"))
        else:
            chars[min(at, len(chars) - 1)] = rng.choice("aeiou")
    return "".join(chars)


class ReadCounting(MemoryStore):
    """An embedded store that counts the nodes read by id."""

    read = 0

    def nodes_by_id(self, ids: Iterable[str]) -> dict[str, Node]:
        wanted = list(ids)
        self.read += len(wanted)
        return super().nodes_by_id(wanted)


def test_typos_in_a_generated_graph_rank_as_reading_every_entity_does() -> None:
    store = ReadCounting()
    store.load(generate(5_000))  # names alike ('syn-org-t1-5'): many entities near any typo
    entities = store.nodes(Label.ENTITY)
    names = sorted({str(n.props["name"]) for n in entities})
    rng = random.Random(11)
    queries = [typo(rng, rng.choice(names)) for _ in range(30)] + [rng.choice(names)[: rng.randint(2, 6)]]
    for q in queries:
        assert search(store, q, 10) == ranked(entities, normalise(q))[:10], q
    assert store.read < len(queries) * len(entities) / 2  # the best bounds first, not every entity near


def test_a_typo_reads_only_the_entities_near_it() -> None:
    store = ReadCounting()
    store.load(generate(5_000))
    foundry = node("org-foundry", Label.ORGANIZATION, name="Zanzibar Quantum Foundry")
    store.load(Dataset(nodes={foundry.id: foundry}))
    hits = search(store, "Zanzibr Quantm Foundy", 5)
    assert [h.id for h in hits] == ["org-foundry"] and hits[0].score < FUZZY_BELOW
    assert store.read <= 5  # of more than 1,000 entities


def test_suggestions_for_a_typo_are_difflibs_over_every_name() -> None:
    store = MemoryStore()
    store.load(generate(5_000))
    organisations = store.nodes(Label.ORGANIZATION)
    every = sorted({str(n.props["name"]) for n in organisations} | {n.id for n in organisations})
    by_folded = {normalise(x): x for x in every}
    rng = random.Random(5)
    known = {n.id for n in organisations} | {normalise(str(n.props["name"])) for n in organisations}
    terms = [typo(rng, rng.choice(every)) for _ in range(20)] + ["zzz", "syn"]
    unknown = [t for t in terms if t not in known and normalise(t) not in known]  # a space added is no typo
    assert len(unknown) >= 15
    for term in unknown:
        close = difflib.get_close_matches(normalise(term), list(by_folded), n=5, cutoff=0.5)
        with pytest.raises(NotFound) as raised:
            resolve_organization(store, term)
        assert raised.value.suggestions == [by_folded[c] for c in close], term


def test_the_table_prepared_at_start_is_the_one_search_reads(
    named_store: GraphStore, caplog: pytest.LogCaptureFixture
) -> None:
    """What `chiptrail serve` does as it starts, on either backend: under the version it starts on,
    the table is built once, without a warning, and the first typo search reads it."""
    with pinned_version(named_store.data_version()):
        prepared(named_store)
        table = name_table(named_store)
        assert table is name_table(named_store) and "extech" in table.texts
        assert [h.id for h in search(named_store, "Exteck", 1)] == ["org-ext"]
    assert not [r for r in caplog.records if r.levelname == "WARNING"]
