"""The pure visit rules: the due-by day, an officer's move checks, flags and the residents' words."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from claims.visits import domain
from claims.visits.errors import AdjusterOffThatDay, DayInPast, OverCapacity, VillageNotCovered

WEDNESDAY = date(2026, 12, 2)
VILLAGE = "370211001001"


def test_due_by_leaves_a_business_day_for_approval_and_payment() -> None:
    # Expected payment 2026-12-05 09:00 Beijing (01:00 UTC): the visit must happen by the 4th.
    assert domain.due_by(datetime(2026, 12, 5, 1, 0, tzinfo=UTC), today=WEDNESDAY) == date(2026, 12, 4)
    # 23:30 UTC on the 4th is already the 5th in Beijing.
    assert domain.due_by(datetime(2026, 12, 4, 23, 30, tzinfo=UTC), today=WEDNESDAY) == date(2026, 12, 4)


def test_due_by_is_never_before_today() -> None:
    assert domain.due_by(datetime(2026, 11, 30, 1, 0, tzinfo=UTC), today=WEDNESDAY) == WEDNESDAY


def check(**changes: object) -> None:
    facts: dict[str, object] = {
        "village": VILLAGE,
        "day": WEDNESDAY,
        "today": WEDNESDAY,
        "villages": [VILLAGE],
        "working_weekdays": [1, 2, 3, 4, 5],
        "days_off": [],
        "booked": 11,
        "daily_capacity": 12,
    }
    domain.check_visit(**(facts | changes))  # type: ignore[arg-type]


def test_a_move_within_the_rules_passes() -> None:
    check()


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"day": date(2026, 12, 1)}, DayInPast),
        ({"villages": ["370211001002"]}, VillageNotCovered),
        ({"day": date(2026, 12, 5)}, AdjusterOffThatDay),  # a Saturday
        ({"days_off": [WEDNESDAY]}, AdjusterOffThatDay),
        ({"booked": 12}, OverCapacity),
    ],
)
def test_a_move_against_a_rule_is_refused(changes: dict[str, object], error: type[Exception]) -> None:
    with pytest.raises(error):
        check(**changes)


def test_flags_are_set_once_and_cleared() -> None:
    assert domain.with_flag(["possible_duplicate"], "no_adjuster", True) == [
        "possible_duplicate",
        "no_adjuster",
    ]
    assert domain.with_flag(["no_adjuster"], "no_adjuster", True) == ["no_adjuster"]
    assert domain.with_flag(["no_adjuster", "x"], "no_adjuster", False) == ["x"]


def test_the_resident_reads_the_day_the_weekday_and_who_comes() -> None:
    text = domain.visit_text(claim_number="AJ-20261202-000001", day=WEDNESDAY, adjuster_name="王海涛")
    assert text == (
        "【安居保险】您的理赔案件 AJ-20261202-000001 的上门查勘安排在12月2日（星期三），"
        "查勘员王海涛将上门查看损失，请家中留人。如需改期请联系村联络员。"
    )
    moved = domain.visit_text(claim_number="AJ-1", day=date(2026, 12, 6), adjuster_name="李", moved=True)
    assert "改到12月6日（星期日）" in moved
