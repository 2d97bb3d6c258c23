"""Field types every package's request and response Structs share: money, free text, region codes.

Money is integer fen. `Fen` bounds what any amount in this service can be (10 billion yuan, far above
a district's lump sum) so that a mistyped number is a 400, not an overflow; the domain rules apply
the tighter limits of each kind (a peril limit, a premium, a cap).
"""

from __future__ import annotations

from typing import Annotated

import msgspec

MAX_FEN = 1_000_000_000_000

Fen = Annotated[int, msgspec.Meta(ge=0, le=MAX_FEN, description="money in integer fen (1 yuan = 100 fen)")]
PositiveFen = Annotated[int, msgspec.Meta(gt=0, le=MAX_FEN, description="a positive amount in integer fen")]

ShortText = Annotated[str, msgspec.Meta(min_length=1, max_length=50, pattern=r"\S")]
Reason = Annotated[str, msgspec.Meta(min_length=1, max_length=500, pattern=r"\S")]
VillageCode = Annotated[str, msgspec.Meta(pattern=r"^\d{12}$")]
