"""The OpenSanctions source: FtM entity lines to parties, stakes and designations, with clear problems."""

from __future__ import annotations

import datetime as dt
import gzip
from pathlib import Path

import pytest

from loaders.sources import registry
from loaders.sources.base import Invalid, Mapped, ReadOptions, Row, Skipped
from loaders.sources.check import edge_problems, node_problems
from loaders.sources.ftm import Entity, ValueProblem, percentage, prefix_date
from loaders.sources.opensanctions import OPENSANCTIONS, map_entity
from loaders.sources.opensanctions_links import programme_slug
from loaders.sources.opensanctions_parties import AddressBook, node_id, script
from ontology import load_schema
from ontology.errors import DataError
from ontology.records import Edge, Node, Origin
from ontology.vocab import Label, Prop, Rel

FIXTURES = Path(__file__).parent / "fixtures" / "opensanctions"
FIRST = FIXTURES / "entities-2026-11-01.ftm.json"
SECOND = FIXTURES / "entities-2026-11-28.ftm.json"
STATEMENTS = FIXTURES / "statements-2026-11-01.csv"
PARENT = node_id("NK-Ex4mpleParentAbc123")
HK = node_id("NK-HkTrad3rExample77")
SZ = "os-cn-sz-example-0001"
OPTICS_ID = "trade-csl-8b1e2d3c4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e"


def read(path: Path, individuals: bool = False) -> list[Row]:
    return list(OPENSANCTIONS.read(path, ReadOptions(include_individuals=individuals)))


def mapped(rows: list[Row]) -> dict[str, Mapped]:
    return {row.key: row for row in rows if isinstance(row, Mapped)}


def nodes(rows: list[Row]) -> dict[str, Node]:
    return {node.id: node for row in mapped(rows).values() for node in row.nodes}


def edges(rows: list[Row]) -> dict[str, Edge]:
    return {edge.id: edge for row in mapped(rows).values() for edge in row.edges}


def problems(path: Path) -> list[Invalid]:
    return [row for row in read(path) if isinstance(row, Invalid)]


def test_registered_with_its_description() -> None:
    assert registry()["opensanctions"] is OPENSANCTIONS
    info = OPENSANCTIONS.info
    assert (info.dataset, info.confidence, info.formats) == ("opensanctions", "reported", ("ftm.json", "jsonl", "csv"))
    assert info.licence.startswith("CC BY-NC 4.0")
    assert info.url == "https://data.opensanctions.org/datasets/latest/default/entities.ftm.json"
    assert OPENSANCTIONS.stated_snapshot(FIRST) is None


def test_node_ids_are_kebab_and_keep_mixed_case_ids_apart() -> None:
    assert node_id("trade-csl-abc123") == "os-trade-csl-abc123"
    assert PARENT == "os-nk-ex4mpleparentabc123-5084fc"  # sha1("NK-Ex4mpleParentAbc123")[:6]
    assert node_id("NK-abc") != node_id("NK-ABC")
    assert node_id("ofac-1", "os-own-") == "os-own-ofac-1"


def test_organisations_with_names_identifiers_and_addresses() -> None:
    found = nodes(read(FIRST))
    parent = found[PARENT]
    assert parent.labels[-1] == Label.ORGANIZATION
    assert parent.props[Prop.NAME] == "Example Listed Semiconductor Co., Ltd."
    assert parent.props[Prop.ALIASES] == ["ELS Semi"]
    assert parent.props[Prop.COUNTRY] == "CN"
    assert parent.props[Prop.PROGRAMS] == ["US-BIS-EL"]
    assert parent.props[Prop.TOPICS] == ["export.control"]
    assert parent.props[Prop.IDENTIFIERS] == [
        "opensanctions:NK-Ex4mpleParentAbc123",
        "opensanctions:trade-csl-3f9a0c1d7e5b2a4f6c8d0e1f2a3b4c5d6e7f8091a2b3c4d5e6f70812",
        "csl:3f9a0c1d7e5b2a4f6c8d0e1f2a3b4c5d6e7f8091a2b3c4d5e6f70812",
        "opensanctions:ofac-98765",
        "ofac:98765",
    ]
    trader = found[HK]
    assert trader.props[Prop.ADDRESSES] == [
        "Room 1503, 15/F, Sample Tower, 88 Test Street, Sheung Wan",
        "Unit 12, 8/F, Example Industrial Building, 1 Sample Road, Kwun Tong, Kowloon, Hong Kong",
    ]
    assert trader.props[Prop.CITIES] == ["Kowloon"]
    assert trader.props[Prop.COUNTRIES] == ["HK"]
    assert trader.props[Prop.IDENTIFIERS] == [
        "lei:5493000EXAMPLE0HK042",
        "reg:3141592",
        "opensanctions:NK-HkTrad3rExample77",
        "opensanctions:hk-cr-3141592",
    ]
    optics = found[node_id(OPTICS_ID)]
    csl = OPTICS_ID.removeprefix("trade-csl-")
    assert optics.props[Prop.IDENTIFIERS] == [f"opensanctions:{OPTICS_ID}", f"csl:{csl}"]
    assert found["os-ofac-44556"].props[Prop.IDENTIFIERS] == ["opensanctions:ofac-44556", "ofac:44556"]


def test_chinese_names_go_to_name_zh_unless_they_are_the_only_name() -> None:
    found = nodes(read(FIRST))
    subsidiary = found[SZ]
    assert subsidiary.props[Prop.NAME] == "Example Compute (Shenzhen) Co., Ltd."
    assert subsidiary.props[Prop.NAME_ZH] == "示例算力（深圳）有限公司"
    assert Prop.ALIASES not in subsidiary.props
    assert subsidiary.props[Prop.COUNTRY] == "CN"  # from jurisdiction
    assert subsidiary.props[Prop.IDENTIFIERS] == ["uscc:91440300MA5G00000X", "opensanctions:cn-sz-example-0001"]
    only_han = found["os-cn-han-only-0002"]
    assert only_han.props[Prop.NAME] == "示例智算科技有限公司"
    assert Prop.NAME_ZH not in only_han.props


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("示例算力（深圳）有限公司", "zh"),
        ("株式会社エグザンプル", "other"),  # Japanese: kana beside the kanji
        ("예시 주식회사", "other"),
        ("ООО Пример", "other"),
        ("Société Exemple S.à r.l.", "latin"),
        ("3M", "latin"),
    ],
)
def test_scripts(name: str, kind: str) -> None:
    assert script(name) == kind


def test_a_latin_name_wins_over_other_scripts_and_only_chinese_is_name_zh() -> None:
    names = ["ООО Пример", "株式会社エグザンプル", "示例有限公司", "Example LLC"]
    entity = Entity("co-x", "Company", {"name": names}, (), Origin("f", 1))
    result = map_entity(entity, AddressBook(), ReadOptions())
    assert isinstance(result, Mapped)
    props = result.nodes[0].props
    assert (props[Prop.NAME], props[Prop.NAME_ZH]) == ("Example LLC", "示例有限公司")
    assert props[Prop.ALIASES] == ["ООО Пример", "株式会社エグザンプル"]
    cyrillic_and_chinese = Entity("co-y", "Company", {"name": ["ООО Пример", "示例有限公司"]}, (), Origin("f", 2))
    result = map_entity(cyrillic_and_chinese, AddressBook(), ReadOptions())
    assert isinstance(result, Mapped)
    assert result.nodes[0].props[Prop.NAME] == "示例有限公司"
    assert Prop.NAME_ZH not in result.nodes[0].props


def test_ownership_chain_with_percentages_as_numbers_and_as_published() -> None:
    found = edges(read(FIRST))
    sixty = found["os-own-own-parent-hk-60"]
    assert (sixty.type, sixty.source, sixty.target) == (Rel.OWNS, PARENT, HK)
    assert sixty.props[Prop.PERCENTAGE] == 60
    assert sixty.props[Prop.PERCENTAGE_TEXT] == "60"
    assert sixty.props[Prop.VALID_FROM] == dt.date(2023, 5, 1)
    assert Prop.VALID_TO not in sixty.props
    assert sixty.props[Prop.NOTE] == "source: https://example.org/filings/hk/3141592"
    whole = found["os-own-own-hk-sz-100"]
    assert (whole.source, whole.target, whole.props[Prop.PERCENTAGE], whole.props[Prop.PERCENTAGE_TEXT]) == (
        HK,
        SZ,
        100,
        "100%",
    )
    assert whole.props[Prop.VALID_FROM] == dt.date(2024, 1, 1)
    assert found["os-own-own-parent-optics-51"].props[Prop.PERCENTAGE] == 51.0
    bound = found["os-own-own-optics-maritime"]
    assert Prop.PERCENTAGE not in bound.props
    assert bound.props[Prop.PERCENTAGE_TEXT] == "> 50"
    assert "percentage is unknown" in str(bound.props[Prop.NOTE])
    assert (bound.props[Prop.VALID_FROM], bound.props[Prop.VALID_TO]) == (dt.date(2022, 1, 1), dt.date(2025, 2, 28))


def test_entity_list_designation_through_its_federal_register_action() -> None:
    rows = read(FIRST)
    row = mapped(rows)["trade-csl-san-3f9a0c1d7e"]
    action = {node.id: node for node in row.nodes}["os-listing-89-fr-96830"]
    assert action.labels[-1] == Label.LISTING_ACTION
    assert action.props == {Prop.NAME: "Federal Register 89 FR 96830", Prop.CITATION: "89 FR 96830"}
    designation, amends = row.edges
    assert (designation.type, designation.source, designation.target) == (Rel.DESIGNATED_BY, PARENT, action.id)
    assert designation.props[Prop.VALID_FROM] == dt.date(2024, 12, 2)
    assert designation.props[Prop.CITATION] == "89 FR 96830; 12/5/24"
    assert designation.props[Prop.LICENSE_POLICY] == "Presumption of denial."
    assert designation.props[Prop.LICENSE_REQUIREMENT] == "For all items subject to the EAR. (See § 744.11 of the EAR)."
    assert designation.props[Prop.PROGRAMS] == ["US-BIS-EL"]
    assert (amends.type, amends.source, amends.target) == (Rel.AMENDS, action.id, "list-bis-entity-list")
    assert len(row.nodes) == 1  # the Entity List itself is curated
    optics = edges(rows)["os-san-trade-csl-san-8b1e2d3c4f"]
    assert optics.target == "os-listing-90-fr-4619"
    assert optics.props[Prop.VALID_FROM] == dt.date(2025, 1, 16)


def test_other_programmes_get_a_list_of_their_own() -> None:
    row = mapped(read(FIRST))["ofac-san-44556"]
    found = {node.id: node for node in row.nodes}
    assert found["os-list-us-rushar"].labels[-1] == Label.SANCTIONS_LIST
    assert found["os-list-us-rushar"].props == {Prop.NAME: "US-RUSHAR", Prop.PROGRAMS: ["US-RUSHAR"]}
    assert found["os-listing-us-rushar"].props == {Prop.NAME: "Listing under US-RUSHAR"}
    designation, amends = row.edges
    assert (designation.source, designation.target) == ("os-ofac-44556", "os-listing-us-rushar")
    assert designation.props[Prop.VALID_FROM] == dt.date(2024, 6, 1)  # listingDate prefix
    assert "program: RUSSIA-EO14024" in str(designation.props[Prop.NOTE])
    assert (amends.source, amends.target) == ("os-listing-us-rushar", "os-list-us-rushar")


def test_programme_texts_never_share_a_list_with_codes_or_each_other() -> None:
    assert programme_slug("US-RUSHAR", True) == "us-rushar"
    assert programme_slug("us-rushar", False) == "us-rushar-237ea89c"
    assert programme_slug("Reciprocal", False) == "reciprocal-2c5c4dec"
    assert programme_slug("RECIPROCAL", False) != programme_slug("Reciprocal", False)
    assert programme_slug("国際平和のための措置", False) == "222f63f4"


def test_individuals_skipped_with_their_ids_unless_asked() -> None:
    rows = read(FIRST)
    person = node_id("NK-PersonExample9")
    skipped = [row for row in rows if isinstance(row, Skipped)]
    assert [(s.reason, s.ids) for s in skipped if s.reason == "individual"] == [("individual", (person,))]
    assert edges(rows)["os-own-own-person-hk-40"].source == person  # left to the ingest to drop
    asked = nodes(read(FIRST, individuals=True))[person]
    assert asked.labels[-1] == Label.PERSON
    assert (asked.props[Prop.NAME], asked.props[Prop.COUNTRY]) == ("Jordan Example", "HK")


def test_addresses_and_other_schemata_are_skipped_by_reason() -> None:
    skipped = {(s.reason, s.ids, s.origin.line) for s in read(FIRST) if isinstance(s, Skipped)}
    assert ("address entity", (), 16) in skipped
    assert ("schema Vessel", (), 17) in skipped


def test_every_record_passes_the_ontology_checks() -> None:
    schema = load_schema()
    for path in (FIRST, SECOND):
        for row in read(path, individuals=True):
            assert isinstance(row, Mapped | Skipped)
            if isinstance(row, Skipped):
                continue
            for node in row.nodes:
                stamped = Node(node.id, node.labels, {**node.props, "sources": ["src-x"], "confidence": "reported"})
                assert node_problems(stamped, schema, row.origin) == []
            for edge in row.edges:
                props = {**edge.props, "sources": ["src-x"], "confidence": "reported"}
                stamped_edge = Edge(edge.id, edge.type, edge.source, edge.target, props)
                assert edge_problems(stamped_edge, schema, row.origin) == []


def test_shared_records_are_identical_in_every_row() -> None:
    seen: dict[str, Node | Edge] = {}
    for row in mapped(read(FIRST)).values():
        shared: list[Node | Edge] = [n for n in row.nodes if n.labels[-1] != Label.ORGANIZATION]
        shared += [e for e in row.edges if e.type == Rel.AMENDS]
        for record in shared:
            assert seen.setdefault(record.id, record) == record


def test_the_next_snapshot() -> None:
    before, after = mapped(read(FIRST)), mapped(read(SECOND))
    assert set(before) - set(after) == {"own-parent-hk-60"}
    assert set(after) - set(before) == {"NK-NewCoExample555"}
    renamed = after["NK-HkTrad3rExample77"].nodes[0]
    assert renamed.props[Prop.NAME] == "Example Compute Trading (HK) Limited"
    assert renamed.props[Prop.ALIASES] == ["ECT HK", "Example Compute Trading Limited"]
    assert mapped(read(SECOND))["NK-NewCoExample555"].nodes[0].props[Prop.COUNTRY] == "SG"


@pytest.mark.parametrize(
    ("name", "line", "field", "says"),
    [
        ("truncated.ftm.json", 3, None, "not JSON"),
        ("percentage-150.ftm.json", 3, "percentage", "outside 0–100"),
        ("percentage-garbage.ftm.json", 3, "percentage", "'60%%' is not a percentage"),
        ("date-2023-13.ftm.json", 3, "startDate", "'2023-13' is not a real date"),
        ("list-line.ftm.json", 2, None, "found a JSON list"),
        ("properties-not-lists.ftm.json", 3, "properties.name", "list of text values"),
        ("missing-schema.ftm.json", 3, "schema", "non-empty text 'schema'"),
    ],
)
def test_a_bad_line_is_a_problem_naming_file_line_and_field(name: str, line: int, field: str | None, says: str) -> None:
    path = FIXTURES / "bad" / name
    (invalid,) = problems(path)
    problem = invalid.problem
    assert (problem.file, problem.line, problem.field) == (str(path), line, field)
    assert says in problem.message
    assert str(problem).startswith(f"{path}:{line}")


def test_utf16_and_binary_files_are_named_as_such(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="the file is UTF-16 text; save it as UTF-8"):
        read(FIXTURES / "bad" / "utf16.ftm.json")
    binary = tmp_path / "entities.ftm.json"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(DataError, match="binary"):
        read(binary)
    packed = tmp_path / "entities.ftm.json.gz"
    packed.write_bytes(gzip.compress(FIRST.read_bytes()))
    with pytest.raises(DataError, match="the file is gzip-compressed; unpack it first"):
        read(packed)
    latin = tmp_path / "latin.ftm.json"
    latin.write_bytes(b'{"id":"a","schema":"Company","properties":{"name":["Caf\xe9"]}}\n')
    with pytest.raises(DataError, match="not UTF-8") as caught:
        read(latin)
    assert caught.value.problems[0].line == 1


@pytest.mark.parametrize(
    ("text", "end", "day"),
    [
        ("2023-05", False, dt.date(2023, 5, 1)),
        ("2023-05", True, dt.date(2023, 5, 31)),
        ("2024-02", True, dt.date(2024, 2, 29)),
        ("2023", False, dt.date(2023, 1, 1)),
        ("2023", True, dt.date(2023, 12, 31)),
        ("2024-12-02", True, dt.date(2024, 12, 2)),
        ("2024-12-02T06:20:11", False, dt.date(2024, 12, 2)),
    ],
)
def test_date_prefixes(text: str, end: bool, day: dt.date) -> None:
    assert prefix_date(text, end=end) == day


@pytest.mark.parametrize("text", ["2023-13", "2023-02-30", "May 2023", "23-05"])
def test_impossible_dates(text: str) -> None:
    with pytest.raises(ValueProblem):
        prefix_date(text)


@pytest.mark.parametrize(
    ("text", "value"),
    [("60", 60), ("51.0", 51.0), ("60%", 60), ("12,5 %", 12.5), ("0", 0), ("> 50", None), ("50-75", None)],
)
def test_percentages(text: str, value: float | None) -> None:
    assert percentage(text) == value


def test_shares_in_words_are_unknown_and_nonsense_is_refused() -> None:
    assert percentage("majority") is None
    for text in ("150", "60%%", "-5", "1000"):
        with pytest.raises(ValueProblem):
            percentage(text)


def test_an_edge_with_no_owner_is_invalid(tmp_path: Path) -> None:
    path = tmp_path / "entities.ftm.json"
    path.write_text('{"id":"own-x","schema":"Ownership","properties":{"asset":["co-b"]}}\n', encoding="utf-8")
    (invalid,) = problems(path)
    assert (invalid.problem.line, invalid.problem.record, invalid.problem.field) == (1, "own-x", "owner")


def test_statements_make_the_same_records_as_entity_lines() -> None:
    lines, statements = read(FIRST, individuals=True), read(STATEMENTS, individuals=True)
    assert not [row for row in statements if isinstance(row, Invalid)]
    by_lines, by_statements = nodes(lines), nodes(statements)
    assert set(by_statements) == set(by_lines)
    for node_key, node in by_statements.items():
        expected = dict(by_lines[node_key].props)
        if node_key == PARENT:  # statements carry no referents of their own
            expected[Prop.IDENTIFIERS] = ["opensanctions:NK-Ex4mpleParentAbc123"]
        if node_key == HK:
            expected[Prop.IDENTIFIERS] = [
                "lei:5493000EXAMPLE0HK042",
                "reg:3141592",
                "opensanctions:NK-HkTrad3rExample77",
            ]
        assert node.props == expected, node_key
    assert edges(statements) == edges(lines)
    skipped = [(row.reason, row.origin.line) for row in statements if isinstance(row, Skipped)]
    assert skipped == [("address entity", 80), ("schema Vessel", 83)]


STATEMENT_HEADER = (
    '"canonical_id","entity_id","prop","prop_type","schema","value","dataset","origin","lang",'
    '"original_value","external","first_seen","last_seen","id"\n'
)


def statement(entity_id: str, prop: str, value: str, schema: str = "Company") -> str:
    cells = [entity_id, entity_id, prop, "string", schema, value, "d", "", "", "", "f", "", "", "x"]
    return ",".join(f'"{cell}"' for cell in cells) + "\n"


def test_statements_of_one_entity_must_be_contiguous(tmp_path: Path) -> None:
    path = tmp_path / "statements.csv"
    rows = [statement("co-a", "name", "Example Alpha"), statement("co-b", "name", "Example Beta")]
    path.write_text(STATEMENT_HEADER + "".join([*rows, statement("co-a", "country", "hk")]), encoding="utf-8")
    with pytest.raises(DataError, match="statements of entity co-a are not contiguous") as caught:
        read(path)
    assert (caught.value.problems[0].line, caught.value.problems[0].field) == (4, "entity_id")


def test_a_bad_statement_row_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "statements.csv"
    path.write_text(STATEMENT_HEADER + statement("co-a", "name", "Example Alpha") + '"co-a","co-a"\n', encoding="utf-8")
    (invalid,) = problems(path)
    assert (invalid.problem.line, invalid.problem.message) == (3, "2 columns where a statement has 14")
    missing_prop = tmp_path / "missing.csv"
    missing_prop.write_text(STATEMENT_HEADER + statement("co-a", "", "x"), encoding="utf-8")
    (invalid,) = problems(missing_prop)
    assert (invalid.problem.line, invalid.problem.field) == (2, "prop")


def test_a_csv_without_the_statement_header_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "targets.simple.csv"
    path.write_text("id,schema,name\nco-a,Company,Example\n", encoding="utf-8")
    with pytest.raises(DataError, match="not a statements file"):
        read(path)
