// name: rules
// description: Every export-control rule with its criteria, destinations, dates and the chip models it targets: the data restriction decisions are computed from.
// example: :param {}
MATCH (rule:ExportControlRule)
RETURN properties(rule) AS props,
       COLLECT { MATCH (rule)-[:TARGETS]->(chip:ChipModel) RETURN chip.id ORDER BY chip.id } AS targets
ORDER BY rule.id
