// name: rules
// description: Every export-control rule with its criteria, destinations, dates, the chip models it targets, the lists it extends (affiliates rules), the rules it suspends (suspensions) and the rules it adds destinations to (destination-scope records): the data restriction and screening decisions are computed from.
// example: :param {}
// Plan: a scan of the ExportControlRule label, since every rule is wanted.
MATCH (rule:ExportControlRule)
RETURN properties(rule) AS props,
       COLLECT { MATCH (rule)-[:TARGETS]->(chip:ChipModel) RETURN chip.id ORDER BY chip.id } AS targets,
       COLLECT { MATCH (rule)-[:EXTENDS]->(list:SanctionsList) RETURN list.id ORDER BY list.id } AS extends,
       COLLECT { MATCH (rule)-[:SUSPENDS]->(other:ExportControlRule) RETURN other.id ORDER BY other.id } AS suspends,
       COLLECT { MATCH (rule)-[:ADDS_DESTINATIONS_TO]->(other:ExportControlRule) RETURN other.id ORDER BY other.id } AS widens
ORDER BY rule.id
