"""Response Structs from ORM rows: msgspec copies same-named attributes (stored str → enum, checked)."""

from __future__ import annotations

from typing import Any, TypeVar

import msgspec

T = TypeVar("T", bound=msgspec.Struct)


def from_row(row: object, schema: type[T], **computed: Any) -> T:
    """`schema` filled from `row`'s attributes of the same names, nested rows and JSON dicts included.

    `computed` gives the fields the row holds under another name or not at all; those are never read
    from the row, so a field named like a lazy="raise" relationship must be given here.
    """
    if not computed:
        return msgspec.convert(row, schema, from_attributes=True)
    copied = {name: getattr(row, name) for name in schema.__struct_fields__ if name not in computed}
    return msgspec.convert(copied | computed, schema, from_attributes=True)
