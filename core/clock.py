"""The one time helper: stored times are UTC; the business calendar is Asia/Shanghai."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pendulum

BUSINESS_TZ = ZoneInfo("Asia/Shanghai")


def utcnow() -> datetime:
    return datetime.now(UTC)


def as_utc(moment: datetime) -> datetime:
    """Naive datetimes read back from SQLite are UTC by convention."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def business_time(moment: datetime) -> datetime:
    """A time typed without a zone is Beijing time; the result is UTC."""
    return as_utc(moment.replace(tzinfo=BUSINESS_TZ) if moment.tzinfo is None else moment)


def business_date(moment: datetime) -> date:
    return as_utc(moment).astimezone(BUSINESS_TZ).date()


def today() -> date:
    return business_date(utcnow())


def start_of_business_day(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=BUSINESS_TZ).astimezone(UTC)


def add_hours(moment: datetime, hours: float) -> datetime:
    return as_utc(moment) + timedelta(hours=hours)


def add_months(day: date, months: int) -> date:
    """The same day `months` later; the 31st becomes the last day of a shorter month (pendulum's rule)."""
    moved = pendulum.Date(day.year, day.month, day.day).add(months=months)
    return date(moved.year, moved.month, moved.day)
