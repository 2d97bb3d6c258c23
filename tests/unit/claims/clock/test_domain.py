"""The clock's arithmetic with hand-written times: thresholds, zones, stages, buckets, percentiles."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from claims.clock import domain
from claims.clock.domain import Period, Stage, WaitingOn
from claims.domain import ClaimStatus, ClockState, clock_state

SHANGHAI = ZoneInfo("Asia/Shanghai")
# 08:00 on 1 March in Shanghai is midnight UTC.
REPORTED = datetime(2026, 3, 1, 8, 0, tzinfo=SHANGHAI)
TICK = timedelta(microseconds=1)


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (datetime(2026, 3, 3, 5, 59, 59, 999999), ClockState.ON_TRACK),  # just before 54 h (75 % of 72)
        (datetime(2026, 3, 3, 6, 0), ClockState.AT_RISK),  # exactly 75 %: at risk
        (datetime(2026, 3, 4, 0, 0), ClockState.AT_RISK),  # exactly 100 %: not yet breached
        (datetime(2026, 3, 4, 0, 0, 0, 1), ClockState.BREACHED),  # a microsecond past it
    ],
)
def test_the_thresholds_at_exactly_75_and_100_percent(now: datetime, expected: ClockState) -> None:
    # `now` naive, as SQLite hands times back (UTC by convention); `reported` in Shanghai time.
    assert clock_state(REPORTED, 72, now=now) is expected


def test_the_same_instant_in_any_zone_reads_the_same() -> None:
    at_54_hours_in_shanghai = datetime(2026, 3, 3, 14, 0, tzinfo=SHANGHAI)
    assert (
        clock_state(datetime(2026, 3, 1, 0, 0, tzinfo=UTC), 72, now=at_54_hours_in_shanghai)
        is ClockState.AT_RISK
    )
    assert clock_state(REPORTED, 72, now=at_54_hours_in_shanghai - TICK) is ClockState.ON_TRACK


def test_a_paid_claim_stops_the_clock_even_past_its_target() -> None:
    late = datetime(2026, 3, 9, tzinfo=UTC)
    assert clock_state(REPORTED, 72, now=late, paid_at=late) is ClockState.STOPPED


def test_time_left_counts_down_and_goes_negative() -> None:
    due = datetime(2026, 3, 4, 0, 0, tzinfo=UTC)
    assert domain.time_left(due, now=datetime(2026, 3, 3, 22, 30, tzinfo=UTC)) == 5400
    assert domain.time_left(due, now=datetime(2026, 3, 4, 1, 0, tzinfo=UTC)) == -3600


def test_months_are_shanghai_months() -> None:
    # 16:30 UTC on 28 February is 00:30 on 1 March in Shanghai.
    assert domain.month_of(datetime(2026, 2, 28, 16, 30, tzinfo=UTC)) == date(2026, 3, 1)
    assert domain.month_of(datetime(2026, 2, 28, 15, 59, tzinfo=UTC)) == date(2026, 2, 1)


def test_stage_seconds_follow_the_stage_times_and_skip_missing_ones() -> None:
    start = datetime(2026, 3, 1, 0, 0, tzinfo=UTC)
    times = {
        "accepted_at": datetime(2026, 3, 1, 1, 0, tzinfo=UTC),  # 1 h
        "visit_scheduled_at": datetime(2026, 3, 1, 3, 0, tzinfo=UTC),  # 2 h
        "visited_at": None,  # no visit recorded: its time goes to the assessment
        "assessed_at": datetime(2026, 3, 2, 3, 0, tzinfo=UTC),  # 24 h
        "approved_at": datetime(2026, 3, 2, 4, 30, tzinfo=UTC),  # 1.5 h
        "sent_at": datetime(2026, 3, 2, 8, 30, tzinfo=UTC),  # 4 h
        "paid_at": datetime(2026, 3, 2, 10, 30, tzinfo=UTC),  # 2 h
    }
    assert domain.stage_seconds(start, times) == {
        Stage.ACCEPTANCE: 3600,
        Stage.VISIT_PLANNING: 7200,
        Stage.VISIT: 0,
        Stage.ASSESSMENT: 86400,
        Stage.APPROVAL: 5400,
        Stage.PAYMENT_BATCH: 14400,
        Stage.BANK: 7200,
    }


@pytest.mark.parametrize(
    ("status", "times", "expected"),
    [
        (ClaimStatus.AWAITING_CONFIRMATION, {}, (Stage.CONFIRMATION, WaitingOn.LIAISON)),
        (ClaimStatus.REPORTED, {}, (Stage.ACCEPTANCE, WaitingOn.OFFICER)),
        (ClaimStatus.REOPENED, {}, (Stage.ACCEPTANCE, WaitingOn.OFFICER)),
        (ClaimStatus.ACCEPTED, {}, (Stage.VISIT_PLANNING, WaitingOn.OFFICER)),
        (ClaimStatus.VISIT_SCHEDULED, {}, (Stage.VISIT, WaitingOn.ADJUSTER)),
        (ClaimStatus.VISIT_SCHEDULED, {"visited_at": REPORTED}, (Stage.ASSESSMENT, WaitingOn.ADJUSTER)),
        (ClaimStatus.ASSESSED, {}, (Stage.APPROVAL, WaitingOn.OFFICER)),
        (ClaimStatus.APPROVED, {}, (Stage.PAYMENT_BATCH, WaitingOn.FINANCE)),
        (ClaimStatus.APPROVED, {"sent_at": REPORTED}, (Stage.BANK, WaitingOn.BANK)),
        (ClaimStatus.PAID, {}, None),
        (ClaimStatus.REJECTED, {}, None),
    ],
)
def test_who_an_open_claim_waits_on(
    status: ClaimStatus, times: dict[str, datetime], expected: tuple[Stage, WaitingOn] | None
) -> None:
    assert domain.waiting(status, times) == expected


def test_an_open_claim_s_current_stage_counts_up_to_now() -> None:
    start = datetime(2026, 3, 1, 0, 0, tzinfo=UTC)
    times = {"accepted_at": datetime(2026, 3, 1, 20, 0, tzinfo=UTC)}  # 20 h to accept
    # Planning the visit has taken 21 h by now: it is where the time went.
    now = datetime(2026, 3, 2, 17, 0, tzinfo=UTC)
    assert domain.where_time_went(ClaimStatus.ACCEPTED, start, times, now=now) is Stage.VISIT_PLANNING
    assert (
        domain.where_time_went(ClaimStatus.ACCEPTED, start, times, now=now - timedelta(hours=2))
        is Stage.ACCEPTANCE
    )


@pytest.mark.parametrize(
    ("hours", "bucket"),
    [
        (0, 0),
        (1.99, 0),
        (2, 1),
        (47.5, 23),
        (95.9, 47),
        (96, 48),
        (107.9, 48),
        (239, 59),
        (240, 60),
        (1000, 60),
    ],
)
def test_cycle_buckets(hours: float, bucket: int) -> None:
    assert domain.cycle_bucket(int(hours * 3600)) == bucket


def test_percentiles_interpolate_linearly_inside_the_bucket() -> None:
    histogram = [0] * domain.BUCKETS
    histogram[5] = 4  # four cycles in [10 h, 12 h)
    assert domain.percentile_hours(histogram, 0.5) == pytest.approx(11.0)  # rank 2 of 4
    assert domain.percentile_hours(histogram, 0.9) == pytest.approx(11.8)  # rank 3.6 of 4
    histogram = [0] * domain.BUCKETS
    histogram[0], histogram[2] = 1, 3  # one in [0, 2), three in [4, 6)
    assert domain.percentile_hours(histogram, 0.5) == pytest.approx(4 + 2 / 3)  # 4 + (2 - 1) / 3 * 2


def test_percentiles_of_nothing_and_of_the_open_bucket() -> None:
    assert domain.percentile_hours([0] * domain.BUCKETS, 0.5) is None
    histogram = [0] * domain.BUCKETS
    histogram[-1] = 3
    assert domain.percentile_hours(histogram, 0.9) == 240.0


def test_periods_are_whole_months() -> None:
    period = Period.covering(date(2028, 1, 17), date(2028, 2, 3))
    assert (period.first, period.last, period.end_day()) == (
        date(2028, 1, 1),
        date(2028, 2, 1),
        date(2028, 2, 29),
    )
