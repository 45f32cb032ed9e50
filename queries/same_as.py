"""Write resolution into a store: every judgement in force as one SAME_AS edge, stale ones removed.

`apply_resolution` is what `chiptrail resolve apply`, the embedded backend after loading and an
ingest after writing a snapshot call. Edges are merged by id (`a|SAME_AS|b`, ids sorted), so
applying twice converges.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from graph.store import GraphStore
from loaders.judgements import Judgement, read_judgements
from ontology.records import Dataset, Node
from ontology.vocab import Label, Rel
from queries.candidates import Candidate, candidates
from queries.resolution import READS, Resolution, cluster_of, resolve


@dataclass(frozen=True)
class ApplyReport:
    edges: int
    positive: int
    removed: int
    resolution: Resolution


def organizations(store: GraphStore, keys: Sequence[str] | None = None) -> dict[str, Node]:
    """Every organisation by id; with `keys`, holding only those properties."""
    return {n.id: n for n in store.nodes(Label.ORGANIZATION, keys=keys)}


def read_all(files: Sequence[Path]) -> list[Judgement]:
    """The lines of every file, in the order given (bundled first, then the user's): later lines win."""
    return [j for path in files for j in read_judgements(path)]


def resolution_of(store: GraphStore, files: Sequence[Path]) -> Resolution:
    return resolve(organizations(store, READS), read_all(files))


def apply_resolution(store: GraphStore, files: Sequence[Path]) -> ApplyReport:
    """Resolve the store's organisations with the judgement files and write the SAME_AS edges."""
    resolution = resolution_of(store, files)
    edges = resolution.edges()
    wanted = {e.id for e in edges}
    stale = [e.id for e in store.edges(Rel.SAME_AS) if e.id not in wanted]
    removed = store.delete_edges(Rel.SAME_AS, stale) if stale else 0
    if edges:
        store.load(Dataset(edges={e.id: e for e in edges}))
    positive = sum(1 for j in resolution.in_force.values() if j.judgement == "positive")
    return ApplyReport(len(edges), positive, removed, resolution)


def review(store: GraphStore, files: Sequence[Path]) -> tuple[list[Candidate], dict[str, Node]]:
    """Candidates to judge (best first) and the records they name."""
    nodes = organizations(store)
    resolution = resolve(nodes, read_all(files))
    return candidates(nodes, resolution.in_force, cluster_of(resolution.in_force)), nodes
