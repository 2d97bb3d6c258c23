"""Request and response bodies for the assessment at the door: line items, photos, the figures."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated
from uuid import UUID

import msgspec

from claims.domain import ClaimStatus
from claims.schemas import Document
from core.schemas import RequestBody, ShortText
from policies.domain import Peril

# Bounds for what a person can type at a door: anything past them is a slip of the thumb.
Quantity = Annotated[int, msgspec.Meta(ge=1, le=10_000)]
# One household item is worth at most 1,000,000 yuan; the policies' limits apply after.
UnitValue = Annotated[int, msgspec.Meta(ge=1, le=100_000_000, description="one unit's value new, in fen")]
Age = Annotated[int, msgspec.Meta(ge=0, le=100, description="full years the item was used")]
Bps = Annotated[int, msgspec.Meta(ge=0, le=10_000, description="depreciation in basis points (100 = 1 %)")]
Notes = Annotated[str, msgspec.Meta(min_length=1, max_length=2000, pattern=r"\S")]


class LineIn(RequestBody, kw_only=True):
    """One item: its depreciation as a rate, or as the item's age, or neither for a new item."""

    item: Annotated[str, msgspec.Meta(min_length=1, max_length=100, pattern=r"\S")]
    quantity: Quantity
    unit_value_fen: UnitValue
    age_years: Age | None = None
    depreciation_bps: Bps | None = None

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.age_years is not None and self.depreciation_bps is not None:
            raise ValueError("give the item's age or its depreciation rate, not both")


class AssessmentCreate(RequestBody, kw_only=True):
    """What the adjuster records at the door; the resident types their name and ticks the box."""

    lines: Annotated[list[LineIn], msgspec.Meta(min_length=1, max_length=100)]
    notes: Notes | None = None
    photo_ids: Annotated[list[UUID], msgspec.Meta(max_length=30)] = []
    acknowledged_by: ShortText
    acknowledged: bool


class AssessedLine(msgspec.Struct):
    item: str
    quantity: int
    unit_value_fen: int
    age_years: int | None
    depreciation_bps: int
    value_fen: int


class Step(msgspec.Struct):
    """One step of the computation, in order; `amount_fen` is the figure the step arrives at."""

    step: str
    label_zh: str
    label_en: str
    amount_fen: int
    detail: str


class Share(msgspec.Struct):
    policy_number: str
    funding: str
    limit_fen: int
    amount_fen: int


class Assessment(msgspec.Struct, kw_only=True):
    """`payable_fen` is the claim's worth before advances; `final_payout_fen` is that less the
    advances paid by now (`advance_paid_fen`, the claim's); `owed_back_fen` what the household owes
    if they were more. `steps` keep these as at the assessment.
    A resident reading their own claim gets no `notes` and no `assessed_by` (the adjuster's account)."""

    id: UUID
    claim_id: UUID
    visit_id: UUID
    assessed_by: str | None
    assessed_at: datetime
    lines: list[AssessedLine]
    assessed_loss_fen: int
    deductible_fen: int
    payable_fen: int
    advance_paid_fen: int
    final_payout_fen: int
    owed_back_fen: int
    steps: list[Step]
    shares: list[Share]
    notes: str | None
    photo_ids: list[UUID]
    acknowledged_by: str


class AssessmentForm(msgspec.Struct, kw_only=True):
    """What the adjuster needs at the door: the visit, the claim's essentials, the photos taken so
    far and, once recorded, the assessment."""

    visit_id: UUID
    visit_on: date
    visit_status: str
    claim_id: UUID
    claim_number: str
    claim_status: ClaimStatus
    peril: Peril
    loss_at: datetime
    loss_place: str
    description: str
    estimated_loss_fen: int | None
    payable_cap_fen: int
    advance_paid_fen: int
    household_head: str
    address: str
    claimant_name: str
    claimant_phone: str
    photos: list[Document]
    assessment: Assessment | None
