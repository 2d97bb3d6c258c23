"""Travel between villages: road distance and time from coordinates, and the order of a day's route.

Villages carry one coordinate each and there is no road network in the service (no map data, no
outside call at run time), so a road distance is estimated from the great-circle distance:

- ROAD_FACTOR = 1.4. Roads are longer than the straight line; studies of road circuity put the
  factor between about 1.2 on dense highway networks and 1.5 in hilly or sparse country. Rural
  Shandong and Jiangsu (the two schemes) are flat but reach villages over township roads and lanes
  that wind around fields and water, so we take the upper middle of that range.
- SPEED_KMH = 30. An adjuster drives (or rides an electric scooter) on township roads at 40 to
  60 km/h and on village lanes at 15 to 20 km/h; a trip between villages is half of each, and 30 km/h
  also covers finding the house. Time at the door is not travel: the daily capacity counts visits.

Visits in the same village share its coordinate, so the hop between them costs 0 km.

A day's route starts at the adjuster's home village and ends there. Its order is found by nearest
neighbour from home, then improved by 2-opt (reverse a stretch while that shortens the tour). Both
are deterministic: ties go to the stop listed first.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

ROAD_FACTOR = 1.4
SPEED_KMH = 30.0
EARTH_RADIUS_KM = 6371.0


@dataclass(frozen=True)
class Point:
    """A village's coordinate in degrees."""

    lat: float
    lon: float


def distance_km(a: Point, b: Point) -> float:
    """Great-circle distance (haversine)."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a.lat, a.lon, b.lat, b.lon))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


def road_km(a: Point, b: Point) -> float:
    """Estimated road distance: the great-circle distance times ROAD_FACTOR."""
    return distance_km(a, b) * ROAD_FACTOR


def travel_minutes(a: Point, b: Point) -> float:
    """Estimated driving time from a to b at SPEED_KMH over the road distance."""
    return road_km(a, b) / SPEED_KMH * 60


def route_km(home: Point, stops: Sequence[Point]) -> float:
    """Road km of home → stops in the order given → home (0 for no stops)."""
    if not stops:
        return 0.0
    path = [home, *stops, home]
    return sum(road_km(a, b) for a, b in pairwise(path))


def route_minutes(home: Point, stops: Sequence[Point]) -> float:
    """Driving minutes of the same route as route_km."""
    return route_km(home, stops) / SPEED_KMH * 60


def route_order(home: Point, stops: Sequence[Point]) -> list[int]:
    """The indexes of `stops` in the order to visit them, from home and back (nearest neighbour + 2-opt).

    Stops at the same point are visited one after the other, in the order given.
    """
    distinct: list[Point] = []
    members: dict[Point, list[int]] = {}
    for index, point in enumerate(stops):
        if point not in members:
            members[point] = []
            distinct.append(point)
        members[point].append(index)
    tour = _two_opt(home, _nearest_neighbour(home, distinct))
    return [index for point in tour for index in members[point]]


def cheapest_insertion(home: Point, stops: Sequence[Point], new: Point) -> tuple[int, float]:
    """Where to put `new` into the route home → stops → home, and the road km that adds.

    Returns (position in the new route counted from 0, added km); the first cheapest position wins.
    """
    path = [home, *stops, home]
    best_position, best_added = 0, math.inf
    for position in range(len(path) - 1):
        a, b = path[position], path[position + 1]
        added = road_km(a, new) + road_km(new, b) - road_km(a, b)
        if added < best_added - 1e-9:
            best_position, best_added = position, added
    return best_position, max(best_added, 0.0)


def _nearest_neighbour(home: Point, points: list[Point]) -> list[Point]:
    left = list(points)
    tour: list[Point] = []
    here = home
    while left:
        nearest = min(range(len(left)), key=lambda i: (road_km(here, left[i]), i))
        here = left.pop(nearest)
        tour.append(here)
    return tour


def _two_opt(home: Point, tour: list[Point]) -> list[Point]:
    """Reverse stretches of the closed tour (home fixed first) while one shortens it by more than 1 m."""
    path = [home, *tour, home]
    improved = True
    while improved:
        improved = False
        for i in range(1, len(path) - 2):
            for j in range(i + 1, len(path) - 1):
                a, b, c, d = path[i - 1], path[i], path[j], path[j + 1]
                if road_km(a, c) + road_km(b, d) < road_km(a, b) + road_km(c, d) - 1e-3:
                    path[i : j + 1] = reversed(path[i : j + 1])
                    improved = True
    return path[1:-1]
