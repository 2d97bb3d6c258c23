"""Travel estimates and the order of a day's route, on points whose distances are known by hand."""

from __future__ import annotations

import pytest

from claims.visits.planner import distance_km, travel_minutes
from claims.visits.travel import cheapest_insertion, road_km, route_km, route_minutes, route_order
from tests.unit.claims.visits.planner_worlds import at

HOME = at(0, 0)


def test_road_distance_is_the_straight_line_times_1_4_driven_at_30_km_an_hour() -> None:
    a, b = at(0, 0), at(3, 4)
    assert distance_km(a, b) == pytest.approx(5.0, abs=1e-3)
    assert road_km(a, b) == pytest.approx(7.0, abs=1e-3)
    assert travel_minutes(a, b) == pytest.approx(14.0, abs=1e-2)
    assert travel_minutes(a, a) == 0


def test_a_day_goes_round_the_square_never_across_it() -> None:
    # Home at one corner of a 2 km square; the other corners are given diagonal first.
    diagonal, east, north = at(2, 2), at(2, 0), at(0, 2)
    order = route_order(HOME, [diagonal, north, east])
    assert order in ([1, 0, 2], [2, 0, 1])
    assert route_km(HOME, [[diagonal, north, east][i] for i in order]) == pytest.approx(4 * 2 * 1.4, abs=1e-2)
    assert route_minutes(HOME, [north, diagonal, east]) == pytest.approx(8 * 1.4 * 2, abs=1e-2)


def test_two_opt_untangles_what_nearest_neighbour_crosses() -> None:
    # Nearest neighbour: home → east (1) → south (1.41) → west (2.24) → north-east (2.24) → home
    # (2.24) = 9.12 km of straight line. Going round, home → south → east → north-east → west → home,
    # is 1 + 1.41 + 2 + 2.24 + 1.41 = 8.06 km, the shortest of the 24 orders (8.47 is next).
    east, north_east, west, south = at(1, 0), at(1, 2), at(-1, 1), at(0, -1)
    stops = [east, north_east, west, south]
    order = route_order(HOME, stops)
    around = [[south, east, north_east, west], [west, north_east, east, south]]
    assert [stops[i] for i in order] in around
    assert route_km(HOME, [stops[i] for i in order]) == pytest.approx(8.0645 * 1.4, abs=1e-3)


def test_visits_in_the_same_village_follow_one_another() -> None:
    village, other = at(3, 0), at(0, 3)
    order = route_order(HOME, [village, other, village])
    assert order in ([0, 2, 1], [1, 0, 2])


def test_no_stops_no_travel() -> None:
    assert route_km(HOME, []) == 0
    assert route_order(HOME, []) == []


def test_a_visit_is_inserted_where_it_adds_least() -> None:
    # Booked: home → 4 km east → 4 km north-east corner (4, 4) → home. A visit at (4, 0) adds 0 km.
    booked = [at(4, 0), at(4, 4)]
    assert cheapest_insertion(HOME, booked, at(4, 0)) == (0, pytest.approx(0.0, abs=1e-6))
    # A visit at (4, 2) sits on the leg between the two booked stops: position 1, nothing added.
    position, added = cheapest_insertion(HOME, booked, at(4, 2))
    assert position == 1
    assert added == pytest.approx(0.0, abs=1e-3)
    # With nothing booked, a visit 5 km away costs the round trip: 2 × 5 × 1.4 = 14 km.
    assert cheapest_insertion(HOME, [], at(3, 4)) == (0, pytest.approx(14.0, abs=1e-2))
