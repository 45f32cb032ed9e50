// name: neighbours
// description: The relationships of one node in both directions, with the node at the other end.
// param: id STRING -- node id
// example: :param {id: 'dc-nyocor-xinjiang'}
MATCH (n:Entity|Source {id: $id})-[r]-(other)
RETURN type(r) AS type, startNode(r).id AS source, endNode(r).id AS target, properties(r) AS props,
       other.id AS other_id, other.name AS other_name
ORDER BY r.id
