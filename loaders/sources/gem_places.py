"""Put a plant in the most specific place its row names that the graph holds (GEM and WRI rows).

The places are the curated ones (`data/curated/places.yaml`): countries, provinces, prefectures and
counties with their names, Chinese names, aliases, ISO 3166 codes and PART_OF containment. A name
matches case-insensitively, also without an administrative suffix ("Hami Prefecture", "哈密市",
"Xinjiang Uyghur Autonomous Region"); a province also by its ISO 3166-2 code (`CN-XJ`). A
prefecture is looked for inside the province, a county inside the prefecture (or the province),
so a "Yiwu" in Zhejiang can never become Yiwu County in Hami.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from ontology.errors import Problem
from ontology.records import Origin
from ontology.vocab import Label

PLACES = Path(__file__).resolve().parents[2] / "data" / "curated" / "places.yaml"
LEVELS = (Label.COUNTY, Label.PREFECTURE, Label.PROVINCE, Label.COUNTRY)  # most specific first
_SUFFIXES = (
    " uyghur autonomous region", " hui autonomous region", " zhuang autonomous region", " autonomous region",
    " autonomous prefecture", " prefecture-level city", " prefecture", " province", " municipality", " city",
    " county", " district", " league", " region", "维吾尔自治区", "自治区", "自治州", "省", "市", "县", "地区", "盟",
)  # fmt: skip
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Place:
    id: str
    level: str  # Country | Province | Prefecture | County
    name: str
    parent: str | None  # the place it is PART_OF
    country: str  # ISO 3166-1 alpha-2


def keys(text: str) -> set[str]:
    """The forms a place name is matched under: folded, and without an administrative suffix."""
    folded = _SPACES.sub(" ", text.replace("’", "'")).strip().casefold()
    found = {folded} if folded else set()
    for suffix in _SUFFIXES:
        if folded.endswith(suffix) and len(folded) > len(suffix):
            found.add(folded[: -len(suffix)].strip())
    return found


@dataclass(frozen=True)
class Placed:
    """Where a row's plant stands: the place (None when not even the country is in the graph), the
    tally it is counted under, and a warning when the row names a subnational unit the graph lacks."""

    place: Place | None
    tally: str
    warning: Problem | None = None


class Places:
    """The curated places, indexed by level and every key of their names and codes."""

    def __init__(self, nodes: list[dict[str, object]], part_of: dict[str, str]) -> None:
        self.by_id: dict[str, Place] = {}
        self.index: dict[tuple[str, str], list[Place]] = {}
        self.found: dict[tuple[str, str, str | None], Place | None] = {}  # `find`'s answers: rows repeat names
        for node in nodes:
            labels = node.get("labels")
            level = next((lv for lv in LEVELS if isinstance(labels, list) and lv in labels), None)
            if level is None:
                continue
            place = Place(str(node["id"]), level, str(node["name"]), part_of.get(str(node["id"])), str(node["country"]))
            self.by_id[place.id] = place
            texts = [node.get("name"), node.get("name_zh"), node.get("iso3166"), *_list(node.get("aliases"))]
            for key in {k for text in texts if isinstance(text, str) for k in keys(text)}:
                self.index.setdefault((level, key), []).append(place)

    def within(self, place: Place, ancestor: str) -> bool:
        """True when `place` lies in `ancestor` (by PART_OF, at any depth)."""
        seen: set[str] = set()
        here: str | None = place.parent
        while here is not None and here not in seen:
            if here == ancestor:
                return True
            seen.add(here)
            here = self.by_id[here].parent if here in self.by_id else None
        return False

    def find(self, level: str, text: str, inside: Place | None) -> Place | None:
        """The one place of `level` named `text` inside `inside` (any country when None)."""
        asked = (level, text, inside.id if inside is not None else None)
        if asked not in self.found:
            self.found[asked] = self._find(level, text, inside)
        return self.found[asked]

    def _find(self, level: str, text: str, inside: Place | None) -> Place | None:
        found: dict[str, Place] = {}
        for key in keys(text):
            for place in self.index.get((level, key), []):
                if inside is None or self.within(place, inside.id) or (level == Label.COUNTRY):
                    found[place.id] = place
        return next(iter(found.values())) if len(found) == 1 else None

    def country(self, text: str) -> Place | None:
        """The country named `text` (a name, alias or ISO 3166-1 alpha-2 code)."""
        return self.find(Label.COUNTRY, text, None) if text else None

    def place(self, origin: Origin, country: Place | None, areas: list[tuple[str, str, str]]) -> Placed:
        """Resolve `areas` — (level, field, value), coarsest first — inside `country`. A subnational
        unit (the first area) that does not resolve warns; finer areas fall back quietly."""
        if country is None:
            return Placed(None, "not placed (country not among the graph's places)")
        here, warning = country, None
        for number, (level, field, value) in enumerate(areas):
            if not value:
                continue
            found = self.find(level, value, here)
            if found is not None:
                here = found
            elif number == 0:
                kept = f"the plant is kept in {here.name}"
                message = f"{value!r} is not a {level.lower()} of {country.name} the graph holds; {kept}"
                warning = Problem(message, file=origin.file, line=origin.line, field=field)
        return Placed(here, f"placed in a {here.level.lower()}", warning)


def _list(value: object) -> list[object]:
    return list(value) if isinstance(value, list) else []


@cache
def curated_places(path: Path = PLACES) -> Places:
    """The places of the bundled curated data."""
    with path.open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle) or {}
    nodes = [n for n in data.get("nodes", []) if isinstance(n, dict)]
    part_of = {
        str(e["from"]): str(e["to"])
        for e in data.get("edges", [])
        if isinstance(e, dict) and e.get("type") == "PART_OF"
    }
    return Places(nodes, part_of)
