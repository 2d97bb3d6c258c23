"""Request and response bodies for claims, documents, public status and catastrophes."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated
from uuid import UUID

import msgspec

from claims.clock.domain import Stage, WaitingOn
from claims.domain import ClaimStatus, ClockState
from core.schemas import Fen, Reason, RequestBody, ShortText, VillageCode
from policies.domain import Funding, Peril

Account = Annotated[str, msgspec.Meta(pattern=r"^\d{12,30}$")]
EvidenceNo = Annotated[str, msgspec.Meta(min_length=1, max_length=60, pattern=r"\S")]


class ClaimCreate(RequestBody, kw_only=True):
    """The one page: who, what happened, how much, where to pay. Naive times are Beijing time."""

    household_id: UUID
    claimant_resident_id: Annotated[str, msgspec.Meta(min_length=18, max_length=18)]
    claimant_phone: Annotated[str, msgspec.Meta(min_length=5, max_length=20)]
    peril: Peril
    loss_at: datetime
    loss_place: Annotated[str, msgspec.Meta(min_length=1, max_length=200, pattern=r"\S")]
    description: Annotated[str, msgspec.Meta(min_length=1, max_length=500, pattern=r"\S")]
    estimated_loss_fen: Fen | None = None
    payee_name: ShortText
    payee_bank_name: Annotated[str, msgspec.Meta(min_length=1, max_length=100, pattern=r"\S")]
    payee_account: Account
    police_report_no: EvidenceNo | None = None
    fire_certificate_no: EvidenceNo | None = None


class CoverView(msgspec.Struct):
    policy_number: str
    program_name: str
    funding: Funding
    limit_fen: int


class Claim(msgspec.Struct, kw_only=True):
    id: UUID
    number: str
    status: ClaimStatus
    household_id: UUID
    village_code: str
    peril: Peril
    loss_at: datetime
    loss_place: str
    description: str
    estimated_loss_fen: int | None
    claimant_name: str
    claimant_phone_masked: str
    payee_name: str | None
    payee_account_masked: str | None
    covers: list[CoverView]
    payable_cap_fen: int
    flags: list[str]
    catastrophe_id: UUID | None
    clock_target_hours: int
    clock: ClockState
    time_left_seconds: int | None  # until expected_payment_by, negative past it; None once paid
    waiting_in: Stage | None  # the stage an open claim waits in, and whose move it is
    waiting_on: WaitingOn | None
    stage_seconds: dict[str, int]  # seconds each stage of the clock took so far (claims.clock.domain.STAGES)
    reported_at: datetime
    expected_payment_by: datetime
    confirmed_at: datetime | None = None
    cleared_at: datetime | None = None
    accepted_at: datetime | None = None
    rejected_at: datetime | None = None
    reopened_at: datetime | None = None
    withdrawn_at: datetime | None = None
    visit_scheduled_at: datetime | None = None
    visited_at: datetime | None = None
    assessed_at: datetime | None = None
    approved_at: datetime | None = None
    sent_at: datetime | None = None
    paid_at: datetime | None = None
    closed_at: datetime | None = None
    rejection_reason: str | None = None
    reopen_reason: str | None = None


class Decision(RequestBody):
    """A lifecycle step that needs (reject, reopen, clear) or allows (withdraw) a reason."""

    reason: Reason | None = None


class Confirmation(RequestBody, kw_only=True):
    """A liaison confirms a catastrophe claim with the resident's estimate and, if known, the payee."""

    estimated_loss_fen: Fen
    payee_name: ShortText | None = None
    payee_bank_name: Annotated[str, msgspec.Meta(min_length=1, max_length=100, pattern=r"\S")] | None = None
    payee_account: Account | None = None


class PublicStatus(msgspec.Struct, omit_defaults=True):
    """All an anonymous caller learns: the stage, when to expect the money, and (only once they
    exist) the visit day and the amount paid."""

    stage: ClaimStatus
    stage_zh: str
    expected_payment_by: datetime
    visit_on: date | None = None  # the planned site visit's business day, once there is one
    paid_fen: int | None = None  # what was paid, once the payment is confirmed


class Document(msgspec.Struct):
    id: UUID
    claim_id: UUID
    kind: str
    filename: str
    content_type: str
    size_bytes: int
    sha256: str
    uploaded_by: str
    uploaded_at: datetime


class CatastropheCreate(RequestBody, kw_only=True):
    name: Annotated[str, msgspec.Meta(min_length=1, max_length=100, pattern=r"\S")]
    peril: Peril
    starts_at: datetime
    ends_at: datetime
    village_codes: Annotated[list[VillageCode], msgspec.Meta(min_length=1, max_length=500)]


class VillageCounts(msgspec.Struct):
    village_code: str
    by_status: dict[str, int]
    total: int


class Catastrophe(msgspec.Struct, kw_only=True):
    id: UUID
    name: str
    peril: Peril
    starts_at: datetime
    ends_at: datetime
    village_codes: list[str]
    declared_by: str
    declared_at: datetime
    claims: int
    by_status: dict[str, int]
    villages: list[VillageCounts]
