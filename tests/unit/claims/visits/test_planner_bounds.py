"""The lower bound on an event's days and how many adjusters it takes to finish within a window."""

from __future__ import annotations

from datetime import date

import pytest

from claims.visits.planner import adjusters_needed, lower_bound_days
from tests.unit.claims.visits.planner_worlds import MONDAY, adjuster, at

HOME = at(0, 0)
SATURDAY = date(2026, 7, 4)


def test_the_lower_bound_is_households_over_daily_capacity_rounded_up() -> None:
    crew = [adjuster(f"a{n}", HOME, {"X"}, capacity=12) for n in range(40)]
    # 40 × 12 = 480 a day: 3,840 fit in 8 days, 4,000 need a 9th.
    assert lower_bound_days(4000, crew) == 9
    assert lower_bound_days(3840, crew) == 8
    assert lower_bound_days(0, crew) == 0
    assert lower_bound_days(10, []) == 0


def test_adjusters_needed_to_finish_an_event_within_seven_days() -> None:
    # 12 a day for 7 days is 84 each: 47 adjusters do 3,948, so 4,000 need 48.
    assert adjusters_needed(4000, daily_capacity=12, within_days=7) == 48
    assert adjusters_needed(84, daily_capacity=12, within_days=7) == 1
    assert adjusters_needed(85, daily_capacity=12, within_days=7) == 2
    assert adjusters_needed(0, daily_capacity=12, within_days=7) == 0


def test_adjusters_needed_counts_only_working_days_when_told_them() -> None:
    # Monday to Sunday, working Monday to Friday: 5 days of 12 is 60 each; 4,000 need 67 (66 do 3,960).
    weekdays = {1, 2, 3, 4, 5}
    needed = adjusters_needed(4000, daily_capacity=12, within_days=7, start=MONDAY, working_weekdays=weekdays)
    assert needed == 67
    # From a Saturday, a 2-day window holds no working day.
    with pytest.raises(ValueError):
        adjusters_needed(10, daily_capacity=12, within_days=2, start=SATURDAY, working_weekdays=weekdays)


def test_adjusters_needed_refuses_a_window_or_capacity_of_nothing() -> None:
    with pytest.raises(ValueError):
        adjusters_needed(10, daily_capacity=0, within_days=7)
    with pytest.raises(ValueError):
        adjusters_needed(10, daily_capacity=12, within_days=0)
