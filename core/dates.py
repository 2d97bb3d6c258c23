"""The plausible range of every kind of date the service takes in, stated once.

| kind      | what                                            | earliest   | latest             |
|-----------|-------------------------------------------------|------------|--------------------|
| term      | a program's or a policy's start                 | 2000-01-01 | today + 2 years    |
| payment   | when a premium was received                     | 2000-01-01 | now + 10 minutes   |
| spending  | when a village spent its security money         | 2000-01-01 | today              |
| agreement | a rebate agreement's start and (exclusive) end  | 2000-01-01 | today + 10 years   |
| loss      | when a loss happened (also a catastrophe start) | 2000-01-01 | now + 10 minutes   |

None of these schemes existed before 2000, so an earlier date is a typing slip (1899 is what a
spreadsheet's empty date cell becomes). Terms and agreements are set up ahead of time, a year or a
three-year term ahead, never decades; money received, money spent and losses lie in the past. Ten
minutes ahead forgives clocks and phones that guess their time zone. Dates are business days
(Asia/Shanghai); a moment without a zone is Beijing time, as on the claim page.
"""

from __future__ import annotations

import enum
from datetime import date, datetime, timedelta

import msgspec

from core import clock
from core.clock import as_utc, business_date, business_time
from core.errors import DateImplausible

EARLIEST = date(2000, 1, 1)
FUTURE_TOLERANCE = timedelta(minutes=10)


class DateKind(enum.StrEnum):
    TERM = "term"
    PAYMENT = "payment"
    SPENDING = "spending"
    AGREEMENT = "agreement"
    LOSS = "loss"


class PlausibleRange(msgspec.Struct, frozen=True):
    earliest: date
    ahead: timedelta  # the latest is today (a date) or now (a moment) plus this

    def latest_day(self, today: date) -> date:
        return today + self.ahead

    def latest_moment(self, now: datetime) -> datetime:
        return as_utc(now) + self.ahead


RANGES: dict[DateKind, PlausibleRange] = {
    DateKind.TERM: PlausibleRange(EARLIEST, timedelta(days=731)),
    DateKind.PAYMENT: PlausibleRange(EARLIEST, FUTURE_TOLERANCE),
    DateKind.SPENDING: PlausibleRange(EARLIEST, timedelta(0)),
    DateKind.AGREEMENT: PlausibleRange(EARLIEST, timedelta(days=3653)),
    DateKind.LOSS: PlausibleRange(EARLIEST, FUTURE_TOLERANCE),
}


def check_day(kind: DateKind, day: date, *, field: str, today: date | None = None) -> date:
    """The day, if it lies in its kind's plausible range; else a DateImplausible naming the range."""
    plausible = RANGES[kind]
    latest = plausible.latest_day(today or clock.today())
    if not plausible.earliest <= day <= latest:
        raise DateImplausible(
            f"{field} {day.isoformat()} is outside {plausible.earliest.isoformat()}–{latest.isoformat()}",
            field=field,
            earliest=plausible.earliest.isoformat(),
            latest=latest.isoformat(),
        )
    return day


def check_moment(kind: DateKind, moment: datetime, *, field: str, now: datetime | None = None) -> datetime:
    """The moment in UTC (Beijing time when it has no zone), if it lies in its kind's plausible range."""
    plausible = RANGES[kind]
    moment = business_time(moment)
    latest = plausible.latest_moment(now or clock.utcnow())
    if business_date(moment) < plausible.earliest or moment > latest:
        raise DateImplausible(
            f"{field} {moment.isoformat()} is outside {plausible.earliest.isoformat()}–{latest.isoformat()}",
            field=field,
            earliest=plausible.earliest.isoformat(),
            latest=latest.isoformat(),
        )
    return moment
