"""The roles a reader tells apart at a glance, each a set of ontology classes with one colour.

The Neo4j Browser style (`queries.style`) and the HTML pictures (`api.pictures`) share this one
palette, so a distributor is the same orange in both. Roles are listed most specific first: a node
takes the first role any of its classes (or their superclasses) belongs to, so a distributor that
is also a shell company reads as a shell company. `check_roles` fails if a class named here is not
in the ontology.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from ontology.errors import OntologyError
from ontology.schema import Schema, load_schema


@dataclass(frozen=True)
class Role:
    key: str
    label: str
    color: str
    border: str
    classes: tuple[str, ...]


ROLES: tuple[Role, ...] = (
    Role("chip", "Chip model", "#4C8EDA", "#2870C2", ("ChipModel",)),
    Role("shell", "Shell company", "#E0474C", "#B52A2F", ("ShellCompany",)),
    Role("designer", "Designer or maker", "#6D5BD0", "#4B39B0", ("ChipDesigner", "ServerMaker", "Foundry")),
    Role("intermediary", "Distributor or reseller", "#F79767", "#F36924", ("Distributor", "Reseller")),
    Role("logistics", "Logistics provider", "#C9A227", "#9C7C14", ("LogisticsProvider",)),
    Role("site", "Data centre", "#57C7E3", "#23B3D7", ("DataCenter", "ProjectAggregate")),
    Role("power", "Power", "#8DCC93", "#5DB665", ("PowerPlant", "TransmissionLine", "EnergyCompany")),
    Role("place", "Place", "#D9C8AE", "#C0A378", ("Place",)),
    Role("policy", "Policy", "#DA7194", "#CC3C6C", ("Policy",)),
    Role("source", "Source", "#B0B6C0", "#8A919C", ("Source",)),
    Role("person", "Person", "#ECB5C9", "#DA7298", ("Person",)),
    Role("organization", "Other organisation", "#FFC454", "#D7A013", ("Organization",)),
)
OTHER = Role("other", "Other", "#A5ABB6", "#9AA1AC", ())
BY_KEY = {role.key: role for role in (*ROLES, OTHER)}


def check_roles(schema: Schema) -> None:
    """Raise `OntologyError` if a role names a class the ontology does not declare."""
    missing = sorted({c for role in ROLES for c in role.classes} - set(schema.classes))
    if missing:
        raise OntologyError(f"roles name classes the ontology lacks: {', '.join(missing)}")


def role_in(schema: Schema, labels: Iterable[str]) -> Role:
    """The first role that any of the labels, or a class above one, belongs to."""
    found: set[str] = set()
    for label in labels:
        found |= schema.ancestors(label)
    return next((role for role in ROLES if found & set(role.classes)), OTHER)


def rank(role: Role) -> int:
    """0 for the most specific role; `OTHER` last."""
    return ROLES.index(role) if role in ROLES else len(ROLES)


@cache
def _schema() -> Schema:
    schema = load_schema()
    check_roles(schema)
    return schema


def role_of(labels: Iterable[str]) -> Role:
    """`role_in` the ontology, loaded and checked once."""
    return _role_of(tuple(labels))


@cache
def _role_of(labels: tuple[str, ...]) -> Role:
    """Once per set of labels: few combinations occur."""
    return role_in(_schema(), labels)
