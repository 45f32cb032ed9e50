// name: rules
// description: Every export-control rule with its criteria, destinations, dates, the chip models it targets and the lists it extends (affiliates rules): the data restriction and screening decisions are computed from.
// example: :param {}
MATCH (rule:ExportControlRule)
RETURN properties(rule) AS props,
       COLLECT { MATCH (rule)-[:TARGETS]->(chip:ChipModel) RETURN chip.id ORDER BY chip.id } AS targets,
       COLLECT { MATCH (rule)-[:EXTENDS]->(list:SanctionsList) RETURN list.id ORDER BY list.id } AS extends
ORDER BY rule.id
