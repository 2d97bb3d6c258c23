"""Plan the site visits of one catastrophe (4,000 claims, 60 villages, 40 adjusters); time it; compare travel.

The instance is random but seeded: 60 villages in a 30 km × 30 km square around Huangdao, 4,000
confirmed claims spread over them unevenly (each village's weight drawn from 0.5 to 2), 40
adjusters of 12 visits a day whose homes are 40 of the villages, each covering the 12 villages
nearest home, widened so that every village is covered by at least 4 adjusters; everyone works every
day (a catastrophe week). Claims arrive in random order (liaisons confirm in many villages at once);
with --arrival village they arrive village by village, which flatters the baseline.

The baseline is the naive plan: first come, first served, to the first adjuster (by id) who covers
the village and has room on the earliest day, visits in arrival order, no routing. Its travel is
measured the same way (claims.visits.travel.route_km: home → visits → home, road km).

    python bench/schedule.py [--claims 4000] [--villages 60] [--adjusters 40] [--capacity 12] [--seed 11]
                             [--arrival random|village]
Ends with `RESULT visits=… seconds=… days=… lower_bound_days=… travel_km=… baseline_travel_km=…
travel_ratio=…` (targets: seconds ≤ 2, days ≤ lower_bound_days + 1, travel_ratio ≤ 0.8).
"""

from __future__ import annotations

import argparse
import math
import random
import sys
import time
from collections import Counter, defaultdict
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from claims.visits.planner import (
    AdjusterInput,
    Plan,
    Point,
    VisitRequest,
    lower_bound_days,
    plan_visits,
    works_on,
)
from claims.visits.travel import distance_km, route_km

START = date(2026, 7, 6)
CENTRE = Point(35.96, 120.18)
SIDE_KM = 30.0
COVERED_NEAREST = 12
MIN_COVER = 4
EVERY_DAY = frozenset(range(1, 8))


def villages(count: int, rng: random.Random) -> dict[str, Point]:
    lat_span = SIDE_KM / 111.2
    lon_span = SIDE_KM / (111.2 * math.cos(math.radians(CENTRE.lat)))
    return {
        f"370211001{n:03d}": Point(
            CENTRE.lat + (rng.random() - 0.5) * lat_span, CENTRE.lon + (rng.random() - 0.5) * lon_span
        )
        for n in range(1, count + 1)
    }


def adjusters(count: int, capacity: int, points: dict[str, Point], rng: random.Random) -> list[AdjusterInput]:
    codes = sorted(points)
    homes = rng.sample(codes, count)
    covers = [
        set(sorted(codes, key=lambda v: distance_km(points[h], points[v]))[:COVERED_NEAREST]) for h in homes
    ]
    for village in codes:
        nearest = sorted(range(count), key=lambda a: distance_km(points[homes[a]], points[village]))
        for a in nearest:
            if sum(village in cover for cover in covers) >= MIN_COVER:
                break
            covers[a].add(village)
    return [
        AdjusterInput(f"A{a:02d}", points[homes[a]], frozenset(covers[a]), capacity, EVERY_DAY)
        for a in range(count)
    ]


def claims(count: int, points: dict[str, Point], rng: random.Random) -> list[VisitRequest]:
    codes = sorted(points)
    weights = [0.5 + 1.5 * rng.random() for _ in codes]
    chosen = rng.choices(codes, weights=weights, k=count)
    due_by = START + timedelta(days=6)
    return [VisitRequest(f"C{n:05d}", village, points[village], due_by) for n, village in enumerate(chosen)]


def baseline(requests: list[VisitRequest], crew: list[AdjusterInput], horizon: int = 60) -> Plan:
    """First come, first free covering adjuster on the earliest day; visits in arrival order."""
    days: dict[tuple[str, date], list[Point]] = defaultdict(list)
    homes = {adjuster.id: adjuster.home for adjuster in crew}
    unplanned = []
    for request in requests:
        slot = next(
            (
                (adjuster.id, day)
                for day in (START + timedelta(days=n) for n in range(horizon))
                for adjuster in crew
                if request.village in adjuster.villages
                and works_on(adjuster, day)
                and len(days[(adjuster.id, day)]) < adjuster.daily_capacity
            ),
            None,
        )
        if slot is None:
            unplanned.append(request.claim_id)
        else:
            days[slot].append(request.point)
    travel = sum(route_km(homes[adjuster_id], stops) for (adjuster_id, _), stops in days.items())
    last_day = max((day for (_, day), stops in days.items() if stops), default=None)
    return Plan([], unplanned, last_day, travel)


def check(plan: Plan, requests: list[VisitRequest], crew: list[AdjusterInput]) -> None:
    by_id = {adjuster.id: adjuster for adjuster in crew}
    village_of = {request.claim_id: request.village for request in requests}
    assert not plan.unplanned, plan.unplanned[:5]
    assert sorted(v.claim_id for v in plan.visits) == sorted(village_of), "a visit lost or doubled"
    load = Counter((visit.adjuster_id, visit.day) for visit in plan.visits)
    assert all(n <= by_id[a].daily_capacity for (a, _), n in load.items()), "over capacity"
    assert all(village_of[v.claim_id] in by_id[v.adjuster_id].villages for v in plan.visits), "not covered"


def main(args: argparse.Namespace) -> None:
    rng = random.Random(args.seed)
    points = villages(args.villages, rng)
    crew = adjusters(args.adjusters, args.capacity, points, rng)
    requests = claims(args.claims, points, rng)
    if args.arrival == "village":
        requests.sort(key=lambda request: request.village)
    cover_counts = Counter(village for adjuster in crew for village in adjuster.villages)
    print(f"villages covered by {min(cover_counts.values())}..{max(cover_counts.values())} adjusters")

    started = time.perf_counter()
    plan = plan_visits(requests, crew, start=START)
    seconds = time.perf_counter() - started
    check(plan, requests, crew)
    naive = baseline(requests, crew)
    assert plan.last_day is not None and naive.last_day is not None
    days = (plan.last_day - START).days + 1
    baseline_days = (naive.last_day - START).days + 1
    bound = lower_bound_days(len(requests), crew)
    per_day = Counter((visit.adjuster_id, visit.day) for visit in plan.visits)
    stops = [len(route.villages) for route in plan.routes]
    print(
        f"plan: adjuster-days={len(per_day)} villages a day={sum(stops) / len(stops):.2f} "
        f"(max {max(stops)}); "
        f"baseline: days={baseline_days} travel_km={naive.travel_km:.0f}"
    )
    print(
        f"RESULT visits={len(plan.visits)} seconds={seconds:.2f} days={days} lower_bound_days={bound} "
        f"travel_km={plan.travel_km:.0f} baseline_travel_km={naive.travel_km:.0f} "
        f"travel_ratio={plan.travel_km / naive.travel_km:.2f}"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=4000)
    parser.add_argument("--villages", type=int, default=60)
    parser.add_argument("--adjusters", type=int, default=40)
    parser.add_argument("--capacity", type=int, default=12)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--arrival", choices=("random", "village"), default="random")
    main(parser.parse_args())
