// name: sites_within
// description: Data centres and reported project aggregates located in a region or any place inside it.
// param: region_id STRING -- place id
// example: :param {region_id: 'place-cn-xj'}
// Plan: the region by its id (an index seek), then inward through PART_OF to its places' sites.
MATCH (region:Entity {id: $region_id}) USING INDEX SEEK region:Entity(id) WHERE region:Place
MATCH (site)-[:LOCATED_IN]->(:Place)-[:PART_OF]->*(region)
WHERE site:DataCenter OR site:ProjectAggregate
RETURN DISTINCT site.id AS id
ORDER BY id
