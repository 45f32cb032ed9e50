"""The command line end to end, in a subprocess, including bad input."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import DATA
from tests.helpers import CLI


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([CLI, *args], capture_output=True, text=True, timeout=120, check=False)


def run_json(*args: str) -> Any:
    result = run(*args, "--format", "json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_routes_json_has_routes_hops_evidence_and_leads() -> None:
    answer = run_json("routes", "--chip", "H100", "--region", "Xinjiang", "--as-of", "2026-01-01")
    assert answer["query"]["as_of"] == "2026-01-01"
    assert {c["id"] for c in answer["query"]["chips"]} == {"chip-nvidia-h100-sxm", "chip-nvidia-h100-pcie"}
    paths = [r["path"] for r in answer["routes"]]
    assert ["scn-northgate-systems", "scn-harbor-kite", "scn-lotus-bay", "scn-redsand", "scn-dc-yiwu-east"] in paths
    route = answer["routes"][0]
    assert route["illustrative"] is True
    assert route["restriction"]["restricted"] is True
    assert route["restriction"]["destination"] == "CN"
    hop = route["hops"][0]
    assert set(hop) >= {"from", "to", "type", "date", "quantity", "sources", "confidence"}
    assert hop["sources"][0]["id"] == "src-scenario-xinjiang-diversion"
    leads = {(lead["site"]["id"], lead["chip"]["id"]) for lead in answer["leads"]}
    assert ("agg-bloomberg-39-projects", "chip-nvidia-h100-sxm") in leads


def test_time_respecting_and_as_of_change_the_answer() -> None:
    every = run_json("routes", "--chip", "H100", "--region", "Xinjiang", "--as-of", "2026-01-01")
    timely = run_json("routes", "--chip", "H100", "--region", "Xinjiang", "--as-of", "2026-01-01", "--time-respecting")
    backwards = ["scn-northgate-systems", "scn-harbor-kite", "scn-copperline", "scn-dc-urumqi-south"]
    assert backwards in [r["path"] for r in every["routes"]]
    assert backwards not in [r["path"] for r in timely["routes"]]
    in_2024 = run_json("routes", "--chip", "A100", "--region", "Xinjiang", "--as-of", "2024-06-01")
    in_2026 = run_json("routes", "--chip", "A100", "--region", "Xinjiang", "--as-of", "2026-01-01")
    ironpeak_yiwu = ["scn-northgate-systems", "scn-ironpeak", "scn-dc-yiwu-east"]
    assert ironpeak_yiwu in [r["path"] for r in in_2024["routes"]]
    assert ironpeak_yiwu not in [r["path"] for r in in_2026["routes"]]


def test_routes_table_marks_fictional_entities() -> None:
    result = run("routes", "--chip", "H200", "--region", "新疆", "--as-of", "2026-01-01")
    assert result.returncode == 0, result.stderr
    assert "Changji North AI Centre (fictional) ✱" in result.stdout
    assert "ILLUSTRATIVE" in result.stdout
    assert "Leads" in result.stdout


def test_restrictions_json_contract() -> None:
    answer = run_json("restrictions", "--chip", "H20", "--destination", "CN", "--as-of", "2025-05-01")
    assert set(answer) >= {"chip", "destination", "as_of", "restricted", "rules", "explanation"}
    assert answer["restricted"] is True
    assert answer["chip"]["id"] == "chip-nvidia-h20"
    earlier = run_json("restrictions", "--chip", "H20", "--destination", "CN", "--as-of", "2024-06-01")
    assert earlier["restricted"] is False


def test_restrictions_for_a_family_lists_variants() -> None:
    answer = run_json("restrictions", "--chip", "H100", "--destination", "CN", "--as-of", "2024-01-01")
    assert answer["restricted"] is True
    assert sorted(v["chip"]["id"] for v in answer["variants"]) == ["chip-nvidia-h100-pcie", "chip-nvidia-h100-sxm"]


def test_unknown_chip_or_region_exits_2_with_suggestions() -> None:
    chip = run("routes", "--chip", "H1OO", "--region", "Xinjiang")
    assert chip.returncode == 2
    assert "Unknown chip 'H1OO'" in chip.stderr and "H100" in chip.stderr
    region = run("routes", "--chip", "H100", "--region", "Xinjang")
    assert region.returncode == 2
    assert "Xinjiang" in region.stderr
    for result in (chip, region):
        assert "Traceback" not in result.stderr + result.stdout


def test_bad_options_exit_2_without_traceback() -> None:
    for args in (
        ("routes", "--chip", "H100", "--region", "Xinjiang", "--as-of", "yesterday"),
        ("routes", "--chip", "H100", "--region", "Xinjiang", "--max-hops", "0"),
        ("restrictions", "--chip", "H100", "--destination", "CN", "--format", "xml"),
    ):
        result = run(*args)
        assert result.returncode == 2, args
        assert "Traceback" not in result.stderr + result.stdout


def test_validate_passes_on_the_data_and_names_file_and_line_when_broken(tmp_path: Path) -> None:
    ok = run("validate", str(DATA))
    assert ok.returncode == 0, ok.stderr
    assert "valid" in ok.stdout
    broken = tmp_path / "data"
    shutil.copytree(DATA, broken)
    chips = broken / "curated" / "chips.yaml"
    lines = chips.read_text(encoding="utf-8").splitlines()
    number = next(i for i, line in enumerate(lines) if "tpp:" in line)
    lines[number] = lines[number].replace("tpp:", "tpp_typo:")
    chips.write_text("\n".join(lines), encoding="utf-8")
    bad = run("validate", str(broken))
    assert bad.returncode == 1
    assert f"{chips}:{number + 1}" in bad.stderr
    assert "tpp_typo" in bad.stderr
    assert "Traceback" not in bad.stderr


@pytest.mark.parametrize("options", [[], ["--reference-shacl"]], ids=["compiled", "pyshacl"])
def test_validate_reports_shacl_violations(tmp_path: Path, options: list[str]) -> None:
    path = tmp_path / "rule.yaml"
    path.write_text(
        "nodes:\n"
        "  - {id: src-a, labels: [Source], name: S, title: T, publisher: P}\n"
        "  - {id: rule-x, labels: [ExportControlRule], name: X, effect: license_required,\n"
        "     valid_from: 2024-01-01, sources: [src-a], confidence: reported}\n",
        encoding="utf-8",
    )
    result = run("validate", str(path), *options)
    assert result.returncode == 1
    assert f"{path}:3, record rule-x, field 'citation'" in result.stderr


def test_demo_shows_counts_restrictions_routes_and_leads() -> None:
    result = run("demo", "--as-of", "2026-01-01")
    assert result.returncode == 0, result.stderr
    for text in ("What the graph holds", "ChipModel", "need a US licence", "Routes for", "Leads", "ILLUSTRATIVE"):
        assert text in result.stdout
    for text in ("screening:", "Licence required for the item and for a party", "Compute reaching", "Chokepoints"):
        assert text in result.stdout


def test_routes_screen_gives_verdicts() -> None:
    answer = run_json("routes", "--chip", "H20", "--region", "Xinjiang", "--as-of", "2026-01-01", "--screen")
    verdicts = {tuple(r["path"]): r["screening"]["verdict"] for r in answer["routes"]}
    assert verdicts[("scn-northgate-systems", "scn-harbor-kite", "scn-jadeport", "scn-dc-urumqi-south")] == "both"
    assert verdicts[("scn-northgate-systems", "scn-harbor-kite", "scn-dc-changji-north")] == "item"


def test_screen_explains_designations_and_ownership() -> None:
    sugon = run_json("screen", "Sugon", "--as-of", "2020-01-01")
    assert sugon["status"] == "listed" and sugon["designations"][0]["citation"] == "84 FR 29371"
    jadeport = run_json("screen", "scn-jadeport", "--as-of", "2026-11-28")
    assert jadeport["status"] == "affiliate" and jadeport["affiliates"][0]["known_total"] == 54.0
    suspended = run_json("screen", "scn-jadeport", "--as-of", "2026-01-01")
    assert (suspended["status"], suspended["affiliates"]) == ("clear", [])
    assert "suspended on 2026-01-01 by One-year suspension of the Affiliates rule" in suspended["explanation"]
    missing = run("screen", "Sugonn")
    assert missing.returncode == 2 and "Sugon" in missing.stderr and "Traceback" not in missing.stderr


def test_whatif_reads_an_overlay_file(tmp_path: Path) -> None:
    overlay = tmp_path / "overlay.yaml"
    overlay.write_text("name: affiliates off\naffiliates: false\n", encoding="utf-8")
    answer = run_json("whatif", str(overlay), "--region", "Xinjiang", "--as-of", "2026-01-01")
    assert [(r["before"], r["after"]) for r in answer["routes"]] == [("both", "item")]
    overlay.write_text("rules:\n  - {id: x, effect: license_required}\n", encoding="utf-8")
    broken = run("whatif", str(overlay), "--region", "Xinjiang")
    assert broken.returncode == 1 and "valid_from" in broken.stderr and "Traceback" not in broken.stderr
