"""Read YAML keeping the line of every record and every field, for precise error messages.

Whatever the bytes, the outcome is a parsed document or a `DataError` naming the file and line:
a UTF-8 byte-order mark is fine; UTF-16/32 text or a binary file is named as such; characters YAML
refuses, a key repeated in one mapping, an impossible date, alias expansion past a bound and
nesting past a bound are errors, not a traceback and not "the last one wins".

An ordinary file is built in one pass over libyaml's events (`loaders.yamlevents`); anything out
of the ordinary, every error included, goes through the reference loader below, which words the
messages.
"""

from __future__ import annotations

import codecs
from pathlib import Path
from typing import Any

import yaml

from loaders.yamlevents import LINE, LINES, MAX_DEPTH, MAX_EXPANDED, Unusual, build
from ontology.errors import DataError, Problem

_Base: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when PyYAML has it
_WIDE_BOMS = {
    codecs.BOM_UTF32_LE: "UTF-32",
    codecs.BOM_UTF32_BE: "UTF-32",
    codecs.BOM_UTF16_LE: "UTF-16",
    codecs.BOM_UTF16_BE: "UTF-16",
}


class _LineLoader(_Base):  # type: ignore[valid-type,misc]
    """A safe loader whose mappings remember their line and the line of each key, and refuse repeated keys."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[object, int] = {}
        for key_node, _ in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                line = key_node.start_mark.line + 1
                if key_node.value in seen:
                    raise yaml.constructor.ConstructorError(
                        None,
                        None,
                        f"key '{_clip(key_node.value)}' repeated in one mapping (first on line {seen[key_node.value]})",
                        key_node.start_mark,
                    )
                seen[key_node.value] = line
        mapping: dict[Any, Any] = super().construct_mapping(node, deep=deep)
        mapping[LINE] = node.start_mark.line + 1
        mapping[LINES] = {k.value: k.start_mark.line + 1 for k, _ in node.value if isinstance(k, yaml.ScalarNode)}
        return mapping

    def construct_yaml_timestamp(self, node: yaml.ScalarNode) -> Any:
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError as exc:
            raise yaml.constructor.ConstructorError(
                None, None, f"impossible date '{_clip(node.value)}': {exc}", node.start_mark
            ) from exc


_LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _LineLoader.construct_yaml_timestamp)
_LineLoader.add_constructor("tag:yaml.org,2002:map", _LineLoader.construct_yaml_map)


def _clip(text: object, limit: int = 60) -> str:
    shown = str(text)
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"


def decode(data: bytes, path: Path) -> str:
    """UTF-8 text (a byte-order mark is dropped); anything else is a `DataError` saying what the file is."""
    for bom, name in _WIDE_BOMS.items():
        if data.startswith(bom):
            raise DataError([Problem(f"the file is {name} text; save it as UTF-8", file=str(path), line=1)])
    if b"\x00" in data[:8192]:
        raise DataError([Problem("the file is binary (it holds NUL bytes), not YAML text", file=str(path))])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        message = f"not UTF-8: byte 0x{data[exc.start]:02x} cannot start a character; save the file as UTF-8"
        raise DataError([Problem(message, file=str(path), line=line)]) from exc


def _check_shape(text: str, path: Path) -> None:
    """Bound nesting, and the size the document would have once every alias is expanded, before
    anything is built from it (anchors and aliases for shared evidence stay welcome)."""
    sizes: dict[str, int] = {}
    stack: list[list[Any]] = [[None, 0]]  # [anchor, values so far] per open collection

    def add(count: int, line: int) -> None:
        stack[-1][1] += count
        if stack[-1][1] > MAX_EXPANDED:
            message = f"more than {MAX_EXPANDED:,} values once its aliases are expanded"
            raise DataError([Problem(message, file=str(path), line=line)])

    for event in yaml.parse(text, Loader=_Base):
        line = event.start_mark.line + 1 if event.start_mark is not None else 0
        if isinstance(event, yaml.CollectionStartEvent):
            stack.append([event.anchor, 1])
            if len(stack) > MAX_DEPTH + 1:
                message = f"nested more than {MAX_DEPTH} levels deep; records are mappings of values and lists"
                raise DataError([Problem(message, file=str(path), line=line)])
        elif isinstance(event, yaml.CollectionEndEvent):
            anchor, count = stack.pop()
            if anchor is not None:
                sizes[anchor] = count
            add(count, line)
        elif isinstance(event, yaml.ScalarEvent):
            if event.anchor is not None:
                sizes[event.anchor] = 1
            add(1, line)
        elif isinstance(event, yaml.AliasEvent):
            add(sizes.get(event.anchor or "", 1), line)


def _problem(exc: yaml.YAMLError, path: Path) -> Problem:
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        return Problem(f"YAML syntax: {exc.problem}", file=str(path), line=line)
    if isinstance(exc, yaml.reader.ReaderError):
        return Problem(f"YAML refuses character #x{exc.character:04x} at offset {exc.position}", file=str(path))
    return Problem(f"YAML syntax: {_clip(exc, 200)}", file=str(path))


def read_yaml(path: Path) -> Any:
    """Parse one file; any problem becomes a `DataError` naming the file (and line, where there is one)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DataError([Problem(f"cannot read file: {exc.strerror}", file=str(path))]) from exc
    text = decode(data, path)
    try:
        return build(text, _LineLoader)
    except Unusual:
        pass
    try:
        _check_shape(text, path)
        return yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        raise DataError([_problem(exc, path)]) from exc
