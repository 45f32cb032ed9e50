"""What a chip model depends on upstream: every input that goes into it, by stage, and who supplies it.

Every AI accelerator is a finished logic chip, the supply-chain data's ultimate output; where the
graph says which kind of design the chip is (a TYPE_OF edge, e.g. to AI ASICs), the other kinds
are left out. From the finished chip the walk goes upstream over GOES_INTO (what goes into an input) and down TYPE_OF
(the kinds of an input: EUV and DUV scanners are lithography tools). Each input lists its
providers, highest share first, with their country and the source's words; a provider in a
country whose export-control rule in the graph covers the input is `covered`, and anything the
graph does not say is `unknown` — never a guess. The chip's designer and foundry come from the
curated DESIGNS / MANUFACTURES / FABRICATES edges (never the fictional scenario's).
"""

from __future__ import annotations

import datetime as dt
from collections import deque

from graph.store import GraphStore
from ontology.records import Node
from ontology.vocab import Label, Prop, Rel
from queries.answers import ChipParty, DependenciesAnswer, StageNeeds, SupplyNeed
from queries.resolve import resolve_chips
from queries.upstream import SupplyChain, control_ref, provider_view, ranked
from queries.views import Viewer

TYPE_ORDER = ("process", "design_resource", "tool_resource", "material_resource", "ultimate_output")
NO_DATA = "the graph holds no supply-chain inputs: ingest the ETO chip-explorer data first (chiptrail ingest eto DIR)"


def chip_inputs(store: GraphStore, chain: SupplyChain, chips: list[Node]) -> tuple[list[str], list[str], str]:
    """The finished chips the supply-chain data makes, the inputs the chips are a TYPE_OF (where the
    graph says so), and the basis: `type_of`, `ultimate_output`, or `none` (no supply-chain data)."""
    typed = sorted({e.target for c in chips for e in store.edges(Rel.TYPE_OF, source=c.id) if e.target in chain.inputs})
    outputs = sorted(i for i, n in chain.inputs.items() if Label.ULTIMATE_OUTPUT in n.labels)
    return outputs, typed, "type_of" if typed else "ultimate_output" if outputs else "none"


def upstream_of(chain: SupplyChain, starts: list[str], typed: list[str]) -> dict[str, str | None]:
    """Every input the starts need, each with the next input on its way to them (None: a start).

    Breadth first from the finished chip: what goes into an input, and the kinds of an input —
    except the other kinds of what the chip is a type of (an AI ASIC needs no GPU design)."""
    others = {k for t in typed for p in chain.parents.get(t, []) for k in chain.kinds.get(p, []) if k != t}
    leads: dict[str, str | None] = dict.fromkeys(starts)
    frontier: deque[str] = deque(starts)
    while frontier:
        current = frontier.popleft()
        for upstream in sorted({*chain.fed_by.get(current, []), *chain.kinds.get(current, [])} - others):
            if upstream not in leads and upstream in chain.inputs:
                leads[upstream] = current
                frontier.append(upstream)
    return leads


def _need(chain: SupplyChain, viewer: Viewer, input_id: str, lead: str | None) -> SupplyNeed:
    node = chain.inputs[input_id]
    stage = chain.stage_of(input_id)
    edges = ranked(chain, chain.provides.get(input_id, []))
    note = node.props.get(Prop.NOTE)
    return SupplyNeed(
        input=viewer.ref(input_id),
        type=str(node.props.get(Prop.INPUT_TYPE)) if node.props.get(Prop.INPUT_TYPE) else None,
        stage=str(stage.props.get(Prop.NAME)) if stage else None,
        leads_to=str(chain.inputs[lead].props.get(Prop.NAME)) if lead else None,
        single_provider=chain.single_provider(input_id),
        providers=[provider_view(chain, viewer, e) for e in edges],
        controls=[control_ref(viewer, r, t) for r, t in chain.controls(input_id)],
        note=str(note) if note else None,
        sources=viewer.sources(node.props.get(Prop.SOURCES)),
    )


def _by_stage(chain: SupplyChain, viewer: Viewer, leads: dict[str, str | None]) -> list[StageNeeds]:
    groups: dict[str | None, list[str]] = {}
    for input_id in leads:
        stage = chain.stage_of(input_id)
        groups.setdefault(stage.id if stage else None, []).append(input_id)

    def stage_key(stage_id: str | None) -> tuple[int, str]:
        return (1, "") if stage_id is None else (0, str(chain.stages[stage_id].props.get(Prop.RECORD_KEY, stage_id)))

    def input_key(input_id: str) -> tuple[int, str]:
        kind = str(chain.inputs[input_id].props.get(Prop.INPUT_TYPE, ""))
        order = TYPE_ORDER.index(kind) if kind in TYPE_ORDER else len(TYPE_ORDER)
        return (order, str(chain.inputs[input_id].props.get(Prop.NAME, input_id)).casefold())

    return [
        StageNeeds(
            stage=viewer.ref(stage_id) if stage_id else None,
            providers=[provider_view(chain, viewer, e) for e in ranked(chain, chain.provides.get(stage_id or "", []))],
            needs=[_need(chain, viewer, i, leads[i]) for i in sorted(groups[stage_id], key=input_key)],
        )
        for stage_id in sorted(groups, key=stage_key)
    ]


def _parties(store: GraphStore, viewer: Viewer, chips: list[Node], rels: tuple[str, ...]) -> list[ChipParty]:
    found: dict[tuple[str, str], ChipParty] = {}
    for chip in chips:
        for rel in rels:
            for edge in store.edges(rel, target=chip.id):
                if edge.props.get(Prop.ILLUSTRATIVE) is True:
                    continue  # a fictional scenario's maker is no fact about the chip's supply chain
                org = viewer.node(edge.source)
                country = org.props.get(Prop.COUNTRY) if org else None
                confidence = edge.props.get(Prop.CONFIDENCE)
                found.setdefault(
                    (edge.source, rel),
                    ChipParty(
                        organization=viewer.ref(edge.source),
                        relation=rel,
                        country=str(country) if country else None,
                        confidence=str(confidence) if confidence else None,
                        sources=viewer.sources(edge.props.get(Prop.SOURCES)),
                    ),
                )
    return [found[k] for k in sorted(found)]


def _unknowns(answer_parts: dict[str, bool], stages: list[StageNeeds]) -> list[str]:
    said = [f"{what}: not in the graph" for what, known in answer_parts.items() if not known]
    silent = sorted({n.input.name or "" for s in stages for n in s.needs if not n.providers})
    if silent:
        more = " …" if len(silent) > 8 else ""
        said.append(f"providers of {len(silent)} inputs: the data names none ({', '.join(silent[:8])}{more})")
    return said


def dependencies(store: GraphStore, chip: str, *, as_of: dt.date | None = None) -> DependenciesAnswer:
    """What the chip model (or family) `chip` needs upstream, by stage. Raises `NotFound`."""
    day = as_of or dt.date.today()
    chips = resolve_chips(store, chip)
    chain = SupplyChain.load(store, day)
    viewer = Viewer(store)
    starts, typed, basis = chip_inputs(store, chain, chips)
    stages = _by_stage(chain, viewer, upstream_of(chain, starts, typed))
    designers = _parties(store, viewer, chips, (Rel.DESIGNS,))
    foundries = _parties(store, viewer, chips, (Rel.MANUFACTURES, Rel.FABRICATES))
    unknown = _unknowns({"designer": bool(designers), "foundry": bool(foundries)}, stages)
    if not chain.inputs:
        unknown.insert(0, NO_DATA)
    return DependenciesAnswer(
        query=chip,
        as_of=day.isoformat(),
        chips=[viewer.ref(c.id) for c in chips],
        chip_input=[viewer.ref(i) for i in [*typed, *starts]],
        basis=basis,
        designers=designers,
        foundries=foundries,
        unknown=unknown,
        stages=stages,
        licences=chain.licences,
    )
