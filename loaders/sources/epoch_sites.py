"""Records both Epoch site datasets make: owners, users, the country a site stands in, its chips.

- An owner is an `Organization` record of the dataset keyed by its name (`epoch-org-…`), which the
  resolver may join to other records of the same party; it `OPERATES` the site (Epoch's `Owner`
  builds or runs the system).
- A named user with a `#confident`/`#likely`/`#speculative` tag (Frontier data centres) gets a
  `LEASES_COMPUTE_TO` edge from the site whose confidence is the tag's.
- The country is the curated `Country` place of that name or ISO code (`LOCATED_IN`); a country
  no place matches stays in the site's `location_text`.
- A chip type is the curated chip whose `epoch:` identifier, name or alias it is; another type is a
  `ChipModel` record of the dataset keyed by its name, carrying `epoch:<name>` so the spec view
  ties it to the hardware dataset's record of that name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from loaders.sources.epoch_files import CERTAINTY, RowError, curated_chips, name_key, slug
from ontology.records import Edge, Node, Origin, Props
from ontology.schema import load_schema
from ontology.vocab import Label, Prop, Rel

_TAG = re.compile(
    r"\s*(?:#(?P<hash>[A-Za-z]+)|\((?P<paren>confirmed|confident|likely|speculative|unlikely)\))\s*$", re.IGNORECASE
)
_TAGS = {**CERTAINTY, "confident": "confirmed"}


@dataclass(frozen=True)
class Party:
    """A name from an Owner/Users cell and the confidence its tag gives (None: untagged)."""

    name: str
    confidence: str | None


def parties(cell: str, field: str) -> list[Party]:
    """`Amazon #confident, Anthropic #speculative` or `Example Labs (Likely)` → parties with their tags."""
    found: list[Party] = []
    for part in cell.split(","):
        text = " ".join(part.split())
        if not text:
            continue
        tag = None
        if match := _TAG.search(text):
            word = (match["hash"] or match["paren"]).casefold()
            if word not in _TAGS:
                raise RowError(f"{text!r}: #{word} is not a certainty tag (confident, likely, speculative)", field)
            tag, text = _TAGS[word], text[: match.start()].strip()
        if text:
            found.append(Party(text, tag))
    return list({p.name.casefold(): p for p in found}.values())


def labels(label: str) -> tuple[str, ...]:
    return load_schema().closure((label,))


def organization(name: str, prefix: str) -> Node:
    return Node(f"{prefix}-org-{slug(name)}", labels(Label.ORGANIZATION), {Prop.NAME: name})


def chip(name: str, prefix: str, vendor: str | None) -> tuple[str, Node | None]:
    """The chip model a type names: a curated id (no node to write), else a record of the dataset."""
    curated = curated_chips().get(name_key(name))
    if curated is not None:
        return curated, None
    props: Props = {Prop.NAME: name, Prop.IDENTIFIERS: [f"epoch:{name}"]}
    if vendor and name_key(vendor) not in ("", "unknown", "anonymized", "anonymised"):
        props[Prop.VENDOR] = vendor
    node_id = f"{prefix}-chip-{slug(name)}"
    return node_id, Node(node_id, labels(Label.CHIP_MODEL), props)


def edge(rel: str, source: str, target: str, props: Props, origin: Origin) -> Edge:
    return Edge(f"{source}-{rel.lower().replace('_', '-')}-{target}", rel, source, target, props, origin)


def operators(site: str, owners: list[Party], prefix: str, default: str, origin: Origin) -> list[Node | Edge]:
    """Each owner's record and its OPERATES edge to the site (confidence: its tag, else the row's)."""
    made: list[Node | Edge] = []
    for owner in owners:
        org = organization(owner.name, prefix)
        made += [org, edge(Rel.OPERATES, org.id, site, {Prop.CONFIDENCE: owner.confidence or default}, origin)]
    return made
