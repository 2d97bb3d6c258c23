"""Small planner worlds: points on a km grid near the equator, adjusters and requests built tersely."""

from __future__ import annotations

from datetime import date

from claims.visits.planner import AdjusterInput, Point, VisitRequest

# One degree of arc on the earth's mean radius (6371 km × π / 180): near the equator a point
# `east` km east and `north` km north of (0, 0) sits that many km away, to well under a metre.
KM_PER_DEGREE = 111.19492664

MONDAY = date(2026, 7, 6)
EVERY_DAY = frozenset(range(1, 8))
WEEKDAYS = frozenset(range(1, 6))


def at(east: float, north: float = 0.0) -> Point:
    return Point(north / KM_PER_DEGREE, east / KM_PER_DEGREE)


def adjuster(
    id: str,
    home: Point,
    villages: set[str],
    capacity: int = 10,
    weekdays: frozenset[int] = EVERY_DAY,
    days_off: frozenset[date] = frozenset(),
    booked: dict[date, int] | None = None,
    booked_villages: dict[date, list[str]] | None = None,
) -> AdjusterInput:
    return AdjusterInput(
        id,
        home,
        frozenset(villages),
        capacity,
        weekdays,
        days_off,
        booked or {},
        booked_villages or {},
    )


def requests(village: str, point: Point, count: int, due_by: date, first: int = 0) -> list[VisitRequest]:
    return [VisitRequest(f"{village}-{n}", village, point, due_by) for n in range(first, first + count)]
