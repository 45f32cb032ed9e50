// name: subgraph
// description: Every node within $depth hops of the seeds, in either direction, following only relationships of the given types that are valid on $as_of, and every relationship traversed. One row: nodes and edges, each sorted by id. What chiptrail export writes out.
// param: seeds LIST<STRING> -- node ids to start from (unknown ids match nothing)
// param: depth INTEGER -- hops from a seed, 0 to 3 (quantifier bounds cannot be parameters: chiptrail tightens {0,3} to {0,depth} before running it)
// param: types LIST<STRING> -- relationship types to follow; an empty list follows every type
// param: as_of DATE -- relationships not valid on this date are not followed; null ignores dates
// example: :param {seeds: ['dc-nyocor-xinjiang'], depth: 1, types: [], as_of: null}
MATCH (seed:Entity|Source)
WHERE seed.id IN $seeds
MATCH p = (seed)
          ((a)-[r WHERE (size($types) = 0 OR type(r) IN $types)
                AND ($as_of IS NULL OR r.valid_from IS NULL OR r.valid_from <= $as_of)
                AND ($as_of IS NULL OR r.valid_to IS NULL OR r.valid_to >= $as_of)]-(b)){0,3}
          (n)
WHERE length(p) <= $depth
UNWIND CASE WHEN length(p) = 0 THEN [null] ELSE relationships(p) END AS hop
WITH collect(DISTINCT n) AS found, collect(DISTINCT hop) AS traversed
RETURN COLLECT {
         UNWIND found AS x
         RETURN {id: x.id, labels: COLLECT { UNWIND labels(x) AS label RETURN label ORDER BY label }, props: properties(x)}
         ORDER BY x.id
       } AS nodes,
       COLLECT {
         UNWIND traversed AS e
         RETURN {type: type(e), source: startNode(e).id, target: endNode(e).id, props: properties(e)}
         ORDER BY e.id
       } AS edges
