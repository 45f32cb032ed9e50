// name: entity
// description: One node by id, name, alias or Chinese name, with its labels and properties (its evidence included).
// param: term STRING -- id or name
// example: :param {term: 'Nyocor'}
// Plan: a scan of every Entity and Source: no index serves a name compared case-insensitively or an alias in a list.
MATCH (n)
WHERE (n:Entity OR n:Source)
  AND (n.id = $term OR toLower(n.name) = toLower($term) OR n.name_zh = $term OR $term IN coalesce(n.aliases, []))
RETURN n.id AS id, COLLECT { UNWIND labels(n) AS label RETURN label ORDER BY label } AS labels, properties(n) AS props
ORDER BY id
