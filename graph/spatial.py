"""Coordinates on a sphere: great-circle distances and the spatial indexes both backends keep.

Distances are haversine great-circle distances on a sphere of the mean Earth radius (IUGG,
6371.0088 km): within about 0.5 % of the ellipsoidal (geodesic) distance, more than the
precision of a county centroid. Neo4j's own `point.distance` uses a radius of 6378.14 km, so
a Neo4j query only pre-filters with it (with `MARGIN` to spare) and the answer keeps the
candidates whose haversine distance, computed here, is within the radius.

The embedded store indexes points with scipy's `cKDTree` over unit vectors: the straight-line
(chord) distance between two unit vectors is 2·sin(θ/2) for the central angle θ, a monotonic
function of the great-circle distance, so a ball query of the matching chord radius finds
exactly the points within a great-circle radius, across the antimeridian and at the poles with
no special case.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from ontology.vocab import Derived, Label, Prop

if TYPE_CHECKING:  # numpy and scipy load with the first index built: a command that never builds one starts faster
    import numpy as np

EARTH_RADIUS_KM = 6371.0088  # mean Earth radius (IUGG)
NEO4J_EARTH_RADIUS_M = 6378140.0  # what Neo4j's point.distance uses for WGS-84 points
MARGIN = 1.01  # pre-filter radius / asked radius: covers the two radii's 0.11 % difference
POINT_LABELS = (Label.DATA_CENTER, Label.PROJECT_AGGREGATE, Label.POWER_PLANT, Label.PLACE)  # ct:location's domain


def coordinates(props: Mapping[str, Any]) -> tuple[float, float] | None:
    """(latitude, longitude) of a record carrying both as numbers, else None."""
    lat, lon = props.get(Prop.LATITUDE), props.get(Prop.LONGITUDE)
    if isinstance(lat, bool) or isinstance(lon, bool) or not isinstance(lat, int | float):
        return None
    return (float(lat), float(lon)) if isinstance(lon, int | float) else None


def haversine_km(a: tuple[float, float], b: tuple[float, float], radius_km: float = EARTH_RADIUS_KM) -> float:
    """Great-circle distance between two (latitude, longitude) points in degrees, in km."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * radius_km * math.asin(min(1.0, math.sqrt(h)))


def neo4j_distance_m(a: tuple[float, float], b: tuple[float, float]) -> float:
    """What Neo4j's `point.distance` gives for two WGS-84 points (its radius), in metres."""
    return haversine_km(a, b, NEO4J_EARTH_RADIUS_M / 1000.0) * 1000.0


def with_location(props: Mapping[str, Any]) -> dict[str, Any]:
    """Properties as Neo4j stores them: plus a WGS-84 `location` point where latitude and longitude
    are both given (derived on every write, so it never disagrees with them)."""
    stored = {k: v for k, v in props.items() if k != Derived.LOCATION}
    if (point := location_of(props)) is not None:
        stored[Derived.LOCATION] = point
    return stored


def location_of(props: Mapping[str, Any]) -> Any:
    """The WGS-84 point Neo4j stores as `location` for a record with both coordinates, else None."""
    found = coordinates(props)
    if found is None:
        return None
    from neo4j.spatial import WGS84Point  # only a Neo4j store writes points

    return WGS84Point((found[1], found[0]))


def _unit_vectors(points: np.ndarray[Any, np.dtype[np.float64]]) -> np.ndarray[Any, np.dtype[np.float64]]:
    import numpy as np

    lat, lon = np.radians(points[:, 0]), np.radians(points[:, 1])
    return np.column_stack((np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)))


def chord(radius_km: float) -> float:
    """The straight-line distance between unit vectors `radius_km` apart on the Earth's surface."""
    angle = min(radius_km / EARTH_RADIUS_KM, math.pi)
    return 2 * math.sin(angle / 2)


class PointIndex:
    """Ids with (latitude, longitude), indexed for radius queries (a k-d tree over unit vectors)."""

    def __init__(self, entries: Iterable[tuple[str, tuple[float, float]]]) -> None:
        import numpy as np
        from scipy.spatial import cKDTree

        pairs = list(entries)
        self.ids = [i for i, _ in pairs]
        self.points = np.array([p for _, p in pairs], dtype=np.float64).reshape(-1, 2)
        self._tree = cKDTree(_unit_vectors(self.points)) if pairs else None

    def within(self, centre: tuple[float, float], radius_km: float) -> list[str]:
        """Ids within `radius_km` great-circle distance of `centre` (unsorted)."""
        import numpy as np

        if self._tree is None:
            return []
        vector = _unit_vectors(np.array([centre], dtype=np.float64))[0]
        return [self.ids[i] for i in self._tree.query_ball_point(vector, chord(radius_km) * (1 + 1e-12))]

    def scan(self, centre: tuple[float, float], radius_km: float) -> list[str]:
        """The same answer by a linear scan of every point, vectorised (the baseline the index is
        measured against in bench/spatial.py)."""
        import numpy as np

        lat1, lon1 = math.radians(centre[0]), math.radians(centre[1])
        lat2, lon2 = np.radians(self.points[:, 0]), np.radians(self.points[:, 1])
        h = np.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
        km = 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(h)))
        return [self.ids[i] for i in np.flatnonzero(km <= radius_km)]
