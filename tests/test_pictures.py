"""The pictures of answers: self-contained HTML drawn from the same answer models as the JSON."""

from __future__ import annotations

import html
import json
import re
import subprocess
from pathlib import Path

from graph.memory import MemoryStore
from tests.helpers import CLI, client_for

AS_OF = "2026-11-28"
EXTERNAL = re.compile(r"<(?:script|img|link|iframe)[^>]+(?:src|href)=|@import|url\(\s*['\"]?https?:", re.I)


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([CLI, *args], capture_output=True, text=True, check=False, timeout=300)


def test_routes_html_shows_what_the_json_says(tmp_path: Path) -> None:
    args = ("routes", "--chip", "H100", "--region", "Xinjiang", "--as-of", AS_OF, "--screen")
    answer = json.loads(cli(*args, "--format", "json").stdout)
    target = tmp_path / "r.html"
    made = cli(*args, "--format", "html", "-o", str(target))
    assert made.returncode == 0, made.stderr
    page = html.unescape(target.read_text(encoding="utf-8"))
    assert page.startswith("<!DOCTYPE html>") and not EXTERNAL.search(page)
    assert answer["routes"]
    for route in answer["routes"]:
        for hop in route["hops"]:
            assert hop["from"]["name"] in page and hop["to"]["name"] in page
            assert f"{hop['date']} · ×{hop['quantity']:,}" in page
            assert all(source["title"] in page for source in hop["sources"])
        assert route["screening"]["verdict"] in page
    assert "US licence required" in page
    assert page.count("class='hop'") == sum(len(r["hops"]) for r in answer["routes"])
    assert all(lead["site"]["name"] in page for lead in answer["leads"])


def test_exposure_html_has_a_bar_per_chip_model_and_confidence(tmp_path: Path) -> None:
    args = ("exposure", "--region", "Xinjiang", "--as-of", AS_OF)
    answer = json.loads(cli(*args, "--format", "json").stdout)
    page = cli(*args, "--format", "html").stdout
    assert not EXTERNAL.search(page)
    bars = re.findall(r"data-kind='(\w+)' data-label='([^']*)' data-chips='(\d+)'", page)
    expected = [("chip", m["chip"]["name"], str(m["chips"])) for m in answer["by_chip"]]
    expected += [("confidence", m["confidence"], str(m["chips"])) for m in answer["by_confidence"]]
    assert [(k, html.unescape(label), chips) for k, label, chips in bars] == expected
    text = html.unescape(page)
    assert all(site["site"]["name"] in text and site["plausibility"]["verdict"] in text for site in answer["sites"])


def test_table_takes_no_output_file(tmp_path: Path) -> None:
    result = cli("exposure", "--region", "Xinjiang", "-o", str(tmp_path / "x"))
    assert result.returncode == 2
    assert "--output is for --format json or html" in result.stderr


def test_the_api_draws_on_request(store: MemoryStore) -> None:
    with client_for(store) as client:
        url = f"/v1/routes?chip=H100&region=Xinjiang&as_of={AS_OF}"
        assert client.get(url).headers["content-type"] == "application/json"
        drawn = client.get(url + "&format=html")
        assert drawn.headers["content-type"].startswith("text/html")
        assert "Harbor Kite Components" in drawn.text
        browser = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
        assert client.get(url, headers=browser).headers["content-type"].startswith("text/html")
        assert client.get(url, headers={"Accept": "application/json"}).json()["routes"]
        assert client.get(url + "&format=json", headers=browser).json()["routes"]
        exposure = client.get(f"/v1/exposure?region=Xinjiang&as_of={AS_OF}", headers=browser)
        assert exposure.headers["content-type"].startswith("text/html") and "class='bar'" in exposure.text
