"""How a batch of visits is shared among adjuster-days: a min-cost flow, then days cut along a sweep.

1. Finish as early as possible. The fewest days D in which every coverable visit fits is found by
   binary search over a maximum flow: source → village (its visit count) → each adjuster covering
   it → sink (the adjuster's free visits on the first D days). A village nobody covers, or visits
   that do not fit within the horizon, are left over.
2. Who takes what. A minimum-cost maximum flow over the D days: source → village → adjuster, costed
   by the road km from the adjuster's home to the village, → (adjuster, day k), costed DAY_COST × k,
   → sink with the free visits of that day. DAY_COST outweighs any distance, so the flow first fills
   the earliest days of every adjuster (the load is balanced to within one day's work: nobody
   starts a later day while a covering colleague has room on an earlier one), and only then chooses,
   among such allocations, the one with the least home-to-village km. A minimum-cost flow has an
   optimal solution with few split villages, which keeps each village's visits on few adjusters.
3. Which day. Each adjuster's villages are swept by bearing around their home; the sweep is cut into
   days of the sizes the flow gave, so a day takes neighbouring villages (a village is split over two
   days only where a day is full). Every starting village and both directions are tried; the sweep
   whose days' routes are shortest wins.

The flows come from networkx (network simplex); a CVRP solver (OR-Tools, PyVRP) would also
route within days, but here a day holds one to three villages, so routing is trivial and the hard
part, capacity over coverage, is exactly a flow problem solved to optimality in milliseconds.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import networkx as nx

from claims.visits.travel import Point, road_km, route_km

# Flow costs are integers: distance in units of 10 m; a day later outweighs any distance.
COST_PER_KM = 100
DAY_COST = 10**7
SOURCE, SINK = "source", "sink"
# "source", "sink", ("village", code), ("crew", id), ("day", id, k)
Node = str | tuple[str, str] | tuple[str, str, int]


@dataclass(frozen=True)
class Crew:
    """An adjuster as the allocation sees them: free visits on each day of the window (0 = not working)."""

    id: str
    home: Point
    villages: frozenset[str]
    free: tuple[int, ...]


Allocation = dict[tuple[str, int], Counter[str]]  # (crew id, day index) → visits per village


def allocate(demand: Mapping[str, int], points: Mapping[str, Point], crews: Sequence[Crew]) -> Allocation:
    """Share the visits of each village (`demand`) among crew-days; see the module docstring."""
    crews = sorted(crews, key=lambda crew: crew.id)
    villages = sorted(village for village, count in demand.items() if count > 0)
    horizon = max((len(crew.free) for crew in crews), default=0)
    if not villages or horizon == 0:
        return {}
    reachable = nx.maximum_flow_value(_capacity_graph(demand, villages, crews, horizon), SOURCE, SINK)
    low, high = 1, horizon
    while low < high:
        middle = (low + high) // 2
        graph = _capacity_graph(demand, villages, crews, middle)
        if nx.maximum_flow_value(graph, SOURCE, SINK) >= reachable:
            high = middle
        else:
            low = middle + 1
    flow = nx.max_flow_min_cost(_costed_graph(demand, villages, points, crews, low), SOURCE, SINK)
    allocation: Allocation = {}
    for crew in crews:
        taken = {v: flow[("village", v)].get(("crew", crew.id), 0) for v in villages}
        days = flow.get(("crew", crew.id), {})
        sizes = [days.get(("day", crew.id, k), 0) for k in range(low)]
        taken = {village: count for village, count in taken.items() if count}
        if taken:
            for day, counts in enumerate(_cut_days(crew.home, taken, points, sizes)):
                if counts:
                    allocation[(crew.id, day)] = counts
    return allocation


def _capacity_graph(
    demand: Mapping[str, int], villages: list[str], crews: list[Crew], days: int
) -> nx.DiGraph[Node]:
    graph: nx.DiGraph[Node] = nx.DiGraph()
    graph.add_nodes_from((SOURCE, SINK))
    for village in villages:
        graph.add_edge(SOURCE, ("village", village), capacity=demand[village])
    for crew in crews:
        for village in sorted(crew.villages.intersection(villages)):
            graph.add_edge(("village", village), ("crew", crew.id))
        graph.add_edge(("crew", crew.id), SINK, capacity=sum(crew.free[:days]))
    return graph


def _costed_graph(
    demand: Mapping[str, int], villages: list[str], points: Mapping[str, Point], crews: list[Crew], days: int
) -> nx.DiGraph[Node]:
    graph: nx.DiGraph[Node] = nx.DiGraph()
    graph.add_nodes_from((SOURCE, SINK))
    for village in villages:
        graph.add_edge(SOURCE, ("village", village), capacity=demand[village], weight=0)
    for crew in crews:
        for village in sorted(crew.villages.intersection(villages)):
            cost = round(road_km(crew.home, points[village]) * COST_PER_KM)
            graph.add_edge(("village", village), ("crew", crew.id), weight=cost)
        for day, free in enumerate(crew.free[:days]):
            if free > 0:
                graph.add_edge(("crew", crew.id), ("day", crew.id, day), capacity=free, weight=DAY_COST * day)
                graph.add_edge(("day", crew.id, day), SINK, capacity=free, weight=0)
    return graph


def _cut_days(
    home: Point, taken: dict[str, int], points: Mapping[str, Point], sizes: list[int]
) -> list[Counter[str]]:
    """Cut the crew's villages, in the sweep order with the shortest day routes, into days of `sizes`."""
    sweep = sorted(taken, key=lambda village: (_bearing(home, points[village]), village))
    candidates = [sweep[i:] + sweep[:i] for i in range(len(sweep))]
    candidates += [list(reversed(order)) for order in candidates]
    best: list[Counter[str]] = []
    best_km = math.inf
    for order in candidates:
        days = _chunks(order, taken, sizes)
        km = sum(route_km(home, [points[v] for v in _in_order(order, day)]) for day in days)
        if km < best_km - 1e-9:
            best, best_km = days, km
    return best


def _chunks(order: list[str], taken: dict[str, int], sizes: list[int]) -> list[Counter[str]]:
    left = [(village, taken[village]) for village in order]
    days: list[Counter[str]] = []
    for size in sizes:
        day: Counter[str] = Counter()
        while size and left:
            village, count = left[0]
            step = min(size, count)
            day[village] += step
            size -= step
            left[0] = (village, count - step)
            if left[0][1] == 0:
                left.pop(0)
        days.append(day)
    return days


def _in_order(order: list[str], day: Counter[str]) -> list[str]:
    return [village for village in order if village in day]


def _bearing(home: Point, point: Point) -> float:
    """The direction from home in radians; east-west degrees shrink by the cosine of the latitude."""
    east = (point.lon - home.lon) * math.cos(math.radians(home.lat))
    return math.atan2(point.lat - home.lat, east)
