"""The figures a restriction decision reads for a chip model: its records from every source, gaps filled.

Records of one chip model are tied by a shared identifier (`epoch:<Epoch hardware name>` on the
curated chip and on the Epoch AI records): naming, not a figure. A decision reads one node per
group: the first record's identity (the curated one when there is one: the rules name it) with
each figure from the first record that gives it — curated first, then the other datasets in
order. No figure is overwritten in the graph; the spec view (queries/specs.py) shows them all.

Every decision (restrictions, specs, routes, exposure, what-if, chokepoints, the demo, the API)
reads its chip through `deciding_chip` (or, for many at once, the `deciding_nodes` mapping behind
it), so they all decide from the same figures on both backends.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

from graph.store import GraphStore
from ontology.records import Node, Props
from ontology.vocab import Label, Prop
from queries.cache import per_version
from queries.restrictions import BITS

CURATED = "curated"
# Figures a restriction check reads (tpp, peaks, die area, interconnect) first, then the rest.
DECIDING = (Prop.TPP, Prop.PEAK_TOPS_FP16, Prop.PEAK_TOPS_FP8, Prop.PEAK_TOPS_FP4, Prop.DIE_AREA, Prop.INTERCONNECT)
FIGURES = (
    *DECIDING,
    Prop.MEMORY_GB,
    Prop.MEMORY_BANDWIDTH,
    Prop.TDP,
    Prop.PROCESS_NM,
    Prop.RELEASE_DATE,
    Prop.VENDOR,
    Prop.FOUNDRY_NAME,
    Prop.HARDWARE_TYPE,
    Prop.DATASHEET_URL,
)
TIE_SCHEMES = ("epoch",)


def dataset_of(node: Node) -> str:
    return str(node.props.get(Prop.DATASET, CURATED))


def _ties(node: Node) -> list[str]:
    found = node.props.get(Prop.IDENTIFIERS)
    values = found if isinstance(found, list) else []
    return [str(v) for v in values if str(v).partition(":")[0] in TIE_SCHEMES]


def groups(chips: Iterable[Node]) -> list[list[Node]]:
    """Chip records that share a tying identifier (`epoch:…`), in the order given."""
    chips = list(chips)
    parent = {c.id: c.id for c in chips}

    def root(node_id: str) -> str:
        while parent[node_id] != node_id:
            parent[node_id] = parent[parent[node_id]]
            node_id = parent[node_id]
        return node_id

    first: dict[str, str] = {}
    for chip in chips:
        for tie in _ties(chip):
            other = first.setdefault(tie.casefold(), chip.id)
            parent[root(chip.id)] = root(other)
    members: dict[str, list[Node]] = defaultdict(list)
    for chip in chips:
        members[root(chip.id)].append(chip)
    # groups in the order their first record came; in a group, curated first, then by dataset and id
    return [sorted(m, key=lambda n: (dataset_of(n) != CURATED, dataset_of(n), n.id)) for m in members.values()]


def has(node: Node, key: str) -> bool:
    value = node.props.get(key)
    return value is not None and value != ""


def gap_filled(group: list[Node], lead: Node | None = None) -> Node:
    """The group's first record (its identity, the rules that name it, its other facts) with the
    figures of `lead` (the first record by default), each figure `lead` lacks from the next record
    that gives it. A lead giving peak figures without a TPP has its TPP computed from them."""
    anchor, lead = group[0], lead or group[0]
    props: Props = {k: v for k, v in anchor.props.items() if k not in FIGURES}
    own_peaks = any(has(lead, key) for key in BITS)
    for key in FIGURES:
        if key == Prop.TPP and own_peaks and not has(lead, key):
            continue
        giver = lead if has(lead, key) else next((n for n in group if has(n, key)), None)
        if giver is not None:
            props[key] = giver.props[key]
    return Node(anchor.id, anchor.labels, props)


def deciding_chips(chips: Iterable[Node]) -> list[Node]:
    """One gap-filled chip per group of tied records (the records a restriction check decides)."""
    return [gap_filled(g) for g in groups(chips)]


def deciding_nodes(store: GraphStore) -> Mapping[str, Node]:
    """Each chip model record's id → the node its decisions read (its group's gap-filled node), worked
    out once per data version on the embedded store. Read-only: the mapping is shared."""

    def compute() -> Mapping[str, Node]:
        found: dict[str, Node] = {}
        for group in groups(store.nodes(Label.CHIP_MODEL)):
            filled = gap_filled(group)
            found.update((record.id, filled) for record in group)
        return found

    return per_version(store, ("deciding_nodes",), compute)


def deciding_chip(store: GraphStore, chip: Node) -> Node:
    """The node a restriction decision reads for `chip`: the gap-filled node of its group of tied
    records (curated figures first, then the other sources'), or `chip` itself when the store does
    not hold it (a chip built by hand)."""
    return deciding_nodes(store).get(chip.id, chip)
