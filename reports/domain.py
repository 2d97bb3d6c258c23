"""Pure figures for the dashboard and the monthly report: periods, loss ratio, the clock's statistics.

No web, no session. Money stays integer fen; ratios are integer per-mille (‰), rounded half up, so
40.45 % is 405 ‰ and prints "40.5%". Times are UTC datetimes; a period is a range of business days
(Asia/Shanghai), its bounds turned into UTC half-open ranges [start, end).

The clock (DESIGN §5): a claim's cycle runs from `reported_at` to `paid_at`; it is within target when
the cycle is at most `clock_target_hours`. `cycle_statistics` is the one place that turns cycles
into the average, the 90th percentile and the share within target.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from core.clock import add_months, as_utc, start_of_business_day

# The stages of a claim's clock, each named by the time-stamp that ends it, in lifecycle order.
STAGES: tuple[tuple[str, str, str], ...] = (
    ("accepted_at", "受理", "Acceptance"),
    ("visit_scheduled_at", "安排查勘", "Scheduling the visit"),
    ("visited_at", "现场查勘", "Site visit"),
    ("assessed_at", "定损", "Assessment"),
    ("approved_at", "核准赔付", "Approval"),
    ("sent_at", "银行划款", "Sending to the bank"),
    ("paid_at", "赔款到账", "Payment confirmed"),
)


@dataclass(frozen=True)
class Period:
    """Business days `first` to `last`, both included."""

    first: date
    last: date

    @property
    def start(self) -> datetime:
        return start_of_business_day(self.first)

    @property
    def end(self) -> datetime:
        """The first UTC moment after the period (exclusive)."""
        return start_of_business_day(self.last + timedelta(days=1))


def month_period(month: date) -> Period:
    """The whole business-calendar month that `month` falls in."""
    first = month.replace(day=1)
    return Period(first, add_months(first, 1) - timedelta(days=1))


def previous_month(month: date) -> date:
    return add_months(month.replace(day=1), -1)


def months_ending(month: date, count: int) -> list[date]:
    """The first days of the `count` months ending with `month`'s, oldest first."""
    first = month.replace(day=1)
    return [add_months(first, -n) for n in range(count - 1, -1, -1)]


def ratio_permille(part: int, whole: int) -> int | None:
    """part ÷ whole in ‰, rounded half up; None when there is no whole to divide by."""
    if whole <= 0:
        return None
    return (2000 * part + whole) // (2 * whole)


def loss_ratio_permille(paid_fen: int, premiums_fen: int) -> int | None:
    """Paid ÷ premiums received in the same period and region (DESIGN §5 reports)."""
    return ratio_permille(paid_fen, premiums_fen)


def percent_text(permille: int | None) -> str:
    """405 → "40.5%"; no ratio → "—"."""
    if permille is None:
        return "—"
    return f"{permille // 10}.{permille % 10}%"


def hours_text(seconds: int | None) -> str:
    """Seconds as hours with one decimal, rounded half up: 5400 → "1.5"."""
    if seconds is None:
        return "—"
    tenths = (seconds + 180) // 360
    return f"{tenths // 10}.{tenths % 10}"


@dataclass(frozen=True)
class CycleStats:
    count: int
    mean_seconds: int | None
    p90_seconds: int | None
    within_target: int
    within_target_permille: int | None


def cycle_seconds(reported_at: datetime, paid_at: datetime) -> int:
    return int((as_utc(paid_at) - as_utc(reported_at)).total_seconds())


def cycle_statistics(cycles: Iterable[tuple[int, int]]) -> CycleStats:
    """Statistics of paid claims' cycles, each given as (cycle in seconds, clock target in hours).

    The mean is rounded half up to the second. The 90th percentile is the nearest-rank one: the
    smallest cycle at least 90 % of the cycles do not exceed (the ⌈0.9·n⌉-th smallest), so it is
    always a cycle some claim really had. A cycle equal to its target is within it.
    """
    pairs = list(cycles)
    if not pairs:
        return CycleStats(0, None, None, 0, None)
    n = len(pairs)
    ordered = sorted(seconds for seconds, _ in pairs)
    within = sum(1 for seconds, target_hours in pairs if seconds <= target_hours * 3600)
    return CycleStats(
        count=n,
        mean_seconds=(2 * sum(ordered) + n) // (2 * n),
        p90_seconds=ordered[(9 * n + 9) // 10 - 1],
        within_target=within,
        within_target_permille=ratio_permille(within, n),
    )


def stage_seconds(times: Mapping[str, datetime | None]) -> dict[str, int]:
    """Where one claim's time went: seconds spent reaching each stage of STAGES, from `reported_at`.

    A stage the claim skipped (an advance paid before any visit) has no time of its own: the time up
    to the next stage it did reach counts for that stage. Stages not reached yet are left out.
    """
    spent: dict[str, int] = {}
    before = times.get("reported_at")
    if before is None:
        return spent
    for field, _, _ in STAGES:
        moment = times.get(field)
        if moment is None:
            continue
        spent[field] = max(0, int((as_utc(moment) - as_utc(before)).total_seconds()))
        before = moment
    return spent


def mean_stage_seconds(claims: Sequence[Mapping[str, int]]) -> dict[str, int]:
    """The average time per stage over the claims that reached it, rounded half up to the second."""
    means: dict[str, int] = {}
    for field, _, _ in STAGES:
        values = [spent[field] for spent in claims if field in spent]
        if values:
            means[field] = (2 * sum(values) + len(values)) // (2 * len(values))
    return means


def slowest_stage(spent: Mapping[str, int]) -> str | None:
    """The stage that took longest (the earlier one on a tie)."""
    if not spent:
        return None
    return max(spent, key=lambda field: (spent[field], -list(spent).index(field)))
