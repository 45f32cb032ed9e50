// name: dataset_changes
// description: Records of an ingested dataset that snapshots after $since added, changed or ended (every record of the dataset when since is null), with their stamps: first_seen, last_seen, changed_in, changed_fields, ended_in, origin (file:line), record_key. Nothing is ever deleted, so an ended record is still here.
// param: dataset STRING -- the dataset, e.g. trade_gov_csl
// param: since DATE -- changes made by snapshots after this date; null for every record
// example: :param {dataset: 'trade_gov_csl', since: date('2026-11-01')}
// Plan: records by the dataset index of Entity (every node but a Source is an Entity); relationships by a scan of every relationship, since no one index spans every relationship type.
CALL () {
  MATCH (n:Entity) WHERE n.dataset = $dataset
    AND ($since IS NULL OR n.first_seen > $since OR n.changed_in > $since OR n.ended_in > $since)
  RETURN n.id AS id, COLLECT { UNWIND labels(n) AS label RETURN label ORDER BY label } AS labels, null AS type, null AS source, null AS target, properties(n) AS props
  UNION ALL
  MATCH (a)-[r]->(b) WHERE r.dataset = $dataset
    AND ($since IS NULL OR r.first_seen > $since OR r.changed_in > $since OR r.ended_in > $since)
  RETURN r.id AS id, [] AS labels, type(r) AS type, a.id AS source, b.id AS target, properties(r) AS props
}
RETURN id, labels, type, source, target, props
ORDER BY id
