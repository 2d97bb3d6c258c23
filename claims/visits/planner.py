"""The visit planner: which adjuster visits which household on which day, in which order.

Pure code over plain data (no database, no web). INTERFACE STUB: the types and signatures below are
what the services call; the planning itself is a placeholder (first free adjuster who covers the
village, no routing) to be replaced.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta


@dataclass(frozen=True)
class Point:
    """A village's coordinate in degrees."""

    lat: float
    lon: float


@dataclass(frozen=True)
class AdjusterInput:
    id: str
    home: Point
    villages: frozenset[str]
    daily_capacity: int
    working_weekdays: frozenset[int]  # ISO weekdays, 1 = Monday
    days_off: frozenset[date] = frozenset()
    # Visits already fixed on a day (done, announced, or moved by an officer): they use capacity.
    booked: dict[date, int] = field(default_factory=dict)


@dataclass(frozen=True)
class VisitRequest:
    claim_id: str
    village: str
    point: Point
    # The last business day on which a visit still keeps the claim inside its clock target.
    due_by: date


@dataclass(frozen=True)
class PlannedVisit:
    claim_id: str
    adjuster_id: str
    day: date
    route_order: int  # from 1, within the adjuster's day
    at_risk: bool  # planned after due_by: nobody could come in time


@dataclass(frozen=True)
class Plan:
    visits: list[PlannedVisit]
    unplanned: list[str]  # claim ids no adjuster covers (or none works within the horizon)
    last_day: date | None
    travel_km: float


def distance_km(a: Point, b: Point) -> float:
    """Great-circle distance."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a.lat, a.lon, b.lat, b.lon))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def works_on(adjuster: AdjusterInput, day: date) -> bool:
    return day.isoweekday() in adjuster.working_weekdays and day not in adjuster.days_off


def plan_visits(
    requests: Sequence[VisitRequest],
    adjusters: Sequence[AdjusterInput],
    *,
    start: date,
    horizon_days: int = 60,
) -> Plan:
    """Plan every request on or after `start` (placeholder: first free covering adjuster)."""
    load: dict[tuple[str, date], int] = {}
    visits: list[PlannedVisit] = []
    unplanned: list[str] = []
    for request in requests:
        placed = False
        for offset in range(horizon_days):
            day = start + timedelta(days=offset)
            for adjuster in adjusters:
                used = load.get((adjuster.id, day), adjuster.booked.get(day, 0))
                if (
                    request.village in adjuster.villages
                    and works_on(adjuster, day)
                    and used < adjuster.daily_capacity
                ):
                    load[(adjuster.id, day)] = used + 1
                    visits.append(
                        PlannedVisit(
                            request.claim_id, adjuster.id, day, used + 1, at_risk=day > request.due_by
                        )
                    )
                    placed = True
                    break
            if placed:
                break
        if not placed:
            unplanned.append(request.claim_id)
    last_day = max((v.day for v in visits), default=None)
    return Plan(visits=visits, unplanned=unplanned, last_day=last_day, travel_km=0.0)


def lower_bound_days(visit_count: int, adjusters: Sequence[AdjusterInput]) -> int:
    """Households ÷ the daily capacity of the adjusters available, rounded up to whole days."""
    capacity = sum(a.daily_capacity for a in adjusters)
    return math.ceil(visit_count / capacity) if capacity else 0


def adjusters_needed(visit_count: int, *, daily_capacity: int, within_days: int) -> int:
    """How many adjusters of `daily_capacity` finish `visit_count` visits within `within_days`."""
    return math.ceil(visit_count / (daily_capacity * within_days))
