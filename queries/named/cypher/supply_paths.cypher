// name: supply_paths
// description: Node-simple paths of SUPPLIES edges that carry the chip model and are valid on $as_of, from an organisation that designs or manufactures it to a data centre or project located (through PART_OF) in the region. The route rules of chiptrail routes.
// param: chip_id STRING -- chip model id
// param: region_id STRING -- place id; every place inside it counts
// param: max_hops INTEGER -- longest path, 1 to 20 (quantifier bounds cannot be parameters: chiptrail tightens {1,20} to {1,max_hops} before running it)
// param: as_of DATE -- edges not valid on this date are ignored; null ignores dates
// example: :param {chip_id: 'chip-nvidia-h100-sxm', region_id: 'place-cn-xj', max_hops: 6, as_of: date('2026-11-28')}
// Plan: the chip and the region by their ids (index seeks), the region's sites inward through PART_OF, paths back from them.
MATCH (chip:Entity {id: $chip_id}) USING INDEX SEEK chip:Entity(id) WHERE chip:ChipModel
MATCH (region:Entity {id: $region_id}) USING INDEX SEEK region:Entity(id) WHERE region:Place
MATCH (site)-[:LOCATED_IN]->(:Place)-[:PART_OF]->*(region)
WHERE site:DataCenter OR site:ProjectAggregate
WITH DISTINCT chip, site
MATCH p = (origin:Organization)
          ((a)-[s:SUPPLIES WHERE $chip_id IN s.chips
                AND ($as_of IS NULL OR s.valid_from IS NULL OR s.valid_from <= $as_of)
                AND ($as_of IS NULL OR s.valid_to IS NULL OR s.valid_to >= $as_of)]->(b)){1,20}
          (site)
WHERE length(p) <= $max_hops
  AND EXISTS { (origin)-[:DESIGNS|MANUFACTURES]->(chip) }
  AND all(i IN range(0, length(p) - 1) WHERE NOT nodes(p)[i] IN nodes(p)[i + 1..])
RETURN [r IN relationships(p) | {type: type(r), source: startNode(r).id, target: endNode(r).id, props: properties(r)}] AS edges
