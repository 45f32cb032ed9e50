"""The Epoch AI sources: every mapping of hardware, supercomputers and Frontier data centres, the
anonymised rows, the certainty map, refusals; the spec view's side-by-side figures and decisions."""

from __future__ import annotations

import datetime as dt
import os
import zipfile
from pathlib import Path

import pytest

from graph.memory import MemoryStore
from graph.neo4j_store import Neo4jStore
from graph.settings import Neo4jSettings
from loaders import load_paths
from loaders.sources import Invalid, Mapped, ReadOptions, Row, Skipped, registry
from loaders.sources.epoch_clusters import ANONYMISED_NOTE, EPOCH_SUPERCOMPUTERS
from loaders.sources.epoch_datacenters import EPOCH_DATACENTERS
from loaders.sources.epoch_files import CERTAINTY, confidence
from loaders.sources.epoch_hardware import EPOCH_HARDWARE
from loaders.sources.epoch_sites import parties
from ontology.errors import DataError
from ontology.records import Dataset, Edge, Node
from ontology.vocab import Label, Prop, Rel
from queries.gap_fill import deciding_chips, gap_filled, groups
from queries.lookup import restrictions_for, specs_for
from queries.restrictions import load_rules
from queries.specs import Destination, spec_answer
from tests.helpers import checksum, cli_ok, client_for
from tests.helpers import cli_json as answer
from tests.helpers import cli_run as run

FIXTURES = Path(__file__).parent / "fixtures" / "epoch"
BAD = FIXTURES / "bad"
BUNDLED = Path(__file__).parents[1] / "data"


def rows(source: object, path: Path) -> list[Row]:
    return list(source.read(path, ReadOptions()))  # type: ignore[attr-defined]


def mapped(source: object, path: Path) -> dict[str, Mapped]:
    return {r.key: r for r in rows(source, path) if isinstance(r, Mapped)}


def only_node(row: Mapped, label: str) -> Node:
    return next(n for n in row.nodes if label in n.labels)


def edges(row: Mapped, rel: str) -> list[Edge]:
    return [e for e in row.edges if e.type == rel]


# --- registry --------------------------------------------------------------------------------------


def test_the_three_sources_are_registered_under_cc_by() -> None:
    sources = registry()
    for name, source in (
        ("epoch-hardware", EPOCH_HARDWARE),
        ("epoch-supercomputers", EPOCH_SUPERCOMPUTERS),
        ("epoch-datacenters", EPOCH_DATACENTERS),
    ):
        assert sources[name] is source
        assert source.info.licence.startswith("CC BY 4.0")
        assert source.info.publisher == "Epoch AI"


# --- hardware --------------------------------------------------------------------------------------


def test_a_hardware_row_becomes_a_chip_model_in_the_ontologys_units() -> None:
    h100 = mapped(EPOCH_HARDWARE, FIXTURES / "ml_hardware.csv")["NVIDIA H100 SXM5 80GB"]
    chip = only_node(h100, Label.CHIP_MODEL)
    assert chip.props == {
        Prop.NAME: "NVIDIA H100 SXM5 80GB",
        Prop.VENDOR: "NVIDIA",
        Prop.IDENTIFIERS: ["epoch:NVIDIA H100 SXM5 80GB"],
        Prop.PEAK_TOPS_FP16: 989.0,
        Prop.PEAK_TOPS_FP8: 1979.0,
        Prop.MEMORY_GB: 80.0,
        Prop.MEMORY_BANDWIDTH: 3.35,
        Prop.INTERCONNECT: 900.0,
        Prop.TDP: 700.0,
        Prop.DIE_AREA: 814.0,
        Prop.PROCESS_NM: 4.0,
        Prop.HARDWARE_TYPE: "GPU",
        Prop.FOUNDRY_NAME: "TSMC",
        Prop.RELEASE_DATE: "2022-03-22",
        Prop.DATASHEET_URL: "https://example.org/h100-datasheet",
    }
    assert h100.origin.line == 2


def test_int8_stands_in_for_fp8_and_says_so_and_the_first_link_is_kept() -> None:
    found = mapped(EPOCH_HARDWARE, FIXTURES / "ml_hardware.csv")
    ascend = only_node(found["Huawei Ascend 910B"], Label.CHIP_MODEL).props
    assert ascend[Prop.PEAK_TOPS_FP8] == 640.0 and ascend[Prop.PEAK_TOPS_FP16] == 320.0
    assert ascend[Prop.NOTE] == "The 8-bit figure is INT8 (no FP8 figure given)."
    assert Prop.DATASHEET_URL not in ascend and Prop.TDP not in ascend
    x1 = only_node(found["Example Accelerator X1"], Label.CHIP_MODEL).props
    assert x1[Prop.DATASHEET_URL] == "https://example.org/x1" and x1[Prop.RELEASE_PRICE_USD] == 12000.0


def test_columns_are_found_by_name_under_an_older_header() -> None:
    (row,) = mapped(EPOCH_HARDWARE, FIXTURES / "ml_hardware_renamed.csv").values()
    props = only_node(row, Label.CHIP_MODEL).props
    assert props[Prop.MEMORY_GB] == 32.0 and props[Prop.PEAK_TOPS_FP8] == 400.0 and props[Prop.TDP] == 300.0


def test_the_zip_download_reads_the_csv_inside(tmp_path: Path) -> None:
    archive = tmp_path / "ml_hardware.zip"
    with zipfile.ZipFile(archive, "w") as out:
        out.write(FIXTURES / "ml_hardware.csv", "ml_hardware.csv")
    assert mapped(EPOCH_HARDWARE, archive).keys() == mapped(EPOCH_HARDWARE, FIXTURES / "ml_hardware.csv").keys()
    origin = next(iter(mapped(EPOCH_HARDWARE, archive).values())).origin
    assert origin.file == f"{archive}!ml_hardware.csv"


def test_hardware_refusals_name_the_file_line_and_field(tmp_path: Path) -> None:
    with pytest.raises(DataError) as missing:
        rows(EPOCH_HARDWARE, BAD / "ml_hardware_no_name.csv")
    (problem,) = missing.value.problems
    assert (problem.line, problem.field) == (1, "Hardware name")
    (bad,) = rows(EPOCH_HARDWARE, BAD / "ml_hardware_bad_figure.csv")
    assert isinstance(bad, Invalid)
    assert bad.problem.line == 2 and bad.problem.field == "Tensor-FP16/BF16 performance (FLOP/s)"
    assert "'fast' is not a number" in bad.problem.message
    nameless = tmp_path / "ml_hardware.csv"
    nameless.write_text("Hardware name,Manufacturer\nExample Lonely Chip,\n")
    (skipped,) = rows(EPOCH_HARDWARE, nameless)
    assert isinstance(skipped, Skipped) and skipped.reason == "no manufacturer given"
    with pytest.raises(DataError, match=r"not \.json"):
        rows(EPOCH_HARDWARE, tmp_path / "ml_hardware.json")


# --- supercomputers --------------------------------------------------------------------------------


def test_the_certainty_map() -> None:
    assert CERTAINTY == {
        "confirmed": "confirmed",
        "likely": "reported",
        "unlikely": "alleged",
        "speculative": "alleged",
    }
    assert confidence("Likely", "Certainty") == "reported" and confidence("", "Certainty") == "reported"
    assert [
        (p.name, p.confidence) for p in parties("Example Labs (Likely), Example Cloud #speculative, X", "Users")
    ] == [
        ("Example Labs", "reported"),
        ("Example Cloud", "alleged"),
        ("X", None),
    ]


def test_a_named_system_becomes_a_site_with_its_operators_country_and_chips() -> None:
    found = mapped(EPOCH_SUPERCOMPUTERS, FIXTURES / "ai_supercomputers.csv")
    row = found["Example Research Center Upgrade"]
    site = only_node(row, Label.DATA_CENTER)
    assert site.props == {
        Prop.NAME: "Example Research Center Upgrade",
        Prop.STATUS: "operating",
        Prop.CONFIDENCE: "confirmed",
        Prop.CAPACITY_MW: 10.0,
        Prop.H100_EQUIVALENTS: 8000.0,
        Prop.SECTOR: "Academia",
        Prop.LOCATION_TEXT: "Jülich",
        Prop.LATITUDE: 50.91,
        Prop.LONGITUDE: 6.41,
        Prop.COORD_PRECISION: "exact",
        Prop.BUILDS_UPON: ["Example Research Center Original"],
        Prop.NOTE: "Users (Epoch AI): Academia,Cloud.",
    }
    deploys = {e.target: e.props for e in edges(row, Rel.DEPLOYS)}
    x1 = next(n for n in row.nodes if n.props.get(Prop.NAME) == "Example Accelerator X1")
    assert x1.props[Prop.IDENTIFIERS] == ["epoch:Example Accelerator X1"] and x1.props[Prop.VENDOR] == "Example Silicon"
    first = dt.date(2024, 10, 1)
    assert deploys == {
        "chip-nvidia-h100-sxm": {
            Prop.STATUS: "installed",
            Prop.CONFIDENCE: "confirmed",
            Prop.COUNT: 8000,
            Prop.VALID_FROM: first,
        },
        x1.id: {Prop.STATUS: "installed", Prop.CONFIDENCE: "confirmed", Prop.COUNT: 500, Prop.VALID_FROM: first},
    }
    (operates,) = edges(row, Rel.OPERATES)
    owner = next(n for n in row.nodes if n.id == operates.source)
    assert owner.props == {Prop.NAME: "Example Research Centre"} and operates.target == site.id
    assert [e.target for e in edges(row, Rel.LOCATED_IN)] == ["place-de"]


def test_status_certainty_upgrades_and_decommissioning() -> None:
    found = mapped(EPOCH_SUPERCOMPUTERS, FIXTURES / "ai_supercomputers.csv")
    phase1, phase2 = found["Example Labs Abilene Phase 1"], found["Example Labs Abilene Phase 2"]
    assert only_node(phase1, Label.DATA_CENTER).props[Prop.SUPERSEDED_BY] == ["Example Labs Abilene Phase 2"]
    planned = only_node(phase2, Label.DATA_CENTER).props
    assert planned[Prop.STATUS] == "planned" and planned[Prop.CONFIDENCE] == "reported"
    assert planned[Prop.BUILDS_UPON] == ["Example Labs Abilene Phase 1"]
    (deploy,) = edges(phase2, Rel.DEPLOYS)
    assert deploy.props[Prop.STATUS] == "planned" and deploy.props[Prop.CONFIDENCE] == "reported"
    assert deploy.target.startswith("epoch-sc-chip-nvidia-gb200")
    assert sorted(n.props[Prop.NAME] for n in phase1.nodes if Label.ORGANIZATION in n.labels) == [
        "Example Cloud Inc",
        "Example Labs",
    ]
    assert [e.target for e in edges(phase1, Rel.LOCATED_IN)] == ["place-us"]
    old = found["Example Old Cluster"]
    assert only_node(old, Label.DATA_CENTER).props[Prop.STATUS] == "retired"
    assert Prop.LOCATION_TEXT not in only_node(old, Label.DATA_CENTER).props
    assert [e.target for e in edges(old, Rel.LOCATED_IN)] == ["place-jp"]
    (retired,) = edges(old, Rel.DEPLOYS)
    assert retired.target == "chip-nvidia-a100"
    assert (retired.props[Prop.VALID_FROM], retired.props[Prop.VALID_TO]) == (
        dt.date(2020, 10, 1),
        dt.date(2023, 12, 31),
    )


def test_anonymised_rows_stay_anonymised_marked_and_keyed_by_content() -> None:
    found = mapped(EPOCH_SUPERCOMPUTERS, FIXTURES / "ai_supercomputers.csv")
    hidden = [r for k, r in found.items() if k.startswith("anonymised:")]
    assert len(hidden) == 2 and all(k.startswith("anonymised:China:") for k in found if k.startswith("anonymised:"))
    first = next(r for r in hidden if edges(r, Rel.DEPLOYS))
    site = only_node(first, Label.DATA_CENTER)
    assert site.props[Prop.ANONYMISED] is True and site.props[Prop.NAME] == "Anonymized Chinese System"
    assert str(site.props[Prop.NOTE]).startswith(ANONYMISED_NOTE)
    assert site.props[Prop.CAPACITY_MW] == 5.0 and site.props[Prop.CONFIDENCE] == "reported"
    assert Prop.IDENTIFIERS not in site.props and not edges(first, Rel.OPERATES)
    assert [e.target for e in edges(first, Rel.DEPLOYS)] == ["chip-nvidia-h800"]
    again = mapped(EPOCH_SUPERCOMPUTERS, FIXTURES / "ai_supercomputers.csv")
    assert again.keys() == found.keys()


def test_identical_anonymised_rows_get_distinct_keys(tmp_path: Path) -> None:
    lines = (FIXTURES / "ai_supercomputers.csv").read_text().splitlines()
    twin = tmp_path / "ai_supercomputers.csv"
    twin.write_text("\n".join([lines[0], lines[3], lines[3]]) + "\n")
    keys = list(mapped(EPOCH_SUPERCOMPUTERS, twin))
    assert len(keys) == 2 and keys[1] == f"{keys[0]}|2"


def test_bad_supercomputer_rows_name_line_and_field() -> None:
    found = [r.problem for r in rows(EPOCH_SUPERCOMPUTERS, BAD / "ai_supercomputers.csv") if isinstance(r, Invalid)]
    assert [(p.line, p.field) for p in found] == [
        (2, "Chip quantity (primary)"),
        (3, "Status"),
        (4, "Certainty"),
    ]
    assert "'about 8000' is not a number" in found[0].message


# --- frontier data centres -------------------------------------------------------------------------


def test_a_frontier_site_with_tags_coordinates_and_its_timeline() -> None:
    found = mapped(EPOCH_DATACENTERS, FIXTURES / "data_centers.csv")
    row = found["Example Desert Campus Texas"]
    site = only_node(row, Label.DATA_CENTER).props
    assert site[Prop.NAME] == "Example Desert Campus" and site[Prop.ALIASES] == ["Example Desert Campus Texas"]
    assert (site[Prop.CAPACITY_MW], site[Prop.STATUS], site[Prop.H100_EQUIVALENTS]) == (250.0, "operating", 120000.0)
    assert site[Prop.LATITUDE] == pytest.approx(32.590417) and site[Prop.LONGITUDE] == pytest.approx(-99.73)
    assert site[Prop.TIMELINE] == [
        "2025-03-01: Under construction; 110 MW; 40,000 H100e",
        "2025-09-01: Operational; 250 MW; 120,000 H100e",
        "2027-01-01: Buildings 1-6 operational (projected); 600 MW; 300,000 H100e",
    ]
    assert "Last timeline entry (may be a projection): 2027-01-01" in str(site[Prop.NOTE])
    assert "Investors (Epoch AI): Example Fund." in str(site[Prop.NOTE])
    (operates,) = edges(row, Rel.OPERATES)
    assert operates.props[Prop.CONFIDENCE] == "confirmed"
    (leases,) = edges(row, Rel.LEASES_COMPUTE_TO)  # the owner, also a user, is not leased to
    assert leases.props[Prop.CONFIDENCE] == "reported" and leases.target.startswith("epoch-dc-org-example-labs")
    prairie = found["Example Prairie Site Kansas"]
    assert only_node(prairie, Label.DATA_CENTER).props[Prop.STATUS] == "under_construction"
    assert edges(prairie, Rel.OPERATES)[0].props[Prop.CONFIDENCE] == "reported"
    assert edges(prairie, Rel.LEASES_COMPUTE_TO)[0].props[Prop.CONFIDENCE] == "alleged"


def test_a_timeline_row_for_an_unknown_site_is_refused(tmp_path: Path) -> None:
    (tmp_path / "data_centers.csv").write_text((FIXTURES / "data_centers.csv").read_text())
    (tmp_path / "data_center_timelines.csv").write_text(
        "Data center,Date,Power (MW)\nExample Nowhere Campus,2025-01-01,10\nExample Desert Campus Texas,soon,5\n"
    )
    found = [r.problem for r in rows(EPOCH_DATACENTERS, tmp_path / "data_centers.csv") if isinstance(r, Invalid)]
    assert [(p.line, p.field) for p in found] == [(2, "Data center"), (3, "Date")]


# --- the spec view ---------------------------------------------------------------------------------


def store_with_hardware() -> MemoryStore:
    data = load_paths([BUNDLED])
    extra = [n for r in mapped(EPOCH_HARDWARE, FIXTURES / "ml_hardware.csv").values() for n in r.nodes]
    stamped = {
        n.id: Node(
            n.id,
            n.labels,
            {**n.props, Prop.DATASET: "epoch_ml_hardware", Prop.SOURCES: ["src-x"], Prop.CONFIDENCE: "reported"},
        )
        for n in extra
    }
    store = MemoryStore()
    store.load(data)
    store.load(Dataset(nodes=stamped))
    return store


def test_a_conflicting_figure_is_kept_side_by_side_and_each_source_decides() -> None:
    store = store_with_hardware()
    (answer,) = specs_for(store, "NVIDIA H20", "CN", dt.date(2025, 1, 1))
    assert [r.id for r in answer.records] == ["chip-nvidia-h20", "epoch-hw-nvidia-hgx-h20-af6f7c18"]
    fp8 = next(f for f in answer.figures if f.figure == Prop.PEAK_TOPS_FP8)
    assert fp8.conflict and fp8.value == 296.0 and fp8.used_from == "curated"
    assert [(c.dataset, c.value) for c in fp8.claims] == [("curated", 296.0), ("epoch_ml_hardware", 320.0)]
    assert answer.conflicts == [Prop.PEAK_TOPS_FP8]  # 2024 and 2024-04-01 agree at the coarser precision
    assert answer.decision is not None and answer.decision.status == "not_restricted"
    by = {d.dataset: d.decision for d in answer.by_source}
    assert by["curated"].status == "not_restricted" and by["curated"].metrics == {
        "tpp": 2368.0,
        "pd": 2.91,
        "interconnect_gbps": None,
    }
    assert by["epoch_ml_hardware"].status == "license_exception"
    assert by["epoch_ml_hardware"].metrics == {"tpp": 2560.0, "pd": 3.14, "interconnect_gbps": None}
    assert answer.decisions_differ and "lead to different decisions" in answer.explanation
    assert "epoch_ml_hardware: license_exception (3A090.b)" in answer.explanation


def test_figures_within_rounding_are_no_conflict_and_the_decision_agrees() -> None:
    (answer,) = specs_for(store_with_hardware(), "NVIDIA H100 SXM", "CN", dt.date(2025, 1, 1))
    fp16 = next(f for f in answer.figures if f.figure == Prop.PEAK_TOPS_FP16)
    assert [c.value for c in fp16.claims] == [989.4, 989.0] and not fp16.conflict
    assert not answer.decisions_differ and answer.conflicts == []


def test_a_chip_with_no_curated_tpp_is_decided_from_the_epoch_figures() -> None:
    store = store_with_hardware()
    (decision,) = restrictions_for(store, "Example Accelerator X1", "CN", dt.date(2025, 1, 1))
    assert decision.metrics == {"tpp": 6400.0, "pd": 12.8, "interconnect_gbps": None}
    assert decision.status.value == "license_required"
    assert any(f.classification == "3A090.a" for f in decision.findings)


def test_gap_filling_takes_the_curated_figure_first_and_fills_what_it_lacks() -> None:
    curated = Node("chip-a", ("ChipModel",), {Prop.NAME: "A", Prop.TPP: 2000.0, Prop.IDENTIFIERS: ["epoch:A"]})
    epoch = Node(
        "epoch-hw-a",
        ("ChipModel",),
        {
            Prop.NAME: "A",
            Prop.DATASET: "epoch_ml_hardware",
            Prop.TPP: 5000.0,
            Prop.DIE_AREA: 400.0,
            Prop.IDENTIFIERS: ["epoch:A"],
        },
    )
    other = Node("chip-b", ("ChipModel",), {Prop.NAME: "B", Prop.TPP: 100.0})
    assert [[n.id for n in g] for g in groups([epoch, other, curated])] == [["chip-a", "epoch-hw-a"], ["chip-b"]]
    assert [[n.id for n in g] for g in groups([other, epoch, curated])] == [["chip-b"], ["chip-a", "epoch-hw-a"]]
    filled = gap_filled([curated, epoch])
    assert (filled.id, filled.props[Prop.TPP], filled.props[Prop.DIE_AREA]) == ("chip-a", 2000.0, 400.0)
    assert gap_filled([curated, epoch], epoch).props[Prop.TPP] == 5000.0
    assert [c.id for c in deciding_chips([other, epoch, curated])] == ["chip-b", "chip-a"]
    store = MemoryStore()
    store.load(load_paths([BUNDLED]))
    where = Destination("CN", dt.date(2025, 1, 1), load_rules(store))
    answer = spec_answer([curated, epoch], where)
    assert answer.conflicts == [Prop.TPP] and answer.decisions_differ


# --- through the command line, on both backends ----------------------------------------------------


def ok(env: dict[str, str], *args: object) -> str:
    return " ".join(cli_ok(env, *args).stdout.split())


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {**os.environ, "CHIPTRAIL_HOME": str(tmp_path / "home"), "COLUMNS": "250"}


def ingest_all(env: dict[str, str], *backend: str) -> list[str]:
    day = ("--snapshot", "2026-11-01")
    return [
        ok(env, "ingest", "epoch-hardware", FIXTURES / "ml_hardware.csv", *day, *backend),
        ok(env, "ingest", "epoch-supercomputers", FIXTURES / "ai_supercomputers.csv", *day, *backend),
        ok(env, "ingest", "epoch-datacenters", FIXTURES / "data_centers.csv", *day, *backend),
    ]


SPECS = ("specs", "--chip", "NVIDIA H20", "--destination", "CN", "--as-of", "2025-01-01")
GAP = ("restrictions", "--chip", "Example Accelerator X1", "--destination", "CN", "--as-of", "2025-01-01")


def test_ingest_then_a_second_snapshot_adds_changes_and_ends(env: dict[str, str], tmp_path: Path) -> None:
    hardware, clusters, centres = ingest_all(env)
    assert "4 rows → 4 added, 0 changed, 0 ended, 0 unchanged" in hardware
    assert "6 rows → 28 added, 0 changed, 0 ended, 0 unchanged" in clusters
    assert "2 rows → 12 added, 0 changed, 0 ended, 0 unchanged" in centres
    (specs,) = answer(env, *SPECS)
    assert specs["conflicts"] == ["peak_tops_fp8"] and specs["decisions_differ"] is True
    assert answer(env, *GAP)["metrics"]["tpp"] == 6400.0
    lines = (FIXTURES / "ai_supercomputers.csv").read_text(encoding="utf-8").splitlines()
    second = tmp_path / "ai_supercomputers.csv"
    changed = [line.replace("2020-10-01,1,,,2023-12-31", "2020-10-01,2,,,2023-12-31") for line in lines]
    second.write_text("\n".join(line for line in changed if not line.startswith("Example Research")) + "\n")
    again = ok(env, "ingest", "epoch-supercomputers", second, "--snapshot", "2026-11-28")
    assert "5 rows → 0 added, 1 changed, 6 ended, 21 unchanged" in again
    changes = answer(env, "changes", "epoch_ai_supercomputers", "--since", "2026-11-02")
    assert [(c["name"], c["fields"]) for c in changes["changed"]] == [("Example Old Cluster", ["capacity_mw"])]
    assert "nothing changed" in ok(env, "ingest", "epoch-supercomputers", second, "--snapshot", "2026-11-28")


def test_a_bad_file_writes_nothing(env: dict[str, str]) -> None:
    refused = run(env, "ingest", "epoch-supercomputers", BAD / "ai_supercomputers.csv")
    assert refused.returncode == 1
    assert f"{BAD / 'ai_supercomputers.csv'}:2, field 'Chip quantity (primary)'" in refused.stderr
    assert answer(env, "datasets") == []


@pytest.mark.neo4j
def test_both_backends_give_the_same_epoch_answers(neo4j_settings: Neo4jSettings, env: dict[str, str]) -> None:
    env = {**env, "NEO4J_URI": neo4j_settings.uri, "NEO4J_PASSWORD": neo4j_settings.password.get_secret_value()}
    ok(env, "load", "--backend", "neo4j", "--replace")
    store = Neo4jStore.connect(neo4j_settings)
    try:
        on_neo4j = ingest_all(env, "--backend", "neo4j")
        in_memory = ingest_all(env)
        strip = [line.split(" resolution:")[0].replace("in neo4j", "") for line in on_neo4j]
        assert strip == [line.replace("in memory", "") for line in in_memory]
        for question in (SPECS, GAP):
            assert answer(env, *question, "--backend", "neo4j") == answer(env, *question)
        hidden = [n for n in store.nodes(Label.DATA_CENTER) if n.props.get(Prop.ANONYMISED) is True]
        assert len(hidden) == 2 and all(n.props[Prop.NAME] == "Anonymized Chinese System" for n in hidden)
        before = checksum(store)
        assert "nothing changed" in ok(
            env,
            "ingest",
            "epoch-hardware",
            FIXTURES / "ml_hardware.csv",
            "--snapshot",
            "2026-11-01",
            "--backend",
            "neo4j",
        )
        assert checksum(store) == before
    finally:
        store.clear()
        store.close()


def test_the_http_face_gives_the_spec_answer() -> None:
    with client_for(store_with_hardware()) as client:
        found = client.get("/v1/chips/NVIDIA H20/specs", params={"destination": "CN", "as_of": "2025-01-01"})
        plain = client.get("/v1/chips/Example Accelerator X1/specs")
    assert found.status_code == 200
    (body,) = found.json()
    assert body["conflicts"] == ["peak_tops_fp8"] and body["decisions_differ"] is True
    assert [d["decision"]["status"] for d in body["by_source"]] == ["not_restricted", "license_exception"]
    (x1,) = plain.json()
    assert x1["decision"] is None and x1["by_source"] == [] and x1["conflicts"] == []
    assert [r["id"] for r in x1["records"]] == ["epoch-hw-example-accelerator-x1-65f83d1d"]
