// name: rules
// description: Every export-control rule with its criteria, destinations, dates and the chip models it targets: the data restriction decisions are computed from.
// example: :param {}
MATCH (rule:ExportControlRule)
OPTIONAL MATCH (rule)-[:TARGETS]->(chip:ChipModel)
WITH rule, collect(chip.id) AS targets
RETURN properties(rule) AS props, targets
ORDER BY rule.id
