"""A seeded synthetic supply chain with the shape of the real one, for benchmarks and scale tests.

Few chip designers; a thin tier of distributors; many resellers and shell companies; data
centres in nested places (country → province → prefecture → county). SUPPLIES edges flow down
the tiers carrying one or two chip models with dates, with a few edges back up the tiers so that
cycles exist. Every record is marked illustrative: none of it describes the world.

`records` yields the records one by one (bounded memory: it keeps only the ids and one integer
per SUPPLIES pair, never the records), so 10^7 relationships go straight into import CSVs;
`generate` collects the same records, for the same seed, into a `Dataset`.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Generator, Iterator
from dataclasses import dataclass

from ontology.records import Dataset, Edge, Node, Props, default_edge_id
from ontology.schema import Schema, load_schema
from ontology.vocab import Label, Prop, Rel

SOURCE_ID = "src-synthetic"
EVIDENCE: Props = {Prop.SOURCES: [SOURCE_ID], Prop.CONFIDENCE: "illustrative", Prop.ILLUSTRATIVE: True}
START = dt.date(2023, 1, 1)
Record = Node | Edge


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
        self.edges = 0
        self.closures: dict[str, tuple[str, ...]] = {}

    def node(self, node_id: str, label: str, **props: object) -> Node:
        labels = self.closures.get(label) or self.closures.setdefault(label, self.schema.closure((label,)))
        return Node(node_id, labels, {Prop.NAME: node_id, **EVIDENCE, **props})  # type: ignore[dict-item]

    def edge(self, rel: str, source: str, target: str, **props: object) -> Edge:
        self.edges += 1
        return Edge(default_edge_id(source, rel, target), rel, source, target, {**EVIDENCE, **props})  # type: ignore[dict-item]

    def day(self) -> dt.date:
        return START + dt.timedelta(days=self.rng.randrange(0, 3 * 365))


def _places(b: _Builder, shape: Shape, counties: list[str]) -> Iterator[Record]:
    yield b.node("syn-place-cn", Label.COUNTRY, iso3166="CN")
    for p in range(shape.provinces):
        province = f"syn-place-p{p}"
        yield b.node(province, Label.PROVINCE)
        yield b.edge(Rel.PART_OF, province, "syn-place-cn")
        for f in range(5):
            prefecture = f"{province}-f{f}"
            yield b.node(prefecture, Label.PREFECTURE)
            yield b.edge(Rel.PART_OF, prefecture, province)
            for c in range(4):
                county = f"{prefecture}-c{c}"
                yield b.node(county, Label.COUNTY)
                yield b.edge(Rel.PART_OF, county, prefecture)
                counties.append(county)


class _Supplies:
    """SUPPLIES edges between parties numbered in one sequence, each (source, target) pair once."""

    def __init__(self, b: _Builder, chips: list[str], parties: int) -> None:
        self.b, self.chips, self.parties = b, chips, parties
        self.seen: set[int] = set()  # source number × parties + target number: ~60 bytes a pair

    def __call__(self, source: str, s: int, target: str, t: int) -> Edge | None:
        rng = self.b.rng
        carried = sorted(rng.sample(self.chips, k=min(len(self.chips), rng.choice((1, 1, 2)))))
        quantity, day = rng.randrange(10, 2000), self.b.day()
        key = s * self.parties + t
        if key in self.seen:  # drawn before: the first draw stands
            return None
        self.seen.add(key)
        return self.b.edge(Rel.SUPPLIES, source, target, chips=carried, quantity=quantity, valid_from=day)


def records(relationships: int, seed: int = 7, schema: Schema | None = None) -> Iterator[Record]:
    """About `relationships` relationships (and a quarter as many nodes), the same for the same seed,
    one record at a time: a node before any edge that touches it."""
    shape = Shape(relationships)
    b = _Builder(schema or load_schema(), seed)
    yield Node(SOURCE_ID, (Label.SOURCE,), {"title": "Synthetic benchmark data", "publisher": "chiptrail"})
    counties: list[str] = []
    yield from _places(b, shape, counties)
    designers = [f"syn-designer-{i}" for i in range(3)]
    chips = [f"syn-chip-{i}" for i in range(6)]
    for i, chip in enumerate(chips):
        yield b.node(chip, Label.CHIP_MODEL, vendor=designers[i % 3], tpp=float(2000 + 3000 * i))
    for i, designer in enumerate(designers):
        yield b.node(designer, Label.CHIP_DESIGNER)
        for chip in chips[i::3]:
            yield b.edge(Rel.DESIGNS, designer, chip)
    tiers = yield from _organisations(b, shape)
    sites = [f"syn-dc-{i}" for i in range(shape.data_centres)]
    for site in sites:
        yield b.node(site, Label.DATA_CENTER)
        yield b.edge(Rel.LOCATED_IN, site, b.rng.choice(counties))
    tiers.append(sites)
    # each party's number: the designers, then every tier in order
    offsets = [len(designers)]
    for tier in tiers[:-1]:
        offsets.append(offsets[-1] + len(tier))
    supply = _Supplies(b, chips, offsets[-1] + len(sites))
    for t, org in enumerate(tiers[0]):
        d = b.rng.randrange(len(designers))  # what rng.choice(designers) draws
        if edge := supply(designers[d], d, org, offsets[0] + t):
            yield edge
    while b.edges < relationships:
        level = b.rng.randrange(0, len(tiers) - 1)
        # mostly one tier down; now and then back up a tier, so cycles exist
        step = -1 if level > 0 and b.rng.random() < 0.03 else 1
        s = b.rng.randrange(len(tiers[level]))
        t = b.rng.randrange(len(tiers[level + step]))
        edge = supply(tiers[level][s], offsets[level] + s, tiers[level + step][t], offsets[level + step] + t)
        if edge:
            yield edge


def generate(relationships: int, seed: int = 7, schema: Schema | None = None) -> Dataset:
    """`records` collected into a dataset."""
    data = Dataset()
    for record in records(relationships, seed, schema):
        if isinstance(record, Node):
            data.nodes[record.id] = record
        else:
            data.edges[record.id] = record
    return data


def _organisations(b: _Builder, shape: Shape) -> Generator[Record, None, list[list[str]]]:
    """Distributors, then wholesalers, resellers and shells, each tier larger than the last: their
    nodes yielded, their ids returned."""
    sizes = [max(3, shape.organisations // 40), shape.organisations // 5, shape.organisations // 2]
    sizes.append(shape.organisations - sum(sizes))
    roles = (Label.DISTRIBUTOR, Label.RESELLER, Label.RESELLER, Label.SHELL_COMPANY)
    tiers = []
    for t, (size, role) in enumerate(zip(sizes, roles, strict=True)):
        tier = [f"syn-org-t{t}-{i}" for i in range(max(3, size))]
        for org in tier:
            yield b.node(org, role)
        tiers.append(tier)
    return tiers
