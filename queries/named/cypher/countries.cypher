// name: countries
// description: The country (ISO 3166-1 code) each node lies in: a site through LOCATED_IN and then PART_OF, a place through PART_OF (a country is its own). The smallest code when a node lies in several; null when none is known. Restriction decisions are made for this country.
// param: node_ids LIST<STRING> -- ids of sites, organisations or places
// example: :param {node_ids: ['dc-nyocor-xinjiang', 'place-cn-xj-hami', 'place-hk']}
UNWIND $node_ids AS node_id
MATCH (n:Entity {id: node_id}) USING INDEX SEEK n:Entity(id)
WITH node_id, n, EXISTS { (n)-[:LOCATED_IN]->() } AS sited
OPTIONAL MATCH (n)-[:LOCATED_IN]->(:Place)-[:PART_OF]->*(located:Country)
WITH node_id, n, sited, min(located.iso3166) AS via_site
OPTIONAL MATCH (n)-[:PART_OF]->*(within:Country)
WITH node_id, sited, via_site, min(within.iso3166) AS via_place
RETURN node_id AS id, CASE WHEN sited THEN via_site ELSE via_place END AS country
ORDER BY id
