// name: places_within
// description: A place and every place inside it, transitively through PART_OF.
// param: place_id STRING -- place id
// example: :param {place_id: 'place-cn-xj'}
// Plan: the place by its id (an index seek), then inward through PART_OF.
MATCH (place:Entity {id: $place_id}) USING INDEX SEEK place:Entity(id) WHERE place:Place
MATCH (inside:Place)-[:PART_OF]->*(place)
RETURN DISTINCT inside.id AS id
ORDER BY id
