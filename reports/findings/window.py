"""The filter every auditor's read shares: a region in the caller's scope and a period of business days."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Annotated, NamedTuple

from litestar.params import QueryParameter

from core import scope
from core.auth import Principal
from core.clock import start_of_business_day, today
from core.dates import EARLIEST
from reports.findings.errors import PeriodImplausible, PeriodReversed, PeriodTooLong

MAX_DAYS = 731
# Nothing is recorded before the schemes began (core.dates) nor dated more than a year ahead.
AHEAD = timedelta(days=366)

RegionCode = Annotated[
    str,
    QueryParameter(
        pattern=r"^(\d{6}|\d{9}|\d{12})$", description="A district (6 digits), town (9) or village (12)"
    ),
]
FromDate = Annotated[
    date, QueryParameter(name="from", description="First business day (Asia/Shanghai), inclusive")
]
ToDate = Annotated[
    date, QueryParameter(name="to", description="Last business day (Asia/Shanghai), inclusive")
]


class Window(NamedTuple):
    region_code: str
    from_on: date
    to_on: date  # inclusive

    @property
    def start(self) -> datetime:
        return start_of_business_day(self.from_on)

    @property
    def end(self) -> datetime:
        """The first instant after the period (UTC), for half-open comparisons."""
        return start_of_business_day(self.to_on + timedelta(days=1))

    @property
    def district(self) -> str:
        return self.region_code[:6]


def window(principal: Principal, region_code: str, from_on: date, to_on: date) -> Window:
    """The caller's filter, checked: the region in their scope (403 otherwise), a sensible period."""
    scope.check_region(principal, region_code)
    if from_on < EARLIEST or to_on > today() + AHEAD:
        raise PeriodImplausible(f"{from_on}–{to_on} lies outside {EARLIEST}–{today() + AHEAD}")
    if from_on > to_on:
        raise PeriodReversed(f"{from_on} is after {to_on}")
    if (to_on - from_on).days >= MAX_DAYS:
        raise PeriodTooLong(f"{from_on}–{to_on} is more than {MAX_DAYS} days")
    return Window(region_code, from_on, to_on)
