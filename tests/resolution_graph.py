"""A small graph of screening-list-like records built from Node and Edge records, for the resolution tests.

Two records carry csl:abc (a CSL row and its OpenSanctions twin); a near-miss trading company; a
Chinese-script record and an English one sharing a USCC; a parent and its "Research Institute"
sharing an OFAC number; two records sharing a CSL id but with different LEIs; and an affiliates
rule (in force 2025-09-29, suspended 2025-11-10 to 2026-11-09) with a curated holding company that
owns 60% of an unlisted curated target.
"""

from __future__ import annotations

import datetime as dt

from ontology.records import Dataset, Edge, Node, Props, default_edge_id
from ontology.vocab import Label, Rel

ORG = (Label.ENTITY, Label.ORGANIZATION)
POLICY = "Policy"


def org(
    node_id: str, name: str, country: str | None, identifiers: list[str], dataset: str | None, **extra: object
) -> Node:
    props: Props = {"name": name, "identifiers": identifiers}
    if country:
        props["country"] = country
    if dataset:
        props["dataset"] = dataset
        props["record_key"] = node_id
    props.update({k: v for k, v in extra.items() if isinstance(v, str | list)})
    return Node(node_id, ORG, props)


def edge(source: str, rel: str, target: str, **props: object) -> Edge:
    return Edge(default_edge_id(source, rel, target), rel, source, target, dict(props))  # type: ignore[arg-type]


NODES = [
    Node(
        "rule-aff",
        (Label.ENTITY, POLICY, Label.EXPORT_CONTROL_RULE),
        {
            "name": "Affiliates rule",
            "citation": "FR Doc. 2025-19001",
            "valid_from": dt.date(2025, 9, 29),
            "effect": "affiliates",
            "ownership_threshold": 50,
        },
    ),
    Node(
        "rule-pause",
        (Label.ENTITY, POLICY, Label.EXPORT_CONTROL_RULE),
        {
            "name": "Suspension",
            "citation": "FR Vol. 90 No. 216",
            "valid_from": dt.date(2025, 11, 10),
            "valid_to": dt.date(2026, 11, 9),
            "effect": "suspension",
        },
    ),
    Node("list-el", (Label.ENTITY, POLICY, Label.SANCTIONS_LIST), {"name": "Entity List"}),
    Node(
        "listing-1",
        (Label.ENTITY, POLICY, Label.LISTING_ACTION),
        {"name": "Entity List addition", "valid_from": dt.date(2024, 1, 1), "citation": "89 FR 1"},
    ),
    org("csl-abc", "Example Compute Trading Limited", "HK", ["csl:abc"], "trade_gov_csl"),
    org("os-abc", "EXAMPLE COMPUTE TRADING LTD", "HK", ["csl:abc", "opensanctions:trade-csl-abc"], "opensanctions"),
    org("csl-near", "Example Computer Trading Limited", "HK", ["csl:near"], "trade_gov_csl"),
    org("os-zh", "中科寒武纪科技股份有限公司", "CN", ["uscc:91110108MA0000000X"], "opensanctions"),
    org("csl-en", "Cambricon Technologies Corporation Limited", "CN", ["uscc:91110108ma0000000x"], "trade_gov_csl"),
    org("csl-parent", "Huawei Technologies Co., Ltd.", "CN", ["ofac:7001"], "trade_gov_csl"),
    org("csl-unit", "Huawei Technologies Co., Ltd., Beijing Research Institute", "CN", ["ofac:7001"], "trade_gov_csl"),
    org("os-lei1", "Twin Foundry A", "CN", ["csl:twin", "lei:AAAA00000000000000A1"], "opensanctions"),
    org("os-lei2", "Twin Foundry B", "CN", ["csl:twin", "lei:BBBB00000000000000B2"], "opensanctions"),
    org("csl-listed", "Redfield Semiconductor", "CN", ["csl:red"], "trade_gov_csl"),
    org("org-holdco", "Redfield Semi Holdings", "CN", [], None),
    org("org-target", "Bluewater Compute", "CN", [], None),
    org("org-target-os", "Bluewater Compute Ltd", "CN", ["opensanctions:NK-blue"], "opensanctions"),
    org("org-target-cur", "Bluewater Compute (curated)", "CN", ["opensanctions:NK-blue"], None),
]
EDGES = [
    edge("rule-aff", Rel.EXTENDS, "list-el"),
    edge("rule-pause", Rel.SUSPENDS, "rule-aff"),
    edge("listing-1", Rel.AMENDS, "list-el"),
    edge("csl-abc", Rel.DESIGNATED_BY, "listing-1", valid_from=dt.date(2024, 1, 1)),
    edge("csl-listed", Rel.DESIGNATED_BY, "listing-1", valid_from=dt.date(2024, 1, 1)),
    edge("org-holdco", Rel.OWNS, "org-target", percentage=60),
    edge("csl-listed", Rel.OWNS, "org-target-os", percentage=70),
]


def dataset() -> Dataset:
    return Dataset(nodes={n.id: n for n in NODES}, edges={e.id: e for e in EDGES})
