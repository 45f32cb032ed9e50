// name: places_within
// description: A place and every place inside it, transitively through PART_OF.
// param: place_id STRING -- place id
// example: :param {place_id: 'place-cn-xj'}
MATCH (inside:Place)-[:PART_OF]->*(:Place {id: $place_id})
RETURN DISTINCT inside.id AS id
ORDER BY id
