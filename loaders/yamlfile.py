"""Read YAML keeping the line of every record and every field, for precise error messages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from ontology.errors import DataError, Problem

LINE = "__line__"
LINES = "__lines__"


class _LineLoader(yaml.SafeLoader):
    """A safe loader whose mappings remember their line and the line of each key."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        mapping = super().construct_mapping(node, deep=deep)
        mapping[LINE] = node.start_mark.line + 1
        mapping[LINES] = {k.value: k.start_mark.line + 1 for k, _ in node.value if isinstance(k, yaml.ScalarNode)}
        return mapping


def read_yaml(path: Path) -> Any:
    """Parse one file; a syntax error becomes a `DataError` naming the file and line."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DataError([Problem(f"cannot read file: {exc.strerror}", file=str(path))]) from exc
    try:
        return yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        raise DataError([Problem(f"YAML syntax: {exc.problem}", file=str(path), line=line)]) from exc
