"""One round trip per answer on Neo4j: the sub-graph an answer reads, fetched by one Cypher statement.

An answer on Neo4j used to reach the server once per store call (11 statements for a routes
answer, 38 for a what-if). Here one statement gathers everything the answer's Python code reads
— the candidate supply paths (bounded by chip, date and hop count), every node on them with its
properties, the export-control rules, every chip model record (a decision fills the gaps in a
chip's figures from the records tied to it), the places each site lies in up to its country, the
deployments, operators, power plants, designations with their SAME_AS clusters, the ownership
chains of the parties, and the sources every record cites — into an in-memory store. The
answer's own code (the same decision code and the same in-process twins the embedded backend
runs) then works over that store, so both backends decide with one piece of code.

Why the result is identical to the whole graph's: every record fetched is a real record of the
database, so any route, chain or cluster path the code finds in the sub-graph exists in the
whole graph; and every edge of every route, chain and cluster path of the whole graph that the
answer asks about is fetched, so none is missed. The in-memory search then returns exactly the
rows the named queries would.

The statement is composed from the parts an answer needs (`Parts`); labels and relationship
types come from the ontology's constants, every value is a parameter.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Protocol

from graph.memory import MemoryStore
from ontology.records import Dataset, Edge, Node
from ontology.vocab import Label as L
from ontology.vocab import Prop
from ontology.vocab import Rel as R

BACKWARD_SHARE = 0.05  # routes are searched from the region's sites when it holds at most this share of all sites
PATH_BOUND = 20  # the longest route a sub-graph is fetched for (supply_paths.cypher's bound)
SAME_AS_BOUND = 8  # designations.cypher's SAME_AS quantifier
OWNERS_BOUND = 10  # owners.cypher's quantifier
SITES = f"(site:{L.DATA_CENTER} OR site:{L.PROJECT_AGGREGATE})"


def valid(var: str) -> str:
    """Cypher: the relationship `var` holds on $as_of (null ignores dates), as the twins' `valid_on`."""
    return (
        f"($as_of IS NULL OR {var}.{Prop.VALID_FROM} IS NULL OR {var}.{Prop.VALID_FROM} <= $as_of) "
        f"AND ($as_of IS NULL OR {var}.{Prop.VALID_TO} IS NULL OR {var}.{Prop.VALID_TO} >= $as_of)"
    )


def by_id(var: str, value: str, label: str) -> str:
    """Cypher: the node `var` with id `value` (a parameter or variable), found by a seek of the root's
    unique id index that no statistics can turn into a scan, and of `label`."""
    return (
        f"MATCH ({var}:{L.ENTITY} {{{Prop.ID}: {value}}}) USING INDEX SEEK {var}:{L.ENTITY}({Prop.ID}) "
        f"WHERE {var}:{label}"
    )


def simple(path: str) -> str:
    """Cypher: no node repeats on the path."""
    return f"all(i IN range(0, length({path}) - 1) WHERE NOT nodes({path})[i] IN nodes({path})[i + 1..])"


class Reader(Protocol):
    """What the fetch needs of a store: a read statement (Neo4jStore.run, which counts it)."""

    def run(self, query: str, **params: Any) -> list[dict[str, Any]]: ...

    def node_from_row(self, row: dict[str, Any]) -> Node: ...

    def edge_from_row(self, row: dict[str, Any]) -> Edge: ...


@dataclass(frozen=True)
class Parts:
    """What an answer reads. `chip_ids` None with a region: every chip model reaching the region."""

    region_id: str | None = None
    chip_ids: tuple[str, ...] | None = None
    max_hops: int = 6
    as_of: dt.date | None = None
    designations: bool = False  # every designation, its listing, lists and SAME_AS cluster paths
    parties: tuple[str, ...] = ()  # organisations whose ownership chains are read (besides those on routes)
    owners_on_routes: bool = False  # ownership chains of every party on a route and of the sites' operators


# --- the statement, part by part -------------------------------------------------------------------
# Each part adds node lists (`n_*`) and relationship lists (`r_*`) carried on by `WITH *`.

RULES = f"""
CALL () {{
  MATCH (rule:{L.EXPORT_CONTROL_RULE})
  OPTIONAL MATCH (rule)-[t:{R.TARGETS}|{R.EXTENDS}|{R.SUSPENDS}|{R.ADDS_DESTINATIONS_TO}]->(x)
  WHERE (type(t) = '{R.TARGETS}' AND x:{L.CHIP_MODEL}) OR (type(t) = '{R.EXTENDS}' AND x:{L.SANCTIONS_LIST})
     OR (type(t) IN ['{R.SUSPENDS}', '{R.ADDS_DESTINATIONS_TO}'] AND x:{L.EXPORT_CONTROL_RULE})
  RETURN collect(DISTINCT rule) + collect(DISTINCT x) AS n_rules, collect(DISTINCT t) AS r_rules
}}
CALL () {{ MATCH (chip:{L.CHIP_MODEL}) RETURN collect(chip) AS n_chips }}
"""

REGION = f"""
CALL () {{
  {by_id("region", "$region_id", L.PLACE)}
  OPTIONAL MATCH up = (region)-[:{R.PART_OF}]->+()
  UNWIND CASE WHEN up IS NULL THEN [null] ELSE relationships(up) END AS r
  RETURN region, collect(DISTINCT r) AS r_region
}}
CALL (region) {{
  OPTIONAL MATCH (site)-[:{R.LOCATED_IN}]->(:{L.PLACE})-[:{R.PART_OF}]->*(region)
  WHERE {SITES}
  RETURN collect(DISTINCT site) AS region_sites
}}
WITH *, COUNT {{ (:{L.DATA_CENTER}) }} + COUNT {{ (:{L.PROJECT_AGGREGATE}) }} AS all_sites
"""

REGION_CHIPS = f"""
CALL (region_sites) {{
  UNWIND region_sites AS site
  WITH COLLECT {{
         MATCH ()-[s:{R.SUPPLIES}]->(site) WHERE {valid("s")} UNWIND s.{Prop.CHIPS} AS chip RETURN chip
       }} + COLLECT {{
         MATCH (site)-[d:{R.DEPLOYS}]->(model:{L.CHIP_MODEL}) WHERE {valid("d")} RETURN model.id
       }} AS found
  UNWIND found AS chip
  RETURN collect(DISTINCT chip) AS chip_ids
}}
"""

GIVEN_CHIPS = "WITH *, $chip_ids AS chip_ids\n"

# The sites of the region are found once, from the region down its PART_OF tree. The search then
# starts from whichever end has less to walk: a region holding at most BACKWARD_SHARE of all sites
# (a province) from its sites backwards, each path then kept if it begins at an origin; a larger
# one (a country) from the origins (the few organisations that design or make the chip model,
# found through the id index) forwards, each path kept if it ends at one of the sites. Either way
# every step is pruned by chip and date inside the quantified pattern, and only one of the two
# searches runs (the other's input row is filtered out before it). Measured on a generated 10^6
# graph (30 chip/province pairs, both directions giving identical routes): provinces hold 3.5 %
# of the sites and are answered 1.6x faster backwards; the whole country 2.5x slower.
PATHS = f"""
CALL (chip_ids) {{
  UNWIND chip_ids AS chip_id
  {by_id("chip", "chip_id", L.CHIP_MODEL)}
  MATCH (origin:{L.ORGANIZATION})-[o:{R.DESIGNS}|{R.MANUFACTURES}]->(chip)
  RETURN collect(DISTINCT o) AS r_origins
}}
CALL (chip_ids, region_sites, all_sites) {{
  UNWIND chip_ids AS chip_id
  {by_id("chip", "chip_id", L.CHIP_MODEL)}
  WITH chip_id, chip, region_sites WHERE size(region_sites) > $backward_share * all_sites
  MATCH (origin:{L.ORGANIZATION})-[:{R.DESIGNS}|{R.MANUFACTURES}]->(chip)
  WITH DISTINCT chip_id, origin, region_sites
  MATCH p = (origin)
            ((a)-[s:{R.SUPPLIES} WHERE chip_id IN s.{Prop.CHIPS} AND {valid("s")}]->(b)){{1,{{HOPS}}}}
            (site)
  WHERE site IN region_sites AND {simple("p")}
  UNWIND relationships(p) AS r
  RETURN collect(DISTINCT r) AS r_forward
}}
CALL (chip_ids, region_sites, all_sites) {{
  UNWIND chip_ids AS chip_id
  {by_id("chip", "chip_id", L.CHIP_MODEL)}
  WITH chip_id, chip, region_sites WHERE size(region_sites) <= $backward_share * all_sites
  UNWIND region_sites AS site
  MATCH p = (origin:{L.ORGANIZATION})
            ((a)-[s:{R.SUPPLIES} WHERE chip_id IN s.{Prop.CHIPS} AND {valid("s")}]->(b)){{1,{{HOPS}}}}
            (site)
  WHERE EXISTS {{ (origin)-[:{R.DESIGNS}|{R.MANUFACTURES}]->(chip) }} AND {simple("p")}
  UNWIND relationships(p) AS r
  RETURN collect(DISTINCT r) AS r_backward
}}
WITH *, r_forward + r_backward AS r_paths
CALL (chip_ids, region_sites) {{
  UNWIND chip_ids AS chip_id
  {by_id("chip", "chip_id", L.CHIP_MODEL)}
  MATCH (site)-[d:{R.DEPLOYS}]->(chip)
  WHERE site IN region_sites AND {valid("d")}
  RETURN collect(DISTINCT d) AS r_deploys
}}
WITH *, [r IN r_paths | startNode(r)] + [r IN r_paths | endNode(r)] AS n_paths
CALL (r_paths, r_deploys) {{
  UNWIND [r IN r_paths | endNode(r)] + [r IN r_deploys | startNode(r)] AS site
  WITH DISTINCT site
  OPTIONAL MATCH (site)-[l:{R.LOCATED_IN}]->(place)
  OPTIONAL MATCH up = (place:{L.PLACE})-[:{R.PART_OF}]->*()
  OPTIONAL MATCH (site)-[w:{R.POWERED_BY}]->()
  OPTIONAL MATCH ()-[op:{R.OPERATES}]->(site)
  WITH site, l, up, w, op
  UNWIND CASE WHEN up IS NULL OR length(up) = 0 THEN [null] ELSE relationships(up) END AS r  // a country: no PART_OF
  RETURN collect(DISTINCT site) AS n_sites,
         collect(DISTINCT l) + collect(DISTINCT r) + collect(DISTINCT w) + collect(DISTINCT op) AS r_sites
}}
"""

DESIGNATIONS = f"""
CALL () {{
  MATCH (member:{L.ORGANIZATION})-[d:{R.DESIGNATED_BY}]->(listing:{L.LISTING_ACTION})
  OPTIONAL MATCH (listing)-[a:{R.AMENDS}]->(:{L.SANCTIONS_LIST})
  OPTIONAL MATCH c = (member)((x)-[s:{R.SAME_AS} WHERE s.{Prop.JUDGEMENT} = 'positive']-(y)){{1,{SAME_AS_BOUND}}}()
  WHERE {simple("c")}
  WITH d, a, c
  UNWIND CASE WHEN c IS NULL THEN [null] ELSE relationships(c) END AS r
  RETURN collect(DISTINCT d) + collect(DISTINCT a) + collect(DISTINCT r) AS r_designations
}}
"""

OWNERS = f"""
CALL (party_ids) {{
  UNWIND party_ids AS party_id
  {by_id("owned", "party_id", L.ORGANIZATION)}
  MATCH p = (owner:{L.ORGANIZATION})
            ((a)-[o:{R.OWNS}|{R.SAME_AS}]-(b)
              WHERE (type(o) = '{R.SAME_AS}' AND o.{Prop.JUDGEMENT} = 'positive')
                 OR (type(o) = '{R.OWNS}' AND startNode(o) = a)){{1,{OWNERS_BOUND}}}
            (owned)
  WHERE {simple("p")} AND type(relationships(p)[0]) = '{R.OWNS}'
  UNWIND relationships(p) AS r
  RETURN collect(DISTINCT r) AS r_owners
}}
"""

FINISH = """
WITH *, {rels} AS rels, {nodes} AS some_nodes
CALL (rels, some_nodes) {{
  UNWIND some_nodes + [r IN rels | startNode(r)] + [r IN rels | endNode(r)] AS n
  WITH DISTINCT n WHERE n IS NOT NULL
  RETURN collect(n) AS every_node
}}
CALL (rels, every_node) {{
  UNWIND [r IN rels | r.{sources}] + [n IN every_node | n.{sources}] AS cited
  UNWIND cited AS source_id
  WITH DISTINCT source_id WHERE source_id IS NOT NULL
  MATCH (source:{source} {{id: source_id}}) USING INDEX SEEK source:{source}(id)
  RETURN collect(source) AS n_sources
}}
CALL (rels) {{
  UNWIND rels AS r
  WITH DISTINCT r WHERE r IS NOT NULL
  RETURN collect({{type: type(r), source: startNode(r).id, target: endNode(r).id, props: properties(r)}}) AS edges
}}
CALL (every_node, n_sources) {{
  UNWIND every_node + n_sources AS n
  WITH DISTINCT n
  RETURN collect({{labels: labels(n), props: properties(n)}}) AS nodes
}}
RETURN nodes, edges
"""


def statement(parts: Parts) -> str:
    """The one Cypher statement that fetches what an answer with these parts reads."""
    text, nodes, rels = RULES, ["n_rules", "n_chips"], ["r_rules"]
    if parts.region_id is not None:
        text += REGION + (GIVEN_CHIPS if parts.chip_ids is not None else REGION_CHIPS)
        text += PATHS.replace("{HOPS}", str(max(1, min(parts.max_hops, PATH_BOUND))))
        nodes += ["[region]", "n_paths", "n_sites"]
        rels += ["r_region", "r_origins", "r_paths", "r_deploys", "r_sites"]
    if parts.designations:
        text += DESIGNATIONS
        rels.append("r_designations")
    party_ids = "$party_ids"
    if parts.owners_on_routes and parts.region_id is not None:
        on_routes = "[n IN n_paths WHERE n:" + L.ORGANIZATION + " | n.id]"
        operators = "[r IN r_sites WHERE type(r) = '" + R.OPERATES + "' | startNode(r).id]"
        party_ids = f"{party_ids} + {on_routes} + {operators}"
    if parts.parties or parts.owners_on_routes:
        text += f"WITH *, {party_ids} AS party_ids\n" + OWNERS
        rels.append("r_owners")
        nodes.append(f"COLLECT {{ UNWIND $party_ids AS i MATCH (party:{L.ENTITY} {{id: i}}) RETURN party }}")
    finish = FINISH.format(rels=" + ".join(rels), nodes=" + ".join(nodes), sources=Prop.SOURCES, source=L.SOURCE)
    return text + finish


def parameters(parts: Parts) -> dict[str, Any]:
    """The parameters of `statement(parts)`."""
    params: dict[str, Any] = {"as_of": parts.as_of, "region_id": parts.region_id, "party_ids": list(parts.parties)}
    params["backward_share"] = BACKWARD_SHARE
    if parts.chip_ids is not None:
        params["chip_ids"] = list(parts.chip_ids)
    return params


def fetch(reader: Reader, parts: Parts) -> MemoryStore:
    """The sub-graph an answer reads, in one statement, as an in-memory store."""
    rows = reader.run(statement(parts), **parameters(parts))
    data = Dataset()
    for row in rows:
        for raw in row["nodes"]:
            node = reader.node_from_row(raw)
            data.nodes[node.id] = node
        for raw in row["edges"]:
            edge = reader.edge_from_row(raw)
            data.edges[edge.id] = edge
    view = MemoryStore()
    view.load(data)
    return view
