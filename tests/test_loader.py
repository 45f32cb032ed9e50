"""The YAML loader: every problem names file, line, record and field; nothing is dropped."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from loaders import load_paths
from ontology.errors import DataError, Problem
from tests.conftest import PREAMBLE, YamlWriter


def problems_of(path: Path) -> list[Problem]:
    with pytest.raises(DataError) as caught:
        load_paths([path])
    return caught.value.problems


def test_a_valid_file_loads_with_labels_closed_and_values_typed(write_yaml: YamlWriter) -> None:
    path = write_yaml(
        PREAMBLE
        + """\
  - {id: org-a, labels: [Distributor], name: A, valid_from: 2024-01-02}
  - {id: chip-x, labels: [ChipModel], name: X, vendor: V, tpp: 4800}
edges:
  - {type: SUPPLIES, from: org-a, to: org-a, chips: [chip-x], quantity: 5}
"""
    )
    data = load_paths([path])
    assert data.nodes["org-a"].labels == ("Entity", "Organization", "Distributor")
    assert data.nodes["org-a"].props["valid_from"] == dt.date(2024, 1, 2)
    assert data.nodes["chip-x"].props["tpp"] == 4800.0
    edge = data.edges["org-a|SUPPLIES|org-a"]
    assert edge.props == {"chips": ["chip-x"], "quantity": 5, "confidence": "reported", "sources": ["src-test"]}


def test_unknown_label_lists_the_allowed_ones(write_yaml: YamlWriter) -> None:
    path = write_yaml(PREAMBLE + "  - {id: org-a, labels: [Distributer], name: A}\n")
    [problem] = problems_of(path)
    assert (problem.file, problem.line, problem.record, problem.field) == (str(path), 6, "org-a", "labels")
    assert "unknown label 'Distributer'" in problem.message
    assert "did you mean Distributor" in problem.message
    assert "ChipModel" in problem.message  # the allowed labels are listed


def test_unknown_relationship_type_and_property(write_yaml: YamlWriter) -> None:
    path = write_yaml(
        PREAMBLE
        + """\
  - {id: org-a, labels: [Organization], name: A, tpp: 3}
edges:
  - {type: SUPPLY, from: org-a, to: org-a}
"""
    )
    found = {(p.line, p.field): p.message for p in problems_of(path)}
    assert "unknown property for Organization" in found[(6, "tpp")]
    assert "allowed:" in found[(6, "tpp")]
    assert "did you mean SUPPLIES" in found[(8, "type")]


def test_field_errors_point_at_the_field_line(write_yaml: YamlWriter) -> None:
    path = write_yaml(
        PREAMBLE
        + """\
  - id: org-a
    labels: [Organization]
    name: A
    valid_from: last spring
    confidence: rumoured
"""
    )
    found = {(p.line, p.field): p.message for p in problems_of(path)}
    assert "expected a date" in found[(9, "valid_from")]
    assert "confidence must be one of" in found[(10, "confidence")]


def test_records_without_evidence_are_rejected(write_yaml: YamlWriter) -> None:
    path = write_yaml("""\
nodes:
  - {id: org-a, labels: [Organization], name: A, confidence: reported}
""")
    [problem] = problems_of(path)
    assert (problem.line, problem.field) == (2, "sources")


def test_dangling_references_are_reported_with_suggestions(write_yaml: YamlWriter) -> None:
    path = write_yaml(
        PREAMBLE
        + """\
  - {id: org-alpha, labels: [Organization], name: A}
edges:
  - {type: SUPPLIES, from: org-alpah, to: org-alpha, chips: [chip-missing]}
  - {type: DEPLOYS, from: org-alpha, to: org-alpha, sources: [src-nowhere]}
"""
    )
    found = {(p.line, p.field): p.message for p in problems_of(path)}
    assert "no node with id 'org-alpah' (did you mean org-alpha?)" in found[(8, "from")]
    assert "'chip-missing' is not a ChipModel id" in found[(8, "chips")]
    assert "DEPLOYS goes from DataCenter|ProjectAggregate to ChipModel" in found[(9, "type")]
    assert "'src-nowhere' is not a Source id" in found[(9, "sources")]


def test_conflicting_duplicate_ids_across_files(write_yaml: YamlWriter) -> None:
    first = write_yaml(PREAMBLE + "  - {id: org-a, labels: [Organization], name: A}\n", "a.yaml")
    write_yaml(PREAMBLE + "  - {id: org-a, labels: [Organization], name: B}\n", "b.yaml")
    with pytest.raises(DataError) as caught:
        load_paths([first.parent])
    [problem] = caught.value.problems
    assert problem.file is not None and problem.file.endswith("b.yaml")
    assert problem.record == "org-a"
    assert "first defined at" in problem.message and "a.yaml:6" in problem.message


def test_identical_duplicates_are_merged(write_yaml: YamlWriter) -> None:
    write_yaml(PREAMBLE + "  - {id: org-a, labels: [Organization], name: A}\n", "a.yaml")
    path = write_yaml(PREAMBLE + "  - {id: org-a, labels: [Organization], name: A}\n", "b.yaml")
    assert set(load_paths([path.parent]).nodes) == {"src-test", "org-a"}


def test_yaml_syntax_errors_name_the_line(write_yaml: YamlWriter) -> None:
    path = write_yaml("nodes:\n  - {id: org-a, labels: [Organization\n  - {id: b}\n")
    [problem] = problems_of(path)
    assert problem.file == str(path) and problem.line == 3
    assert "YAML syntax" in problem.message


def test_every_problem_is_reported_not_just_the_first(write_yaml: YamlWriter) -> None:
    path = write_yaml(
        PREAMBLE
        + """\
  - {id: Org A, labels: [Organization]}
  - {id: org-b, labels: [Nope], name: B}
  - {id: org-c, labels: [Organization], name: C, colour: red}
"""
    )
    assert [p.line for p in problems_of(path)] == [6, 7, 8]


def test_a_source_must_give_a_document_address_not_a_site(write_yaml: YamlWriter) -> None:
    path = write_yaml(
        """\
nodes:
  - id: src-site
    labels: [Source]
    title: A report
    publisher: Example News
    url: https://example.com
  - {id: src-slash, labels: [Source], title: T, publisher: P, url: "https://example.com/"}
  - {id: src-doc, labels: [Source], title: T, publisher: P, url: "https://example.com/news/1"}
  - {id: src-none, labels: [Source], title: T, publisher: P, note: no address given by the citation}
  - {id: src-ftp, labels: [Source], title: T, publisher: P, url: "ftp://example.com/a"}
  - {id: src-permalink, labels: [Source], title: T, publisher: P, url: "https://example.com/?p=12"}
""",
        name="sources.yaml",
    )
    found = {(p.file, p.line, p.record, p.field): p.message for p in problems_of(path)}
    assert set(found) == {
        (str(path), 6, "src-site", "url"),
        (str(path), 7, "src-slash", "url"),
        (str(path), 10, "src-ftp", "url"),
    }
    assert "names a site, not a document" in found[(str(path), 6, "src-site", "url")]
    assert "must be an http(s) address" in found[(str(path), 10, "src-ftp", "url")]


def test_every_bundled_source_address_names_a_document() -> None:
    from urllib.parse import urlsplit

    from loaders import BUNDLED_DATA

    data = load_paths([BUNDLED_DATA])
    urls = {n.id: str(n.props["url"]) for n in data.nodes.values() if "Source" in n.labels and "url" in n.props}
    assert urls and all(urlsplit(u).path not in ("", "/") or urlsplit(u).query for u in urls.values())
    assert urls["src-oann-2025-11-21"] == "https://www.oann.com/?p=738516"  # a permalink names a document
    assert urls["src-fr-2025-19001"] == "https://frtracker.app/fr/2025-19001"
    # a citation that gave only the site keeps saying so; its url is the document found for it
    assert urls["src-aistoriz-bloomberg-copy"].startswith("https://aistoriz.com/china-wants-")
    aistoriz = data.nodes["src-aistoriz-bloomberg-copy"].props["note"]
    assert "gives only the site (aistoriz.com)" in str(aistoriz)
    # where no document was found, url stays out and the note says what the citation gives
    assert "src-xjyiwu-gov" not in urls
    assert "gives only the site (xjyiwu.gov.cn)" in str(data.nodes["src-xjyiwu-gov"].props["note"])
