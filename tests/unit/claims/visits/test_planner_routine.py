"""One accepted claim: the earliest day a covering adjuster has room, the one whose route it suits."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from claims.visits.planner import PlannedVisit, VisitRequest, plan_visits
from tests.unit.claims.visits.planner_worlds import MONDAY, WEEKDAYS, adjuster, at

TUESDAY, WEDNESDAY = MONDAY + timedelta(days=1), MONDAY + timedelta(days=2)
SATURDAY = MONDAY - timedelta(days=2)
X, Y, Z = at(0, 0), at(4, 0), at(0, 3)
POINTS = {"X": X, "Y": Y, "Z": Z}


def claim(village: str = "X", due_by: date = MONDAY, claim_id: str = "c1") -> VisitRequest:
    return VisitRequest(claim_id, village, POINTS[village], due_by)


def test_accepted_on_saturday_is_visited_on_monday_by_a_weekday_adjuster_in_time() -> None:
    plan = plan_visits([claim(due_by=MONDAY)], [adjuster("a", X, {"X"}, weekdays=WEEKDAYS)], start=SATURDAY)
    assert plan.visits == [PlannedVisit("c1", "a", MONDAY, 1, at_risk=False)]
    assert plan.unplanned == []
    assert plan.last_day == MONDAY
    assert plan.travel_km == 0  # the adjuster lives in the village


def test_nobody_in_time_plans_the_earliest_visit_anyway_and_flags_it_at_risk() -> None:
    busy = adjuster("a", X, {"X"}, capacity=2, days_off=frozenset({MONDAY}), booked={TUESDAY: 2})
    plan = plan_visits([claim(due_by=MONDAY)], [busy], start=MONDAY)
    assert plan.visits == [PlannedVisit("c1", "a", WEDNESDAY, 1, at_risk=True)]


def test_a_full_day_is_skipped_and_bookings_count_against_capacity() -> None:
    full_monday = adjuster("a", X, {"X"}, capacity=3, booked={MONDAY: 3})
    plan = plan_visits([claim(due_by=TUESDAY)], [full_monday], start=MONDAY)
    assert [(v.day, v.at_risk) for v in plan.visits] == [(TUESDAY, False)]


def test_only_an_adjuster_covering_the_village_is_sent() -> None:
    plan = plan_visits(
        [claim("Y")],
        [adjuster("a", Y, {"X"}), adjuster("b", X, {"Y"}, weekdays=frozenset({2}))],
        start=MONDAY,
    )
    assert [(v.adjuster_id, v.day, v.at_risk) for v in plan.visits] == [("b", TUESDAY, True)]


def test_a_village_nobody_covers_is_unplanned() -> None:
    plan = plan_visits([claim("Z")], [adjuster("a", X, {"X", "Y"})], start=MONDAY)
    assert plan.visits == []
    assert plan.unplanned == ["c1"]
    assert plan.last_day is None


def test_nobody_working_within_the_horizon_is_unplanned() -> None:
    sundays_only = adjuster("a", X, {"X"}, weekdays=frozenset({7}))
    assert plan_visits([claim()], [sundays_only], start=MONDAY, horizon_days=6).unplanned == ["c1"]


def test_the_earliest_day_wins_over_a_shorter_route_later() -> None:
    near_on_tuesday = adjuster("near", X, {"Y"}, weekdays=frozenset({2}))
    far_on_monday = adjuster("far", at(20, 0), {"Y"})
    plan = plan_visits([claim("Y")], [near_on_tuesday, far_on_monday], start=MONDAY)
    assert [(v.adjuster_id, v.day) for v in plan.visits] == [("far", MONDAY)]
    # From 20 km east to Y (4 km east) and back: 2 × 16 × 1.4 = 44.8 km.
    assert plan.travel_km == pytest.approx(44.8, abs=0.01)


def test_on_the_same_day_the_adjuster_already_passing_by_is_preferred() -> None:
    # "home" lives 3 km from Y with nothing booked: 2 × 3 × 1.4 = 8.4 km more.
    # "passing" lives in X and already goes to Y (4 km east) and Z that day: Y adds nothing.
    at_home = adjuster("home", at(7, 0), {"Y"})
    passing = adjuster(
        "passing", X, {"X", "Y", "Z"}, booked={MONDAY: 2}, booked_villages={MONDAY: ["Y", "Z"]}
    )
    plan = plan_visits([claim("Y")], [at_home, passing], start=MONDAY, village_points=POINTS)
    assert plan.visits == [PlannedVisit("c1", "passing", MONDAY, 1, at_risk=False)]
    # Its day is unchanged by the visit: X → Y (4) → Z (5) → X (3) = 12 km straight, 16.8 by road.
    assert plan.travel_km == pytest.approx(16.8, abs=0.01)
    assert [route.villages for route in plan.routes] == [["Y", "Z"]]


def test_equal_routes_go_to_the_lighter_day_then_the_first_id() -> None:
    lighter = adjuster("b", X, {"X"}, booked={MONDAY: 1}, booked_villages={MONDAY: ["X"]})
    heavier = adjuster("a", X, {"X"}, booked={MONDAY: 2}, booked_villages={MONDAY: ["X", "X"]})
    plan = plan_visits([claim()], [heavier, lighter], start=MONDAY, village_points=POINTS)
    assert [v.adjuster_id for v in plan.visits] == ["b"]
    same = [adjuster("b", X, {"X"}), adjuster("a", X, {"X"})]
    assert [v.adjuster_id for v in plan_visits([claim()], same, start=MONDAY).visits] == ["a"]
