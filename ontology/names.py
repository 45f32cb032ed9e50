"""What a user's term is compared with: names folded so that case, spaces, hyphens and underscores
do not matter, and the properties that hold a node's names."""

from __future__ import annotations

import re
from collections.abc import Mapping

from ontology.vocab import Prop

NAME_KEYS = (Prop.NAME, Prop.NAME_ZH, Prop.ALIASES)
# every property a resolver compares a term with, whatever the label (chips add the family, places the code)
MATCHED = (*NAME_KEYS, Prop.FAMILY, Prop.ISO3166)


_IGNORED = re.compile(r"[\s\-_]+")


def normalise(text: str) -> str:
    """Case, spaces, hyphens and underscores do not matter: 'h-100 sxm' == 'H100SXM'."""
    return _IGNORED.sub("", text).casefold()


def names_in(props: Mapping[str, object], keys: tuple[str, ...]) -> list[str]:
    """The string values of `keys` in `props`, list values flattened, in key order."""
    found: list[str] = []
    for key in keys:
        value = props.get(key)
        if isinstance(value, list):
            found.extend(v for v in value if isinstance(v, str))
        elif isinstance(value, str):
            found.append(value)
    return found


def name_keys(props: Mapping[str, object]) -> list[str]:
    """The folded form of every name a resolver may match (`MATCHED`), each once, sorted."""
    return sorted({normalise(name) for name in names_in(props, MATCHED)})
