"""Names the code refers to: constants only, imported by the schema and checked when it loads.

Code never types a label, relationship type or property as a bare string: it uses these
constants, and `ontology.schema.load_schema` fails if the ontology stops declaring any of them.
"""

from __future__ import annotations


class Label:
    ENTITY = "Entity"
    SOURCE = "Source"
    CHIP_MODEL = "ChipModel"
    ORGANIZATION = "Organization"
    DATA_CENTER = "DataCenter"
    PROJECT_AGGREGATE = "ProjectAggregate"
    PLACE = "Place"
    COUNTRY = "Country"
    PROVINCE = "Province"
    PREFECTURE = "Prefecture"
    COUNTY = "County"
    CHIP_DESIGNER = "ChipDesigner"
    DISTRIBUTOR = "Distributor"
    RESELLER = "Reseller"
    SHELL_COMPANY = "ShellCompany"
    EXPORT_CONTROL_RULE = "ExportControlRule"
    SANCTIONS_LIST = "SanctionsList"
    LISTING_ACTION = "ListingAction"
    PERSON = "Person"
    # upstream supply chain (ETO)
    SUPPLY_INPUT = "SupplyInput"
    SUPPLY_PROCESS = "SupplyProcess"
    DESIGN_RESOURCE = "DesignResource"
    TOOL_RESOURCE = "ToolResource"
    MATERIAL_RESOURCE = "MaterialResource"
    ULTIMATE_OUTPUT = "UltimateOutput"
    SUPPLY_STAGE = "SupplyStage"
    # power plants (GEM trackers, WRI database)
    POWER_PLANT = "PowerPlant"


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
    SUSPENDS = "SUSPENDS"
    ADDS_DESTINATIONS_TO = "ADDS_DESTINATIONS_TO"
    SAME_AS = "SAME_AS"
    # Epoch AI datasets
    LEASES_COMPUTE_TO = "LEASES_COMPUTE_TO"
    ISSUED_BY = "ISSUED_BY"
    FABRICATES = "FABRICATES"
    # upstream supply chain (ETO)
    PROVIDES = "PROVIDES"
    GOES_INTO = "GOES_INTO"
    TYPE_OF = "TYPE_OF"
    IN_STAGE = "IN_STAGE"


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
    FUEL = "fuel"
    LATITUDE = "latitude"
    LONGITUDE = "longitude"
    COORD_PRECISION = "coord_precision"
    PLANNED_CHIPS = "planned_chips"
    PROJECT_COUNT = "project_count"
    URL = "url"
    TREATED_AS = "treated_as"
    ELIGIBILITY = "eligibility"
    DATA_CENTER = "data_center"
    # provenance of ingested records
    DATASET = "dataset"
    RECORD_KEY = "record_key"
    ORIGIN = "origin"
    FIRST_SEEN = "first_seen"
    LAST_SEEN = "last_seen"
    CHANGED_IN = "changed_in"
    CHANGED_FIELDS = "changed_fields"
    ENDED_IN = "ended_in"
    DIGEST = "digest"
    # sources and snapshots
    TITLE = "title"
    PUBLISHER = "publisher"
    PUBLISHED = "published"
    SOURCE_KIND = "source_kind"
    SNAPSHOT = "snapshot"
    SHA256 = "sha256"
    FILE_NAME = "file_name"
    LICENCE = "licence"
    RECORD_COUNT = "record_count"
    ADDED_COUNT = "added_count"
    CHANGED_COUNT = "changed_count"
    ENDED_COUNT = "ended_count"
    SKIPPED_COUNT = "skipped_count"
    # parties from screening lists and registries
    IDENTIFIERS = "identifiers"
    ADDRESSES = "addresses"
    CITIES = "cities"
    COUNTRIES = "countries"
    PROGRAMS = "programs"
    TOPICS = "topics"
    REMARKS = "remarks"
    LIST_CODE = "list_code"
    PERCENTAGE_TEXT = "percentage_text"
    FR_DOCUMENT = "fr_document"
    # resolution judgements (SAME_AS)
    JUDGEMENT = "judgement"
    DECIDED_BY = "decided_by"
    DECIDED_AT = "decided_at"
    REASON = "reason"
    SCORE = "score"
    # Epoch AI datasets: chip specifications and sites
    VENDOR = "vendor"
    RELEASE_DATE = "release_date"
    PEAK_TOPS_FP16 = "peak_tops_fp16"
    PEAK_TOPS_FP8 = "peak_tops_fp8"
    PEAK_TOPS_FP4 = "peak_tops_fp4"
    MEMORY_GB = "memory_gb"
    MEMORY_BANDWIDTH = "memory_bandwidth_tbps"
    PROCESS_NM = "process_nm"
    FOUNDRY_NAME = "foundry_name"
    HARDWARE_TYPE = "hardware_type"
    DATASHEET_URL = "datasheet_url"
    RELEASE_PRICE_USD = "release_price_usd"
    SECTOR = "sector"
    LOCATION_TEXT = "location_text"
    H100_EQUIVALENTS = "h100_equivalents"
    ANONYMISED = "anonymised"
    TIMELINE = "timeline"
    BUILDS_UPON = "builds_upon"
    SUPERSEDED_BY = "superseded_by"
    # upstream supply chain (ETO)
    SHARE = "share"
    NEGLIGIBLE_SHARE = "negligible_share"
    YEAR = "year"
    SOURCE_TEXT = "source_text"
    INPUT_TYPE = "input_type"
    DESCRIPTION = "description"
    MARKET_SIZE = "market_size"
    COVERED_INPUTS = "covered_inputs"
    ECCN = "eccn"
    # power plants (GEM trackers, WRI database)
    START_YEAR = "start_year"
    UNIT_COUNT = "unit_count"
    CAPACITY_BY_STATUS = "capacity_by_status"
    PAGE_URL = "page_url"
    STAKE_LEVEL = "stake_level"


class Derived:
    """Properties a backend derives from a record's own and stores beside them; never in a record,
    never read back (ontology: `ct:derivedFrom`; tests/test_power_storage.py checks each is declared)."""

    LOCATION = "location"  # Neo4j: WGS-84 point(longitude, latitude), under a point index
    NAME_KEYS = "name_keys"  # Neo4j: every name folded (ontology.names.name_keys), under a keyword full-text index


class StakeLevel:
    """Values of an OWNS edge's `stake_level` (ontology: ct:stakeLevel); absent for a direct stake."""

    ULTIMATE_PARENT = "ultimate_parent"


class Effect:
    """Values of an ExportControlRule's `effect` (ontology: ct:effect, shapes: RuleShape)."""

    LICENSE_REQUIRED = "license_required"
    POLICY_CHANGE = "policy_change"
    AFFILIATES = "affiliates"
    DESTINATION_SCOPE = "destination_scope"
    SUSPENSION = "suspension"
    LICENSE_EXCEPTION = "license_exception"
    INFORMATIONAL = "informational"


# Route origins: an organisation with one of these edges to the chip model.
ORIGIN_RELS = (Rel.DESIGNS, Rel.MANUFACTURES)

# Strongest first. Routes sort by their weakest hop in this order.
CONFIDENCE_LEVELS = ("confirmed", "reported", "alleged", "estimated", "illustrative")
