"""Random small instances: the planner never breaks a hard rule, loses a claim or plans one twice."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from claims.visits.planner import AdjusterInput, Plan, VisitRequest, free_on, plan_visits, works_on
from tests.unit.claims.visits.planner_worlds import MONDAY, adjuster, at

VILLAGES = {name: at(3 * n, 2 * (n % 3)) for n, name in enumerate("PQRSTU")}
HORIZON = 8
DAYS = [MONDAY + timedelta(days=n) for n in range(HORIZON)]


@st.composite
def adjusters(draw: st.DrawFn, index: int) -> AdjusterInput:
    covered = draw(st.sets(st.sampled_from(sorted(VILLAGES)), max_size=4))
    capacity = draw(st.integers(1, 3))
    booked = draw(st.dictionaries(st.sampled_from(DAYS), st.integers(0, capacity + 1), max_size=3))
    villages = sorted(covered) or ["P"]
    return adjuster(
        f"a{index}",
        VILLAGES[draw(st.sampled_from(sorted(VILLAGES)))],
        covered,
        capacity=capacity,
        weekdays=frozenset(draw(st.sets(st.integers(1, 7), min_size=1))),
        days_off=frozenset(draw(st.sets(st.sampled_from(DAYS), max_size=2))),
        booked=booked,
        booked_villages={
            day: [villages[n % len(villages)] for n in range(count)] for day, count in booked.items()
        },
    )


@st.composite
def worlds(draw: st.DrawFn) -> tuple[list[VisitRequest], list[AdjusterInput]]:
    crew = [draw(adjusters(n)) for n in range(draw(st.integers(1, 4)))]
    villages = draw(st.lists(st.sampled_from(sorted(VILLAGES)), min_size=1, max_size=14))
    due = draw(st.lists(st.integers(0, HORIZON), min_size=len(villages), max_size=len(villages)))
    batch = [
        VisitRequest(f"c{n}", village, VILLAGES[village], MONDAY + timedelta(days=days))
        for n, (village, days) in enumerate(zip(villages, due, strict=True))
    ]
    return batch, crew


def plan_of(world: tuple[list[VisitRequest], list[AdjusterInput]]) -> Plan:
    batch, crew = world
    return plan_visits(batch, crew, start=MONDAY, horizon_days=HORIZON, village_points=VILLAGES)


@settings(max_examples=100, deadline=None)
@given(worlds())
def test_hard_rules_hold_and_every_claim_is_planned_once_or_listed_unplanned(
    world: tuple[list[VisitRequest], list[AdjusterInput]],
) -> None:
    batch, crew = world
    plan = plan_of(world)
    by_id = {a.id: a for a in crew}
    request = {r.claim_id: r for r in batch}
    assert Counter([v.claim_id for v in plan.visits] + plan.unplanned) == Counter(r.claim_id for r in batch)
    for visit in plan.visits:
        adjuster = by_id[visit.adjuster_id]
        assert request[visit.claim_id].village in adjuster.villages
        assert works_on(adjuster, visit.day)
        assert MONDAY <= visit.day < MONDAY + timedelta(days=HORIZON)
        assert visit.at_risk == (visit.day > request[visit.claim_id].due_by)
    for (adjuster_id, day), count in Counter((v.adjuster_id, v.day) for v in plan.visits).items():
        adjuster = by_id[adjuster_id]
        assert adjuster.booked.get(day, 0) + count <= adjuster.daily_capacity
        orders = [v.route_order for v in plan.visits if (v.adjuster_id, v.day) == (adjuster_id, day)]
        assert len(set(orders)) == len(orders)
        assert min(orders) >= 1
        assert max(orders) <= count + len(adjuster.booked_villages.get(day, []))
    assert plan.last_day == max((v.day for v in plan.visits), default=None)


@settings(max_examples=100, deadline=None)
@given(worlds())
def test_a_claim_is_unplanned_only_when_every_adjuster_covering_it_is_full(
    world: tuple[list[VisitRequest], list[AdjusterInput]],
) -> None:
    batch, crew = world
    plan = plan_of(world)
    taken = Counter((v.adjuster_id, v.day) for v in plan.visits)
    village = {r.claim_id: r.village for r in batch}
    for claim_id in plan.unplanned:
        for member in crew:
            if village[claim_id] in member.villages:
                assert all(free_on(member, day) - taken[(member.id, day)] == 0 for day in DAYS)


def first_free_last_day(batch: list[VisitRequest], crew: list[AdjusterInput]) -> tuple[int, date | None]:
    """The naive plan: each claim in turn to the first covering adjuster with room on the earliest day."""
    used: Counter[tuple[str, date]] = Counter()
    unplanned, last = 0, None
    for request in batch:
        slot = next(
            (
                (member.id, day)
                for day in DAYS
                for member in crew
                if request.village in member.villages and free_on(member, day) > used[(member.id, day)]
            ),
            None,
        )
        if slot is None:
            unplanned += 1
        else:
            used[slot] += 1
            last = max(last or slot[1], slot[1])
    return unplanned, last


@settings(max_examples=100, deadline=None)
@given(worlds())
def test_the_plan_never_finishes_later_or_leaves_more_unplanned_than_first_come_first_free(
    world: tuple[list[VisitRequest], list[AdjusterInput]],
) -> None:
    plan = plan_of(world)
    naive_unplanned, naive_last = first_free_last_day(*world)
    assert len(plan.unplanned) <= naive_unplanned
    if len(plan.unplanned) == naive_unplanned == 0:
        assert plan.last_day is not None and naive_last is not None
        assert plan.last_day <= naive_last


@settings(max_examples=60, deadline=None)
@given(worlds())
def test_the_same_input_gives_the_same_plan_whatever_order_the_adjusters_come_in(
    world: tuple[list[VisitRequest], list[AdjusterInput]],
) -> None:
    batch, crew = world
    assert plan_of(world) == plan_of((batch, list(reversed(crew))))


HASHING_WORLD = """
from claims.visits.planner import VisitRequest, plan_visits
from tests.unit.claims.visits.planner_worlds import MONDAY, adjuster, at

# Four villages at the same distance from both homes: every choice between them is a tie.
corners = [("N", 0, 2), ("E", 2, 0), ("S", 0, -2), ("W", -2, 0)]
points = {name: at(east, north) for name, east, north in corners}
crew = [adjuster(name, at(0, 0), set(points), capacity=3) for name in ("a", "b")]
batch = [VisitRequest(f"{v}{n}", v, p, MONDAY) for n in range(3) for v, p in points.items()]
plan = plan_visits(batch, crew, start=MONDAY)
print(sorted((v.claim_id, v.adjuster_id, v.day.isoformat(), v.route_order) for v in plan.visits))
"""


def test_the_plan_does_not_depend_on_string_hashing() -> None:
    # Sets of village codes iterate in an order that changes with PYTHONHASHSEED; the plan must not.
    root = Path(__file__).resolve().parents[4]
    outputs = [
        subprocess.run(
            [sys.executable, "-c", HASHING_WORLD],
            capture_output=True,
            text=True,
            cwd=root,
            env={"PYTHONHASHSEED": seed, "PYTHONPATH": str(root)},
            check=True,
        ).stdout
        for seed in ("1", "2", "3")
    ]
    assert outputs[0].count("'a'") == 6
    assert outputs[1] == outputs[0] == outputs[2]
