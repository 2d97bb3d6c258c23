"""Request and response bodies for approvals, advances, payouts, payment batches and bank results."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

import msgspec

from claims.domain import ClaimStatus
from claims.schemas import Account
from core.schemas import PositiveFen, Reason, RequestBody, ShortText
from payouts.domain import BatchStatus, PayoutKind, PayoutStatus

RegionCode = Annotated[str, msgspec.Meta(pattern=r"^\d{6}(\d{3})?(\d{3})?$")]
ShareBps = Annotated[int, msgspec.Meta(ge=1, le=10_000, description="a share in basis points (1/10,000)")]


class Approval(RequestBody):
    """An officer's approval; the note goes into the audit log."""

    note: Reason | None = None


class AdvanceRequest(RequestBody):
    """An advance (预赔): an amount, or a share of the claim's payable cap (exactly one of them)."""

    amount_fen: PositiveFen | None = None
    share_bps: ShareBps | None = None


class PayeeCorrection(RequestBody):
    """A failed payout's payee put right: it goes back to `approved` to be sent again."""

    payee_name: ShortText
    payee_bank_name: Annotated[str, msgspec.Meta(min_length=1, max_length=100, pattern=r"\S")]
    payee_account: Account
    reason: Reason


class BatchCreate(RequestBody):
    """The region (a district, town or village of the caller's) whose approved payouts to gather."""

    region_code: RegionCode


class Payout(msgspec.Struct, kw_only=True):
    id: UUID
    claim_id: UUID
    claim_number: str
    kind: PayoutKind
    amount_fen: int
    region_code: str
    payee_name: str
    payee_bank_name: str | None
    payee_account_masked: str
    status: PayoutStatus
    batch_id: UUID | None
    requested_by: str
    approved_by: str | None
    second_approved_by: str | None
    approved_at: datetime | None
    sent_at: datetime | None
    paid_at: datetime | None
    failed_at: datetime | None
    failure_reason: str | None
    bank_reference: str | None
    # The reference the bank files carry (EndToEndId), to match result lines.
    reference: str


class ClaimPayouts(msgspec.Struct, kw_only=True):
    """A claim's money: what was assessed, paid, and (advance above assessment) owed back."""

    claim_id: UUID
    claim_number: str
    status: ClaimStatus
    payable_fen: int | None
    advance_paid_fen: int
    paid_fen: int
    owed_back_fen: int
    payouts: list[Payout]


class PaymentBatch(msgspec.Struct, kw_only=True):
    id: UUID
    number: str
    status: BatchStatus
    region_code: str
    built_by: str
    payout_count: int
    total_fen: int
    created_at: datetime
    exported_at: datetime | None


class ResultLineError(msgspec.Struct, kw_only=True):
    line: int
    reference: str | None
    code: str
    message_zh: str
    message_en: str


class ResultImport(msgspec.Struct, kw_only=True):
    """What one result file did: each line paid, failed, unchanged (seen before) or in error."""

    batch_id: UUID
    lines: int
    paid: int
    failed: int
    unchanged: int
    errors: list[ResultLineError]
