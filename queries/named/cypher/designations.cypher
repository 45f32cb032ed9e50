// name: designations
// description: Designations of organisations (DESIGNATED_BY edges) with their dates, citation and licence terms, the listing action and the lists it amends; every designation when org_ids is null. Whether one is in force on a date is decided by its valid_from and valid_to.
// param: org_ids LIST<STRING> -- organisation ids, or null for every designated party
// example: :param {org_ids: ['org-sugon', 'org-huawei']}
MATCH (party:Organization)-[designation:DESIGNATED_BY]->(listing:ListingAction)
WHERE $org_ids IS NULL OR party.id IN $org_ids
RETURN party.id AS party,
       properties(designation) AS edge,
       properties(listing) AS listing,
       COLLECT { MATCH (listing)-[:AMENDS]->(list:SanctionsList) RETURN list.id ORDER BY list.id } AS lists
ORDER BY party, edge.id
