"""Power near a point: the sites and the power plants within a radius of a latitude and longitude,
with capacity, fuel, owners and great-circle distance, and totals by fuel and by owner.

Only a site's own coordinates count here (a place's centroid is not where a site is); the answer
says how many sites in the graph have no coordinates, so the reader knows what cannot be placed.
Distances, radius and dates are as in `queries.power`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from graph.spatial import MARGIN, coordinates, haversine_km
from graph.store import GraphStore
from ontology.errors import InvalidParameter
from ontology.vocab import Prop
from queries import named
from queries.power import DEFAULT_RADIUS_KM, Centre, Plant, check_radius, plant_within


@dataclass(frozen=True)
class NearSite:
    id: str
    distance_km: float
    centre: Centre


@dataclass(frozen=True)
class PowerAtPoint:
    latitude: float
    longitude: float
    within_km: float
    as_of: dt.date
    sites: tuple[NearSite, ...]
    plants: tuple[Plant, ...]
    unlocated_sites: int

    @property
    def capacity_mw(self) -> float:
        return sum(p.capacity_mw or 0.0 for p in self.plants)


def check_point(latitude: float, longitude: float) -> tuple[float, float]:
    """The point, if its latitude is within ±90 and its longitude within ±180. Raises `InvalidParameter`."""
    if not -90.0 <= latitude <= 90.0:
        raise InvalidParameter(f"latitude must be from -90 to 90 degrees, got {latitude:g}")
    if not -180.0 <= longitude <= 180.0:
        raise InvalidParameter(f"longitude must be from -180 to 180 degrees, got {longitude:g}")
    return latitude, longitude


def _site(row: dict[str, Any], here: tuple[float, float], within_km: float) -> NearSite | None:
    where = coordinates(row["props"])
    if where is None:
        return None
    distance = haversine_km(here, where)
    if distance > within_km:
        return None
    precision = row["props"].get(Prop.COORD_PRECISION)
    centre = Centre(*where, str(precision) if precision is not None else None, None)
    return NearSite(str(row["id"]), round(distance, 3), centre)


def power_at_point(
    store: GraphStore,
    latitude: float,
    longitude: float,
    *,
    within_km: float = DEFAULT_RADIUS_KM,
    as_of: dt.date | None = None,
) -> PowerAtPoint:
    """The sites and plants within `within_km` of the point, nearest first. Raises `InvalidParameter`
    for a point or a radius out of range."""
    here = check_point(latitude, longitude)
    radius_m = check_radius(within_km) * 1000.0 * MARGIN  # Neo4j's larger sphere: pre-filter a little wider
    day = as_of or dt.date.today()
    [row] = named.run(store, "near_point", lat=here[0], lon=here[1], radius_m=radius_m)
    found_sites = (_site(s, here, within_km) for s in row["sites"])
    sites = sorted((s for s in found_sites if s is not None), key=lambda s: (s.distance_km, s.id))
    centre = Centre(*here, None, None)
    found_plants = (plant_within(p, centre, day, within_km) for p in row["plants"])
    plants = sorted((p for p in found_plants if p is not None), key=lambda p: (p.distance_km, p.id))
    return PowerAtPoint(*here, within_km, day, tuple(sites), tuple(plants), int(row["unlocated"]))
