"""Request and response bodies for rebates and village security funds (msgspec Structs)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated
from uuid import UUID

import msgspec
from litestar.datastructures import UploadFile

from core.dates import DateKind, check_day
from core.schemas import PositiveFen, Reason, RequestBody, VillageCode
from payouts.rebates.domain import ApproverRole, EntryKind, ExpenditureCategory, PeriodKind


class RebateAgreementCreate(RequestBody):
    program_id: UUID
    period_kind: PeriodKind
    starts_on: date
    ends_on: date  # exclusive
    # Exactly one of the two shares; range checks give a coded problem (invalid_rebate_share).
    share_bps: int | None = None
    per_household_fen: int | None = None
    approver_role: ApproverRole = ApproverRole.FINANCE
    note: Annotated[str, msgspec.Meta(max_length=500)] | None = None

    def __post_init__(self) -> None:
        super().__post_init__()
        check_day(DateKind.AGREEMENT, self.starts_on, field="starts_on")
        check_day(DateKind.AGREEMENT, self.ends_on, field="ends_on")


class RebateAgreement(msgspec.Struct):
    id: UUID
    program_id: UUID
    region_code: str
    share_bps: int | None
    per_household_fen: int | None
    period_kind: PeriodKind
    starts_on: date
    ends_on: date
    approver_role: ApproverRole
    note: str | None


class AgreementPeriod(msgspec.Struct):
    starts_on: date
    ends_on: date
    closed: bool
    period_id: UUID | None  # set once accrued
    premiums_fen: int | None
    rebate_due_fen: int | None


class AccrualRequest(RequestBody):
    period_start: date
    reason: Reason


class AccrualQueued(msgspec.Struct):
    agreement_id: UUID
    period_start: date
    period_end: date
    message_id: UUID


class StageMovement(RequestBody):
    """Approve or disburse part (or all) of a village's open amount for one period."""

    period_id: UUID
    village_code: VillageCode
    amount_fen: PositiveFen
    reason: Reason
    reference: Annotated[str, msgspec.Meta(max_length=60)] | None = None


class ReversalRequest(RequestBody):
    reason: Reason


class RebateEntry(msgspec.Struct):
    id: UUID
    period_id: UUID
    village_code: str
    kind: EntryKind
    amount_fen: int
    reverses_id: UUID | None
    basis: int | None
    reference: str | None
    actor: str
    reason: str | None
    posted_at: datetime


class ExpenditureForm(RequestBody):
    """The multipart form a liaison sends; the receipt's type is checked from its bytes."""

    category: ExpenditureCategory
    amount_fen: PositiveFen
    spent_on: date
    description: Annotated[str, msgspec.Meta(min_length=1, max_length=1000, pattern=r"\S")]
    receipt: UploadFile


class ExpenditureFingerprint(msgspec.Struct):
    """What makes two expenditure requests the same, for Idempotency-Key replays."""

    village_code: str
    category: ExpenditureCategory
    amount_fen: int
    spent_on: date
    description: str
    receipt_sha256: str


class SecurityExpenditure(msgspec.Struct):
    id: UUID
    village_code: str
    category: ExpenditureCategory
    amount_fen: int
    spent_on: date
    description: str
    receipt_sha256: str
    receipt_media_type: str
    recorded_by: str
    recorded_at: datetime


class VillageFund(msgspec.Struct):
    """One village's rebate figures; the balance is what was disbursed and not yet spent."""

    village_code: str
    village_name: str
    accrued_fen: int
    approved_fen: int
    disbursed_fen: int
    spent_fen: int
    balance_fen: int


class VillageStatement(msgspec.Struct):
    village_code: str
    village_name: str
    program_name: str
    insurer: str
    share: str
    period_start: date
    period_end: date
    basis: int | None  # the village's premiums (fen) or registered households
    basis_is_households: bool
    accrued_fen: int
    approved_fen: int
    disbursed_fen: int
    spent_in_period_fen: int
    balance_fen: int  # the fund today, across every period
    entries: list[RebateEntry]
    expenditures: list[SecurityExpenditure]
