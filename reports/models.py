"""The read side's own tables: the monthly report builds (with their PDF) and coverage counts."""

from __future__ import annotations

from datetime import date, datetime

from advanced_alchemy.types import DateTimeUTC
from sqlalchemy import CheckConstraint, Date, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, deferred, mapped_column

from core.database import Base


class MonthlyReport(Base):
    """A build of one district's report for one month. The unique key makes a request for a report
    already asked for (by anyone, or by the schedule) return that build instead of another."""

    __tablename__ = "monthly_reports"
    __table_args__ = (
        UniqueConstraint("district_code", "month", name="one_report_per_district_month"),
        CheckConstraint("status IN ('queued', 'done')", name="report_status_known"),
    )

    district_code: Mapped[str] = mapped_column(String(6))
    month: Mapped[date] = mapped_column(Date)  # the month's first day
    status: Mapped[str] = mapped_column(String(10), default="queued")
    requested_by: Mapped[str] = mapped_column(String(64))
    built_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
    size_bytes: Mapped[int | None]
    sha256: Mapped[str | None] = mapped_column(String(64))
    # A few hundred kilobytes: kept with its row, so every app and worker process reads the same
    # file without a shared disk; deferred, so listings never load it.
    pdf: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))


class CoverageCount(Base):
    """Households and people a village had covered in a month: the dashboard's read model.

    Counting 800,000 people takes seconds, so it is done in the background (every night for the
    current month, and by a report build for a month it needs) and the dashboard adds up villages.
    """

    __tablename__ = "coverage_counts"
    __table_args__ = (UniqueConstraint("village_code", "month", name="one_count_per_village_month"),)

    village_code: Mapped[str] = mapped_column(String(15))
    month: Mapped[date] = mapped_column(Date, index=True)  # the month's first day
    blanket_households: Mapped[int]
    blanket_people: Mapped[int]
    voluntary_households: Mapped[int]
    voluntary_people: Mapped[int]
    counted_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
