"""Tables for rebate agreements, accrued periods, the append-only rebate ledger and village spending."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.database import Base, FenColumn


class RebateAgreement(Base):
    """What an insurer returns to village security work from one program, over whole periods."""

    __tablename__ = "rebate_agreements"
    __table_args__ = (
        CheckConstraint("ends_on > starts_on", name="period_ordered"),
        CheckConstraint("period_kind IN ('year', 'quarter')", name="period_kind"),
        CheckConstraint("approver_role IN ('finance', 'claims_officer')", name="approver_role"),
        CheckConstraint(
            "(share_bps IS NULL) <> (per_household_fen IS NULL)"
            " AND (share_bps IS NULL OR share_bps BETWEEN 0 AND 10000)"
            " AND (per_household_fen IS NULL OR per_household_fen >= 0)",
            name="one_share",
        ),
    )

    program_id: Mapped[UUID] = mapped_column(ForeignKey("programs.id"), index=True)
    # The program's region (a district for a blanket program), copied for region-scoped listings.
    region_code: Mapped[str] = mapped_column(String(15), index=True)
    share_bps: Mapped[int | None]
    per_household_fen: Mapped[FenColumn | None]
    period_kind: Mapped[str] = mapped_column(String(10))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)  # exclusive
    approver_role: Mapped[str] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)


class RebatePeriod(Base):
    """One accrued period of an agreement. Its unique key is what makes accrual run at most once."""

    __tablename__ = "rebate_periods"
    __table_args__ = (UniqueConstraint("agreement_id", "starts_on"),)

    agreement_id: Mapped[UUID] = mapped_column(ForeignKey("rebate_agreements.id"))
    region_code: Mapped[str] = mapped_column(String(15), index=True)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    # The basis as of the latest accrual run: a re-run after late premiums updates these and
    # posts reversing and new entries; the entries, not these figures, are the record.
    premiums_fen: Mapped[FenColumn]
    households: Mapped[int]
    rebate_due_fen: Mapped[FenColumn]


class RebateEntry(Base):
    """One posted movement of a village's rebate. Never updated or deleted (see migration 0003).

    Each stage is its own entry (kind accrual, approval or disbursement, positive amount); a
    correction is an entry of the same kind with the negative amount, pointing at what it reverses.
    """

    __tablename__ = "rebate_entries"
    __table_args__ = (
        Index("ix_rebate_entries_period_village", "period_id", "village_code"),
        CheckConstraint("kind IN ('accrual', 'approval', 'disbursement')", name="kind"),
        CheckConstraint(
            "(reverses_id IS NULL AND amount_fen > 0) OR (reverses_id IS NOT NULL AND amount_fen < 0)",
            name="reversal_sign",
        ),
    )

    period_id: Mapped[UUID] = mapped_column(ForeignKey("rebate_periods.id"))
    village_code: Mapped[str] = mapped_column(ForeignKey("regions.code"), index=True)
    kind: Mapped[str] = mapped_column(String(15))
    amount_fen: Mapped[FenColumn]
    # An entry is reversed at most once: the unique key settles two finance officers racing.
    reverses_id: Mapped[UUID | None] = mapped_column(ForeignKey("rebate_entries.id"), unique=True)
    # The village's share of the basis for an accrual: premiums paid there, or households registered.
    basis: Mapped[int | None]
    reference: Mapped[str | None] = mapped_column(String(60))  # bank reference of a disbursement
    actor: Mapped[str] = mapped_column(String(100))
    reason: Mapped[str | None] = mapped_column(Text)


class SecurityExpenditure(Base):
    """Money a village spent from its security fund, with the receipt that proves it."""

    __tablename__ = "security_expenditures"
    __table_args__ = (
        CheckConstraint("amount_fen > 0", name="amount_positive"),
        CheckConstraint(
            "category IN ('patrol_staff', 'video_surveillance', 'door_window_alarms',"
            " 'security_doors', 'publicity', 'other')",
            name="category",
        ),
    )

    village_code: Mapped[str] = mapped_column(ForeignKey("regions.code"), index=True)
    category: Mapped[str] = mapped_column(String(30))
    amount_fen: Mapped[FenColumn]
    spent_on: Mapped[date] = mapped_column(Date)
    description: Mapped[str] = mapped_column(Text)
    receipt_sha256: Mapped[str] = mapped_column(String(64))
    receipt_media_type: Mapped[str] = mapped_column(String(40))
    receipt_name: Mapped[str] = mapped_column(String(200))
    recorded_by: Mapped[str] = mapped_column(String(100))
