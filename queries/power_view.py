"""The power answer: each site's coordinates (and where they come from), its nearby plants, totals."""

from __future__ import annotations

from ontology.vocab import Prop, StakeLevel
from queries.answers import (
    Coordinates,
    FuelTotal,
    NearbyPlant,
    OwnerTotal,
    PlantOwner,
    PointPowerAnswer,
    PointQuery,
    PowerAnswer,
    PowerQuery,
    PowerSite,
    PowerTotals,
)
from queries.answers import NearSite as NearSiteAnswer
from queries.power import DISTANCE, NO_COORDINATES, Centre, Plant, PowerNear, SitePower, by_fuel, by_owner
from queries.power_point import PowerAtPoint
from queries.views import Viewer

PARENT = StakeLevel.ULTIMATE_PARENT


def _coordinates(viewer: Viewer, centre: Centre | None) -> Coordinates | None:
    if centre is None:
        return None
    place = viewer.ref(centre.place) if centre.place else None
    origin = "place" if centre.place else "own"
    return Coordinates(
        latitude=centre.latitude, longitude=centre.longitude, precision=centre.precision, origin=origin, place=place
    )


def _note(viewer: Viewer, centre: Centre | None) -> str | None:
    if centre is None:
        return NO_COORDINATES
    if centre.place is None:
        return None
    name = viewer.ref(centre.place).name
    return f"no coordinates of its own: measured from those of {name} ({centre.precision or 'precision unknown'})"


def _plant(viewer: Viewer, plant: Plant) -> NearbyPlant:
    status, precision = plant.props.get(Prop.STATUS), plant.props.get(Prop.COORD_PRECISION)
    return NearbyPlant(
        plant=viewer.ref(plant.id),
        distance_km=plant.distance_km,
        capacity_mw=plant.capacity_mw,
        fuel=plant.fuels,
        status=str(status) if status is not None else None,
        precision=str(precision) if precision is not None else None,
        owners=[
            PlantOwner(owner=viewer.ref(o.id), percentage=o.percentage, stake_level=PARENT if o.parent else None)
            for o in plant.owners
        ],
    )


def totals(viewer: Viewer, plants: tuple[Plant, ...]) -> PowerTotals:
    """Capacity of the plants, in all, by fuel and by owner (largest first)."""
    fuels = sorted(by_fuel(plants).items(), key=lambda kv: (-kv[1][1], kv[0]))
    owners = sorted(by_owner(plants).items(), key=lambda kv: (-kv[1][1], kv[0]))
    return PowerTotals(
        plants=len(plants),
        capacity_mw=round(sum(p.capacity_mw or 0.0 for p in plants), 3),
        unknown_capacity=sum(1 for p in plants if p.capacity_mw is None),
        by_fuel=[FuelTotal(fuel=f, plants=n, capacity_mw=round(c, 3)) for f, (n, c) in fuels],
        by_owner=[
            OwnerTotal(
                owner=viewer.ref(o),
                plants=n,
                capacity_mw=round(c, 3),
                attributable_mw=round(a, 3) if a is not None else None,
            )
            for o, (n, c, a) in owners
        ],
    )


def _site(viewer: Viewer, site: SitePower) -> PowerSite:
    return PowerSite(
        site=viewer.ref(site.site),
        coordinates=_coordinates(viewer, site.centre),
        note=_note(viewer, site.centre),
        plants=[_plant(viewer, p) for p in site.plants],
        totals=totals(viewer, site.plants),
    )


def power_view(viewer: Viewer, answer: PowerNear) -> PowerAnswer:
    ids = {s.site for s in answer.sites} | {s.centre.place for s in answer.sites if s.centre and s.centre.place}
    ids |= {p.id for s in answer.sites for p in s.plants} | {
        o.id for s in answer.sites for p in s.plants for o in p.owners
    }
    viewer.prefetch(ids | {i for i in (answer.region, answer.site) if i})
    sites = [_site(viewer, s) for s in answer.sites]
    query = PowerQuery(
        region=viewer.ref(answer.region) if answer.region else None,
        site=viewer.ref(answer.site) if answer.site else None,
        within_km=answer.within_km,
        as_of=answer.as_of.isoformat(),
        distance=DISTANCE,
    )
    return PowerAnswer(query=query, sites=sites, illustrative=any(viewer.ref(i).illustrative for i in ids))


def point_view(viewer: Viewer, answer: PowerAtPoint) -> PointPowerAnswer:
    """The sites and plants near a point, with the plants' totals by fuel and owner."""
    ids = {s.id for s in answer.sites} | {p.id for p in answer.plants}
    ids |= {o.id for p in answer.plants for o in p.owners}
    viewer.prefetch(ids)
    query = PointQuery(
        latitude=answer.latitude,
        longitude=answer.longitude,
        within_km=answer.within_km,
        as_of=answer.as_of.isoformat(),
        distance=DISTANCE,
    )
    return PointPowerAnswer(
        query=query,
        sites=[
            NearSiteAnswer(site=viewer.ref(s.id), distance_km=s.distance_km, coordinates=_own(s.centre))
            for s in answer.sites
        ],
        sites_without_coordinates=answer.unlocated_sites,
        plants=[_plant(viewer, p) for p in answer.plants],
        totals=totals(viewer, answer.plants),
        illustrative=any(viewer.ref(i).illustrative for i in ids),
    )


def _own(centre: Centre) -> Coordinates:
    return Coordinates(latitude=centre.latitude, longitude=centre.longitude, precision=centre.precision, origin="own")
