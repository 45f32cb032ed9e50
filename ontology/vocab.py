"""Names the code refers to, checked against the compiled ontology when it loads.

Code never types a label, relationship type or property as a bare string: it uses these
constants, and `check` fails the schema load if the ontology stops declaring any of them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ontology.errors import OntologyError

if TYPE_CHECKING:
    from ontology.schema import Schema


class Label:
    ENTITY = "Entity"
    SOURCE = "Source"
    CHIP_MODEL = "ChipModel"
    ORGANIZATION = "Organization"
    DATA_CENTER = "DataCenter"
    PROJECT_AGGREGATE = "ProjectAggregate"
    PLACE = "Place"
    COUNTRY = "Country"
    EXPORT_CONTROL_RULE = "ExportControlRule"
    SANCTIONS_LIST = "SanctionsList"
    LISTING_ACTION = "ListingAction"


class Rel:
    DESIGNS = "DESIGNS"
    MANUFACTURES = "MANUFACTURES"
    SUPPLIES = "SUPPLIES"
    DEPLOYS = "DEPLOYS"
    LOCATED_IN = "LOCATED_IN"
    PART_OF = "PART_OF"
    TARGETS = "TARGETS"
    DESIGNATED_BY = "DESIGNATED_BY"
    AMENDS = "AMENDS"
    EXTENDS = "EXTENDS"
    OWNS = "OWNS"
    OPERATES = "OPERATES"
    POWERED_BY = "POWERED_BY"


class Prop:
    ID = "id"
    NAME = "name"
    NAME_ZH = "name_zh"
    ALIASES = "aliases"
    FAMILY = "family"
    SOURCES = "sources"
    CONFIDENCE = "confidence"
    VALID_FROM = "valid_from"
    VALID_TO = "valid_to"
    ILLUSTRATIVE = "illustrative"
    CHIPS = "chips"
    QUANTITY = "quantity"
    COUNT = "count"
    STATUS = "status"
    ISO3166 = "iso3166"
    COUNTRY = "country"
    TPP = "tpp"
    DIE_AREA = "die_area_mm2"
    INTERCONNECT = "interconnect_gbps"
    CRITERIA = "criteria"
    DESTINATIONS = "destinations"
    COUNTRY_GROUPS = "country_groups"
    EFFECT = "effect"
    LICENSE_POLICY = "license_policy"
    CITATION = "citation"
    NOTE = "note"
    PERCENTAGE = "percentage"
    OWNERSHIP_THRESHOLD = "ownership_threshold"
    LICENSE_REQUIREMENT = "license_requirement"
    TDP = "tdp_w"
    CAPACITY_MW = "capacity_mw"
    PLANNED_CHIPS = "planned_chips"


# Route origins: an organisation with one of these edges to the chip model.
ORIGIN_RELS = (Rel.DESIGNS, Rel.MANUFACTURES)

# Strongest first. Routes sort by their weakest hop in this order.
CONFIDENCE_LEVELS = ("confirmed", "reported", "alleged", "estimated", "illustrative")


def _constants(holder: type) -> list[str]:
    return [v for k, v in vars(holder).items() if k.isupper() and isinstance(v, str)]


def check(schema: Schema) -> None:
    """Raise `OntologyError` if the ontology no longer declares a name the code relies on."""
    missing = [f"class {x}" for x in _constants(Label) if x not in schema.classes]
    missing += [f"relationship {x}" for x in _constants(Rel) if x not in schema.relationships]
    missing += [f"property {x}" for x in _constants(Prop) if x not in schema.properties]
    if missing:
        raise OntologyError("the code relies on terms the ontology does not declare: " + ", ".join(missing))
