"""Turn a YAML value into the property's datatype, or say why it cannot be."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import cast

from ontology.records import Scalar, Value
from ontology.schema import PropertySpec


class CoercionError(Exception):
    """The value does not fit the property's datatype."""


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
    raise CoercionError(f"expected a date YYYY-MM-DD, got {value!r}")


def _decimal(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise CoercionError(f"expected a number, got {value!r}")
    return float(value)


def _integer(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise CoercionError(f"expected a whole number, got {value!r}")
    return value


def _boolean(value: object) -> bool:
    if not isinstance(value, bool):
        raise CoercionError(f"expected true or false, got {value!r}")
    return value


def _string(value: object) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise CoercionError(f"expected text, got {value!r}")
    return str(value)


_SCALAR = {
    "string": _string,
    "anyURI": _string,
    "date": _date,
    "decimal": _decimal,
    "integer": _integer,
    "boolean": _boolean,
}


def coerce(value: object, spec: PropertySpec) -> Value:
    """The value in the property's datatype; a list for multi-valued properties."""
    convert = _SCALAR[spec.datatype]
    if spec.multi:
        if not isinstance(value, list):
            raise CoercionError(f"expected a list, got {value!r}")
        return [_string(convert(item)) for item in value]
    if isinstance(value, list | dict):
        raise CoercionError(f"expected a single {spec.datatype}, got {type(value).__name__}")
    return cast(Scalar, convert(value))
