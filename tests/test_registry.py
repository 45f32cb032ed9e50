"""The named-query registry: headers parsed, and a query that drifts from the ontology fails to load."""

from __future__ import annotations

from pathlib import Path

import pytest

from ontology import load_schema
from ontology.errors import InvalidParameter, OntologyError
from queries.named import hop_bound, pair, registry, run
from queries.named.registry import parse, parse_folder
from queries.named.rows import TWINS, Row

HEADER = "// name: q\n// description: d\n// param: id STRING -- an id\n// example: :param {id: 'x'}\n"


def write(tmp_path: Path, body: str, header: str = HEADER) -> Path:
    path = tmp_path / "q.cypher"
    path.write_text(header + body, encoding="utf-8")
    return path


def test_headers_are_parsed() -> None:
    query = registry()["supply_paths"]
    assert [(p.name, p.type) for p in query.parameters] == [
        ("chip_id", "STRING"),
        ("region_id", "STRING"),
        ("max_hops", "INTEGER"),
        ("as_of", "DATE"),
    ]
    assert query.example.startswith(":param {chip_id: 'chip-nvidia-h100-sxm'")
    assert "node-simple" in query.description.lower() or "Node-simple" in query.description


def test_a_valid_file_loads(tmp_path: Path) -> None:
    query = parse(
        write(tmp_path, "MATCH (n:ChipModel {id: $id})-[:DESIGNS|MANUFACTURES]-(o) RETURN n\n"), load_schema()
    )
    assert query.text.startswith("MATCH (n:ChipModel")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("MATCH (n:Chip {id: $id}) RETURN n", "'Chip' is not a label or relationship type"),
        ("MATCH (n)-[:SUPPLY]->(m) WHERE n.id = $id RETURN m", "'SUPPLY' is not a label"),
        ("MATCH (n) WHERE n.id = $id AND n:Vessel RETURN n", "'Vessel' is not a label"),
        ("MATCH (n:ChipModel) WHERE n.id = $other RETURN n", "$other is used but not declared"),
        ("MATCH (n:ChipModel) RETURN n", "$id is declared but not used"),
    ],
)
def test_a_query_that_drifts_from_the_ontology_fails(tmp_path: Path, body: str, message: str) -> None:
    with pytest.raises(OntologyError, match=message.replace("$", r"\$")):
        parse(write(tmp_path, body), load_schema())


def test_the_name_must_match_the_file(tmp_path: Path) -> None:
    with pytest.raises(OntologyError, match="differs from the file name"):
        parse(write(tmp_path, "MATCH (n {id: $id}) RETURN n", HEADER.replace("name: q", "name: other")), load_schema())


def test_hop_quantifier_is_tightened_only_with_a_checked_integer() -> None:
    query = registry()["supply_paths"]
    params = {"chip_id": "c", "region_id": "r", "as_of": None}
    assert "{1,20}" in query.text
    tightened = query.bounded({**params, "max_hops": 4})
    assert "{1,4}" in tightened and "{1,20}" not in tightened
    for bad in (0, 21, "4} MATCH (x) DETACH DELETE x //", 2.5, True):
        with pytest.raises(InvalidParameter, match="from 1 to 20"):
            query.bounded({**params, "max_hops": bad})


def test_hop_bounds_are_read_from_the_files() -> None:
    assert hop_bound("supply_paths") == 20
    assert hop_bound("owners") == 10
    assert hop_bound("subgraph") == 3


def test_a_quantifier_written_with_spaces_is_still_tightened(tmp_path: Path) -> None:
    header = HEADER.replace("// example", "// param: max_hops INTEGER -- hops\n// example")
    body = "MATCH p = (a {id: $id}) ((x)-[:SUPPLIES]->(y)){1, 9} (b) WHERE length(p) <= $max_hops RETURN b"
    query = parse(write(tmp_path, body, header), load_schema())
    assert query.hops is not None and (query.hops.lower, query.hops.upper) == (1, 9)
    assert "{1,2}" in query.bounded({"id": "x", "max_hops": 2})


@pytest.mark.parametrize(
    ("params", "body", "message"),
    [
        ("max_hops", "MATCH (a {id: $id})-[:SUPPLIES]->+(b) WHERE $max_hops > 0 RETURN b", "no bounded quantifier"),
        (
            "max_hops",
            "MATCH p = (a {id: $id}) ((x)-[:SUPPLIES]->(y)){1,5} (b) ((u)-[:OWNS]->(v)){1,3} (c) "
            "WHERE length(p) <= $max_hops RETURN c",
            "2 bounded quantifiers",
        ),
        ("", "MATCH (a {id: $id}) ((x)-[:SUPPLIES]->(y)){1,5} (b) ((u)-[:OWNS]->(v)){1,3} (c) RETURN c", "2 bounded"),
    ],
)
def test_a_missing_or_repeated_quantifier_fails(tmp_path: Path, params: str, body: str, message: str) -> None:
    header = HEADER.replace("// example", f"// param: {params} INTEGER -- hops\n// example") if params else HEADER
    with pytest.raises(OntologyError, match=message):
        parse(write(tmp_path, body, header), load_schema())


def _twin(store: object, *, id: str) -> list[Row]:
    return []


def test_every_query_file_has_exactly_one_twin_with_its_parameters(tmp_path: Path) -> None:
    queries = {**registry(), **parse_folder(tmp_path, load_schema())}
    assert pair(registry(), TWINS) == []
    write(tmp_path, "MATCH (n {id: $id}) RETURN n")
    extra = parse_folder(tmp_path, load_schema())
    assert pair({**registry(), **extra}, TWINS) == ["q.cypher has no in-process twin"]
    assert pair(queries, {**TWINS, "q": _twin}) == ["twin 'q' has no q.cypher"]
    assert pair({**registry(), **extra}, {**TWINS, "q": _twin}) == []
    wrong = {**TWINS, "entity": _twin}
    assert pair(registry(), wrong) == ["twin 'entity' takes ['id'], entity.cypher declares ['term']"]


def test_named_queries_refuse_wrong_parameters(store: object) -> None:
    with pytest.raises(InvalidParameter, match="takes"):
        run(store, "places_within", place="x")  # type: ignore[arg-type]
