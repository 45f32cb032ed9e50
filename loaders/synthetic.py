"""A seeded synthetic supply chain with the shape of the real one, for benchmarks and scale tests.

Few chip designers; a thin tier of distributors; many resellers and shell companies; data
centres in nested places (country → province → prefecture → county). SUPPLIES edges flow down
the tiers carrying one or two chip models with dates, with a few edges back up the tiers so that
cycles exist. Every record is marked illustrative: none of it describes the world.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from ontology.records import Dataset, Edge, Node, Props, default_edge_id
from ontology.schema import Schema, load_schema
from ontology.vocab import Label, Prop, Rel

SOURCE_ID = "src-synthetic"
EVIDENCE: Props = {Prop.SOURCES: [SOURCE_ID], Prop.CONFIDENCE: "illustrative", Prop.ILLUSTRATIVE: True}
START = dt.date(2023, 1, 1)


@dataclass(frozen=True)
class Shape:
    """How many of each kind, derived from the number of relationships wanted."""

    relationships: int

    @property
    def organisations(self) -> int:
        return max(20, self.relationships // 5)

    @property
    def data_centres(self) -> int:
        return max(5, self.relationships // 25)

    @property
    def provinces(self) -> int:
        return max(2, min(30, self.relationships // 2000))


class _Builder:
    def __init__(self, schema: Schema, seed: int) -> None:
        self.schema = schema
        self.rng = random.Random(seed)
        self.data = Dataset()

    def node(self, node_id: str, label: str, **props: object) -> None:
        labels = self.schema.closure((label,))
        self.data.nodes[node_id] = Node(node_id, labels, {Prop.NAME: node_id, **EVIDENCE, **props})  # type: ignore[dict-item]

    def edge(self, rel: str, source: str, target: str, **props: object) -> None:
        edge_id = default_edge_id(source, rel, target)
        if edge_id not in self.data.edges:
            self.data.edges[edge_id] = Edge(edge_id, rel, source, target, {**EVIDENCE, **props})  # type: ignore[dict-item]

    def day(self) -> dt.date:
        return START + dt.timedelta(days=self.rng.randrange(0, 3 * 365))


def _places(b: _Builder, shape: Shape) -> list[str]:
    b.node("syn-place-cn", Label.COUNTRY, iso3166="CN")
    counties = []
    for p in range(shape.provinces):
        province = f"syn-place-p{p}"
        b.node(province, Label.PROVINCE)
        b.edge(Rel.PART_OF, province, "syn-place-cn")
        for f in range(5):
            prefecture = f"{province}-f{f}"
            b.node(prefecture, Label.PREFECTURE)
            b.edge(Rel.PART_OF, prefecture, province)
            for c in range(4):
                county = f"{prefecture}-c{c}"
                b.node(county, Label.COUNTY)
                b.edge(Rel.PART_OF, county, prefecture)
                counties.append(county)
    return counties


def _supply(b: _Builder, source: str, target: str, chips: list[str]) -> None:
    carried = sorted(b.rng.sample(chips, k=min(len(chips), b.rng.choice((1, 1, 2)))))
    b.edge(Rel.SUPPLIES, source, target, chips=carried, quantity=b.rng.randrange(10, 2000), valid_from=b.day())


def generate(relationships: int, seed: int = 7, schema: Schema | None = None) -> Dataset:
    """About `relationships` relationships (and a quarter as many nodes), the same for the same seed."""
    shape = Shape(relationships)
    b = _Builder(schema or load_schema(), seed)
    b.data.nodes[SOURCE_ID] = Node(
        SOURCE_ID, (Label.SOURCE,), {"title": "Synthetic benchmark data", "publisher": "chiptrail"}
    )
    counties = _places(b, shape)
    designers = [f"syn-designer-{i}" for i in range(3)]
    chips = [f"syn-chip-{i}" for i in range(6)]
    for i, chip in enumerate(chips):
        b.node(chip, Label.CHIP_MODEL, vendor=designers[i % 3], tpp=float(2000 + 3000 * i))
    for i, designer in enumerate(designers):
        b.node(designer, Label.CHIP_DESIGNER)
        for chip in chips[i::3]:
            b.edge(Rel.DESIGNS, designer, chip)
    tiers = _organisations(b, shape)
    sites = [f"syn-dc-{i}" for i in range(shape.data_centres)]
    for site in sites:
        b.node(site, Label.DATA_CENTER)
        b.edge(Rel.LOCATED_IN, site, b.rng.choice(counties))
    for org in tiers[0]:
        _supply(b, b.rng.choice(designers), org, chips)
    tiers.append(sites)
    while len(b.data.edges) < relationships:
        level = b.rng.randrange(0, len(tiers) - 1)
        # mostly one tier down; now and then back up a tier, so cycles exist
        step = -1 if level > 0 and b.rng.random() < 0.03 else 1
        _supply(b, b.rng.choice(tiers[level]), b.rng.choice(tiers[level + step]), chips)
    return b.data


def _organisations(b: _Builder, shape: Shape) -> list[list[str]]:
    """Distributors, then wholesalers, resellers and shells: each tier larger than the last."""
    sizes = [max(3, shape.organisations // 40), shape.organisations // 5, shape.organisations // 2]
    sizes.append(shape.organisations - sum(sizes))
    roles = (Label.DISTRIBUTOR, Label.RESELLER, Label.RESELLER, Label.SHELL_COMPANY)
    tiers = []
    for t, (size, role) in enumerate(zip(sizes, roles, strict=True)):
        tier = [f"syn-org-t{t}-{i}" for i in range(max(3, size))]
        for org in tier:
            b.node(org, role)
        tiers.append(tier)
    return tiers
