"""Clusters of records joined by positive judgements, and the guard every merge passes.

A cluster may not hold two different values of a scheme a record has only one of (LEI, USCC),
nor two records a judgement in force calls different. The guard answers why not, in words.
"""

from __future__ import annotations

from collections.abc import Iterable

from ontology.records import Node
from ontology.vocab import Prop

# Schemes an organisation has exactly one value of: two values in one cluster mean two organisations.
SINGLE_VALUED = ("lei", "uscc")


def identifiers(node: Node) -> list[str]:
    """`scheme:value` identifiers, scheme lower-cased, LEI and USCC values upper-cased, spaces trimmed."""
    raw = node.props.get(Prop.IDENTIFIERS)
    found: list[str] = []
    for item in raw if isinstance(raw, list) else []:
        scheme, sep, value = item.partition(":")
        if not sep or not value.strip():
            continue
        scheme = scheme.strip().lower()
        value = value.strip().upper() if scheme in SINGLE_VALUED else value.strip()
        found.append(f"{scheme}:{value}")
    return sorted(set(found))


class Clusters:
    """Union-find over record ids, with each cluster's single-valued identifiers and known negatives."""

    def __init__(self, nodes: dict[str, Node], negatives: Iterable[tuple[str, str]] = ()) -> None:
        self.nodes = nodes
        self.parent: dict[str, str] = {}
        self.negatives = {tuple(sorted(p)) for p in negatives}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def members(self, x: str) -> list[str]:
        root = self.find(x)
        return sorted(m for m in self.parent if self.find(m) == root) or [x]

    def single_values(self, ids: Iterable[str]) -> dict[str, set[str]]:
        found: dict[str, set[str]] = {}
        for member in ids:
            node = self.nodes.get(member)
            for ident in identifiers(node) if node else []:
                scheme, _, value = ident.partition(":")
                if scheme in SINGLE_VALUED:
                    found.setdefault(scheme, set()).add(value)
        return found

    def conflict(self, a: str, b: str) -> str | None:
        """Why joining a's cluster with b's would be wrong, or None."""
        if self.find(a) == self.find(b):
            return None
        left, right = self.members(a), self.members(b)
        for x in left:
            for y in right:
                if tuple(sorted((x, y))) in self.negatives:
                    return f"{x} and {y} are judged different"
        for scheme, values in sorted(self.single_values([*left, *right]).items()):
            if len(values) > 1:
                return f"the cluster would hold {len(values)} different {scheme} values: {', '.join(sorted(values))}"
        return None

    def join(self, a: str, b: str) -> None:
        self.parent[self.find(a)] = self.find(b)
