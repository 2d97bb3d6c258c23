"""Tables for adjusters, their days off and the site visits planned for them."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from advanced_alchemy.types import DateTimeUTC
from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from core.database import Base


class Adjuster(Base):
    """A user who visits: the villages they cover, how many visits a day, on which weekdays."""

    __tablename__ = "adjusters"
    __table_args__ = (CheckConstraint("daily_capacity BETWEEN 1 AND 50", name="capacity_sensible"),)

    user_id: Mapped[UUID] = mapped_column(ForeignKey("users.id"), unique=True)
    # The district the adjuster works for: who may manage them and see their plan.
    region_code: Mapped[str] = mapped_column(String(15), index=True)
    village_codes: Mapped[list[str]] = mapped_column(JSON)
    home_village_code: Mapped[str] = mapped_column(String(15))
    daily_capacity: Mapped[int]
    working_weekdays: Mapped[list[int]] = mapped_column(JSON)  # ISO weekdays, 1 = Monday
    active: Mapped[bool] = mapped_column(default=True)


class AdjusterDayOff(Base):
    __tablename__ = "adjuster_days_off"
    __table_args__ = (UniqueConstraint("adjuster_id", "day"),)

    adjuster_id: Mapped[UUID] = mapped_column(ForeignKey("adjusters.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)
    reason: Mapped[str | None] = mapped_column(Text)


class SiteVisit(Base):
    """One adjuster's visit to one claim's household on one business day."""

    __tablename__ = "site_visits"
    __table_args__ = (
        CheckConstraint("status IN ('planned', 'announced', 'done', 'cancelled')", name="visit_status_known"),
        Index("ix_site_visits_adjuster_day", "adjuster_id", "visit_on"),
        # One live visit per claim: a cancelled one may be replaced.
        Index(
            "uq_site_visits_live_claim",
            "claim_id",
            unique=True,
            sqlite_where=text("status != 'cancelled'"),
            postgresql_where=text("status != 'cancelled'"),
        ),
    )

    claim_id: Mapped[UUID] = mapped_column(ForeignKey("claims.id"), index=True)
    adjuster_id: Mapped[UUID] = mapped_column(ForeignKey("adjusters.id"))
    village_code: Mapped[str] = mapped_column(String(15))
    catastrophe_id: Mapped[UUID | None] = mapped_column(ForeignKey("catastrophes.id"), index=True)
    visit_on: Mapped[date] = mapped_column(Date)  # business date
    route_order: Mapped[int] = mapped_column(default=0)  # place in the adjuster's day, from 1
    status: Mapped[str] = mapped_column(String(12), default="planned")
    # The day is past what keeps the claim inside its clock target (no adjuster could come sooner).
    at_risk: Mapped[bool] = mapped_column(default=False)
    # Kept by re-planning unless an officer moves it: the resident has been told, or it is done.
    announced_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
    done_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
    planned_by: Mapped[str] = mapped_column(String(64))
