"""Every kind of bad input is a clear error naming the file (and line) or an intended acceptance;
never a traceback, never silence. The corpus is tests/malformed/cases; expected.yaml says what each gives."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loaders import load_paths
from ontology.errors import DataError
from ontology.records import Dataset
from tests.conftest import DATA
from tests.helpers import CLI

CORPUS = Path(__file__).parent / "malformed"
EXPECTED: dict[str, str] = yaml.safe_load((CORPUS / "expected.yaml").read_text(encoding="utf-8"))
MAX_MESSAGE = 600  # characters in one problem: a few lines at most, whatever the file holds


def test_the_corpus_is_complete() -> None:
    assert sorted(p.name for p in (CORPUS / "cases").iterdir()) == sorted(EXPECTED)
    assert len(EXPECTED) >= 40


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_bad_file_gets_a_clear_error(name: str) -> None:
    path = CORPUS / "cases" / name
    if EXPECTED[name] == "ok":
        assert isinstance(load_paths([path]), Dataset)
        return
    with pytest.raises(DataError) as caught:
        load_paths([path])
    problems = caught.value.problems
    assert any(EXPECTED[name] in p.message for p in problems), [str(p) for p in problems]
    assert all(p.file == str(path) for p in problems)
    assert all(len(str(p)) <= MAX_MESSAGE and "\n" not in str(p) for p in problems), [str(p)[:200] for p in problems]


def test_every_load_path_runs_the_checks(tmp_path: Path) -> None:
    """The command line's --data loads through the same checks as `validate` (a range error here)."""
    bad = CORPUS / "cases" / "percentage-over-100.yaml"
    run = subprocess.run(
        [CLI, "routes", "--chip", "H100", "--region", "Xinjiang", "--data", str(DATA), "--data", str(bad)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 1
    assert "must be at most 100" in run.stderr and "Traceback" not in run.stderr


# --- fuzzing: random and mutated files are a dataset or the project's own data error --------------

SEEDS = sorted((CORPUS / "cases").iterdir()) + sorted(DATA.rglob("*.yaml"))[:3]


def _outcome(path: Path) -> None:
    """A dataset, or a data error whose every problem is short and names the file."""
    try:
        load_paths([path])
    except DataError as exc:
        problems = exc.problems
    else:
        return
    assert problems
    assert all(len(str(p)) <= MAX_MESSAGE and p.file == str(path) for p in problems)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.sampled_from(SEEDS), cut=st.integers(0, 4000), insert=st.binary(max_size=12))
def test_mutated_files_load_or_fail_cleanly(tmp_path: Path, seed: Path, cut: int, insert: bytes) -> None:
    data = seed.read_bytes()[:20_000]
    at = cut % (len(data) + 1)
    path = tmp_path / "mutated.yaml"
    path.write_bytes(data[:at] + insert + data[at + len(insert) :])
    _outcome(path)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    document=st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
        max_leaves=20,
    )
)
def test_random_documents_load_or_fail_cleanly(tmp_path: Path, document: object) -> None:
    path = tmp_path / "random.yaml"
    path.write_text(yaml.safe_dump({"nodes": [document], "edges": [document]}), encoding="utf-8")
    _outcome(path)
