// name: power_near
// description: Sites (data centres, project aggregates) in a region or one site, each with the first place it is LOCATED_IN that has a point (for a site without coordinates of its own), and the power plants whose point lies within $radius_m of the site's point — or else of that place's — by point.distance (served by the point index), with the OWNS edges into each plant.
// param: region_id STRING -- place id (sites in it or in any place inside it); '' with site_id
// param: site_id STRING -- one site id; '' with region_id
// param: radius_m FLOAT -- radius in metres, on Neo4j's sphere (6378.14 km)
// example: :param {region_id: 'place-cn-xj', site_id: '', radius_m: 50500.0}
// Plan: the site, or the region, by its id (index seeks), the region's sites inward through PART_OF; plants by the point index.
CALL () {
  MATCH (site:Entity {id: $site_id}) USING INDEX SEEK site:Entity(id) WHERE site:DataCenter OR site:ProjectAggregate RETURN site
  UNION
  MATCH (region:Entity {id: $region_id}) USING INDEX SEEK region:Entity(id) WHERE region:Place
  MATCH (site)-[:LOCATED_IN]->(:Place)-[:PART_OF]->*(region)
  WHERE site:DataCenter OR site:ProjectAggregate
  RETURN site
}
WITH site, COLLECT { MATCH (site)-[:LOCATED_IN]->(place:Place) WHERE place.location IS NOT NULL RETURN place ORDER BY place.id LIMIT 1 } AS homes
WITH site, homes[0] AS home
WITH site, home, coalesce(site.location, home.location) AS here
CALL (here) {
  MATCH (plant:PowerPlant)
  WHERE point.distance(plant.location, here) < $radius_m
  RETURN collect({id: plant.id, props: properties(plant),
                  owners: COLLECT { MATCH (owner)-[o:OWNS]->(plant) RETURN {source: owner.id, edge: properties(o)} }}) AS plants
}
RETURN site.id AS id, properties(site) AS site,
       CASE WHEN home IS NULL THEN null ELSE {id: home.id, props: properties(home)} END AS place,
       plants
