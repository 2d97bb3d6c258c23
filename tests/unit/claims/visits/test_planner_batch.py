"""A catastrophe's claims planned together: capacity, coverage, balance, villages kept together, routes."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from claims.visits.planner import Plan, lower_bound_days, plan_visits
from tests.unit.claims.visits.planner_worlds import MONDAY, WEEKDAYS, adjuster, at, requests

TUESDAY, WEDNESDAY = MONDAY + timedelta(days=1), MONDAY + timedelta(days=2)
X, Y = at(0, 0), at(20, 0)


def per_adjuster_day(plan: Plan) -> dict[tuple[str, date], int]:
    return dict(Counter((v.adjuster_id, v.day) for v in plan.visits))


def test_two_adjusters_share_one_village_evenly_on_the_first_day() -> None:
    # a lives in the village, b 20 km away: b still takes half, because finishing early comes first.
    crew = [adjuster("a", X, {"X"}, capacity=5), adjuster("b", Y, {"X"}, capacity=5)]
    plan = plan_visits(requests("X", X, 10, MONDAY), crew, start=MONDAY)
    assert per_adjuster_day(plan) == {("a", MONDAY): 5, ("b", MONDAY): 5}
    assert plan.last_day == MONDAY
    assert not any(v.at_risk for v in plan.visits)
    # b drives 20 km there and back: 2 × 20 × 1.4 = 56 km; a drives nothing.
    assert round(plan.travel_km, 2) == 56.0


def test_capacity_is_never_exceeded_and_bookings_use_it() -> None:
    crew = [adjuster("a", X, {"X"}, capacity=4, booked={MONDAY: 3}, booked_villages={MONDAY: ["X"] * 3})]
    plan = plan_visits(requests("X", X, 6, TUESDAY), crew, start=MONDAY)
    assert per_adjuster_day(plan) == {("a", MONDAY): 1, ("a", TUESDAY): 4, ("a", WEDNESDAY): 1}
    assert [v.at_risk for v in plan.visits if v.day == WEDNESDAY] == [True]
    # The new Monday visit comes after the three booked ones in the same village.
    assert [v.route_order for v in plan.visits if v.day == MONDAY] == [4]


def test_each_village_stays_with_the_adjuster_who_lives_there() -> None:
    # Both cover both villages, 20 km apart; the claims arrive interleaved.
    crew = [adjuster("a", X, {"X", "Y"}), adjuster("b", Y, {"X", "Y"})]
    mixed = [
        r for pair in zip(requests("X", X, 6, MONDAY), requests("Y", Y, 6, MONDAY), strict=True) for r in pair
    ]
    plan = plan_visits(mixed, crew, start=MONDAY)
    assert {v.claim_id: v.adjuster_id for v in plan.visits} == {f"X-{n}": "a" for n in range(6)} | {
        f"Y-{n}": "b" for n in range(6)
    }
    assert plan.travel_km == 0


def test_a_village_is_split_over_days_only_when_a_day_is_full() -> None:
    # One adjuster, 5 a day, villages 2 km apart on a line east of home: 4 in each of three villages.
    points = {"P": at(2), "Q": at(4), "R": at(6)}
    crew = [adjuster("a", X, set(points), capacity=5)]
    batch = [r for name, point in points.items() for r in requests(name, point, 4, WEDNESDAY)]
    plan = plan_visits(batch, crew, start=MONDAY)
    days = {route.day: sorted(route.villages) for route in plan.routes}
    assert plan.last_day == WEDNESDAY
    # Twelve visits in three days of 5, 5, 2: each day holds neighbouring villages, at most two.
    assert per_adjuster_day(plan) == {("a", MONDAY): 5, ("a", TUESDAY): 5, ("a", WEDNESDAY): 2}
    assert all(len(villages) <= 2 for villages in days.values())
    assert sum(len(villages) for villages in days.values()) == 5


def test_working_weekdays_and_days_off_are_kept() -> None:
    # Works Monday and Wednesday only, and is off this Wednesday: next Monday is the second day.
    crew = [adjuster("a", X, {"X"}, capacity=2, weekdays=frozenset({1, 3}), days_off=frozenset({WEDNESDAY}))]
    plan = plan_visits(requests("X", X, 4, MONDAY), crew, start=MONDAY)
    assert per_adjuster_day(plan) == {("a", MONDAY): 2, ("a", MONDAY + timedelta(days=7)): 2}
    assert [v.at_risk for v in plan.visits] == [False, False, True, True]


def test_earlier_deadlines_in_a_village_are_visited_first() -> None:
    crew = [adjuster("a", X, {"X"}, capacity=1)]
    late, early = requests("X", X, 1, WEDNESDAY, first=0), requests("X", X, 1, MONDAY, first=1)
    plan = plan_visits(late + early, crew, start=MONDAY)
    assert [(v.claim_id, v.day, v.at_risk) for v in plan.visits] == [
        ("X-1", MONDAY, False),
        ("X-0", TUESDAY, False),
    ]


def test_a_village_with_few_adjusters_decides_the_last_day() -> None:
    # X is covered by a alone (2 a day); b covers only Y and is idle after Monday.
    crew = [adjuster("a", X, {"X"}, capacity=2), adjuster("b", Y, {"Y"}, capacity=10)]
    plan = plan_visits(requests("X", X, 5, MONDAY) + requests("Y", Y, 3, MONDAY), crew, start=MONDAY)
    assert per_adjuster_day(plan) == {
        ("a", MONDAY): 2,
        ("a", TUESDAY): 2,
        ("a", WEDNESDAY): 1,
        ("b", MONDAY): 3,
    }
    assert lower_bound_days(8, crew) == 1


def test_the_event_finishes_on_the_lower_bound_when_everyone_covers_everything() -> None:
    # 3 adjusters of 5 a day: 31 visits need ⌈31 / 15⌉ = 3 days, and take 3.
    crew = [adjuster(name, at(n), {"X", "Y"}, capacity=5) for n, name in enumerate("abc")]
    plan = plan_visits(requests("X", X, 16, MONDAY) + requests("Y", Y, 15, MONDAY), crew, start=MONDAY)
    assert lower_bound_days(31, crew) == 3
    assert plan.last_day == WEDNESDAY
    assert sorted(Counter(v.adjuster_id for v in plan.visits).values()) == [10, 10, 11]


def test_a_day_is_routed_round_its_villages() -> None:
    # Home at a corner of a 2 km square; one claim in each other corner, the diagonal listed first.
    points = {"D": at(2, 2), "N": at(0, 2), "E": at(2, 0)}
    crew = [adjuster("a", X, set(points))]
    batch = [r for name in ("D", "N", "E") for r in requests(name, points[name], 1, MONDAY)]
    plan = plan_visits(batch, crew, start=MONDAY)
    order = [v.claim_id for v in sorted(plan.visits, key=lambda v: v.route_order)]
    assert order in (["N-0", "D-0", "E-0"], ["E-0", "D-0", "N-0"])
    assert [v.route_order for v in plan.visits if v.claim_id == "D-0"] == [2]
    assert round(plan.travel_km, 2) == 11.2  # 4 sides of 2 km, by road


def test_booked_stops_are_part_of_the_route() -> None:
    points = {"N": at(0, 2), "E": at(2, 0), "D": at(2, 2)}
    crew = [adjuster("a", X, set(points), booked={MONDAY: 1}, booked_villages={MONDAY: ["D"]})]
    batch = requests("N", points["N"], 1, MONDAY) + requests("E", points["E"], 1, MONDAY)
    plan = plan_visits(batch, crew, start=MONDAY, village_points=points)
    # The booked visit to the far corner sits between the two new ones.
    assert sorted(v.route_order for v in plan.visits) == [1, 3]
    assert [sorted(route.villages) for route in plan.routes] == [["D", "E", "N"]]


def test_uncovered_villages_and_claims_beyond_the_horizon_are_unplanned() -> None:
    crew = [adjuster("a", X, {"X"}, capacity=2, weekdays=WEEKDAYS)]
    batch = requests("X", X, 5, MONDAY) + requests("Y", Y, 2, MONDAY)
    plan = plan_visits(batch, crew, start=MONDAY, horizon_days=2)
    assert sorted(plan.unplanned) == ["X-4", "Y-0", "Y-1"]
    assert per_adjuster_day(plan) == {("a", MONDAY): 2, ("a", TUESDAY): 2}
