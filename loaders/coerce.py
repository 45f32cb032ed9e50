"""Turn a YAML value into the property's datatype, or say why it cannot be."""

from __future__ import annotations

import datetime as dt
import re
import reprlib
import unicodedata
from decimal import Decimal
from typing import cast

from ontology.records import Scalar, Value
from ontology.schema import PropertySpec
from ontology.vocab import Prop


class CoercionError(Exception):
    """The value does not fit the property's datatype."""


_SHOWN = reprlib.Repr()
_SHOWN.maxlevel, _SHOWN.maxstring, _SHOWN.maxother = 2, 80, 80
_SHOWN.maxlist = _SHOWN.maxtuple = _SHOWN.maxset = 6
_SHOWN.maxdict = 4


def shown(value: object) -> str:
    """A short, one-line repr of a value a user wrote: an error never prints a whole document."""
    return _SHOWN.repr(value)


NAME_PROPS = frozenset({Prop.NAME, Prop.NAME_ZH, Prop.ALIASES})


_TEXT = frozenset({"string", "anyURI"})
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")  # Unicode's Cc category, a fixed set


def control_characters(text: str, *, in_name: bool) -> list[str]:
    """Control characters in text (tab and line breaks are allowed outside names), as code points."""
    if not _CONTROL.search(text):
        return []
    allowed = set() if in_name else {"\t", "\n", "\r"}
    return [f"U+{ord(c):04X}" for c in text if unicodedata.category(c) == "Cc" and c not in allowed]


def _date(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise CoercionError(f"expected a date YYYY-MM-DD, got {shown(value)}")


def _decimal(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise CoercionError(f"expected a number, got {shown(value)}")
    return float(value)


def _integer(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise CoercionError(f"expected a whole number, got {shown(value)}")
    return value


def _boolean(value: object) -> bool:
    if not isinstance(value, bool):
        raise CoercionError(f"expected true or false, got {shown(value)}")
    return value


def _string(value: object) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise CoercionError(f"expected text, got {shown(value)}")
    return str(value)


_SCALAR = {
    "string": _string,
    "anyURI": _string,
    "date": _date,
    "decimal": _decimal,
    "integer": _integer,
    "boolean": _boolean,
}


def _checked(value: Scalar, spec: PropertySpec) -> Scalar:
    """Ranges the ontology declares (ct:minInclusive, ct:maxInclusive); control characters in text."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        if spec.minimum is not None and value < spec.minimum:
            raise CoercionError(f"must be at least {spec.minimum:g}, got {shown(value)}")
        if spec.maximum is not None and value > spec.maximum:
            raise CoercionError(f"must be at most {spec.maximum:g}, got {shown(value)}")
    if isinstance(value, str) and (bad := control_characters(value, in_name=spec.name in NAME_PROPS)):
        raise CoercionError(f"control characters are not allowed here ({', '.join(bad[:3])})")
    return value


def coerce(value: object, spec: PropertySpec) -> Value:
    """The value in the property's datatype and range; a list for multi-valued properties."""
    if spec.datatype in _TEXT:  # the common case, text without control characters, straight through
        if not spec.multi and type(value) is str and not _CONTROL.search(value):
            return value
        if spec.multi and type(value) is list and all(type(v) is str and not _CONTROL.search(v) for v in value):
            return list(value)
    convert = _SCALAR[spec.datatype]
    if spec.multi:
        if not isinstance(value, list):
            raise CoercionError(f"expected a list, got {shown(value)}")
        return [str(_checked(_string(convert(item)), spec)) for item in value]
    if isinstance(value, list | dict):
        raise CoercionError(f"expected a single {spec.datatype}, got {type(value).__name__}")
    return _checked(cast(Scalar, convert(value)), spec)
