"""The assessment recorded at the door: one per visit and per claim."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.database import Base, FenColumn


class Assessment(Base):
    """What the adjuster found and what is payable. `lines` are the items as entered, each with its
    value after depreciation; `steps` is the computation (claims.assessments.domain), in order, kept
    so an officer or an auditor can read how the payable amount came about; `shares` says which
    policy pays how much (they add up to `payable_fen`).

    Which figure is which: `payable_fen` is what the claim is worth BEFORE any advance. The final
    payout is `payable_fen` − `Claim.advance_paid_fen`, never below 0; the payouts package computes
    it from the advances confirmed when it pays. The "final_payout" step records it as of the
    assessment, and `owed_back_fen` what the advances paid beyond the payable (final payout 0)."""

    __tablename__ = "assessments"
    __table_args__ = (
        CheckConstraint(
            "assessed_loss_fen >= 0 AND deductible_fen >= 0 AND payable_fen >= 0 AND owed_back_fen >= 0",
            name="amounts_not_negative",
        ),
    )

    claim_id: Mapped[UUID] = mapped_column(ForeignKey("claims.id"), unique=True)
    visit_id: Mapped[UUID] = mapped_column(ForeignKey("site_visits.id"), unique=True)
    adjuster_id: Mapped[UUID] = mapped_column(ForeignKey("adjusters.id"), index=True)
    assessed_by: Mapped[str] = mapped_column(String(64))  # the adjuster's username
    lines: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    assessed_loss_fen: Mapped[FenColumn]  # after depreciation, before deductible and limits
    deductible_fen: Mapped[FenColumn]
    # Before any advance: what the claim is worth. The final payout is this less advances paid
    # (the payouts package deducts the advances confirmed when it pays; steps show it as of now).
    payable_fen: Mapped[FenColumn]
    # Advances paid beyond the payable, as of the assessment: the household owes this back.
    owed_back_fen: Mapped[FenColumn] = mapped_column(default=0, server_default="0")
    steps: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    shares: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    # The site photos (claim documents of kind "site_photo") the adjuster took at this visit.
    photo_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    notes: Mapped[str | None] = mapped_column(Text)
    acknowledged_by: Mapped[str] = mapped_column(String(50))  # the name the resident typed
