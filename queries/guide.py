"""The chiptrail guide for the Neo4j Browser (`:guide <url>` of a markdown file), generated from the
named-query registry: the Cypher shown is the registered files' own text, each with the `:param`
line of its `example:` header, and every registered query has a reference slide, so a new `.cypher`
file appears in the guide without an edit here.

Slides are separated by lines holding only `---`; fenced blocks tagged `cypher` are runnable.
Queries that bind a path `p` (routes, ownership chains) are also offered in a graph form that
returns `p`, which the Browser draws with the chiptrail style.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ontology.errors import OntologyError
from ontology.vocab import CONFIDENCE_LEVELS
from queries.named import NamedQuery, registry

PATH_MATCH = re.compile(r"\bMATCH\s+p\s*=")
EXAMPLE = re.compile(r"^:param\s*\{(.*)\}$", re.S)


@dataclass(frozen=True)
class Topic:
    title: str
    text: str
    queries: tuple[str, ...]


TOPICS = (
    Topic(
        "Routes from a restricted chip into Xinjiang, with their evidence",
        "Paths of `SUPPLIES` edges that carry the NVIDIA H100 SXM (a chip model that needs a US licence for "
        "China) from the organisation that makes it to a data centre located in Xinjiang. Run the `:param` "
        "block first, then the graph form to see the route; the query as registered returns every hop's "
        "properties: `sources` (ids of `Source` nodes), `confidence`, `quantity`, `valid_from`.",
        ("supply_paths",),
    ),
    Topic(
        "Leads: chips reported at a site that no route reaches",
        "Deployments (`DEPLOYS`) reported at sites in the region. Those no supply route reaches are what "
        "`chiptrail routes` lists as leads: where the chips are said to be, with nobody yet known to have "
        "shipped them.",
        ("deployments",),
    ),
    Topic(
        "Who is designated, and since when",
        "Designations (`DESIGNATED_BY`) with their listing action, citation, licence terms and dates. "
        "A designation is in force between its `valid_from` and `valid_to`.",
        ("designations",),
    ),
    Topic(
        "Ownership chains behind an affiliate finding",
        "Chains of `OWNS` edges into an organisation, each with its percentage. chiptrail multiplies along a "
        "chain and adds the chains of listed owners: at 50 % or more the organisation is an affiliate under "
        "the affiliates rule while it is in force. A chain with an unknown percentage leaves the finding "
        "undetermined.",
        ("owners",),
    ),
    Topic(
        "Exposure of a region",
        "The chip models that reach sites in a region, and the sites themselves. `chiptrail exposure "
        "--region Xinjiang` adds up chips, TPP and H100-equivalents by chip model and by confidence.",
        ("region_chips", "sites_within"),
    ),
    Topic(
        "What powers a site",
        "A site's relationships in both directions: `POWERED_BY` names its power plants; the plants' "
        "capacity is what `chiptrail exposure` checks the chips' power draw against.",
        ("neighbours",),
    ),
    Topic(
        "Chokepoints",
        "Intermediaries ranked by the licence-requiring routes into a region that pass through them, then by "
        "betweenness on the subgraph of those routes. The ranking is computed by chiptrail from the "
        "routes of the first slide: `chiptrail chokepoints --region Xinjiang`, or "
        "`GET /v1/chokepoints?region=Xinjiang`.",
        (),
    ),
)


def graph_form(query: NamedQuery) -> str | None:
    """The query returning its path `p` instead of its rows, if it binds one (else None)."""
    match = PATH_MATCH.search(query.text)
    if not match:
        return None
    head, found, _ = query.text.rpartition("\nRETURN ")
    later = head[match.end() :].splitlines()
    dropped = any(line.startswith("WITH ") and "p" not in _split_top(line[5:]) for line in later)
    return f"{head}\nRETURN p" if found and not dropped else None


def _split_top(text: str) -> list[str]:
    """Split at commas outside brackets and quotes."""
    parts, depth, quote, start = [], 0, "", 0
    for i, char in enumerate(text):
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        elif char == "," and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    return [p.strip() for p in [*parts, text[start:]] if p.strip()]


def param_lines(example: str) -> str:
    """The example header `:param {k: v, …}` as one `:param k => v;` line per parameter: the Browser
    evaluates the arrow form as Cypher (dates stay dates, integers integers), the map form as JSON."""
    match = EXAMPLE.match(example.strip())
    if match is None:
        return example
    pairs = [pair.split(":", 1) for pair in _split_top(match[1])]
    return "\n".join(f":param {key.strip()} => {value.strip()};" for key, value in pairs)


def _block(text: str) -> str:
    return f"```cypher\n{text.strip()}\n```"


def _query_blocks(query: NamedQuery, graph: bool) -> list[str]:
    params = param_lines(query.example) if query.example else ""
    blocks = [f"Parameters ({query.name}):", _block(params)] if params else []
    drawn = graph_form(query) if graph else None
    if drawn is not None:
        blocks += ["As a graph:", _block(drawn), "As rows, with every property:"]
    return [*blocks, _block(query.text)]


def _intro(style_url: str | None) -> str:
    levels = ", ".join(f"`{level}`" for level in CONFIDENCE_LEVELS)
    style = (
        ["Opened by a link, before logging in? Load the colours:", _block(f":style {style_url}")] if style_url else []
    )
    return "\n\n".join(
        [
            "# chiptrail: who shipped which chips where, on what evidence",
            "A knowledge graph of the AI compute supply chain: chip models, the organisations that design, sell "
            "and ship them, the data centres that run them, the power that feeds them, the places they stand in, "
            "and the export-control rules in force. Click a block to copy it into the editor, then run it "
            "(Ctrl+Enter). Run the `:param` block of a slide before its query.",
            "**Evidence.** Every node and relationship carries `sources` (ids of `Source` nodes: articles, "
            "filings, Federal Register notices, datasets) and a `confidence`, strongest first: "
            f"{levels}. A route is as strong as its weakest hop.",
            "**Illustrative data.** Records from `data/scenarios` are fictional: they carry `illustrative: true` "
            "and `confidence: 'illustrative'`, and their names end in *(fictional)*. They exist so the route "
            "rules can be seen at work; they are not evidence of anything.",
            "Colours: chip models blue, designers and makers violet, distributors and resellers orange, shell "
            "companies red, data centres cyan, power green, places sand, policies pink, sources grey.",
            *style,
        ]
    )


def _topic(topic: Topic, queries: dict[str, NamedQuery]) -> str:
    parts = [f"## {topic.title}", topic.text]
    for name in topic.queries:
        parts += _query_blocks(queries[name], graph=True)
    return "\n\n".join(parts)


def _reference(query: NamedQuery) -> str:
    params = [f"- `${p.name}` {p.type}: {p.description}" for p in query.parameters] or ["- none"]
    return "\n\n".join(
        [f"## Named query: {query.name}", query.description, "\n".join(params), *_query_blocks(query, graph=False)]
    )


def guide(queries: dict[str, NamedQuery] | None = None, style_url: str | None = None) -> str:
    """The markdown guide (with a `:style` block when the style's URL is given). Raises `OntologyError`
    if the registry does not load or a topic names a query it lacks."""
    queries = registry() if queries is None else queries
    missing = sorted({name for topic in TOPICS for name in topic.queries} - queries.keys())
    if missing:
        raise OntologyError(f"the guide names queries the registry lacks: {', '.join(missing)}")
    slides = [_intro(style_url), *(_topic(t, queries) for t in TOPICS)]
    slides += [_reference(queries[name]) for name in sorted(queries)]
    return "\n\n---\n\n".join(slides) + "\n"
