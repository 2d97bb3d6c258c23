"""The visit planner: which adjuster visits which household on which day, in which order.

Pure code over plain data (no database, no web, no clock: the caller passes `start`). Travel comes
from claims.visits.travel (great-circle km × a road factor, at a set speed: the numbers and why are
in that module). A single claim (the routine case) is an insertion into days already partly booked;
a batch (a catastrophe, or the visits of a day an adjuster is off) is an allocation problem solved
by claims.visits.allocation (a min-cost flow over coverage and capacity, then days cut along a
sweep around each adjuster's home) and routed per day.

Chosen method: flows (networkx) plus simple routing rather than a vehicle-routing solver. The hard
constraints are coverage and daily capacity, which a flow meets exactly and optimally in
milliseconds; a day holds a few villages whose visits cost nothing between them, so the route of a
day is a tour over one to four points, where nearest neighbour + 2-opt is already optimal or close.
Same input, same plan: every choice breaks ties by id, date or input order.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from claims.visits.allocation import Crew, allocate
from claims.visits.travel import (
    Point,
    cheapest_insertion,
    distance_km,
    route_km,
    route_minutes,
    route_order,
    travel_minutes,
)

__all__ = [
    "AdjusterInput",
    "DayRoute",
    "Plan",
    "PlannedVisit",
    "Point",
    "VisitRequest",
    "adjusters_needed",
    "distance_km",
    "free_on",
    "lower_bound_days",
    "plan_visits",
    "travel_minutes",
    "works_on",
]


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
    # The villages of those visits, one entry per visit in their current route order: the planner
    # routes new visits around them (their coordinates come from plan_visits' `village_points`).
    booked_villages: dict[date, list[str]] = field(default_factory=dict)


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
    # From 1: the visit's place in the adjuster's day, booked visits counted (a routine visit is
    # inserted among them, which keep their order; a batch re-routes the whole day).
    route_order: int
    at_risk: bool  # planned after due_by: nobody could come in time


@dataclass(frozen=True)
class DayRoute:
    """One adjuster-day the plan adds visits to: its stops (villages, booked ones too) in route order."""

    adjuster_id: str
    day: date
    villages: list[str]
    travel_km: float
    travel_minutes: float


@dataclass(frozen=True)
class Plan:
    visits: list[PlannedVisit]
    unplanned: list[str]  # claim ids no adjuster covers (or none works within the horizon)
    last_day: date | None
    # Road km of every adjuster-day the plan adds visits to: home → stops → home, booked stops included.
    travel_km: float
    routes: list[DayRoute] = field(default_factory=list)


def works_on(adjuster: AdjusterInput, day: date) -> bool:
    return day.isoweekday() in adjuster.working_weekdays and day not in adjuster.days_off


def free_on(adjuster: AdjusterInput, day: date) -> int:
    """Visits the adjuster can still take that day (0 when they do not work)."""
    return max(adjuster.daily_capacity - adjuster.booked.get(day, 0), 0) if works_on(adjuster, day) else 0


def plan_visits(
    requests: Sequence[VisitRequest],
    adjusters: Sequence[AdjusterInput],
    *,
    start: date,
    horizon_days: int = 60,
    village_points: Mapping[str, Point] | None = None,
) -> Plan:
    """Plan every request on a day in [start, start + horizon_days).

    Constraints (always): a visit goes to an adjuster whose villages include the request's village,
    on a day they work (weekday pattern, not a day off), and no adjuster-day holds more than
    daily_capacity visits counting `booked`. Every request is planned exactly once or listed in
    `unplanned` (nobody covers its village, or nobody has room within the horizon).

    Objective, one request (routine): the earliest day on which a covering adjuster has room; among
    that day's adjusters, the least added road km when the visit is inserted into their booked
    route (home → visits → home), then the lighter day, then the id. at_risk when that day is after
    due_by: the earliest possible visit is planned anyway.

    Objective, several requests (batch), in this order: (1) the last day as early as possible;
    (2) every earlier day filled before a later one for every adjuster (finish early, load balanced
    to within one day's work); (3) the least road km from the adjusters' homes to the villages they
    take, which keeps a village's visits on one adjuster where capacity allows; (4) each adjuster's
    days cut along a sweep around their home so a day holds neighbouring villages; (5) each day
    routed from home and back by nearest neighbour + 2-opt, same-village visits one after the other.
    Within a village, earlier due_by (then input order) goes to the earlier day. Deadlines do not
    steer a batch beyond that: at_risk marks the visits planned after their due_by.

    `village_points` gives the coordinates of the villages named in `booked_villages` (and wins
    over a request's own point); a booked village without one still uses capacity but is left out
    of the route.
    """
    days = [start + timedelta(days=offset) for offset in range(horizon_days)]
    points = {request.village: request.point for request in reversed(requests)} | dict(village_points or {})
    adjusters = sorted(adjusters, key=lambda adjuster: adjuster.id)
    if len(requests) == 1:
        return _plan_one(requests[0], adjusters, days, points)
    return _plan_batch(requests, adjusters, days, points)


def _plan_one(
    request: VisitRequest, adjusters: list[AdjusterInput], days: list[date], points: Mapping[str, Point]
) -> Plan:
    covering = [adjuster for adjuster in adjusters if request.village in adjuster.villages]
    for day in days:
        options = []
        for adjuster in covering:
            if free_on(adjuster, day) > 0:
                booked = _booked_stops(adjuster, day, points)
                position, added = cheapest_insertion(
                    adjuster.home, [point for _, point in booked], request.point
                )
                options.append((added, adjuster.booked.get(day, 0), adjuster.id, position, adjuster, booked))
        if options:
            _, _, _, position, adjuster, booked = min(options, key=lambda option: option[:3])
            stops = [*booked[:position], (request.village, request.point), *booked[position:]]
            visit = PlannedVisit(request.claim_id, adjuster.id, day, position + 1, day > request.due_by)
            route = _day_route(adjuster, day, stops)
            return Plan([visit], [], day, route.travel_km, [route])
    return Plan([], [request.claim_id], None, 0.0)


def _plan_batch(
    requests: Sequence[VisitRequest],
    adjusters: list[AdjusterInput],
    days: list[date],
    points: Mapping[str, Point],
) -> Plan:
    by_village: dict[str, list[VisitRequest]] = defaultdict(list)
    for request in sorted(requests, key=lambda request: request.due_by):  # stable: then input order
        by_village[request.village].append(request)
    crews = [
        Crew(adjuster.id, adjuster.home, adjuster.villages, tuple(free_on(adjuster, day) for day in days))
        for adjuster in adjusters
    ]
    allocation = allocate({v: len(queue) for v, queue in by_village.items()}, points, crews)
    taken: dict[tuple[str, int], list[VisitRequest]] = defaultdict(list)
    for key in sorted(allocation, key=lambda key: (key[1], key[0])):
        for village, count in sorted(allocation[key].items()):
            taken[key] += by_village[village][:count]
            del by_village[village][:count]
    by_id = {adjuster.id: adjuster for adjuster in adjusters}
    visits: list[PlannedVisit] = []
    routes: list[DayRoute] = []
    for (adjuster_id, index), day_requests in sorted(taken.items()):
        adjuster, day = by_id[adjuster_id], days[index]
        stops = _booked_stops(adjuster, day, points) + [(r.village, r.point) for r in day_requests]
        order = route_order(adjuster.home, [point for _, point in stops])
        booked_count = len(stops) - len(day_requests)
        for place, stop in enumerate(order, start=1):
            if stop >= booked_count:
                request = day_requests[stop - booked_count]
                visits.append(PlannedVisit(request.claim_id, adjuster.id, day, place, day > request.due_by))
        routes.append(_day_route(adjuster, day, [stops[stop] for stop in order]))
    planned = {visit.claim_id for visit in visits}
    unplanned = [request.claim_id for request in requests if request.claim_id not in planned]
    last_day = max((visit.day for visit in visits), default=None)
    return Plan(visits, unplanned, last_day, sum(route.travel_km for route in routes), routes)


def _booked_stops(adjuster: AdjusterInput, day: date, points: Mapping[str, Point]) -> list[tuple[str, Point]]:
    """The day's booked visits with a known coordinate, in their route order."""
    return [(v, points[v]) for v in adjuster.booked_villages.get(day, []) if v in points]


def _day_route(adjuster: AdjusterInput, day: date, stops: list[tuple[str, Point]]) -> DayRoute:
    villages = list(dict.fromkeys(village for village, _ in stops))
    path = [point for _, point in stops]
    return DayRoute(
        adjuster.id, day, villages, route_km(adjuster.home, path), route_minutes(adjuster.home, path)
    )


def lower_bound_days(visit_count: int, adjusters: Sequence[AdjusterInput]) -> int:
    """Households ÷ the daily capacity of the adjusters available, rounded up to whole days.

    A bound, not a promise: it assumes every adjuster covers every village and works every day.
    """
    capacity = sum(a.daily_capacity for a in adjusters)
    return math.ceil(visit_count / capacity) if capacity else 0


def adjusters_needed(
    visit_count: int,
    *,
    daily_capacity: int,
    within_days: int,
    start: date | None = None,
    working_weekdays: Collection[int] | None = None,
) -> int:
    """How many adjusters of `daily_capacity` finish `visit_count` visits within `within_days`.

    ⌈visits ÷ (capacity × working days)⌉. It assumes every adjuster covers every affected village.
    By default every day of the window is a working day; given `start` and `working_weekdays` (ISO,
    1 = Monday), only the days of [start, start + within_days) on those weekdays count. Raises
    ValueError when the capacity is not positive or the window holds no working day.
    """
    if visit_count <= 0:
        return 0
    working = within_days
    if start is not None and working_weekdays is not None:
        weekdays = set(working_weekdays)
        working = sum((start + timedelta(days=n)).isoweekday() in weekdays for n in range(within_days))
    if daily_capacity <= 0 or working <= 0:
        raise ValueError("daily_capacity and the working days in the window must be positive")
    return math.ceil(visit_count / (daily_capacity * working))
