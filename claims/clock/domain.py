"""Pure clock arithmetic: stage times, the cycle, time left, who a claim waits on, and percentiles.

Times are compared as UTC instants (core.clock.as_utc), so a claim reported at 23:30 in Shanghai and
paid the next morning counts the hours between, whatever the zone the times were given in; months
and report periods are business-calendar (Asia/Shanghai) months.

The clock runs from `reported_at` to `paid_at` (the cycle). Its time is split into the stages a claim
passes, each ending at the time its column records (STAGES); a stage the claim skipped (no visit for
a desk-settled claim) gets no time, and its time goes to the next stage reached.

Percentiles come from a histogram of cycle times (CYCLE_EDGES_HOURS: 2-hour buckets up to 96 h,
12-hour buckets up to 240 h, then one open bucket), read by linear interpolation inside the bucket
holding the rank q·n (the "linear" definition on a histogram): exact to within the bucket's width,
two hours where targets lie (48 h, 72 h). A percentile in the open bucket is reported as 240 h.
"""

from __future__ import annotations

import bisect
import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from claims.domain import ClaimStatus
from core.clock import add_months, as_utc, business_date

HOUR = 3600


class Stage(enum.StrEnum):
    """The stages of a claim's clock, each named by what the claim waits for."""

    CONFIRMATION = "confirmation"  # a catastrophe claim waiting for the liaison
    ACCEPTANCE = "acceptance"
    VISIT_PLANNING = "visit_planning"
    VISIT = "visit"
    ASSESSMENT = "assessment"
    APPROVAL = "approval"
    PAYMENT_BATCH = "payment_batch"
    BANK = "bank"


class WaitingOn(enum.StrEnum):
    LIAISON = "liaison"
    OFFICER = "officer"
    ADJUSTER = "adjuster"
    FINANCE = "finance"
    BANK = "bank"


# Each stage of a complete journey and the column of the time that ends it (reported_at starts it).
STAGES: tuple[tuple[Stage, str], ...] = (
    (Stage.ACCEPTANCE, "accepted_at"),
    (Stage.VISIT_PLANNING, "visit_scheduled_at"),
    (Stage.VISIT, "visited_at"),
    (Stage.ASSESSMENT, "assessed_at"),
    (Stage.APPROVAL, "approved_at"),
    (Stage.PAYMENT_BATCH, "sent_at"),
    (Stage.BANK, "paid_at"),
)
STAGE_COLUMNS = tuple(column for _, column in STAGES)

CYCLE_EDGES_HOURS: tuple[int, ...] = (
    *range(0, 96, 2),
    *range(96, 241, 12),
)
BUCKETS = len(CYCLE_EDGES_HOURS)  # the last bucket is open: 240 h and more


def month_of(moment: datetime) -> date:
    """The business-calendar month (its first day) a moment falls in."""
    return business_date(moment).replace(day=1)


def seconds_between(start: datetime, end: datetime) -> int:
    return int((as_utc(end) - as_utc(start)).total_seconds())


def time_left(expected_payment_by: datetime, *, now: datetime) -> int:
    """Seconds until the target; negative once it has passed."""
    return seconds_between(now, expected_payment_by)


def stage_seconds(reported_at: datetime, times: Mapping[str, datetime | None]) -> dict[Stage, int]:
    """Seconds spent in each stage of STAGES, from the stage times a claim has (missing ones skipped)."""
    spent = {stage: 0 for stage, _ in STAGES}
    previous = reported_at
    for stage, column in STAGES:
        ended = times.get(column)
        if ended is not None:
            spent[stage] = max(seconds_between(previous, ended), 0)
            previous = ended
    return spent


def waiting(status: ClaimStatus, times: Mapping[str, datetime | None]) -> tuple[Stage, WaitingOn] | None:
    """The stage an open claim waits in and whose move it is; None for a claim whose clock stopped."""
    if status is ClaimStatus.AWAITING_CONFIRMATION:
        return Stage.CONFIRMATION, WaitingOn.LIAISON
    if status in (ClaimStatus.REPORTED, ClaimStatus.REOPENED):
        return Stage.ACCEPTANCE, WaitingOn.OFFICER
    if status is ClaimStatus.ACCEPTED:
        return Stage.VISIT_PLANNING, WaitingOn.OFFICER
    if status is ClaimStatus.VISIT_SCHEDULED:
        if times.get("visited_at") is None:
            return Stage.VISIT, WaitingOn.ADJUSTER
        return Stage.ASSESSMENT, WaitingOn.ADJUSTER
    if status is ClaimStatus.ASSESSED:
        return Stage.APPROVAL, WaitingOn.OFFICER
    if status is ClaimStatus.APPROVED:
        if times.get("sent_at") is None:
            return Stage.PAYMENT_BATCH, WaitingOn.FINANCE
        return Stage.BANK, WaitingOn.BANK
    return None


def where_time_went(
    status: ClaimStatus, reported_at: datetime, times: Mapping[str, datetime | None], *, now: datetime
) -> Stage:
    """The stage that took the most time; for an open claim, the stage it waits in counts up to now."""
    spent = stage_seconds(reported_at, times)
    current = waiting(status, times)
    if current is not None and current[0] in spent:
        reached = [t for column in STAGE_COLUMNS if (t := times.get(column)) is not None]
        since = max(reached, key=as_utc) if reached else reported_at
        spent[current[0]] += max(seconds_between(since, now), 0)
    elif current is not None:  # still unconfirmed: all its time so far is the liaison's
        return current[0]
    return max(spent, key=lambda stage: spent[stage])


def cycle_bucket(cycle_seconds: int) -> int:
    """The histogram bucket (index into CYCLE_EDGES_HOURS) a cycle time falls in."""
    return max(bisect.bisect_right(CYCLE_EDGES_HOURS, cycle_seconds / HOUR) - 1, 0)


def percentile_hours(histogram: Sequence[int], q: float) -> float | None:
    """The q-quantile (0 < q ≤ 1) of the cycle times counted in `histogram`, in hours; None if empty.

    Linear inside the bucket: with n times, the rank is q·n; the bucket holding that rank spans
    [lower, upper) hours and holds c times, of which `before` lie in earlier buckets, so the answer is
    lower + (q·n − before) / c · (upper − lower).
    """
    total = sum(histogram)
    if total == 0:
        return None
    rank = q * total
    before = 0
    for index, count in enumerate(histogram):
        if count and before + count >= rank:
            lower = CYCLE_EDGES_HOURS[index]
            if index + 1 == BUCKETS:
                return float(lower)
            upper = CYCLE_EDGES_HOURS[index + 1]
            return lower + (rank - before) / count * (upper - lower)
        before += count
    return float(CYCLE_EDGES_HOURS[-1])


@dataclass(frozen=True)
class Period:
    """Whole business months, from the month of `first` to the month of `last` (both included)."""

    first: date
    last: date

    @classmethod
    def covering(cls, start: date, end: date) -> Period:
        return cls(start.replace(day=1), end.replace(day=1))

    def end_day(self) -> date:
        """The last day of the period."""
        return add_months(self.last, 1) - timedelta(days=1)
