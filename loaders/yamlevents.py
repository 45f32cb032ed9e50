"""Build a document straight from libyaml's events: the fast path of `loaders.yamlfile`.

PyYAML's constructor spends most of a large file's time in per-node Python machinery (composing
nodes, resolving every scalar through the generic resolver, constructing through generators).
Here one loop over the C parser's events builds the same dicts and lists with the same
`__line__`/`__lines__` bookkeeping, resolving each distinct plain scalar once. It handles the
ordinary case only: whatever it does not reproduce exactly (a repeated key, an explicit tag, a
merge key, a non-scalar key, an impossible date, an alias to an unfinished anchor, a second
document, a bound passed, any YAML error) raises `Unusual`, and the caller parses the text the
slow, reference way, which gives the error message or the unusual construction.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import yaml

from ontology.records import collector_paused

LINE = "__line__"
LINES = "__lines__"
MAX_EXPANDED = 5_000_000  # values once every alias is expanded (a "billion laughs" file has 10^9)
MAX_DEPTH = 32  # nested mappings and lists; a data file needs 4
_STR = "tag:yaml.org,2002:str"
_SIMPLE = {"tag:yaml.org,2002:null": None}
_MISSING = object()


class Unusual(Exception):
    """The text needs the reference parser (an error to report, or a construct the fast path skips)."""


class _Scalars:
    """Plain scalars resolved and constructed exactly as the loader class would, each distinct text once."""

    def __init__(self, loader: type[yaml.SafeLoader]) -> None:
        self.resolvers = loader.yaml_implicit_resolvers
        self.wildcard = self.resolvers.get(None, [])
        self.constructor = loader("")
        self.cache: dict[str, Any] = {}

    def plain(self, text: str) -> Any:
        tag = _STR
        for candidate, regexp in self.resolvers.get(text[0] if text else "", []) + self.wildcard:
            if regexp.match(text):
                tag = candidate
                break
        if tag == _STR:
            value: Any = text
        elif tag in _SIMPLE:
            value = _SIMPLE[tag]
        elif tag == "tag:yaml.org,2002:timestamp" and len(text) == 10 and text[4] == text[7] == "-":
            try:
                value = dt.date(int(text[:4]), int(text[5:7]), int(text[8:]))
            except ValueError as exc:
                raise Unusual from exc
        elif tag in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"):
            node = yaml.ScalarNode(tag, text)
            value = self.constructor.yaml_constructors[tag](self.constructor, node)
        else:  # a merge key, '=', a full timestamp: the reference parser knows them
            raise Unusual
        self.cache[text] = value
        return value


def build(text: str, loader: type[yaml.SafeLoader]) -> Any:
    """The document in `text`, as `yaml.load` with a line-recording `loader` would build it; raise
    `Unusual` when that cannot be promised."""
    parser = loader(text)
    try:
        with collector_paused():  # the walk makes hundreds of thousands of containers and no cycles
            return _walk(parser, _Scalars(loader))
    except yaml.YAMLError as exc:
        raise Unusual from exc
    finally:
        parser.dispose()


def _special(event: Any, anchors: dict[str, tuple[Any, int]], scalars: _Scalars) -> tuple[Any, int]:
    """The value and expanded size of an alias, or of a scalar with an anchor or a tag."""
    if isinstance(event, yaml.AliasEvent):
        if event.anchor not in anchors:
            raise Unusual  # an alias to an open collection (or to nothing): the reference decides
        return anchors[event.anchor]
    if event.tag is not None or event.anchor in anchors:
        raise Unusual  # an explicit tag, or an anchor defined twice
    value = scalars.cache.get(event.value, _MISSING) if event.implicit[0] else event.value
    if value is _MISSING:
        value = scalars.plain(event.value)
    anchors[event.anchor] = (value, 1)
    return value, 1


def _walk(parser: Any, scalars: _Scalars) -> Any:  # one tight loop over every event, on purpose
    cache, plain = scalars.cache, scalars.plain
    anchors: dict[str, tuple[Any, int]] = {}
    # a frame per open collection: [container, is mapping, key or _MISSING, key lines, values so far, anchor, line]
    stack: list[list[Any]] = [[[], False, _MISSING, {}, 0, None, 0]]  # the stream, a list of documents
    scalar, alias, mapping_start, sequence_start = (
        yaml.ScalarEvent,
        yaml.AliasEvent,
        yaml.MappingStartEvent,
        yaml.SequenceStartEvent,
    )
    get = parser.get_event
    while (event := get()) is not None:
        kind = type(event)
        if kind is scalar or kind is alias:
            if kind is scalar and event.anchor is None and event.tag is None:
                text = event.value
                value = (cache[text] if text in cache else plain(text)) if event.implicit[0] else text
                size = 1
            else:
                value, size = _special(event, anchors, scalars)
            frame = stack[-1]
            frame[4] += size
            if not frame[1]:
                frame[0].append(value)
            elif frame[2] is _MISSING:
                if kind is alias or value in frame[0] or event.value in frame[3]:
                    raise Unusual  # a repeated key, or a key that is not plain text
                frame[2] = value
                frame[3][event.value] = event.start_mark.line + 1
            else:
                frame[0][frame[2]] = value
                frame[2] = _MISSING
        elif kind is mapping_start or kind is sequence_start:
            top = stack[-1]
            if event.tag is not None or (top[1] and top[2] is _MISSING) or len(stack) > MAX_DEPTH:
                raise Unusual  # a tag, a collection as a key, or nesting past the bound
            if event.anchor is not None and event.anchor in anchors:
                raise Unusual
            is_map = kind is mapping_start
            stack.append([{} if is_map else [], is_map, _MISSING, {}, 1, event.anchor, event.start_mark.line + 1])
        elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
            container, is_map, _, lines, size, anchor, line = stack.pop()
            if size > MAX_EXPANDED:
                raise Unusual
            if is_map:
                container[LINE] = line
                container[LINES] = lines
            if anchor is not None:
                if anchor in anchors:
                    raise Unusual
                anchors[anchor] = (container, size)
            frame = stack[-1]
            frame[4] += size
            if not frame[1]:
                frame[0].append(container)
            else:
                frame[0][frame[2]] = container
                frame[2] = _MISSING
    documents = stack[0][0]
    if len(documents) > 1:
        raise Unusual  # the reference parser says "expected a single document"
    return documents[0] if documents else None
