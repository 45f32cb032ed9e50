// name: near_point
// description: The sites (data centres, project aggregates) and the power plants whose point lies within $radius_m of a point, by point.distance (served by the point index of each label), with the OWNS edges into each plant, and how many sites have no point at all.
// param: lat FLOAT -- latitude of the point, degrees (-90 to 90)
// param: lon FLOAT -- longitude of the point, degrees (-180 to 180)
// param: radius_m FLOAT -- radius in metres, on Neo4j's sphere (6378.14 km)
// example: :param {lat: 42.8, lon: 93.5, radius_m: 50500.0}
// Plan: sites and plants by the point index of each label; the count of sites without a point scans the two site labels, since no index holds a missing property.
CALL () {
  MATCH (site:DataCenter) WHERE point.distance(site.location, point({latitude: $lat, longitude: $lon})) < $radius_m
  RETURN site
  UNION
  MATCH (site:ProjectAggregate) WHERE point.distance(site.location, point({latitude: $lat, longitude: $lon})) < $radius_m
  RETURN site
}
WITH site ORDER BY site.id
WITH collect({id: site.id, props: properties(site)}) AS sites
CALL () {
  MATCH (plant:PowerPlant)
  WHERE point.distance(plant.location, point({latitude: $lat, longitude: $lon})) < $radius_m
  WITH plant ORDER BY plant.id
  RETURN collect({id: plant.id, props: properties(plant),
                  owners: COLLECT { MATCH (owner)-[o:OWNS]->(plant) RETURN {source: owner.id, edge: properties(o)} ORDER BY owner.id, o.id }}) AS plants
}
RETURN sites, plants,
       COUNT { MATCH (site:DataCenter|ProjectAggregate) WHERE site.location IS NULL } AS unlocated
