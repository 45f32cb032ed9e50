"""The Neo4j Browser style (GraSS) derived from the ontology: one colour per role, captions by name.

Every class of the ontology gets one rule with its role's colour (`queries.roles`), general classes
first and, among equally deep ones, the more specific role last: where a node has several labels the
Browser lets the later rule win, which gives the role `role_of` gives. Captions: `{name}` for nodes,
the citation for export-control rules, the percentage on OWNS, the start date and quantity on
SUPPLIES, the type elsewhere.

GraSS selects by label and relationship type only, not by property, so illustrative nodes cannot
get a colour of their own: the scenario's records carry "(fictional)" in their names, which the
name caption shows, and the HTML pictures dash them.
"""

from __future__ import annotations

from ontology.schema import Schema, load_schema
from ontology.vocab import Label, Prop, Rel
from queries.roles import OTHER, Role, check_roles, rank, role_in

NODE_DEFAULT = (
    f"node {{ diameter: 50px; color: {OTHER.color}; border-color: {OTHER.border}; border-width: 2px; "
    "text-color-internal: #FFFFFF; font-size: 10px; caption: '{name}'; }"
)
REL_DEFAULT = (
    "relationship { color: #A5ABB6; shaft-width: 1px; font-size: 8px; padding: 3px; "
    "text-color-external: #000000; text-color-internal: #FFFFFF; caption: '<type>'; }"
)
DIAMETERS = {"site": 65, "chip": 55, "shell": 55, "policy": 45, "source": 35, "place": 45}
NODE_CAPTIONS = {Label.EXPORT_CONTROL_RULE: f"{{{Prop.CITATION}}}"}
REL_STYLES: dict[str, str] = {
    Rel.SUPPLIES: f"color: #F36924; shaft-width: 3px; caption: '{{{Prop.VALID_FROM}}} ×{{{Prop.QUANTITY}}}';",
    Rel.OWNS: f"color: #B52A2F; shaft-width: 2px; caption: '{{{Prop.PERCENTAGE}}}%';",
    Rel.DESIGNATED_BY: f"color: #CC3C6C; shaft-width: 3px; caption: 'designated {{{Prop.VALID_FROM}}}';",
    Rel.DEPLOYS: f"color: #23B3D7; shaft-width: 2px; caption: 'deploys {{{Prop.COUNT}}}';",
    Rel.POWERED_BY: "color: #5DB665; shaft-width: 2px; caption: '<type>';",
}


def _node_rule(label: str, role: Role) -> str:
    caption = NODE_CAPTIONS.get(label, f"{{{Prop.NAME}}}")
    size = DIAMETERS.get(role.key, 50)
    return (
        f"node.{label} {{ color: {role.color}; border-color: {role.border}; diameter: {size}px; "
        f"caption: '{caption}'; }}"
    )


def grass(schema: Schema | None = None) -> str:
    """The style sheet, from the ontology's classes and relationship types. Raises `OntologyError`
    if a role or a styled relationship type is not in the ontology."""
    schema = schema or load_schema()
    check_roles(schema)
    lines = [NODE_DEFAULT, REL_DEFAULT]  # no comment line: the Browser's GraSS parser reads it as a selector
    roles = {label: role_in(schema, [label]) for label in schema.classes}
    ordered = sorted(roles, key=lambda c: (len(schema.ancestors(c)), -rank(roles[c]), c))
    lines += [_node_rule(label, roles[label]) for label in ordered]
    for rel_type in sorted(schema.relationships):
        style = REL_STYLES.get(rel_type, "caption: '<type>';")
        lines.append(f"relationship.{rel_type} {{ {style} }}")
    return "\n".join(lines) + "\n"
