"""Query parameters every list endpoint shares, bounded so that no value reaches the database unchecked.

Past these bounds a number no longer fits the database's 64-bit integers (SQLite raised OverflowError
for an offset of 2^63: a 500); no listing has anywhere near 2^31 rows, so an offset past that is a
typing slip or a probe and is answered 400 like any other malformed parameter.
"""

from __future__ import annotations

from typing import Annotated

from litestar.params import QueryParameter

MAX_OFFSET = 2**31 - 1
MAX_ROW_ID = 2**63 - 1

Offset = Annotated[int, QueryParameter(ge=0, le=MAX_OFFSET, description="Rows to skip")]
RowIdBefore = Annotated[
    int | None, QueryParameter(ge=1, le=MAX_ROW_ID, description="Only rows with a smaller id (the next page)")
]
