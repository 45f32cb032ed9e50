// name: deployments
// description: Chips of a model reported (planned or installed) at sites in a region, valid on $as_of. Those no route reaches are the leads of chiptrail routes.
// param: chip_id STRING -- chip model id
// param: region_id STRING -- place id
// param: as_of DATE -- null ignores dates
// example: :param {chip_id: 'chip-nvidia-h100-sxm', region_id: 'place-cn-xj', as_of: date('2026-11-28')}
// Plan: the chip model by its id (an index seek), then its DEPLOYS edges.
MATCH (chip:Entity {id: $chip_id}) USING INDEX SEEK chip:Entity(id) WHERE chip:ChipModel
MATCH (site)-[d:DEPLOYS]->(chip)
WHERE (site:DataCenter OR site:ProjectAggregate)
  AND EXISTS { (site)-[:LOCATED_IN]->(:Place)-[:PART_OF]->*(:Place {id: $region_id}) }
  AND ($as_of IS NULL OR d.valid_from IS NULL OR d.valid_from <= $as_of)
  AND ($as_of IS NULL OR d.valid_to IS NULL OR d.valid_to >= $as_of)
RETURN {type: type(d), source: site.id, target: chip.id, props: properties(d)} AS edge
ORDER BY d.id
