"""The bundled data: validates, cites its evidence, and keeps fiction marked as fiction."""

from __future__ import annotations

from loaders import load_paths
from loaders.shacl import check_dataset
from ontology.records import Dataset, Edge, Node
from tests.conftest import DATA


def test_bundled_data_conforms_to_the_shapes(bundled: Dataset) -> None:
    assert check_dataset(bundled) == []


def test_every_curated_record_cites_a_source_and_is_not_illustrative() -> None:
    curated = load_paths([DATA / "curated"])
    records: list[Node | Edge] = [*curated.nodes.values(), *curated.edges.values()]
    assert len(records) > 100
    for record in records:
        if "Source" in getattr(record, "labels", ()):
            continue
        assert record.props.get("sources"), record.id
        assert record.props.get("confidence") != "illustrative", record.id
        assert "illustrative" not in record.props, record.id


def test_every_scenario_record_is_illustrative() -> None:
    scenario = load_paths([DATA])
    curated_ids = set(load_paths([DATA / "curated"]).nodes)
    fictional = [n for n in scenario.nodes.values() if n.id not in curated_ids]
    assert fictional
    records: list[Node | Edge] = [*fictional, *(e for e in scenario.edges.values() if e.source.startswith("scn-"))]
    for record in records:
        assert record.props.get("confidence") == "illustrative", record.id
        assert record.props.get("illustrative") is True, record.id


def test_curated_covers_the_reference_facts(bundled: Dataset) -> None:
    labels = {label for node in bundled.nodes.values() for label in node.labels}
    assert {"ChipModel", "ExportControlRule", "ListingAction", "DataCenter", "ProjectAggregate", "PowerPlant"} <= labels
    assert {"place-cn-xj", "place-cn-xj-hami", "place-cn-xj-hami-yiwu", "place-cn-xj-changji", "place-cn-qh"} <= set(
        bundled.nodes
    )
    aggregate = bundled.nodes["agg-bloomberg-39-projects"].props
    assert (aggregate["project_count"], aggregate["planned_chips"]) == (39, 115000)


def test_site_status_and_phase_figures_follow_the_sources(bundled: Dataset) -> None:
    """Nyocor's project is being built (servers being installed); Changji's RMB 451m is phase one's."""
    nyocor = bundled.nodes["dc-nyocor-xinjiang"].props
    assert nyocor["status"] == "under_construction" and "installing servers" in str(nyocor["note"])
    site = bundled.nodes["dc-changji-intelligent-computing-centre"].props
    phase = bundled.nodes["dc-changji-intelligent-computing-centre-phase-1"].props
    assert (site["compute_pflops"], "investment_cny" in site) == (5000.0, False)
    assert (phase["compute_pflops"], phase["investment_cny"]) == (2000.0, 451000000.0)
    edge = bundled.edges[
        "dc-changji-intelligent-computing-centre-phase-1|PHASE_OF|dc-changji-intelligent-computing-centre"
    ]
    assert edge.props["sources"] == ["src-yaliqi-nyocor-changji"]
