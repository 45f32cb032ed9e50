"""Power near sites: the plants within a radius of each site in a region (or of one site), with
capacity, fuel, owners and great-circle distance, and totals per site by fuel and by owner.

Distances are haversine great-circle distances on a sphere of the mean Earth radius, 6371.0088 km
(`graph.spatial`). A site without coordinates of its own is measured from the centroid of the place
it lies in when that place has coordinates (the answer says so, with the centroid's precision);
otherwise it is listed with "no coordinates: distances unknown" and no plants — never a zero
distance. A plant or an ownership that does not hold on the date (valid_from/valid_to), or a record
its dataset has ended, is not counted.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from graph.spatial import EARTH_RADIUS_KM, MARGIN, coordinates, haversine_km
from graph.store import SITE_LABELS, GraphStore
from ontology.errors import InvalidParameter, NotFound
from ontology.records import valid_on
from ontology.vocab import Prop, StakeLevel
from queries import named
from queries.evidence import number
from queries.resolve import resolve_place

DEFAULT_RADIUS_KM = 50.0
MAX_RADIUS_KM = 2000.0
DISTANCE = f"haversine great-circle distance on a sphere of the mean Earth radius ({EARTH_RADIUS_KM} km)"
NO_COORDINATES = "no coordinates: distances unknown"


@dataclass(frozen=True)
class Owner:
    id: str
    percentage: float | None
    parent: bool = False  # an ultimate parent's attributed share (stake_level), not a direct stake


@dataclass(frozen=True)
class Plant:
    id: str
    props: dict[str, Any]
    distance_km: float
    owners: tuple[Owner, ...]

    @property
    def capacity_mw(self) -> float | None:
        return number(self.props.get(Prop.CAPACITY_MW))

    @property
    def fuels(self) -> list[str]:
        fuel = self.props.get(Prop.FUEL)
        return sorted(str(f) for f in fuel) if isinstance(fuel, list) else [str(fuel)] if fuel else []


@dataclass(frozen=True)
class Centre:
    latitude: float
    longitude: float
    precision: str | None
    place: str | None  # the place whose centroid stands in; None for the site's own coordinates


@dataclass(frozen=True)
class SitePower:
    site: str
    centre: Centre | None
    plants: tuple[Plant, ...]

    @property
    def capacity_mw(self) -> float:
        return sum(p.capacity_mw or 0.0 for p in self.plants)


def _holds(props: dict[str, Any], day: dt.date) -> bool:
    return valid_on(props, day) and props.get(Prop.ENDED_IN) is None


def _centre(site: dict[str, Any], place: dict[str, Any] | None) -> Centre | None:
    own = coordinates(site)
    if own is not None:
        return Centre(*own, _text(site.get(Prop.COORD_PRECISION)), None)
    props = place["props"] if place else {}
    found = coordinates(props)
    if place is None or found is None:
        return None
    return Centre(*found, _text(props.get(Prop.COORD_PRECISION)), str(place["id"]))


def _text(value: object) -> str | None:
    return str(value) if value is not None else None


def plant_within(row: dict[str, Any], centre: Centre, day: dt.date, within_km: float) -> Plant | None:
    where = coordinates(row["props"])
    if where is None or not _holds(row["props"], day):
        return None
    distance = haversine_km((centre.latitude, centre.longitude), where)
    if distance > within_km:
        return None
    owners = sorted(
        (
            Owner(o["source"], number(o["edge"].get(Prop.PERCENTAGE)), _is_parent(o["edge"]))
            for o in row["owners"]
            if _holds(o["edge"], day)
        ),
        key=lambda o: (o.id, o.parent),
    )
    return Plant(str(row["id"]), row["props"], round(distance, 3), tuple(owners))


def _site(row: dict[str, Any], day: dt.date, within_km: float) -> SitePower:
    centre = _centre(row["site"], row["place"])
    found = [plant_within(p, centre, day, within_km) for p in row["plants"]] if centre else []
    plants = sorted((p for p in found if p is not None), key=lambda p: (p.distance_km, p.id))
    return SitePower(str(row["id"]), centre, tuple(plants))


def check_radius(within_km: float) -> float:
    """The radius, if it is a positive number of km up to MAX_RADIUS_KM. Raises `InvalidParameter`."""
    if not 0 < within_km <= MAX_RADIUS_KM:
        raise InvalidParameter(f"within_km must be more than 0 and at most {MAX_RADIUS_KM:g} km, got {within_km:g}")
    return within_km


def sites_power(
    store: GraphStore, *, region_id: str | None, site_id: str | None, within_km: float, day: dt.date
) -> list[SitePower]:
    """Each site of the region (or the one site) with the plants within `within_km` of it, nearest first."""
    radius_m = check_radius(within_km) * 1000.0 * MARGIN  # Neo4j's larger sphere: pre-filter a little wider
    rows = named.run(store, "power_near", region_id=region_id or "", site_id=site_id or "", radius_m=radius_m)
    return sorted((_site(row, day, within_km) for row in rows), key=lambda s: s.site)


@dataclass(frozen=True)
class PowerNear:
    region: str | None
    site: str | None
    within_km: float
    as_of: dt.date
    sites: list[SitePower]


def power_near(
    store: GraphStore,
    *,
    region: str | None = None,
    site: str | None = None,
    within_km: float = DEFAULT_RADIUS_KM,
    as_of: dt.date | None = None,
) -> PowerNear:
    """The plants near every site of `region`, or near `site`. Raises `NotFound` for an unknown region
    or site, `InvalidParameter` unless exactly one of them is given or for a radius out of range."""
    if (region is None) == (site is None):
        raise InvalidParameter("give a region or a site (one of them)")
    day = as_of or dt.date.today()
    region_id = resolve_place(store, region).id if region is not None else None
    if site is not None:
        node = store.node(site)
        if node is None or not any(label in node.labels for label in SITE_LABELS):
            raise NotFound("site", site, [])
    found = sites_power(store, region_id=region_id, site_id=site, within_km=within_km, day=day)
    return PowerNear(region_id, site, within_km, day, found)


def by_fuel(plants: tuple[Plant, ...]) -> dict[str, tuple[int, float]]:
    """Plants and capacity per fuel key ('coal', 'coal+solar', 'unknown')."""
    totals: dict[str, tuple[int, float]] = defaultdict(lambda: (0, 0.0))
    for plant in plants:
        key = "+".join(plant.fuels) or "unknown"
        count, capacity = totals[key]
        totals[key] = (count + 1, capacity + (plant.capacity_mw or 0.0))
    return dict(totals)


def by_owner(plants: tuple[Plant, ...]) -> dict[str, tuple[int, float, float | None]]:
    """Plants, capacity and capacity × share per owner (the last None where a share is unknown).

    A plant counts once per owner: an owner that is both a direct owner and the ultimate parent of
    a plant is counted by its direct stake; a parent only, by the share attributed to it."""
    totals: dict[str, tuple[int, float, float | None]] = {}
    for plant in plants:
        capacity = plant.capacity_mw or 0.0
        for owner in _one_stake_each(plant.owners):
            count, total, share = totals.get(owner.id, (0, 0.0, 0.0))
            part = capacity * owner.percentage / 100 if owner.percentage is not None else None
            totals[owner.id] = (
                count + 1,
                total + capacity,
                share + part if share is not None and part is not None else None,
            )
    return totals


def _one_stake_each(owners: tuple[Owner, ...]) -> list[Owner]:
    """Each owner once: its direct stake where it has one, else its share as a parent."""
    chosen: dict[str, Owner] = {}
    for owner in owners:
        if owner.id not in chosen or (chosen[owner.id].parent and not owner.parent):
            chosen[owner.id] = owner
    return list(chosen.values())


def _is_parent(stake: dict[str, Any]) -> bool:
    return stake.get(Prop.STAKE_LEVEL) == StakeLevel.ULTIMATE_PARENT
