"""The GEM trackers: unit rows summed to plants, owner shares, places, the XLSX as distributed,
clear refusals (fixtures: invented plants and companies in GEM's real layouts)."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pytest

from loaders.sources import Invalid, Mapped, ReadOptions, Row, registry
from loaders.sources.base import default_dataset
from loaders.sources.csl_files import RowError
from loaders.sources.gem import GEM
from loaders.sources.gem_owners import Holder, holders
from loaders.sources.gem_places import curated_places
from ontology.errors import DataError
from ontology.records import Edge, Node
from ontology.vocab import Label, Prop, Rel
from tests.helpers import assert_fits_ontology

FIXTURES = Path(__file__).parent / "fixtures" / "gem"
COAL = FIXTURES / "coal-2026-01.csv"
COAL2 = FIXTURES / "coal-2026-02.csv"
SOLAR = FIXTURES / "solar-2026-02.csv"
WIND = FIXTURES / "wind-2026-02.csv"
BAD = FIXTURES / "bad"
HAMI = "gem-coal-l100000990001"
NAOMAOHU = "gem-coal-l100000990003"


def rows(path: Path) -> list[Row]:
    return list(GEM.read(path, ReadOptions()))


def mapped(path: Path) -> dict[str, Mapped]:
    return {row.key: row for row in rows(path) if isinstance(row, Mapped)}


def plant(path: Path, key: str) -> Node:
    return mapped(path)[key].nodes[0]


def owns(row: Mapped) -> dict[tuple[str, str | None], Edge]:
    return {(e.source, e.props.get(Prop.STAKE_LEVEL)): e for e in row.edges if e.type == Rel.OWNS}  # type: ignore[misc]


def located(row: Mapped) -> list[str]:
    return [e.target for e in row.edges if e.type == Rel.LOCATED_IN]


def write_xlsx(tmp_path: Path, source: Path, *, about_first: bool = True) -> Path:
    """The CSV as GEM distributes a tracker: a workbook with an About sheet, then the data sheet
    with numbers stored as numbers."""
    book = openpyxl.Workbook()
    about = book.active
    assert about is not None
    about.title = "About" if about_first else "Data"
    about.append(["Global Coal Plant Tracker (invented fixture)"])  # a title row above a lone sheet's header
    units = book.create_sheet("Units") if about_first else about
    with source.open(encoding="utf-8") as handle:
        for number, row in enumerate(csv.reader(handle)):
            units.append([_typed(cell) if number else cell for cell in row])
    path = tmp_path / "tracker.xlsx"
    book.save(path)
    return path


def _typed(cell: str) -> object:
    try:
        return float(cell) if "." in cell else int(cell)
    except ValueError:
        return cell or None


def test_the_source_is_registered_and_each_tracker_is_a_dataset_of_its_own() -> None:
    assert registry()["gem"] is GEM
    info = GEM.info
    assert (info.publisher, info.licence, info.formats) == ("Global Energy Monitor", "CC BY 4.0", ("xlsx", "csv"))
    datasets = [default_dataset(GEM, path) for path in (COAL, SOLAR, WIND)]
    assert datasets == ["gem_coal", "gem_solar", "gem_wind"]


def test_units_of_one_location_become_one_plant_with_summed_capacity_and_status_by_rule() -> None:
    hami = plant(COAL, "L100000990001")
    assert hami.id == HAMI and hami.labels[-1] == Label.POWER_PLANT
    assert hami.props == {
        Prop.NAME: "Example Hami power station",
        Prop.NAME_ZH: "示例哈密电厂",
        Prop.UNIT_COUNT: 2,
        Prop.CAPACITY_MW: 1320.0,
        Prop.CAPACITY_BY_STATUS: ["operating: 1320 MW, 2 units"],
        Prop.STATUS: "operating",
        Prop.START_YEAR: 2016,
        Prop.FUEL: ["coal"],
        Prop.LATITUDE: 42.912,
        Prop.LONGITUDE: 93.421,
        Prop.COORD_PRECISION: "exact",
        Prop.PAGE_URL: "https://www.gem.wiki/Example_Hami_power_station",
        Prop.COUNTRY: "CN",
    }
    # One unit under construction and one permitted: under construction wins over planned.
    naomaohu = plant(COAL, "L100000990003").props
    assert naomaohu[Prop.STATUS] == "under_construction"
    assert naomaohu[Prop.CAPACITY_BY_STATUS] == ["construction: 660 MW, 1 unit", "permitted: 660 MW, 1 unit"]
    assert Prop.START_YEAR not in naomaohu
    changji = plant(COAL, "L100000990002").props
    assert (changji[Prop.STATUS], changji[Prop.COORD_PRECISION]) == ("planned", "approximate")
    assert Prop.NAME_ZH not in changji


def test_a_mothballed_unit_changes_the_split_but_not_the_status_while_another_operates() -> None:
    hami = plant(COAL2, "L100000990001").props
    assert hami[Prop.STATUS] == "operating"
    assert hami[Prop.CAPACITY_BY_STATUS] == ["operating: 660 MW, 1 unit", "mothballed: 660 MW, 1 unit"]
    assert hami[Prop.CAPACITY_MW] == 1320.0


def test_owners_and_parents_become_organizations_keyed_by_entity_id_owning_the_plant() -> None:
    found = mapped(COAL)
    owner = found["E100000990001"].nodes[0]
    assert owner.id == "gem-coal-e100000990001" and owner.labels[-1] == Label.ORGANIZATION
    assert owner.props == {Prop.NAME: "Example Energy Xinjiang Co Ltd", Prop.IDENTIFIERS: ["gem:E100000990001"]}
    stakes = owns(found["L100000990001"])
    direct = stakes[("gem-coal-e100000990001", None)]
    assert (direct.target, direct.props) == (HAMI, {Prop.PERCENTAGE: 100.0, Prop.PERCENTAGE_TEXT: "100%"})
    parent = stakes[("gem-coal-e100000990002", "ultimate_parent")]
    assert parent.props == {Prop.PERCENTAGE: 51.0, Prop.PERCENTAGE_TEXT: "51%", Prop.STAKE_LEVEL: "ultimate_parent"}
    assert stakes[("gem-coal-e100000990003", "ultimate_parent")].props[Prop.PERCENTAGE] == 49.0
    assert len(stakes) == 3


def test_an_owner_without_a_share_or_an_entity_id_is_keyed_by_name_with_no_percentage() -> None:
    found = mapped(COAL)
    key = "name:example atlantis power co ltd"
    org = found[key].nodes[0]
    assert Prop.IDENTIFIERS not in org.props and org.id.startswith("gem-coal-org-")
    (edge,) = owns(found["L100000990004"]).values()
    assert (edge.source, edge.props) == (org.id, {})


def test_units_naming_different_owners_give_capacity_weighted_shares_with_the_texts() -> None:
    stakes = owns(mapped(COAL)["L100000990003"])
    yiwu = stakes[("gem-coal-e100000990005", None)].props
    assert yiwu[Prop.PERCENTAGE] == 80.0  # (660 × 60 + 660 × 100) / 1320
    assert yiwu[Prop.PERCENTAGE_TEXT] == "Unit 1: 60%; Unit 2: 100%"
    assert "weighted by unit capacity" in str(yiwu[Prop.NOTE])
    xinjiang = stakes[("gem-coal-e100000990001", None)].props
    assert (xinjiang[Prop.PERCENTAGE], xinjiang[Prop.PERCENTAGE_TEXT]) == (20.0, "Unit 1: 40%")
    assert stakes[("gem-coal-e100000990002", "ultimate_parent")].props[Prop.PERCENTAGE] == 80.0


@pytest.mark.parametrize(
    ("names", "ids", "expected"),
    [
        ("Example A Co [60%]", "E100000000001", [Holder("Example A Co", "E100000000001", 60.0, "60%")]),
        (
            "Example A Co [60.5%]; Example B Co [39.5%]",
            "E100000000001; E100000000002",
            [
                Holder("Example A Co", "E100000000001", 60.5, "60.5%"),
                Holder("Example B Co", "E100000000002", 39.5, "39.5%"),
            ],
        ),
        ("Example A Co", "", [Holder("Example A Co", None, None, None)]),
        (
            "Example A Co [60%]; Example B Co",
            "",
            [Holder("Example A Co", None, 60.0, "60%"), Holder("Example B Co", None, None, None)],
        ),
        ("", "", []),
    ],
)
def test_owner_cells_parse_names_shares_and_entity_ids(names: str, ids: str, expected: list[Holder]) -> None:
    assert holders(names, ids, "Owner", "Owner GEM Entity ID") == expected


@pytest.mark.parametrize(
    ("names", "ids", "field", "message"),
    [
        ("Example A Co [150%]", "", "Owner", "share '150%' is outside 0–100"),
        ("Example A Co [most]", "", "Owner", "share 'most' is not a percentage"),
        ("Example A Co [60%]; Example B Co [40%]", "E100000000001", "Owner GEM Entity ID", "2 names in 'Owner' but 1"),
        ("Example A Co [60%]", "X1", "Owner GEM Entity ID", "'X1' is not a GEM entity id"),
    ],
)
def test_a_bad_owner_cell_names_its_field(names: str, ids: str, field: str, message: str) -> None:
    with pytest.raises(RowError) as caught:
        holders(names, ids, "Owner", "Owner GEM Entity ID")
    assert caught.value.field == field and message in caught.value.message


def test_plants_are_placed_in_the_most_specific_place_the_graph_holds() -> None:
    coal = mapped(COAL)
    assert located(coal["L100000990001"]) == ["place-cn-xj-hami"]
    assert located(coal["L100000990002"]) == ["place-cn-xj-changji"]
    assert located(coal["L100000990003"]) == ["place-cn-xj-hami-yiwu"]
    assert [r.tallies[0] for r in coal.values() if r.key.startswith("L")] == [
        "placed in a prefecture", "placed in a prefecture", "placed in a county", "placed in a country"
    ]  # fmt: skip
    solar = mapped(SOLAR)  # Chinese names, and `State/Province` for the subnational unit
    assert located(solar["L100000991002"]) == ["place-cn-xj-hami"]
    assert located(solar["L100000991001"]) == ["place-cn-xj-hami-yiwu"]
    wind = mapped(WIND)  # an ISO 3166-2 code for the province
    assert located(wind["L100000992002"]) == ["place-cn-qh"]
    assert located(wind["L100000992001"]) == ["place-cn-xj-hami-yiwu"]


def test_an_unresolved_subnational_unit_warns_and_keeps_the_plant_in_the_country() -> None:
    atlantis = mapped(COAL)["L100000990004"]
    assert located(atlantis) == ["place-cn"] and atlantis.tallies[0] == "placed in a country"
    (warning,) = atlantis.warnings
    assert str(warning) == (
        f"{COAL}:7, field 'Subnational unit (province, state)': 'Atlantis Province' is not a province of China "
        "the graph holds; the plant is kept in China"
    )
    (steppe,) = mapped(WIND)["L100000992003"].warnings
    assert (steppe.line, steppe.field) == (6, "State/Province") and "'Inner Mongolia'" in steppe.message


def test_a_prefecture_is_only_found_inside_its_province() -> None:
    places = curated_places()
    china = places.country("China")
    qinghai = places.find(Label.PROVINCE, "Qinghai", china)
    assert places.find(Label.PREFECTURE, "Hami", qinghai) is None
    assert places.find(Label.PREFECTURE, "哈密市", places.find(Label.PROVINCE, "CN-XJ", china)) is not None


def test_solar_and_wind_trackers_map_their_fuels_statuses_and_owners() -> None:
    solar = mapped(SOLAR)
    farm = solar["L100000991001"].nodes[0].props
    assert (farm[Prop.FUEL], farm[Prop.CAPACITY_MW], farm[Prop.STATUS]) == (["solar"], 500.0, "operating")
    assert solar["L100000991002"].nodes[0].props[Prop.FUEL] == ["solar_thermal"]
    cluster = solar["L100000991003"].nodes[0].props  # "1,200" MW, announced, no owner
    assert (cluster[Prop.CAPACITY_MW], cluster[Prop.STATUS]) == (1200.0, "planned")
    assert not owns(solar["L100000991003"])
    green = owns(solar["L100000991001"])  # no entity id column: keyed by name
    (key,) = [k for k in green if solar["name:example green power co ltd"].nodes[0].id == k[0]]
    assert green[key].props[Prop.PERCENTAGE] == 88.0  # (200 × 70 + 300 × 100) / 500
    wind = mapped(WIND)
    naomaohu = wind["L100000992001"].nodes[0].props
    assert naomaohu[Prop.CAPACITY_BY_STATUS] == ["operating: 198 MW, 2 units", "pre-construction: 200 MW, 1 unit"]
    assert (naomaohu[Prop.FUEL], naomaohu[Prop.START_YEAR]) == (["wind"], 2015)
    assert wind["L100000992002"].nodes[0].props[Prop.STATUS] == "shelved"  # "shelved - inferred 2 y"
    assert wind["E100000990001"].nodes[0].id == "gem-wind-e100000990001"


def test_the_xlsx_as_distributed_gives_the_same_records_as_its_csv(tmp_path: Path) -> None:
    workbook = write_xlsx(tmp_path, COAL)
    from_csv, from_xlsx = mapped(COAL), mapped(workbook)
    assert from_xlsx.keys() == from_csv.keys()
    for key, row in from_csv.items():
        assert [(n.id, n.props) for n in from_xlsx[key].nodes] == [(n.id, n.props) for n in row.nodes]
        assert [(e.id, e.props) for e in from_xlsx[key].edges] == [(e.id, e.props) for e in row.edges]
    assert str(from_xlsx["L100000990004"].origin) == f"{workbook}[Units]:7"
    assert default_dataset(GEM, workbook) == "gem_coal"


def test_a_bad_row_in_a_workbook_names_the_sheet_and_row_under_a_title_row(tmp_path: Path) -> None:
    workbook = write_xlsx(tmp_path, BAD / "share-150.csv", about_first=False)
    (invalid,) = [r for r in rows(workbook) if isinstance(r, Invalid)]
    assert str(invalid.problem) == f"{workbook}[Data]:4, field 'Owner': share '150%' is outside 0–100"


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("share-150.csv", ":3, field 'Owner': share '150%' is outside 0–100"),
        ("capacity-not-a-number.csv", ":2, field 'Capacity (MW)': 'six hundred' is not a number"),
    ],
)
def test_a_bad_value_is_an_invalid_row_naming_file_line_and_field(name: str, shown: str) -> None:
    found = rows(BAD / name)
    (invalid,) = [r for r in found if isinstance(r, Invalid)]
    assert str(invalid.problem) == f"{BAD / name}{shown}"


def test_a_missing_required_column_refuses_the_file_naming_it(tmp_path: Path) -> None:
    with pytest.raises(DataError) as caught:
        rows(BAD / "no-status-column.csv")
    assert (
        str(caught.value.problems[0]) == f"{BAD / 'no-status-column.csv'}:1: the GEM data sheet has no column 'Status'"
    )
    other = tmp_path / "other.csv"
    other.write_text("GEM location ID,Plant name\nL100000000001,Example\n")
    with pytest.raises(DataError, match="no tracker chiptrail reads"):
        rows(other)
    fake = tmp_path / "fake.xlsx"
    fake.write_text("not a workbook")
    with pytest.raises(DataError, match=r"named \.xlsx but is not a workbook"):
        rows(fake)


@pytest.mark.parametrize("path", [COAL, COAL2, SOLAR, WIND])
def test_every_record_passes_the_ontology_checks(path: Path) -> None:
    assert_fits_ontology(rows(path))


def test_every_data_sheet_of_the_tracker_in_a_workbook_is_read(tmp_path: Path) -> None:
    """The solar tracker splits its phases into two sheets by size: both are read, as one dataset."""
    with SOLAR.open(encoding="utf-8") as handle:
        header, *lines = list(csv.reader(handle))
    book = openpyxl.Workbook()
    about = book.active
    assert about is not None
    about.title = "About"
    for title, part in (("20 MW+", lines[:2]), ("1-20 MW", lines[2:])):
        sheet = book.create_sheet(title)
        for row in (header, *part):
            sheet.append(row)
    path = tmp_path / "solar.xlsx"
    book.save(path)
    from_xlsx, from_csv = mapped(path), mapped(SOLAR)
    assert from_xlsx.keys() == from_csv.keys()
    assert [r.nodes[0].props for r in from_xlsx.values()] == [r.nodes[0].props for r in from_csv.values()]
    assert str(from_xlsx["L100000991003"].origin) == f"{path}[1-20 MW]:3"
