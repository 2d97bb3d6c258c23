"""core.dates: one plausible range per kind of date, checked at its edges."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from core.dates import DateKind, check_day, check_moment
from core.errors import DateImplausible

TODAY = date(2026, 12, 2)
NOW = datetime(2026, 12, 2, 6, 0, tzinfo=UTC)  # 14:00 in Beijing


@pytest.mark.parametrize(
    ("kind", "day", "plausible"),
    [
        (DateKind.TERM, date(1999, 12, 31), False),
        (DateKind.TERM, date(2000, 1, 1), True),
        (DateKind.TERM, date(2028, 12, 2), True),  # two years ahead (731 days)
        (DateKind.TERM, date(2028, 12, 3), False),
        (DateKind.TERM, date(2100, 1, 1), False),
        (DateKind.SPENDING, date(1899, 12, 31), False),
        (DateKind.SPENDING, TODAY, True),
        (DateKind.SPENDING, date(2026, 12, 3), False),
        (DateKind.AGREEMENT, date(1899, 1, 1), False),
        (DateKind.AGREEMENT, date(2036, 12, 2), True),  # ten years ahead (3,653 days) is the last
        (DateKind.AGREEMENT, date(2036, 12, 3), False),
    ],
)
def test_days_in_and_out_of_their_range(kind: DateKind, day: date, plausible: bool) -> None:
    if plausible:
        assert check_day(kind, day, field="starts_on", today=TODAY) == day
    else:
        with pytest.raises(DateImplausible) as refused:
            check_day(kind, day, field="starts_on", today=TODAY)
        assert refused.value.extra["field"] == "starts_on"


@pytest.mark.parametrize(
    ("moment", "plausible"),
    [
        (datetime(1899, 12, 31, 12, 0, tzinfo=UTC), False),
        (datetime(1999, 12, 31, 16, 0, tzinfo=UTC), True),  # 2000-01-01 00:00 in Beijing
        (datetime(1999, 12, 31, 15, 59, tzinfo=UTC), False),
        (NOW + timedelta(minutes=10), True),
        (NOW + timedelta(minutes=11), False),
        (datetime(2100, 1, 1, tzinfo=UTC), False),
    ],
)
def test_payment_moments_in_and_out_of_their_range(moment: datetime, plausible: bool) -> None:
    if plausible:
        assert check_moment(DateKind.PAYMENT, moment, field="paid_at", now=NOW) == moment
    else:
        with pytest.raises(DateImplausible):
            check_moment(DateKind.PAYMENT, moment, field="paid_at", now=NOW)


def test_a_moment_without_a_zone_is_beijing_time() -> None:
    # 14:05 in Beijing is 06:05 UTC: five minutes ahead of NOW, within the tolerance.
    checked = check_moment(DateKind.PAYMENT, datetime(2026, 12, 2, 14, 5), field="paid_at", now=NOW)
    assert checked.astimezone(UTC) == datetime(2026, 12, 2, 6, 5, tzinfo=UTC)
