// name: region_chips
// description: Chip models that reach sites in a region: carried by a SUPPLIES edge into a data centre or project located in it (through PART_OF), or deployed there, valid on $as_of. Exposure, what-if and chokepoints trace routes for these chip models only.
// param: region_id STRING -- place id; every place inside it counts
// param: as_of DATE -- edges not valid on this date are ignored; null ignores dates
// example: :param {region_id: 'place-cn-xj', as_of: date('2026-11-28')}
// Plan: the region by its id (an index seek), then inward through PART_OF to its places' sites.
MATCH (region:Entity {id: $region_id}) USING INDEX SEEK region:Entity(id) WHERE region:Place
MATCH (site)-[:LOCATED_IN]->(:Place)-[:PART_OF]->*(region)
WHERE site:DataCenter OR site:ProjectAggregate
WITH DISTINCT site
WITH COLLECT {
       MATCH ()-[s:SUPPLIES]->(site)
       WHERE ($as_of IS NULL OR s.valid_from IS NULL OR s.valid_from <= $as_of)
         AND ($as_of IS NULL OR s.valid_to IS NULL OR s.valid_to >= $as_of)
       UNWIND s.chips AS chip
       RETURN chip
     } + COLLECT {
       MATCH (site)-[d:DEPLOYS]->(model:ChipModel)
       WHERE ($as_of IS NULL OR d.valid_from IS NULL OR d.valid_from <= $as_of)
         AND ($as_of IS NULL OR d.valid_to IS NULL OR d.valid_to >= $as_of)
       RETURN model.id
     } AS chips
UNWIND chips AS chip
RETURN DISTINCT chip AS id
ORDER BY id
