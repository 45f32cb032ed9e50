// name: owners
// description: Ownership chains into an organisation: node-simple paths of up to 10 edges valid on $as_of that end at it, each an OWNS edge (owner to owned, with its percentage, absent when unknown) or a positive SAME_AS edge in either direction, so stakes recorded on any member of a cluster count for the cluster. A chain starts with an OWNS edge. Indirect stakes and the affiliates rule are computed from these.
// param: org_id STRING -- the organisation owned
// param: as_of DATE -- edges not valid on this date are ignored; null ignores dates
// example: :param {org_id: 'scn-jadeport', as_of: date('2026-11-28')}
// Plan: the organisation by its id (an index seek), then chains back from it.
MATCH (owned:Entity {id: $org_id}) USING INDEX SEEK owned:Entity(id) WHERE owned:Organization
MATCH p = (owner:Organization)
          ((a)-[o:OWNS|SAME_AS]-(b)
            WHERE (type(o) = 'SAME_AS' AND o.judgement = 'positive')
               OR (type(o) = 'OWNS' AND startNode(o) = a
                   AND ($as_of IS NULL OR o.valid_from IS NULL OR o.valid_from <= $as_of)
                   AND ($as_of IS NULL OR o.valid_to IS NULL OR o.valid_to >= $as_of))){1,10}
          (owned)
WHERE all(i IN range(0, length(p) - 1) WHERE NOT nodes(p)[i] IN nodes(p)[i + 1..])
  AND type(relationships(p)[0]) = 'OWNS'
RETURN [r IN relationships(p) | {type: type(r), source: startNode(r).id, target: endNode(r).id, props: properties(r)}] AS edges
