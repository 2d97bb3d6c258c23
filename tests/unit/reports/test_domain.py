"""The pure figures: periods in the business calendar, ratios, the clock's statistics, stage times."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from reports import domain
from reports.domain import Period

H = 3600


def test_a_month_is_a_business_calendar_month() -> None:
    march = domain.month_period(date(2026, 3, 17))
    assert (march.first, march.last) == (date(2026, 3, 1), date(2026, 3, 31))
    # Beijing midnight is 16:00 UTC the day before.
    assert march.start == datetime(2026, 2, 28, 16, 0, tzinfo=UTC)
    assert march.end == datetime(2026, 3, 31, 16, 0, tzinfo=UTC)
    assert domain.month_period(date(2028, 2, 5)).last == date(2028, 2, 29)
    assert domain.previous_month(date(2026, 1, 31)) == date(2025, 12, 1)
    three = [date(2025, 12, 1), date(2026, 1, 1), date(2026, 2, 1)]
    assert domain.months_ending(date(2026, 2, 14), 3) == three


def test_a_period_of_days() -> None:
    day = Period(date(2026, 3, 5), date(2026, 3, 5))
    assert day.end - day.start == datetime(2026, 3, 5, tzinfo=UTC) - datetime(2026, 3, 4, tzinfo=UTC)


@pytest.mark.parametrize(
    ("paid", "premiums", "permille", "text"),
    [
        (530_000, 1_040_000, 510, "51.0%"),  # 50.96 %
        (1, 2_000, 1, "0.1%"),  # 0.05 % rounds half up
        (1, 2_001, 0, "0.0%"),
        (380_000, 20_000, 19_000, "1900.0%"),
        (0, 50_000, 0, "0.0%"),
        (10, 0, None, "—"),
    ],
)
def test_loss_ratio(paid: int, premiums: int, permille: int | None, text: str) -> None:
    assert domain.loss_ratio_permille(paid, premiums) == permille
    assert domain.percent_text(permille) == text


def test_hours() -> None:
    assert domain.hours_text(5_400) == "1.5"
    assert domain.hours_text(179) == "0.0"
    assert domain.hours_text(180) == "0.1"  # 0.05 h rounds half up
    assert domain.hours_text(None) == "—"


def test_cycle_statistics() -> None:
    stats = domain.cycle_statistics([(48 * H, 72), (120 * H, 72), (96 * H, 72)])
    assert stats == domain.CycleStats(3, 88 * H, 120 * H, 1, 333)
    # Ten cycles of 1..10 h: p90 is the 9th smallest; exactly on target counts as within.
    ten = domain.cycle_statistics([(n * H, 9) for n in range(1, 11)])
    assert (ten.p90_seconds, ten.within_target, ten.within_target_permille) == (9 * H, 9, 900)
    assert ten.mean_seconds == 5 * H + H // 2
    # Eleven: the 10th smallest (⌈9.9⌉).
    assert domain.cycle_statistics([(n, 1) for n in range(1, 12)]).p90_seconds == 10
    assert domain.cycle_statistics([(7, 1)]).p90_seconds == 7
    assert domain.cycle_statistics([]) == domain.CycleStats(0, None, None, 0, None)
    # The mean rounds half up to the second: (1 + 2) / 2 = 1.5 → 2.
    assert domain.cycle_statistics([(1, 1), (2, 1)]).mean_seconds == 2


def at(day: int, hour: int) -> datetime:
    return datetime(2026, 3, day, hour, tzinfo=UTC)


def test_where_the_time_went() -> None:
    full = domain.stage_seconds(
        {
            "reported_at": at(10, 0),
            "accepted_at": at(10, 1),
            "visit_scheduled_at": at(11, 1),
            "visited_at": at(13, 1),
            "assessed_at": at(13, 4),
            "approved_at": at(14, 0),
            "sent_at": at(14, 22),
            "paid_at": at(15, 0),
        }
    )
    assert full == {
        "accepted_at": 1 * H,
        "visit_scheduled_at": 24 * H,
        "visited_at": 48 * H,
        "assessed_at": 3 * H,
        "approved_at": 20 * H,
        "sent_at": 22 * H,
        "paid_at": 2 * H,
    }
    assert domain.slowest_stage(full) == "visited_at"
    # An advance paid before any visit: the whole wait counts for the payment.
    skipped = domain.stage_seconds({"reported_at": at(1, 0), "accepted_at": at(1, 2), "paid_at": at(2, 2)})
    assert skipped == {"accepted_at": 2 * H, "paid_at": 24 * H}
    assert domain.stage_seconds({"reported_at": None}) == {}
    means = domain.mean_stage_seconds([full, skipped, {"accepted_at": 0}])
    assert means["accepted_at"] == H  # (1 h + 2 h + 0) / 3
    assert means["paid_at"] == 13 * H  # (2 h + 24 h) / 2
    assert means["visited_at"] == 48 * H
