"""Tables for claims, their documents, catastrophe events and the daily claim-number counter."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from advanced_alchemy.base import DefaultBase
from advanced_alchemy.types import DateTimeUTC
from sqlalchemy import JSON, Date, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from core.database import Base, FenColumn


class Catastrophe(Base):
    __tablename__ = "catastrophes"

    name: Mapped[str] = mapped_column(String(100))
    peril: Mapped[str] = mapped_column(String(30))
    starts_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
    ends_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
    village_codes: Mapped[list[str]] = mapped_column(JSON)
    # The district the villages lie in: scopes who may see the event.
    region_code: Mapped[str] = mapped_column(String(15), index=True)
    declared_by: Mapped[str] = mapped_column(String(64))


class Claim(Base):
    """One loss of one household. Stage times are columns: each stage is entered at most once,
    except after a reopening, where the audit log keeps the earlier times."""

    __tablename__ = "claims"
    __table_args__ = (
        Index("ix_claims_household_peril", "household_id", "peril", "loss_on"),
        Index("ix_claims_village_status", "village_code", "status"),
        # The governance dashboard and reports read a month of claims by when they were reported or
        # paid (bench/report.py: without these a district-month walks the whole district).
        Index("ix_claims_reported_village", "reported_at", "village_code"),
        Index("ix_claims_paid_at", "paid_at"),
        # Only flagged claims are indexed: filing (which leaves the state empty) writes no entry.
        Index(
            "ix_claims_clock_flagged",
            "clock_state",
            "reported_at",
            "village_code",
            sqlite_where=text("clock_state IS NOT NULL"),
            postgresql_where=text("clock_state IS NOT NULL"),
        ),
    )

    number: Mapped[str] = mapped_column(String(20), unique=True)
    status: Mapped[str] = mapped_column(String(24))
    household_id: Mapped[UUID] = mapped_column(ForeignKey("households.id"))
    village_code: Mapped[str] = mapped_column(String(15))
    catastrophe_id: Mapped[UUID | None] = mapped_column(ForeignKey("catastrophes.id"), index=True)
    peril: Mapped[str] = mapped_column(String(30))
    loss_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
    loss_on: Mapped[date] = mapped_column(Date)  # business date, for duplicate checks
    loss_place: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(String(500))
    estimated_loss_fen: Mapped[FenColumn | None]
    claimant_name: Mapped[str] = mapped_column(String(50))
    claimant_resident_id: Mapped[str] = mapped_column(String(18), index=True)
    claimant_phone: Mapped[str] = mapped_column(String(20))
    payee_name: Mapped[str | None] = mapped_column(String(50))
    payee_bank_name: Mapped[str | None] = mapped_column(String(100))
    payee_account: Mapped[str | None] = mapped_column(String(30), index=True)
    police_report_no: Mapped[str | None] = mapped_column(String(60))
    fire_certificate_no: Mapped[str | None] = mapped_column(String(60))
    liaison_confirmed: Mapped[bool] = mapped_column(default=False)
    filed_by: Mapped[str] = mapped_column(String(64))
    # The covers as they stood when the claim was filed: later changes to a program do not
    # move the goalposts of a claim already in.
    covers: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    payable_cap_fen: Mapped[FenColumn]
    # Advances (预赔) confirmed paid; the final payout is the assessed payable less this.
    advance_paid_fen: Mapped[FenColumn] = mapped_column(default=0, server_default="0")
    # Everything confirmed paid for this claim (advances and the final payout).
    paid_fen: Mapped[FenColumn] = mapped_column(default=0, server_default="0")
    flags: Mapped[list[str]] = mapped_column(JSON, default=list)
    clock_target_hours: Mapped[int]
    reported_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
    expected_payment_by: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
    cleared_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
    accepted_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
    rejected_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
    reopened_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
    withdrawn_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
    visit_scheduled_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
    visited_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))  # the visit done
    assessed_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
    approved_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
    sent_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))  # the bank file out
    paid_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
    # The highest clock threshold crossed (claims.clock): None while on track, "at_risk", "breached".
    # Kept after payment, so a claim paid late stays "breached" for the reports.
    clock_state: Mapped[str | None] = mapped_column(String(10))
    accepted_by: Mapped[str | None] = mapped_column(String(64))  # the officer the clock warns
    closed_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
    rejection_reason: Mapped[str | None] = mapped_column(Text)
    reopen_reason: Mapped[str | None] = mapped_column(Text)
    withdrawal_reason: Mapped[str | None] = mapped_column(Text)


class ClaimDocument(Base):
    __tablename__ = "claim_documents"

    claim_id: Mapped[UUID] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(50))
    size_bytes: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by: Mapped[str] = mapped_column(String(64))


class ClaimNumberCounter(DefaultBase):
    """The last claim number handed out per business day; numbers are allocated in blocks."""

    __tablename__ = "claim_number_counters"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    last: Mapped[int]
