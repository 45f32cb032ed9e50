"""The CSL source: every field from JSON and CSV, stable keys across snapshots, clear refusals."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from loaders.sources import Invalid, Mapped, ReadOptions, Row, Skipped, registry
from loaders.sources.check import edge_problems, node_problems
from loaders.sources.csl import CSL, citations, list_code, scheme
from ontology.errors import DataError
from ontology.records import Edge, Node, Props
from ontology.schema import load_schema
from ontology.vocab import Label, Prop, Rel

FIXTURES = Path(__file__).parent / "fixtures" / "csl"
FIRST_JSON = FIXTURES / "consolidated-2026-11-01.json"
FIRST_CSV = FIXTURES / "consolidated-2026-11-01.csv"
SECOND_JSON = FIXTURES / "consolidated-2026-11-28.json"
BAD = FIXTURES / "bad"
EL = "Entity List (EL) - Bureau of Industry and Security"
CMIC = "Non-SDN Chinese Military-Industrial Complex Companies List (CMIC) - Treasury Department"
DENIAL = "Presumption of denial."


def rows(path: Path, *, individuals: bool = False) -> list[Row]:
    return list(CSL.read(path, ReadOptions(include_individuals=individuals)))


def mapped(path: Path, *, individuals: bool = False) -> dict[str, Mapped]:
    return {row.key: row for row in rows(path, individuals=individuals) if isinstance(row, Mapped)}


def party_id(key: str) -> str:
    code = key.split(":", 1)[0].lower()
    return f"csl-{code}-{hashlib.sha1(key.encode(), usedforsecurity=False).hexdigest()[:12]}"


def node(row: Mapped, node_id: str) -> Node:
    return next(n for n in row.nodes if n.id == node_id)


def edge(row: Mapped, rel_type: str) -> Edge:
    return next(e for e in row.edges if e.type == rel_type)


def write_json(tmp_path: Path, results: list[Any], name: str = "consolidated.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps({"results": results, "search_performed_at": "2026-11-01T00:00:00+00:00"}))
    return path


def el_row(**changes: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "id": "0" * 56,
        "source": EL,
        "name": "Example Sample Trading Co., Ltd.",
        "addresses": [
            {"address": "1 Sample Road", "city": "Shenzhen", "state": "", "postal_code": "", "country": "CN"}
        ],
        "federal_register_notice": "91 FR 100, 1/2/26",
        "start_date": "2026-01-02",
    }
    return {**row, **changes}


# --- the source as registered ------------------------------------------------------------------


def test_the_source_is_registered_with_its_description() -> None:
    source = registry()["csl"]
    assert source is CSL
    assert source.info.dataset == "trade_gov_csl"
    assert source.info.title == "Consolidated Screening List"
    assert source.info.publisher == "International Trade Administration, U.S. Department of Commerce"
    assert source.info.licence == "Public domain (work of the U.S. Government)"
    assert source.info.url == "https://data.trade.gov/downloadable_consolidated_screening_list/v1/consolidated.json"
    assert source.info.confidence == "confirmed"
    assert source.info.formats == ("json", "csv")


def test_the_snapshot_is_the_date_the_json_states(tmp_path: Path) -> None:
    assert CSL.stated_snapshot(FIRST_JSON) == dt.date(2026, 11, 1)
    assert CSL.stated_snapshot(SECOND_JSON) == dt.date(2026, 11, 28)
    assert CSL.stated_snapshot(FIRST_CSV) is None
    envelope = {
        "results": [],
        "sources_used": [
            {"last_imported": "2026-10-02T01:00:00+00:00", "source": EL},
            {"last_imported": "2026-10-09T01:00:00+00:00", "source": CMIC},
        ],
    }
    (tmp_path / "old.json").write_text(json.dumps(envelope))
    assert CSL.stated_snapshot(tmp_path / "old.json") == dt.date(2026, 10, 9)


# --- field mapping from the JSON ---------------------------------------------------------------


def test_an_entity_list_row_becomes_an_organization_designated_by_its_fr_action() -> None:
    row = mapped(FIRST_JSON)["EL:example compute trading limited"]
    pid = party_id("EL:example compute trading limited")
    assert row.origin.item == "results[0]" and row.origin.file == str(FIRST_JSON)
    party = node(row, pid)
    assert party.labels == (Label.ENTITY, Label.ORGANIZATION)
    assert party.props == {
        Prop.NAME: "Example Compute Trading Limited",
        Prop.ALIASES: ["ECT HK", "Example Compute (HK) Ltd."],
        Prop.ADDRESSES: [
            "Unit 12, 8/F, Example Industrial Building, 1 Sample Road, Kwun Tong, Kowloon, HK",
            "Room 1503, 15/F, Sample Tower, 88 Test Street, Sheung Wan, HK",
        ],
        Prop.CITIES: ["Kowloon", "Sheung Wan"],
        Prop.COUNTRY: "HK",
        Prop.COUNTRIES: ["HK"],
        Prop.IDENTIFIERS: ["csl:175d9a05bd966018b53d926fd95faff7a5556c88bfa21ae14b54aafd"],
    }
    action = node(row, "csl-listing-89-fr-96830")
    assert action.labels == load_schema().closure((Label.LISTING_ACTION,))
    assert action.props == {Prop.NAME: "Federal Register 89 FR 96830", Prop.CITATION: "89 FR 96830"}
    designated = edge(row, Rel.DESIGNATED_BY)
    assert (designated.id, designated.source, designated.target) == (
        f"{pid}-designated-csl-listing-89-fr-96830",
        pid,
        "csl-listing-89-fr-96830",
    )
    assert designated.props == {
        Prop.VALID_FROM: dt.date(2024, 12, 2),
        Prop.CITATION: "89 FR 96830, 12/5/24",
        Prop.LICENSE_REQUIREMENT: "For all items subject to the EAR. (See § 744.11 of the EAR).",
        Prop.LICENSE_POLICY: DENIAL,
        Prop.LIST_CODE: "EL",
    }
    amends = edge(row, Rel.AMENDS)
    assert (amends.id, amends.source, amends.target, amends.props) == (
        "csl-listing-89-fr-96830-amends-list-bis-entity-list",
        "csl-listing-89-fr-96830",
        "list-bis-entity-list",
        {},
    )
    assert "list-bis-entity-list" not in {n.id for n in row.nodes}  # the curated node, not ours to make


def test_every_fr_citation_is_an_action_and_the_first_one_designates() -> None:
    row = mapped(FIRST_JSON)["EL:example institute of intelligent computing"]
    actions = [n.id for n in row.nodes if Label.LISTING_ACTION in n.labels]
    assert actions == ["csl-listing-85-fr-83416", "csl-listing-90-fr-4619"]
    assert edge(row, Rel.DESIGNATED_BY).target == "csl-listing-85-fr-83416"
    assert edge(row, Rel.DESIGNATED_BY).props[Prop.CITATION] == "85 FR 83416, 12/22/20; 90 FR 4619, 1/16/25"
    assert sorted(e.id for e in row.edges if e.type == Rel.AMENDS) == [
        "csl-listing-85-fr-83416-amends-list-bis-entity-list",
        "csl-listing-90-fr-4619-amends-list-bis-entity-list",
    ]
    assert node(row, party_id(row.key)).props[Prop.CITIES] == ["Beijing"]


def test_another_list_gets_a_list_node_of_its_own() -> None:
    row = mapped(FIRST_JSON)["MEU:example aerospace electronics research institute"]
    listed = node(row, "list-csl-meu")
    assert listed.labels == load_schema().closure((Label.SANCTIONS_LIST,))
    assert listed.props == {
        Prop.NAME: "Military End User (MEU) List - Bureau of Industry and Security",
        Prop.LIST_CODE: "MEU",
    }
    assert edge(row, Rel.AMENDS).id == "csl-listing-85-fr-83799-amends-list-csl-meu"
    assert edge(row, Rel.DESIGNATED_BY).props[Prop.LIST_CODE] == "MEU"
    assert node(row, party_id(row.key)).props[Prop.IDENTIFIERS] == ["csl:e8e5b3f58ac48f1ea706d40c96b68dcb52d75b96"]


def test_a_treasury_row_is_keyed_by_its_entity_number_and_keeps_its_identifiers() -> None:
    row = mapped(FIRST_JSON)["CMIC:99001"]
    party = node(row, party_id("CMIC:99001"))
    assert party.props == {
        Prop.NAME: "EXAMPLE SEMICONDUCTOR HOLDINGS LIMITED",
        Prop.ALIASES: ["EXAMPLE SEMI HOLDINGS", "EXAMPLE SEMICONDUCTOR HOLDINGS LTD"],
        Prop.ADDRESSES: ["1 Example Harbour Road, Wan Chai, HK"],
        Prop.CITIES: ["Wan Chai"],
        Prop.COUNTRY: "HK",
        Prop.COUNTRIES: ["HK"],
        Prop.PROGRAMS: ["CMIC-EO13959"],
        Prop.REMARKS: "(Linked To: EXAMPLE PARENT GROUP CO., LTD.)",
        Prop.IDENTIFIERS: ["csl:99001", "ofac:99001", "isin:XS0000000000", "uscc:91440300EXAMPLE0001"],
    }
    # no FR citation: the per-list action, "Listed on <label>"
    assert node(row, "csl-listing-cmic").props == {Prop.NAME: f"Listed on {CMIC}"}
    assert edge(row, Rel.DESIGNATED_BY).props == {
        Prop.PROGRAMS: ["CMIC-EO13959"],
        Prop.LIST_CODE: "CMIC",
        Prop.REMARKS: "(Linked To: EXAMPLE PARENT GROUP CO., LTD.)",
    }
    assert edge(row, Rel.AMENDS).target == "list-csl-cmic"


def test_individuals_are_skipped_and_counted_unless_asked_for() -> None:
    skipped = [row for row in rows(FIRST_JSON) if isinstance(row, Skipped)]
    reasons = {row.reason: row for row in skipped}
    assert sorted(reasons) == ["address-only entry", "individual"]
    assert reasons["individual"].ids == (party_id("SDN:99002"),)
    assert reasons["individual"].origin.item == "results[5]"
    person = mapped(FIRST_JSON, individuals=True)["SDN:99002"]
    assert node(person, party_id("SDN:99002")).labels == (Label.ENTITY, Label.PERSON)
    assert node(person, party_id("SDN:99002")).props[Prop.IDENTIFIERS] == [
        "csl:99002",
        "ofac:99002",
        "passport:P0000001",
    ]  # "Gender, Male" is not an identifier


def test_vessels_aircraft_and_address_only_entries_are_skipped(tmp_path: Path) -> None:
    path = write_json(
        tmp_path,
        [
            el_row(type="Vessel", name="EXAMPLE STAR"),
            el_row(type="Aircraft", name="EXAMPLE JET"),
            el_row(name="Address 2: Room 1, 2 Sample Street, Kowloon"),
        ],
    )
    found = rows(path)
    assert [(r.reason, r.origin.item) for r in found if isinstance(r, Skipped)] == [
        ("vessel", "results[0]"),
        ("aircraft", "results[1]"),
        ("address-only entry", "results[2]"),
    ]


# --- JSON and CSV agree ------------------------------------------------------------------------


def _bodies(found: list[Row], *, drop_cities: bool) -> list[object]:
    out: list[object] = []
    for row in found:
        if isinstance(row, Skipped):
            out.append((row.reason, row.ids))
        elif isinstance(row, Mapped):
            nodes = [
                (n.id, n.labels, {k: v for k, v in n.props.items() if not (drop_cities and k == Prop.CITIES)})
                for n in row.nodes
            ]
            out.append((row.key, nodes, [(e.id, e.type, e.source, e.target, e.props) for e in row.edges]))
    return out


def test_the_csv_gives_the_same_records_as_the_json_except_cities() -> None:
    """The CSV flattens each address to one string: its cities cannot be told apart from the street."""
    from_json, from_csv = rows(FIRST_JSON, individuals=True), rows(FIRST_CSV, individuals=True)
    assert _bodies(from_csv, drop_cities=False) == _bodies(from_json, drop_cities=True)
    assert [r.origin.line for r in from_csv if not isinstance(r, Invalid)] == [2, 3, 4, 5, 6, 7, 8]
    assert all(Prop.CITIES not in n.props for r in from_csv if isinstance(r, Mapped) for n in r.nodes)


def test_csv_ids_in_the_older_number_first_order_keep_only_identifiers(tmp_path: Path) -> None:
    text = FIRST_CSV.read_text(encoding="utf-8")
    newer = "ISIN, XS0000000000; Unified Social Credit Code (USCC), 91440300EXAMPLE0001, CN; "
    newer += "Target Type, Private Company; Listing Date (CMIC), 03 Jun 2021"
    older = "XS0000000000, ISIN; Private Company, Target Type; 03 Jun 2021, Listing Date (CMIC)"
    assert newer in text
    (tmp_path / "consolidated.csv").write_text(text.replace(newer, older), encoding="utf-8")
    row = mapped(tmp_path / "consolidated.csv")["CMIC:99001"]
    assert node(row, party_id("CMIC:99001")).props[Prop.IDENTIFIERS] == ["csl:99001", "ofac:99001", "isin:XS0000000000"]


# --- snapshots ---------------------------------------------------------------------------------


def test_keys_and_ids_are_stable_when_an_entry_is_amended() -> None:
    first, second = mapped(FIRST_JSON), mapped(SECOND_JSON)
    key = "EL:example compute trading limited"
    before, after = node(first[key], party_id(key)), node(second[key], party_id(key))
    assert before.props[Prop.IDENTIFIERS] != after.props[Prop.IDENTIFIERS]  # the CSL _id changed
    assert after.props[Prop.ALIASES] == ["ECT HK", "Example Compute (HK) Ltd.", "ECT Hong Kong"]
    old_edge, new_edge = edge(first[key], Rel.DESIGNATED_BY), edge(second[key], Rel.DESIGNATED_BY)
    assert old_edge.id == new_edge.id
    assert new_edge.props[Prop.LICENSE_POLICY] == "Presumption of denial for all items subject to the EAR."
    assert new_edge.props[Prop.CITATION] == "89 FR 96830, 12/5/24; 91 FR 50123, 11/20/26"
    assert set(first) - set(second) == {"EL:example photonics devices co., ltd."}
    assert set(second) - set(first) == {"EL:example cloud computing (shenzhen) co., ltd."}
    for same in set(first) & set(second) - {key}:
        assert _bodies([first[same]], drop_cities=False) == _bodies([second[same]], drop_cities=False)


def test_the_amended_csl_id_is_the_hash_of_name_and_fr_notice() -> None:
    key = "EL:example compute trading limited"
    notice = "89 FR 96830, 12/5/24; 91 FR 50123, 11/20/26"
    expected = hashlib.sha224(("example compute trading limited" + notice.lower()).encode()).hexdigest()
    assert node(mapped(SECOND_JSON)[key], party_id(key)).props[Prop.IDENTIFIERS] == [f"csl:{expected}"]


def test_shared_records_have_one_body_whichever_row_or_snapshot_yields_them() -> None:
    seen: dict[str, object] = {}
    for path in (FIRST_JSON, SECOND_JSON, FIRST_CSV):
        for row in rows(path, individuals=True):
            if not isinstance(row, Mapped):
                continue
            for n in row.nodes[1:]:  # the first node is the row's own party
                assert seen.setdefault(n.id, (n.labels, n.props)) == (n.labels, n.props)
            for e in row.edges[1:]:
                assert seen.setdefault(e.id, (e.type, e.source, e.target, e.props)) == (
                    e.type,
                    e.source,
                    e.target,
                    e.props,
                )
    assert "csl-listing-90-fr-4619" in seen and "csl-listing-91-fr-50123" in seen


def test_a_repeated_key_is_made_unique_by_its_first_citation_then_its_id(tmp_path: Path) -> None:
    path = write_json(
        tmp_path,
        [
            el_row(),
            el_row(id="1" * 56, name="Example  SAMPLE Trading Co., Ltd.", federal_register_notice="91 FR 200"),
            el_row(id="2" * 56, federal_register_notice=""),
            # rows of one name and notice (the importer once left them ungrouped, one per address)
            el_row(id="3" * 56, start_date="2026-01-03"),
            el_row(id="3" * 56, start_date="2026-01-04"),
            el_row(id="3" * 56, start_date="2026-01-05"),
        ],
    )
    keys = [row.key for row in rows(path) if isinstance(row, Mapped)]
    base = "EL:example sample trading co., ltd."
    cited, third = f"{base}|91 FR 100", f"{base}|91 FR 100|{'3' * 56}"
    assert keys == [base, f"{base}|91 FR 200", f"{base}|{'2' * 56}", cited, third, f"{third}|2"]
    assert len({party_id(k) for k in keys}) == 6


# --- every record fits the ontology ------------------------------------------------------------


@pytest.mark.parametrize("path", [FIRST_JSON, SECOND_JSON, FIRST_CSV], ids=lambda p: p.name)
def test_every_record_passes_the_ontology_checks(path: Path) -> None:
    schema = load_schema()
    stamp: Props = {Prop.SOURCES: ["src-x"], Prop.CONFIDENCE: "confirmed"}
    count = 0
    for row in rows(path, individuals=True):
        assert isinstance(row, Mapped | Skipped), row
        if isinstance(row, Mapped):
            for n in row.nodes:
                assert node_problems(replace(n, props={**n.props, **stamp}), schema, row.origin) == []
            for e in row.edges:
                assert edge_problems(replace(e, props={**e.props, **stamp}), schema, row.origin) == []
                assert schema.relationships[e.type]
                count += 1
    assert count >= 10


# --- what the reader refuses -------------------------------------------------------------------


def _invalid(found: list[Row]) -> list[Invalid]:
    return [row for row in found if isinstance(row, Invalid)]


def test_a_missing_column_names_the_file_and_the_columns() -> None:
    path = BAD / "missing-column.csv"
    with pytest.raises(DataError) as caught:
        rows(path)
    (problem,) = caught.value.problems
    assert (problem.file, problem.line) == (str(path), 1)
    assert "license_policy, ids" in problem.message


@pytest.mark.parametrize(
    ("name", "line", "record", "value"),
    [("bad-date.json", None, "results[1]", "3033-01-17"), ("bad-date.csv", 2, None, "12/5/24")],
)
def test_an_impossible_or_non_iso_date_is_an_invalid_row(name: str, line: int | None, record: str, value: str) -> None:
    path = BAD / name
    found = rows(path)
    (bad,) = _invalid(found)
    assert (bad.problem.file, bad.problem.line, bad.problem.field) == (str(path), line, "start_date")
    if record:
        assert bad.problem.record == record
    assert value in bad.problem.message
    assert sum(isinstance(row, Mapped) for row in found) == 1  # the other row still reads


def test_an_impossible_calendar_date_and_a_bad_end_date_name_their_field(tmp_path: Path) -> None:
    path = write_json(tmp_path, [el_row(start_date="2025-02-30"), el_row(id="1" * 56, end_date="2026/01/02")])
    assert [(b.problem.record, b.problem.field) for b in _invalid(rows(path))] == [
        ("results[0]", "start_date"),
        ("results[1]", "end_date"),
    ]


def test_a_row_without_a_name_is_invalid() -> None:
    path = BAD / "no-name.json"
    (bad,) = _invalid(rows(path))
    assert (bad.problem.file, bad.problem.record, bad.problem.field) == (str(path), "results[1]", "name")
    assert "no name" in bad.problem.message


def test_control_characters_in_a_name_or_alias_are_invalid(tmp_path: Path) -> None:
    path = write_json(tmp_path, [el_row(name="Example\x07 Trading"), el_row(alt_names=["ok", "bad\x1b alias"])])
    found = _invalid(rows(path))
    assert [(b.problem.record, b.problem.field) for b in found] == [("results[0]", "name"), ("results[1]", "alt_names")]
    assert "U+0007" in found[0].problem.message


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"addresses": [{"address": "Gui\x81an New District", "country": "CN"}]}, "addresses"),
        ({"remarks": "bad\x00 remark"}, "remarks"),
        ({"license_policy": "Presumption\x1b of denial."}, "license_policy"),
    ],
)
def test_control_characters_in_other_text_are_invalid(tmp_path: Path, changes: dict[str, Any], field: str) -> None:
    path = write_json(tmp_path, [el_row(remarks="line one\nline two"), el_row(id="1" * 56, name="Other", **changes)])
    found = rows(path)
    (bad,) = _invalid(found)
    assert (bad.problem.record, bad.problem.field) == ("results[1]", field)
    assert isinstance(found[0], Mapped)  # a line break outside a name is text, not a control character


def test_windows_1252_punctuation_read_as_latin_1_gets_its_character_back(tmp_path: Path) -> None:
    address = {"address": "HA\x92Assif 19", "city": "Example", "country": "IL"}
    path = write_json(tmp_path, [el_row(name="Gui\x92an New District Example Co., Ltd.", addresses=[address])])
    (row,) = rows(path)
    assert isinstance(row, Mapped)
    party = row.nodes[0]
    assert party.props[Prop.NAME] == "Gui\u2019an New District Example Co., Ltd."
    assert party.props[Prop.ADDRESSES] == ["HA\u2019Assif 19, Example, IL"]


def test_an_unknown_source_label_is_invalid(tmp_path: Path) -> None:
    path = write_json(tmp_path, [el_row(source="Entity List")])
    (bad,) = _invalid(rows(path))
    assert (bad.problem.record, bad.problem.field) == ("results[0]", "source")


def test_a_row_with_the_wrong_number_of_fields_names_its_line() -> None:
    path = BAD / "wrong-field-count.csv"
    found = rows(path)
    (bad,) = _invalid(found)
    assert (bad.problem.file, bad.problem.line, bad.problem.field) == (str(path), 3, "places_of_birth")
    assert "26 fields" in bad.problem.message and "29" in bad.problem.message
    assert [row.origin.line for row in found if isinstance(row, Mapped)] == [2, 4]


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("utf16.csv", "UTF-16"),
        ("truncated.json", "truncated"),
        ("top-level-list.json", "top level is a list"),
    ],
)
def test_an_unreadable_file_is_a_data_error_naming_it(name: str, words: str) -> None:
    path = BAD / name
    with pytest.raises(DataError) as caught:
        rows(path)
    (problem,) = caught.value.problems
    assert problem.file == str(path)
    assert words in problem.message


def test_a_truncated_json_yields_the_rows_before_the_cut_then_refuses() -> None:
    reader = CSL.read(BAD / "truncated.json", ReadOptions())
    assert [row.key for row in (next(reader), next(reader)) if isinstance(row, Mapped)] == [
        "EL:example compute trading limited",
        "EL:example institute of intelligent computing",
    ]
    with pytest.raises(DataError, match=r"after results\[1\]"):
        next(reader)


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("consolidated.json", b'{"results": {"a": 1}}', "'results' is map, not a list"),
        ("consolidated.json", b'\xef\xbb\xbf  {"results": [], "total": 0}', "NO ERROR"),
        ("consolidated.json", b'{"total": 0}', "no 'results' list"),
        ("consolidated.json", b"\x00\x01\x02binary", "binary"),
        ("consolidated.csv", b"\xff\xfe_\x00i\x00d\x00", "UTF-16"),
        ("consolidated.csv", b'"_id","source"\n"\xe9"\n', "not UTF-8"),
        ("consolidated.xml", b"<x/>", "not a .xml file"),
        ("consolidated.csv", FIRST_CSV.read_bytes().replace(b'"99001","Non', b'"99001"x,"Non'), "not readable as CSV"),
    ],
)
def test_other_unreadable_files_are_data_errors(tmp_path: Path, name: str, data: bytes, words: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    if words == "NO ERROR":  # a byte-order mark and an empty list are fine
        assert rows(path) == []
        return
    with pytest.raises(DataError) as caught:
        rows(path)
    assert words in caught.value.problems[0].message
    assert caught.value.problems[0].file == str(path)
    if words == "not readable as CSV":
        assert caught.value.problems[0].line == 6


def test_a_result_that_is_not_an_object_or_has_wrong_types_is_invalid(tmp_path: Path) -> None:
    path = write_json(tmp_path, ["text", el_row(name=["a", "b"]), el_row(addresses="1 Sample Road")])
    assert [(b.problem.record, b.problem.field) for b in _invalid(rows(path))] == [
        ("results[0]", None),
        ("results[1]", "name"),
        ("results[2]", "addresses"),
    ]


# --- the small parsers -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("label", "code"),
    [
        (EL, "EL"),
        (CMIC, "CMIC"),
        ("Non-SDN Menu-Based Sanctions List (NS-MBS List) - Treasury Department", "MBS"),
        ("Military End User (MEU) List - Bureau of Industry and Security", "MEU"),
        ("Palestinian Legislative Council List (PLC) - Treasury Department", "PLC"),
        ("ITAR Debarred (DTC) - State Department", "DTC"),
        ("Entity List", None),
        ("Entity List (el) - Bureau of Industry and Security", None),
    ],
)
def test_the_list_code_is_the_text_in_parentheses(label: str, code: str | None) -> None:
    assert list_code(label) == code


@pytest.mark.parametrize(
    ("notice", "found"),
    [
        ("85 FR 83416, 12/22/20; 90 FR 4619, 1/16/25", [("85", "83416"), ("90", "4619")]),
        ("73 FR 54506", [("73", "54506")]),
        ("82 F.R. 48792 10/20/2017", [("82", "48792")]),
        ("Vol. 74, No. 11, 01/16/09", []),
        ("", []),
    ],
)
def test_fr_citations_in_their_several_forms(notice: str, found: list[tuple[str, str]]) -> None:
    assert citations(notice) == found


@pytest.mark.parametrize(
    ("kind", "number", "expected"),
    [
        ("Unified Social Credit Code (USCC)", "9144", "uscc"),
        ("USCC", "9144", "uscc"),
        ("LEI", "5493", "lei"),
        ("ISIN", "XS0", "isin"),
        ("V.A.T. Number", "CHE-1", "vat-number"),
        ("Registration ID", "C1", "registration-id"),
        ("Target Type", "Private Company", None),
        ("Listing Date (CMIC)", "03 Jun 2021", None),
        ("Executive Order 13662 Directive Determination -", "Subject to Directive 2", None),
        ("Secondary sanctions risk:", "Ukraine-/Russia-Related Sanctions Regulations", None),
    ],
)
def test_identifier_schemes(kind: str, number: str, expected: str | None) -> None:
    assert scheme(kind, number) == expected


def test_the_fixtures_differ_only_where_the_readme_says() -> None:
    first = json.loads(FIRST_JSON.read_text(encoding="utf-8"))["results"]
    second = json.loads(SECOND_JSON.read_text(encoding="utf-8"))["results"]
    unchanged = [r for r in first if r in second]
    assert len(first) == len(second) == 7 and len(unchanged) == 5
    amended = second[0]
    assert amended["name"] == first[0]["name"] and amended["id"] != first[0]["id"]


def test_the_snapshot_of_a_truncated_or_listless_json_is_refused_or_absent(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="truncated"):
        CSL.stated_snapshot(BAD / "truncated.json")
    with pytest.raises(DataError, match="top level is a list"):
        CSL.stated_snapshot(BAD / "top-level-list.json")
    (tmp_path / "bare.json").write_text('{"results": [], "search_performed_at": "soon"}')
    assert CSL.stated_snapshot(tmp_path / "bare.json") is None
