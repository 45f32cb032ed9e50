// name: sites_within
// description: Data centres and reported project aggregates located in a region or any place inside it.
// param: region_id STRING -- place id
// example: :param {region_id: 'place-cn-xj'}
MATCH (site)-[:LOCATED_IN]->(:Place)-[:PART_OF]->*(:Place {id: $region_id})
WHERE site:DataCenter OR site:ProjectAggregate
RETURN DISTINCT site.id AS id
ORDER BY id
