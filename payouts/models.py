"""Tables for payouts and the payment batches that carry them to the bank."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from advanced_alchemy.types import DateTimeUTC
from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.database import Base, FenColumn


class PaymentBatch(Base):
    __tablename__ = "payment_batches"

    number: Mapped[str] = mapped_column(String(30), unique=True)
    status: Mapped[str] = mapped_column(String(12), default="open")  # open | exported | settled
    region_code: Mapped[str] = mapped_column(String(15), index=True)
    built_by: Mapped[str] = mapped_column(String(64))
    payout_count: Mapped[int] = mapped_column(default=0)
    total_fen: Mapped[FenColumn] = mapped_column(default=0)
    exported_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))


class Payout(Base):
    """Money for one claim: an advance (预赔) before the visit, or the final payment. A claim has at
    most one of each (the unique constraint), and its status moves by compare-and-set only."""

    __tablename__ = "payouts"
    __table_args__ = (
        UniqueConstraint("claim_id", "kind", name="one_payout_per_kind"),
        CheckConstraint("kind IN ('advance', 'final')", name="payout_kind_known"),
        CheckConstraint(
            "status IN ('pending', 'approved', 'sent', 'paid', 'failed')", name="payout_status_known"
        ),
        CheckConstraint("amount_fen > 0", name="payout_positive"),
        Index("ix_payouts_status_region", "status", "region_code"),
        # Money paid in a period and region, read from the index alone (reports' dashboard).
        Index("ix_payouts_paid_region", "paid_at", "region_code", "status", "amount_fen"),
    )

    claim_id: Mapped[UUID] = mapped_column(ForeignKey("claims.id"))
    kind: Mapped[str] = mapped_column(String(10))
    amount_fen: Mapped[FenColumn]
    region_code: Mapped[str] = mapped_column(String(15))  # the claim's village
    payee_name: Mapped[str] = mapped_column(String(50))
    payee_bank_name: Mapped[str | None] = mapped_column(String(100))
    payee_account: Mapped[str] = mapped_column(String(30), index=True)
    status: Mapped[str] = mapped_column(String(12), default="pending")
    batch_id: Mapped[UUID | None] = mapped_column(ForeignKey("payment_batches.id"), index=True)
    bank_reference: Mapped[str | None] = mapped_column(String(40), unique=True)
    requested_by: Mapped[str] = mapped_column(String(64))
    approved_by: Mapped[str | None] = mapped_column(String(64))
    second_approved_by: Mapped[str | None] = mapped_column(String(64))
    approved_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
    sent_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
    paid_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
    failed_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
    failure_reason: Mapped[str | None] = mapped_column(Text)
