"""The WRI Global Power Plant Database: every mapped column, owners by name, clear refusals
(fixtures: invented plants in the database's real 36-column layout)."""

from __future__ import annotations

from pathlib import Path

import pytest

from loaders.sources import Invalid, Mapped, ReadOptions, Row, registry
from loaders.sources.base import default_dataset
from loaders.sources.check import edge_problems, node_problems
from loaders.sources.wri import WRI, alpha2, org_id
from ontology.errors import DataError
from ontology.schema import load_schema
from ontology.vocab import Label, Prop, Rel

FIXTURES = Path(__file__).parent / "fixtures" / "wri"
FIRST = FIXTURES / "global_power_plant_database-v1.3.0.csv"
SECOND = FIXTURES / "global_power_plant_database-v1.3.1.csv"
BAD = FIXTURES / "bad"


def rows(path: Path) -> list[Row]:
    return list(WRI.read(path, ReadOptions()))


def mapped(path: Path) -> dict[str, Mapped]:
    return {row.key: row for row in rows(path) if isinstance(row, Mapped)}


def test_the_source_is_registered_with_its_licence() -> None:
    assert registry()["wri"] is WRI
    info = WRI.info
    assert (info.dataset, info.licence, info.publisher) == ("wri_gppd", "CC BY 4.0", "World Resources Institute")
    assert info.home == "http://datasets.wri.org/dataset/globalpowerplantdatabase"
    assert default_dataset(WRI, FIRST) == "wri_gppd"


def test_a_row_becomes_a_plant_with_every_mapped_column() -> None:
    hami = mapped(FIRST)["WRI1099901"]
    (node,) = hami.nodes
    assert node.id == "wri-wri1099901" and node.labels[-1] == Label.POWER_PLANT
    assert node.props == {
        Prop.NAME: "Example Hami Coal Power Station",
        Prop.CAPACITY_MW: 1320.0,
        Prop.FUEL: ["coal"],
        Prop.START_YEAR: 2016,
        Prop.LATITUDE: 42.912,
        Prop.LONGITUDE: 93.421,
        Prop.COORD_PRECISION: "approximate",
        Prop.PAGE_URL: "https://example.org/plant/1",
        Prop.COUNTRY: "CN",
        Prop.NOTE: "geolocation source: WRI; data source: Example source",
    }
    located = [(e.target, e.type) for e in hami.edges if e.type == Rel.LOCATED_IN]
    assert located == [("place-cn", Rel.LOCATED_IN)] and hami.tallies == ("placed in a country",)


def test_other_fuels_and_a_fractional_commissioning_year_are_kept_as_published() -> None:
    changji = mapped(FIRST)["WRI1099904"].nodes[0].props
    assert changji[Prop.FUEL] == ["gas", "oil", "coal"]
    assert Prop.START_YEAR not in changji
    assert "commissioning year 1997.4 as published" in str(changji[Prop.NOTE])
    assert mapped(FIRST)["WRI1099905"].nodes[0].props[Prop.FUEL] == ["wave_and_tidal"]


def test_the_owner_is_an_organization_keyed_by_its_folded_name_owning_without_a_share() -> None:
    found = mapped(FIRST)
    key, owner_id = org_id("Example Energy Xinjiang Co")
    assert key == "owner:example energy xinjiang co"
    owner = found[key].nodes[0]
    assert (owner.id, owner.labels[-1], owner.props) == (
        owner_id,
        Label.ORGANIZATION,
        {Prop.NAME: "Example Energy Xinjiang Co"},
    )
    # The upper-case spelling of another row is the same organisation.
    for plant in ("WRI1099901", "WRI1099904"):
        (stake,) = [e for e in found[plant].edges if e.type == Rel.OWNS]
        assert (stake.source, stake.props) == (owner_id, {Prop.NOTE: "owner as the database names it; no share given"})
    assert not [e for e in found["WRI1099902"].edges if e.type == Rel.OWNS]


def test_a_country_outside_the_graph_or_outside_iso_keeps_the_plant_unplaced() -> None:
    found = mapped(FIRST)
    tidal, kosovo = found["WRI1099905"], found["WRI1099906"]
    assert tidal.nodes[0].props[Prop.COUNTRY] == "PT" and not [e for e in tidal.edges if e.type == Rel.LOCATED_IN]
    assert Prop.COUNTRY not in kosovo.nodes[0].props and alpha2("XKX") is None
    assert tidal.tallies == kosovo.tallies == ("not placed (country not among the graph's places)",)


def test_a_value_that_is_not_a_number_is_an_invalid_row_naming_file_line_and_field() -> None:
    found = rows(BAD / "capacity-not-a-number.csv")
    (invalid,) = [r for r in found if isinstance(r, Invalid)]
    assert (
        str(invalid.problem)
        == f"{BAD / 'capacity-not-a-number.csv'}:2, field 'capacity_mw': 'about 1320' is not a number"
    )
    assert [r.key for r in found if isinstance(r, Mapped)] == ["WRI1099902"]


def test_a_missing_required_column_refuses_the_file_naming_it() -> None:
    path = BAD / "no-primary-fuel-column.csv"
    with pytest.raises(DataError) as caught:
        rows(path)
    assert str(caught.value.problems[0]) == f"{path}:1: the WRI database CSV has no column 'primary_fuel'"


@pytest.mark.parametrize("path", [FIRST, SECOND])
def test_every_record_passes_the_ontology_checks(path: Path) -> None:
    schema = load_schema()
    for row in rows(path):
        assert isinstance(row, Mapped)
        for node in row.nodes:
            assert node_problems(node, schema, row.origin) == []
        for edge in row.edges:
            assert edge_problems(edge, schema, row.origin) == []
