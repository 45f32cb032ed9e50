"""The ETO chip-explorer source: every mapping of the five CSVs, shares in both forms, and refusals
that name the file, line and field (fixtures: invented values in the real layout)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from loaders.sources import Invalid, Mapped, ReadOptions, Row, Skipped, registry
from loaders.sources.check import edge_problems, node_problems
from loaders.sources.eto import ETO, alpha2, share
from ontology.errors import DataError
from ontology.records import Edge, Node
from ontology.schema import load_schema
from ontology.vocab import Label, Prop, Rel
from tests.helpers import CLI

FIXTURES = Path(__file__).parent / "fixtures" / "eto"
BAD = FIXTURES / "bad"
SCHEMA = load_schema()


def rows(path: Path = FIXTURES) -> list[Row]:
    return list(ETO.read(path, ReadOptions()))


def mapped(path: Path = FIXTURES) -> dict[str, Mapped]:
    return {row.key: row for row in rows(path) if isinstance(row, Mapped)}


def problems(path: Path) -> list[tuple[str, int | None, str | None, str]]:
    return [
        (Path(r.problem.file or "").name, r.problem.line, r.problem.field, r.problem.message)
        for r in rows(path)
        if isinstance(r, Invalid)
    ]


def with_bad(tmp_path: Path, case: str) -> Path:
    folder = tmp_path / "data"
    shutil.copytree(FIXTURES, folder, ignore=shutil.ignore_patterns("bad"))
    for bad in (BAD / case).iterdir():
        shutil.copy(bad, folder / bad.name)
    return folder


def node(row: Mapped) -> Node:
    return row.nodes[0]


def edge(row: Mapped, rel: str) -> Edge:
    return next(e for e in row.edges if e.type == rel)


def test_the_source_is_registered_and_cites_its_licence() -> None:
    assert registry()["eto"] is ETO
    assert ETO.info.licence.startswith("CC BY-NC 4.0")
    assert ETO.stated_snapshot(FIXTURES) is None


def test_every_row_maps_and_passes_the_ontology_checks() -> None:
    found = rows()
    assert not [r for r in found if isinstance(r, Invalid)]
    counts = {kind: sum(isinstance(r, kind) for r in found) for kind in (Mapped, Skipped)}
    # 3 stages + 18 inputs + 9 organisations + 14 provision + 17 sequence rows; 6 countries, 3 providers
    # that are not one (Various countries, EUR, Various companies) and their 2 provision rows
    assert counts == {Mapped: 3 + 18 + 9 + 14 + 17, Skipped: 6 + 3 + 2}
    for row in found:
        if isinstance(row, Mapped):
            for n in row.nodes:
                assert node_problems(n, SCHEMA, row.origin) == [], n.id
            for e in row.edges:
                assert [p for p in edge_problems(e, SCHEMA, row.origin) if "sources" not in p.message] == [], e.id


def test_inputs_get_the_class_of_their_type_and_a_stage_given_or_derived() -> None:
    by_key = mapped()
    euv = by_key["N20"]
    assert node(euv).id == "eto-input-n20"
    assert node(euv).labels == ("Entity", "SupplyInput", "ToolResource")
    assert node(euv).props[Prop.INPUT_TYPE] == "tool_resource" and node(euv).props[Prop.YEAR] == 2025
    derived = edge(euv, Rel.IN_STAGE)
    assert derived.target == "eto-stage-s2" and "N25" in str(derived.props[Prop.NOTE])
    given = edge(by_key["N0"], Rel.IN_STAGE)
    assert given.target == "eto-stage-s1" and Prop.NOTE not in given.props
    assert by_key["N0"].origin.line == 2 and by_key["N0"].origin.file.endswith("inputs.csv")
    assert Label.ULTIMATE_OUTPUT in node(by_key["N99"]).labels and not by_key["N99"].edges  # no stage to derive
    hbm = by_key["N140"]
    assert edge(hbm, Rel.IN_STAGE).target == "eto-stage-s3"  # goes into assembly and packaging
    assert node(by_key["S3"]).props[Prop.NAME] == "Assembly, testing, and packaging (ATP)"


def test_organisations_are_keyed_by_provider_id_located_in_their_country() -> None:
    by_key = mapped()
    litho = by_key["P201"]
    assert node(litho).id == "eto-provider-p201" and node(litho).props[Prop.COUNTRY] == "NL"
    assert node(litho).props[Prop.ALIASES] == ["Example Litho, B.V.", "Example Lithography Holding"]
    assert edge(litho, Rel.LOCATED_IN).target == "place-nl"
    europe = node(by_key["P210"])
    assert Prop.COUNTRY not in europe.props and "'EUR'" in str(europe.props[Prop.NOTE])
    assert not by_key["P210"].edges


def test_countries_are_the_graphs_places_and_various_is_a_note() -> None:
    found = rows()
    skipped = [r for r in found if isinstance(r, Skipped)]
    assert {r.ids for r in skipped if "country provider" in r.reason} == {
        ("place-us",),
        ("place-cn",),
        ("place-kr",),
        ("place-jp",),
        ("place-tw",),
        ("place-nl",),
    }
    assert ("eto-provider-p5",) in {r.ids for r in skipped}  # Various countries
    by_key = mapped()
    nld = edge(by_key["P45>N20"], Rel.PROVIDES)
    assert (nld.source, nld.target) == ("place-nl", "eto-input-n20")
    assert "P5>N26" not in by_key
    assert node(by_key["N26"]).props[Prop.NOTE] == "Also provided by: Various countries (35%, 2019) (not one provider)."
    assert alpha2("TWN") == "TW" and alpha2("EUR") is None and alpha2("Various countries") is None


def test_provision_carries_share_year_and_the_sources_words() -> None:
    by_key = mapped()
    euv = edge(by_key["P201>N20"], Rel.PROVIDES)
    assert euv.id == "eto-provision-p201-n20"
    assert euv.props == {
        Prop.SHARE: 100.0,
        Prop.YEAR: 2025,
        Prop.SOURCE_TEXT: "Example analysis of tool data (2025). Invented figures.",
    }
    silent = edge(by_key["P206>N140"], Rel.PROVIDES)
    assert Prop.SHARE not in silent.props and silent.props[Prop.YEAR] == 2025
    assert edge(by_key["N20>N19"], Rel.TYPE_OF).target == "eto-input-n19"
    assert edge(by_key["N26>N117"], Rel.GOES_INTO).target == "eto-input-n117"


def test_the_older_percent_form_and_the_negligible_column(tmp_path: Path) -> None:
    folder = tmp_path / "old"
    shutil.copytree(FIXTURES, folder, ignore=shutil.ignore_patterns("bad"))
    lines = (folder / "provision.csv").read_text().splitlines()
    lines[0] += ",negligible_market_share"
    lines = [lines[0], *(line.replace(",70.5,", ',"70.5%",') + ",FALSE" for line in lines[1:])]
    lines[-1] = lines[-1].removesuffix(",FALSE") + ",TRUE"
    (folder / "provision.csv").write_text("\n".join(lines) + "\n")
    by_key = mapped(folder)
    assert edge(by_key["P201>N22"], Rel.PROVIDES).props[Prop.SHARE] == 70.5
    assert edge(by_key["P201>N22"], Rel.PROVIDES).props[Prop.NEGLIGIBLE_SHARE] is False
    assert edge(by_key["P210>N100"], Rel.PROVIDES).props[Prop.NEGLIGIBLE_SHARE] is True
    assert share("61%") == 61.0 and share("") is None and share(" 9.8 ") == 9.8


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("conflict", [("provision.csv", 4, None), ("provision.csv", 6, None), ("provision.csv", 8, None)]),
        ("share-150", [("provision.csv", 10, "share_provided")]),
        ("missing-column", [("sequence.csv", 1, "is_type_of_id")]),
        ("unknown-provider", [("provision.csv", 18, "provider_id")]),
    ],
)
def test_bad_files_are_refused_naming_file_line_and_field(
    tmp_path: Path, case: str, expected: list[tuple[str, int, str | None]]
) -> None:
    found = problems(with_bad(tmp_path, case))
    assert [(f, line, field) for f, line, field, _ in found] == expected
    messages = " ".join(m for *_, m in found)
    assert {
        "conflict": "merge-conflict marker '<<<<<<< HEAD'",
        "share-150": "share '150' is outside 0–100",
        "missing-column": "missing column is_type_of_id",
        "unknown-provider": "provider 'P999' is not in providers.csv",
    }[case] in messages


def test_a_folder_without_its_files_is_refused(tmp_path: Path) -> None:
    (tmp_path / "inputs.csv").write_text("input_id\n")
    with pytest.raises(DataError, match=r"lacks stages\.csv, providers\.csv, provision\.csv, sequence\.csv"):
        rows(tmp_path)


def _cli(home: Path, *args: object) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CHIPTRAIL_HOME": str(home), "COLUMNS": "250"}
    return subprocess.run([CLI, *map(str, args)], capture_output=True, text=True, timeout=300, env=env, check=False)


def test_ingest_counts_refuses_bad_files_whole_and_applies_a_second_snapshot(tmp_path: Path) -> None:
    home = tmp_path / "home"
    refused = _cli(home, "ingest", "eto", with_bad(tmp_path, "share-150"), "--snapshot", "2026-11-01")
    assert refused.returncode != 0 and "provision.csv:10" in refused.stderr and "share_provided" in refused.stderr
    first = _cli(home, "ingest", "eto", FIXTURES, "--snapshot", "2026-11-01")
    assert first.returncode == 0, first.stderr
    assert "72 rows → 86 added, 0 changed, 0 ended, 0 unchanged" in first.stdout.replace("\n", " ")
    again = _cli(home, "ingest", "eto", FIXTURES, "--snapshot", "2026-11-01")
    assert "this very file; nothing changed" in again.stdout.replace("\n", " ")
    second = tmp_path / "second"
    shutil.copytree(FIXTURES, second, ignore=shutil.ignore_patterns("bad"))
    text = (
        (second / "provision.csv")
        .read_text()
        .replace(
            "P201,ArF immersion (DUV) lithography tools,N22,70.5", "P201,ArF immersion (DUV) lithography tools,N22,72.0"
        )
    )
    (second / "provision.csv").write_text(text)
    applied = _cli(home, "ingest", "eto", second, "--snapshot", "2026-11-28")
    assert applied.returncode == 0, applied.stderr
    assert "1 changed, 0 ended, 85 unchanged" in applied.stdout.replace("\n", " ")
