"""The Neo4j Browser's guide and style: generated from the registry and the ontology, served with CORS
for the Browser's origin only."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from graph.memory import MemoryStore
from ontology import load_schema
from ontology.errors import OntologyError
from queries.guide import TOPICS, graph_form, guide, param_lines
from queries.named import registry
from queries.named.registry import CYPHER, parse_folder
from queries.roles import ROLES, role_of
from queries.style import grass
from tests.helpers import CLI, client_for

BROWSER = "http://127.0.0.1:7474"
PREFLIGHT = {
    "Origin": BROWSER,
    "Access-Control-Request-Method": "GET",
    "Access-Control-Request-Headers": "cache-control,pragma",
}


def cypher_blocks(markdown: str) -> list[str]:
    return re.findall(r"```cypher\n(.*?)\n```", markdown, flags=re.S)


def test_the_guide_has_one_slide_per_topic_and_per_named_query() -> None:
    text = guide()
    slides = text.split("\n---\n")
    assert len(slides) == 1 + len(TOPICS) + len(registry())
    assert slides[0].lstrip().startswith("# chiptrail")
    titles = [slide.strip().splitlines()[0] for slide in slides[1 : 1 + len(TOPICS)]]
    assert titles == [f"## {topic.title}" for topic in TOPICS]
    for words in (
        "Xinjiang",
        "Leads",
        "designated",
        "Ownership chains",
        "Exposure of a region",
        "powers",
        "Chokepoints",
    ):
        assert any(words in title for title in titles), words
    assert "illustrative: true" in slides[0] and "(fictional)" in slides[0]
    assert all(level in slides[0] for level in ("confirmed", "reported", "alleged", "estimated"))


def test_every_named_query_appears_with_its_text_and_its_param_line() -> None:
    blocks = cypher_blocks(guide())
    for query in registry().values():
        assert query.text.strip() in blocks, query.name
        params = param_lines(query.example)
        assert not params or params in blocks, query.name


def test_a_new_named_query_appears_in_the_guide(tmp_path: Path) -> None:
    folder = tmp_path / "cypher"
    shutil.copytree(CYPHER, folder)
    (folder / "chip_names.cypher").write_text(
        "// name: chip_names\n// description: Every chip model's name.\n// example: :param {}\n"
        "MATCH (c:ChipModel) RETURN c.name AS name ORDER BY name\n",
        encoding="utf-8",
    )
    text = guide(parse_folder(folder, load_schema()))
    assert "## Named query: chip_names" in text
    assert "MATCH (c:ChipModel) RETURN c.name AS name ORDER BY name" in cypher_blocks(text)


def test_a_topic_naming_a_missing_query_fails() -> None:
    queries = dict(registry())
    del queries["owners"]
    with pytest.raises(OntologyError, match="owners"):
        guide(queries)


def test_the_routes_graph_form_returns_the_path() -> None:
    drawn = graph_form(registry()["supply_paths"])
    assert drawn is not None and drawn.endswith("RETURN p")
    assert "SUPPLIES" in drawn
    assert graph_form(registry()["designations"]) is None
    assert drawn in cypher_blocks(guide())


def test_the_style_has_a_colour_per_role_and_the_captions() -> None:
    text = grass()
    schema = load_schema()
    for label in schema.classes:
        assert f"node.{label} {{" in text
    for rel in schema.relationships:
        assert f"relationship.{rel} {{" in text
    assert re.search(r"node\.ExportControlRule \{[^}]*caption: '\{citation\}'", text)
    assert re.search(r"relationship\.OWNS \{[^}]*caption: '\{percentage\}%'", text)
    assert re.search(r"relationship\.SUPPLIES \{[^}]*caption: '\{valid_from\} ×\{quantity\}'", text)
    colours = {role.color for role in ROLES}
    assert len(colours) == len(ROLES)
    assert all(colour in text for colour in colours)


def test_a_node_with_several_role_labels_takes_the_more_specific_one_in_both_places() -> None:
    assert role_of(["Entity", "Organization", "Distributor", "ShellCompany"]).key == "shell"
    assert role_of(["Organization", "Distributor"]).key == "intermediary"
    text = grass()
    assert text.index("node.ShellCompany {") > text.index("node.Distributor {") > text.index("node.Organization {")


def test_guide_and_style_are_served_with_cors_for_the_browser(store: MemoryStore) -> None:
    with client_for(store) as client:
        for path, kind in (("/browser/chiptrail.md", "text/markdown"), ("/browser/chiptrail.grass", "text/plain")):
            answer = client.get(path, headers={"Origin": BROWSER, "cache-control": "no-cache", "pragma": "no-cache"})
            assert answer.status_code == 200
            assert answer.headers["content-type"].startswith(kind)
            assert answer.headers["access-control-allow-origin"] == BROWSER
            preflight = client.options(path, headers=PREFLIGHT)
            assert preflight.status_code == 200
            assert preflight.headers["access-control-allow-origin"] == BROWSER
            allowed = preflight.headers["access-control-allow-headers"].lower()
            assert "cache-control" in allowed and "pragma" in allowed
        text = client.get("/browser/chiptrail.md").text
        assert "# chiptrail" in text
        assert "```cypher\n:style http://testserver/browser/chiptrail.grass\n```" in text


def test_cors_is_for_the_browser_only(store: MemoryStore) -> None:
    with client_for(store, browser_port=17474) as client:
        other = client.options("/browser/chiptrail.md", headers={**PREFLIGHT, "Origin": "http://evil.example"})
        assert other.status_code == 400
        assert "access-control-allow-origin" not in other.headers
        moved = client.options("/browser/chiptrail.md", headers={**PREFLIGHT, "Origin": "http://localhost:17474"})
        assert moved.headers["access-control-allow-origin"] == "http://localhost:17474"
        api = client.get("/v1/routes?chip=H100&region=Xinjiang", headers={"Origin": BROWSER})
        assert "access-control-allow-origin" not in api.headers


def test_the_guide_and_style_are_printed_without_the_api(tmp_path: Path) -> None:
    target = tmp_path / "chiptrail.md"
    made = subprocess.run([CLI, "neo4j", "guide", "-o", str(target)], capture_output=True, text=True, check=False)
    assert made.returncode == 0, made.stderr
    assert target.read_text(encoding="utf-8") == guide()
    style = subprocess.run([CLI, "neo4j", "guide", "--style"], capture_output=True, text=True, check=False)
    assert style.stdout == grass()


def test_param_lines_use_the_arrow_form_so_dates_stay_dates() -> None:
    example = ":param {chip_id: 'a, b', max_hops: 6, seeds: ['x', 'y'], as_of: date('2026-11-28')}"
    assert param_lines(example).splitlines() == [
        ":param chip_id => 'a, b';",
        ":param max_hops => 6;",
        ":param seeds => ['x', 'y'];",
        ":param as_of => date('2026-11-28');",
    ]
    assert param_lines(":param {}") == ""
