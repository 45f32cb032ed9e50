"""Every SHACL shape, in pairs: one graph that conforms and one that violates it."""

from __future__ import annotations

import datetime as dt

import pytest

from loaders.shacl import shacl_problems
from ontology import load_schema
from ontology.rdf import to_rdf
from ontology.records import Edge, Node, Props, Value

SCHEMA = load_schema()
EVIDENCE: Props = {"sources": ["src-a"], "confidence": "reported"}


def node(node_id: str, label: str, **props: Value) -> Node:
    base: Props = {"name": node_id} if label != "Source" else {}
    return Node(
        node_id, SCHEMA.closure((label,)), {**base, **EVIDENCE, **props} if label != "Source" else {**base, **props}
    )


SOURCE = node("src-a", "Source", title="A title", publisher="A publisher", url="https://example.org/a")
CHIP = node("chip-x", "ChipModel", vendor="V", tpp=4992.0, die_area_mm2=826.0)
ORG = node("org-a", "Organization")
DC = node("dc-a", "DataCenter")


def problems(nodes: list[Node], edges: list[Edge] | None = None) -> list[tuple[str | None, str | None]]:
    found = shacl_problems(to_rdf([SOURCE, *nodes], edges or [], SCHEMA))
    return [(p.record, p.field) for p in found]


def edge(rel: str, source: str, target: str, **props: Value) -> Edge:
    return Edge(f"{source}|{rel}|{target}", rel, source, target, {**EVIDENCE, **props})


def _rule(rule_id: str, **props: Value) -> Node:
    return node(rule_id, "ExportControlRule", citation="1 FR 1", valid_from=dt.date(2020, 1, 1), **props)


CASES = {
    "EvidenceShape": (
        [ORG],
        [Node("org-b", SCHEMA.closure(("Organization",)), {"name": "B", "confidence": "reported"})],
        ("org-b", "sources"),
    ),
    "EvidenceShape dates": (
        [node("org-c", "Organization", valid_from=dt.date(2024, 1, 1), valid_to=dt.date(2024, 12, 31))],
        [node("org-c", "Organization", valid_from=dt.date(2025, 1, 1), valid_to=dt.date(2024, 12, 31))],
        ("org-c", "validFrom"),
    ),
    "StatementShape": (
        [ORG, DC],
        [ORG, DC],
        ("org-a|SUPPLIES|dc-a", "confidence"),
    ),
    "IllustrativeShape": (
        [node("org-f", "Organization", illustrative=True, confidence="illustrative")],
        [node("org-f", "Organization", illustrative=True, confidence="confirmed")],
        ("org-f", None),
    ),
    "SourceShape": (
        [],
        [Node("src-b", ("Source",), {"title": "T", "publisher": "P", "url": "ftp://example.org"})],
        ("src-b", "url"),
    ),
    "SourceShape document address": (
        [Node("src-p", ("Source",), {"title": "T", "publisher": "P", "url": "https://example.org/?p=12"})],
        [Node("src-p", ("Source",), {"title": "T", "publisher": "P", "url": "https://example.org/"})],
        ("src-p", "url"),
    ),
    "RuleShape exception eligibility": (
        [_rule("rule-nac", effect="license_exception", eligibility=["3A090.b", "3A090.a unless data_center"])],
        [_rule("rule-nac", effect="license_exception", eligibility=["3A090.a except data centres"])],
        ("rule-nac", "eligibility"),
    ),
    "RuleShape scope codes": (
        [_rule("rule-hk", effect="destination_scope", destinations=["HK"], treated_as=["CN"])],
        [_rule("rule-hk", effect="destination_scope", destinations=["HK"], treated_as=["China"])],
        ("rule-hk", "treatedAs"),
    ),
    "RuleShape effect": (
        [_rule("rule-s", effect="suspension")],
        [_rule("rule-s", effect="paused")],
        ("rule-s", "effect"),
    ),
    "ChipModelShape": (
        [CHIP],
        [node("chip-y", "ChipModel", vendor="V", tpp=-1.0)],
        ("chip-y", "tpp"),
    ),
    "PlaceShape": (
        [node("place-xj", "Province", iso3166="CN-XJ")],
        [node("place-xj", "Province", iso3166="Xinjiang")],
        ("place-xj", "iso3166"),
    ),
    "CountryShape": (
        [node("place-cn", "Country", iso3166="CN")],
        [node("place-cn", "Country")],
        ("place-cn", "iso3166"),
    ),
    "RuleShape": (
        [
            node(
                "rule-a",
                "ExportControlRule",
                citation="88 FR 73458",
                valid_from=dt.date(2023, 11, 17),
                effect="license_required",
                criteria=["3A090.a: tpp >= 4800", "3A090.a: tpp >= 1600 and pd >= 5.92"],
            )
        ],
        [
            node(
                "rule-a",
                "ExportControlRule",
                citation="88 FR 73458",
                valid_from=dt.date(2023, 11, 17),
                effect="license_required",
                criteria=["3A090.a: TPP at least 4800"],
            )
        ],
        ("rule-a", "criteria"),
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_shape_pairs(name: str) -> None:
    good, bad, expected = CASES[name]
    good_edges = [edge("SUPPLIES", "org-a", "dc-a")] if name == "StatementShape" else []
    bad_edges = (
        [Edge("org-a|SUPPLIES|dc-a", "SUPPLIES", "org-a", "dc-a", {"sources": ["src-a"]})]
        if name == "StatementShape"
        else []
    )
    assert problems(good, good_edges) == []
    assert expected in problems(bad, bad_edges)


def test_supplier_and_deployed_shapes() -> None:
    good = [edge("SUPPLIES", "org-a", "dc-a"), edge("DEPLOYS", "dc-a", "chip-x")]
    assert problems([ORG, DC, CHIP], good) == []
    bad = [edge("SUPPLIES", "dc-a", "org-a"), edge("DEPLOYS", "dc-a", "org-a")]
    found = problems([ORG, DC, CHIP], bad)
    assert ("dc-a", None) in found  # a data centre does not supply
    assert ("org-a", None) in found  # an organisation is not a chip model
