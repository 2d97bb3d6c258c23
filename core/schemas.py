"""Field types every package's request and response Structs share: money, free text, region codes.

Money is integer fen. `Fen` bounds what any amount in this service can be (10 billion yuan, far above
a district's lump sum) so that a mistyped number is a 400, not an overflow; the domain rules apply
the tighter limits of each kind (a peril limit, a premium, a cap).

Every request body is a `RequestBody`: once msgspec has decoded it, each of its text fields is
cleaned (`core.text.clean`: NFC, invisible characters removed, whitespace collapsed) and measured
again, so a name made only of zero-width spaces is refused like an empty one (400) and `李\u200b四` is
stored as `李四`. A field that must reach the service byte for byte (a password) is named in
`verbatim`.
"""

from __future__ import annotations

from functools import cache
from typing import Annotated, ClassVar

import msgspec
import msgspec.inspect as mi

from core.text import clean

MAX_FEN = 1_000_000_000_000

Fen = Annotated[int, msgspec.Meta(ge=0, le=MAX_FEN, description="money in integer fen (1 yuan = 100 fen)")]
PositiveFen = Annotated[int, msgspec.Meta(gt=0, le=MAX_FEN, description="a positive amount in integer fen")]

ShortText = Annotated[str, msgspec.Meta(min_length=1, max_length=50, pattern=r"\S")]
Reason = Annotated[str, msgspec.Meta(min_length=1, max_length=500, pattern=r"\S")]
VillageCode = Annotated[str, msgspec.Meta(pattern=r"^\d{12}$")]


class _TextField(msgspec.Struct, frozen=True):
    name: str
    min_length: int
    max_length: int | None
    is_list: bool


def _str_type(info: mi.Type) -> mi.StrType | None:
    if isinstance(info, mi.StrType):
        return info
    if isinstance(info, mi.UnionType):
        return next((member for member in info.types if isinstance(member, mi.StrType)), None)
    return None


@cache
def _text_fields(cls: type[RequestBody]) -> tuple[_TextField, ...]:
    """The str and list-of-str fields of a body with their length bounds (read once per class)."""
    info = mi.type_info(cls)
    assert isinstance(info, mi.StructType)
    found = []
    for field in info.fields:
        if field.name in cls.verbatim:
            continue
        item = field.type.item_type if isinstance(field.type, mi.ListType) else None
        text = _str_type(item if item is not None else field.type)
        if text is not None:
            found.append(_TextField(field.name, text.min_length or 0, text.max_length, item is not None))
    return tuple(found)


def _cleaned(field: _TextField, value: str) -> str:
    text = clean(value)
    if len(text) < field.min_length:
        raise ValueError(f"`{field.name}` is empty once invisible characters and spaces are removed")
    if field.max_length is not None and len(text) > field.max_length:
        raise ValueError(f"`{field.name}` is longer than {field.max_length} characters once normalised")
    return text


class RequestBody(msgspec.Struct, forbid_unknown_fields=True):
    """The base of every request body: its text arrives cleaned, or the body is refused."""

    verbatim: ClassVar[frozenset[str]] = frozenset()

    def __post_init__(self) -> None:
        for field in _text_fields(type(self)):
            value = getattr(self, field.name)
            if isinstance(value, str):
                setattr(self, field.name, _cleaned(field, value))
            elif field.is_list and isinstance(value, list):
                setattr(self, field.name, [_cleaned(field, item) for item in value])
