"""How money and time are written for people: yuan with two decimals from integer fen, Shanghai time."""

from __future__ import annotations

from datetime import date, datetime

from core.clock import BUSINESS_TZ, as_utc


def yuan(fen: int | None) -> str:
    """12460_00 fen → "12,460.00". Integer arithmetic only, so no float ever rounds a fen away."""
    if fen is None:
        return ""
    if isinstance(fen, bool) or not isinstance(fen, int):
        raise TypeError(f"money is integer fen, not {type(fen).__name__}")
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(fen), 100)
    return f"{sign}{whole:,}.{cents:02d}"


def local_time(moment: datetime | None) -> str:
    """A stored UTC moment as the resident reads it: Asia/Shanghai, to the minute."""
    if moment is None:
        return ""
    return as_utc(moment).astimezone(BUSINESS_TZ).strftime("%Y-%m-%d %H:%M")


def local_date(moment: datetime | date | None) -> str:
    """A day in the business calendar; a datetime is first moved to Asia/Shanghai."""
    if moment is None:
        return ""
    if isinstance(moment, datetime):
        return as_utc(moment).astimezone(BUSINESS_TZ).strftime("%Y-%m-%d")
    return moment.isoformat()
