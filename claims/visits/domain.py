"""Pure rules for site visits: the day a visit is due by, whether an adjuster may take a visit, and the
words residents are told. No web, no session.

Due-by rule: a claim's clock runs from its report to the money confirmed paid (claims.domain). The
assessment is recorded at the door on the day of the visit; approval and the bank transfer then take
one more business day (PAYMENT_DAYS). So the last day a visit keeps the claim inside its target is the
business date of `expected_payment_by` less PAYMENT_DAYS, and never before the day it is planned on
(a claim already that late is planned as early as possible and flagged at risk).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from claims.visits.errors import AdjusterOffThatDay, DayInPast, OverCapacity, VillageNotCovered
from core.clock import business_date

PAYMENT_DAYS = 1
# Statuses that hold a place in an adjuster's day; a cancelled visit frees it.
LIVE = ("planned", "announced", "done")
# Claim flags this package sets: the officer's queue shows flags beside each claim.
FLAG_NO_ADJUSTER = "no_adjuster"  # no adjuster covers the village: the officer must act
FLAG_VISIT_AT_RISK = "visit_at_risk"  # the earliest possible visit is past the due-by day
SYSTEM_PLANNER = "system:planner"


def due_by(expected_payment_by: datetime, *, today: date) -> date:
    """The last business day a visit keeps the claim inside its clock target (module docstring)."""
    return max(business_date(expected_payment_by) - timedelta(days=PAYMENT_DAYS), today)


def check_visit(
    *,
    village: str,
    day: date,
    today: date,
    villages: Iterable[str],
    working_weekdays: Iterable[int],
    days_off: Iterable[date],
    booked: int,
    daily_capacity: int,
) -> None:
    """An officer's move of a visit: the adjuster covers the village, works that day, has room."""
    if day < today:
        raise DayInPast(day=day.isoformat())
    if village not in set(villages):
        raise VillageNotCovered(village_code=village)
    if day.isoweekday() not in set(working_weekdays) or day in set(days_off):
        raise AdjusterOffThatDay(day=day.isoformat())
    if booked >= daily_capacity:
        raise OverCapacity(day=day.isoformat(), daily_capacity=daily_capacity)


def with_flag(flags: list[str], flag: str, on: bool) -> list[str]:
    """The claim's flags with `flag` set or cleared (a new list, so the JSON column sees the change)."""
    kept = [f for f in flags if f != flag]
    return [*kept, flag] if on else kept


WEEKDAY_ZH = "一二三四五六日"


def visit_text(*, claim_number: str, day: date, adjuster_name: str, moved: bool = False) -> str:
    """What the resident reads (SMS length): the claim, the day, who comes."""
    verb = "改到" if moved else "安排在"
    when = f"{day.month}月{day.day}日（星期{WEEKDAY_ZH[day.weekday()]}）"
    return (
        f"【安居保险】您的理赔案件 {claim_number} 的上门查勘{verb}{when}，"
        f"查勘员{adjuster_name}将上门查看损失，请家中留人。如需改期请联系村联络员。"
    )


def visit_off_text(*, claim_number: str) -> str:
    """The visit is off and no one else could be found yet: the officer arranges it."""
    return (
        f"【安居保险】您的理赔案件 {claim_number} 原定的上门查勘因查勘员休假取消，"
        "我们将尽快重新安排并通知您，给您带来不便，敬请谅解。"
    )
