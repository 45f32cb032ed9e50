"""The fast event walk builds exactly what the reference loader builds, or hands the text back.

Whenever the reference loader (the shape check, then PyYAML with the line-recording constructor)
refuses a text, the walk must refuse it too (`Unusual`), so every message still comes from the
reference; whenever the walk builds a document, it equals the reference's, lines included.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from loaders.yamlevents import Unusual, build
from loaders.yamlfile import _check_shape, _LineLoader
from ontology.errors import DataError
from tests.conftest import DATA

CORPUS = Path(__file__).parent / "malformed" / "cases"
TEXTS = sorted(DATA.rglob("*.yaml")) + sorted(CORPUS.iterdir())


def reference(text: str) -> object:
    _check_shape(text, Path("x.yaml"))
    return yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass


def agree(text: str) -> bool:
    """Assert the two agree; True when the fast walk built the document."""
    try:
        expected = reference(text)
    except (yaml.YAMLError, DataError):
        with pytest.raises(Unusual):
            build(text, _LineLoader)
        return False
    try:
        built = build(text, _LineLoader)
    except Unusual:
        return False
    assert built == expected
    return True


@pytest.mark.parametrize("path", TEXTS, ids=lambda p: p.name)
def test_files_agree(path: Path) -> None:
    data = path.read_bytes()
    if data.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00\x00")) or b"\x00" in data:
        return  # not UTF-8 text: `decode` refuses it before either parser runs
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return
    built = agree(text)
    if path.is_relative_to(DATA):
        assert built, "the bundled data takes the fast path"


SCALARS = st.sampled_from(
    ["1", "0x1f", "010", "1_000", "-3", "1.5", ".inf", ".nan", "1e3", "true", "no", "on", "~", "null", "",
     "2024-02-30", "2024-02-29", "2024-1-5", "2001-12-14t21:59:43.10-05:00", "'1'", '"x"', "<<", "=", "a b",
     "!!str 5", "!!int 5", "!foo x", "&a 1", "*a", "[]", "{}", "[1, *a]", "{x: 1, x: 2}", "__line__", "__lines__"]
)  # fmt: skip
KEYS = st.sampled_from(["a", "b", "1", "'1'", "true", "True", "__line__", "__lines__", "&k a", "*k", "? [x]", "<<"])


@st.composite
def documents(draw: st.DrawFn, depth: int = 0) -> str:
    """Block YAML built from fragments that each exercise a corner: tags, anchors, aliases,
    repeated and odd keys, merges, dates, numbers, nesting."""
    indent = "  " * depth
    is_map = draw(st.booleans())
    lines = []
    for _ in range(draw(st.integers(1, 4))):
        head = f"{indent}{draw(KEYS)}:" if is_map else f"{indent}-"
        if depth < 3 and draw(st.integers(0, 2)) == 0:
            anchor = draw(st.sampled_from(["", " &a", " &b"]))
            lines.append(f"{head}{anchor}\n{draw(documents(depth + 1))}")
        else:
            lines.append(f"{head} {draw(SCALARS)}")
    return "\n".join(lines)


@settings(max_examples=300, deadline=None)
@given(text=documents())
def test_generated_documents_agree(text: str) -> None:
    agree(text)


@settings(max_examples=100, deadline=None)
@given(
    document=st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8) | st.dates(),
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
        max_leaves=25,
    ),
    flow=st.booleans(),
)
def test_dumped_documents_agree(document: object, flow: bool) -> None:
    text = yaml.safe_dump(document, default_flow_style=flow, allow_unicode=True)
    assert agree(text) or not isinstance(document, dict | list)


def test_nesting_and_expansion_bounds_go_to_the_reference() -> None:
    deep = "a: " + "[" * 40 + "]" * 40
    with pytest.raises(Unusual):
        build(deep, _LineLoader)
    laughs = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n" for i in range(7)
    )
    with pytest.raises(Unusual):
        build(laughs, _LineLoader)
