"""OpenSanctions parties: FtM legal entities and people as Organization and Person nodes.

Names are split by script (the first Latin name is the name, a Chinese one `name_zh`, the rest
aliases); identifiers become scheme:value, with the OpenSanctions ids of the entity and its
referents and the deterministic bridges they imply (`trade-csl-<x>` → `csl:<x>`, `ofac-<n>` →
`ofac:<n>`); Address entities of the same file lend their text, city and country.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field

from loaders.sources.ftm import Entity
from ontology.records import Node, Props
from ontology.schema import load_schema
from ontology.vocab import Prop

IDENTIFIER_SCHEMES = {
    "leiCode": "lei",
    "uscCode": "uscc",
    "registrationNumber": "reg",
    "innCode": "inn",
    "ogrnCode": "ogrn",
    "taxNumber": "tax",
    "swiftBic": "bic",
    "isinCode": "isin",
    "dunsCode": "duns",
    "permId": "permid",
    "idNumber": "id",
    "wikidataId": "wikidata",
}
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_KANA_HANGUL = re.compile(r"[\u3040-\u30ff\u31f0-\u31ff\uac00-\ud7af\u1100-\u11ff]")  # Japanese, Korean
_ALPHA2 = re.compile(r"^[A-Za-z]{2}$")
_OFAC = re.compile(r"^ofac-(\d+)$")
_UNSAFE = re.compile(r"[^a-z0-9._-]")


def digest(text: str, size: int = 8) -> str:
    """A short hex digest that keeps ids apart when text had to be shortened or folded."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:size]  # noqa: S324 - an id, not security


def node_id(entity_id: str, prefix: str = "os-") -> str:
    """The graph id of an FtM id: lower-cased (plus a short hash when that changed it: `NK-` ids
    are mixed case) and made kebab-safe."""
    lowered = entity_id.lower()
    if lowered != entity_id:
        lowered += "-" + digest(entity_id, 6)
    return _UNSAFE.sub("-", prefix + lowered)


@dataclass
class AddressBook:
    """The Address entities of one file, by id: their text, city and country."""

    full: dict[str, str] = field(default_factory=dict)
    city: dict[str, list[str]] = field(default_factory=dict)
    country: dict[str, list[str]] = field(default_factory=dict)

    def add(self, entity: Entity) -> None:
        parts = ("street", "street2", "postOfficeBox", "city", "postalCode", "region", "state", "country")
        text = entity.first("full") or ", ".join(entity.values(*parts))
        if text:
            self.full[entity.id] = text
        self.city[entity.id] = entity.values("city")
        self.country[entity.id] = entity.values("country")


def script(name: str) -> str:
    """ "zh" for a name in Chinese characters (kana or hangul make it Japanese or Korean: "other"),
    "latin" when every letter is Latin, else "other" (Cyrillic, Arabic, …)."""
    if _KANA_HANGUL.search(name):
        return "other"
    if _HAN.search(name):
        return "zh"
    if name.isascii():
        return "latin"
    latin = all(unicodedata.name(ch, "").startswith("LATIN") for ch in name if ch.isalpha())
    return "latin" if latin else "other"


def _names(entity: Entity) -> Props:
    """The first Latin name, with the first Chinese one as name_zh; a Chinese name when there is no
    Latin one; else the first name in any script. Every other name is an alias."""
    names = entity.values("name")
    latin = [name for name in names if script(name) == "latin"]
    han = [name for name in names if script(name) == "zh"]
    props: Props = {Prop.NAME: (latin or han or names or entity.values("alias", "weakAlias") or [entity.id])[0]}
    if latin and han:
        props[Prop.NAME_ZH] = han[0]
    taken = {props[Prop.NAME], props.get(Prop.NAME_ZH)}
    aliases = [n for n in entity.values("name", "alias", "previousName", "weakAlias") if n not in taken]
    if aliases:
        props[Prop.ALIASES] = aliases
    return props


def identifiers(entity: Entity) -> list[str]:
    """Registry identifiers as scheme:value, the OpenSanctions ids and the bridges they imply."""
    found = [f"{scheme}:{value}" for prop, scheme in IDENTIFIER_SCHEMES.items() for value in entity.values(prop)]
    for known in (entity.id, *entity.referents):
        found.append(f"opensanctions:{known}")
        if known.startswith("trade-csl-") and len(known) > len("trade-csl-"):
            found.append(f"csl:{known.removeprefix('trade-csl-')}")
        elif match := _OFAC.match(known):
            found.append(f"ofac:{match.group(1)}")
    return list(dict.fromkeys(found))


def _codes(values: list[str]) -> list[str]:
    return list(dict.fromkeys(v.upper() for v in values if _ALPHA2.match(v)))


def party(entity: Entity, label: str, book: AddressBook) -> Node:
    """An Organization or Person node from a legal entity."""
    linked = [a for a in entity.values("addressEntity") if a in book.full or a in book.city]
    props = _names(entity)
    own = _codes(entity.values("country", "jurisdiction", "mainCountry"))
    countries = list(dict.fromkeys(own + _codes([c for a in linked for c in book.country.get(a, [])])))
    lists: dict[str, list[str]] = {
        Prop.COUNTRIES: countries,
        Prop.ADDRESSES: list(
            dict.fromkeys(entity.values("address") + [book.full[a] for a in linked if a in book.full])
        ),
        Prop.CITIES: list(dict.fromkeys(c for a in linked for c in book.city.get(a, []))),
        Prop.TOPICS: entity.values("topics"),
        Prop.PROGRAMS: entity.values("programId"),
        Prop.IDENTIFIERS: identifiers(entity),
    }
    if own:
        props[Prop.COUNTRY] = own[0]
    props.update({key: value for key, value in lists.items() if value})
    labels = load_schema().closure((label,))
    return Node(node_id(entity.id), labels, props, entity.origin)
