// name: designations
// description: Designations of organisations (DESIGNATED_BY edges) with their dates, citation and licence terms, the listing action and the lists it amends; every designation when org_ids is null. A party also carries the designations of every record in its positive SAME_AS cluster: `member` is the record designated and `merges` the SAME_AS edges crossed from it to the party (the shortest such path, ties broken by edge ids; empty when the party is the member). Whether one is in force on a date is decided by its valid_from and valid_to.
// param: org_ids LIST<STRING> -- organisation ids, or null for every designated party
// example: :param {org_ids: ['org-sugon', 'org-huawei']}
// Plan: the parties by their ids (index seeks), or with null every designated record and its positive SAME_AS cluster; then paths from each party back to the designated records.
CALL () {
  MATCH (party:Entity) USING INDEX SEEK party:Entity(id) WHERE party.id IN $org_ids AND party:Organization
  RETURN party
  UNION
  UNWIND CASE WHEN $org_ids IS NULL THEN [true] ELSE [] END AS every
  MATCH (designated:Organization)-[:DESIGNATED_BY]->(:ListingAction)
  MATCH (designated)-[:SAME_AS {judgement: 'positive'}]-*(party:Organization)
  RETURN party
}
MATCH p = (member:Organization)((x)-[s:SAME_AS WHERE s.judgement = 'positive']-(y)){0,8}(party)
MATCH (member)-[designation:DESIGNATED_BY]->(listing:ListingAction)
WHERE all(i IN range(0, length(p) - 1) WHERE NOT nodes(p)[i] IN nodes(p)[i + 1..])
WITH party, member, designation, listing, p
ORDER BY length(p), [r IN relationships(p) | r.id]
WITH party, member, designation, listing, head(collect([r IN relationships(p) | {type: type(r), source: startNode(r).id, target: endNode(r).id, props: properties(r)}])) AS merges
RETURN party.id AS party,
       member.id AS member,
       properties(designation) AS edge,
       properties(listing) AS listing,
       COLLECT { MATCH (listing)-[:AMENDS]->(list:SanctionsList) RETURN list.id ORDER BY list.id } AS lists,
       merges
ORDER BY party, edge.id
