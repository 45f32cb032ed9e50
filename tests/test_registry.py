"""The named-query registry: headers parsed, and a query that drifts from the ontology fails to load."""

from __future__ import annotations

from pathlib import Path

import pytest

from ontology import load_schema
from ontology.errors import OntologyError
from queries.named import bounded
from queries.registry import REGISTRY, parse

HEADER = "// name: q\n// description: d\n// param: id STRING -- an id\n// example: :param {id: 'x'}\n"


def write(tmp_path: Path, body: str, header: str = HEADER) -> Path:
    path = tmp_path / "q.cypher"
    path.write_text(header + body, encoding="utf-8")
    return path


def test_headers_are_parsed() -> None:
    query = REGISTRY["supply_paths"]
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
    text = REGISTRY["supply_paths"].text
    assert "{1,20}" in text
    assert "{1,4}" in bounded(text, 4) and "{1,20}" not in bounded(text, 4)
    for bad in (0, 21, "4} MATCH (x) DETACH DELETE x //", 2.5, True):
        with pytest.raises(ValueError, match="from 1 to 20"):
            bounded(text, bad)
