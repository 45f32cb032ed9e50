// name: owners
// description: Ownership chains into an organisation: node-simple paths of up to 6 OWNS edges valid on $as_of that end at it, each edge with its percentage (absent when unknown). Indirect stakes and the affiliates rule are computed from these.
// param: org_id STRING -- the organisation owned
// param: as_of DATE -- edges not valid on this date are ignored; null ignores dates
// example: :param {org_id: 'scn-jadeport', as_of: date('2026-11-28')}
MATCH p = (owner:Organization)
          ((a)-[o:OWNS WHERE ($as_of IS NULL OR o.valid_from IS NULL OR o.valid_from <= $as_of)
                         AND ($as_of IS NULL OR o.valid_to IS NULL OR o.valid_to >= $as_of)]->(b)){1,6}
          (owned:Organization {id: $org_id})
WHERE all(i IN range(0, length(p) - 1) WHERE NOT nodes(p)[i] IN nodes(p)[i + 1..])
RETURN [r IN relationships(p) | {type: type(r), source: startNode(r).id, target: endNode(r).id, props: properties(r)}] AS edges
