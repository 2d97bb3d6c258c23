"""Request and response bodies for regions, households, people, programs, policies and premiums."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated
from uuid import UUID

import msgspec

from core.dates import DateKind, check_day, check_moment
from core.schemas import PositiveFen, Reason, RequestBody, ShortText, VillageCode
from policies.domain import Funding, PaymentChannel, Peril, PolicyStatus, Relation
from policies.errors import InvalidPayment
from policies.premium_shares import GovernmentPayer, PremiumBasis

# Loose bounds only: policies.domain checks the digits and gives a precise error code.
ResidentId = Annotated[str, msgspec.Meta(min_length=1, max_length=30, pattern=r"\S")]
Phone = Annotated[str, msgspec.Meta(min_length=1, max_length=30, pattern=r"\S")]


class RegionView(msgspec.Struct):
    code: str
    name: str
    level: str
    parent_code: str | None
    latitude: float | None
    longitude: float | None


class RegionImportResult(msgspec.Struct):
    created: int
    updated: int
    unchanged: int


class MemberIn(RequestBody, kw_only=True):
    name: ShortText
    resident_id: ResidentId
    relation: Relation
    phone: Phone | None = None


class PersonView(msgspec.Struct):
    id: UUID
    household_id: UUID
    name: str
    resident_id: str
    relation: str
    phone: str | None


class PersonUpdate(RequestBody, kw_only=True):
    name: ShortText | msgspec.UnsetType = msgspec.UNSET
    relation: Relation | msgspec.UnsetType = msgspec.UNSET
    phone: Phone | msgspec.UnsetType | None = msgspec.UNSET


class HouseholdCreate(RequestBody, kw_only=True):
    village_code: Annotated[str, msgspec.Meta(min_length=1, max_length=15, pattern=r"\S")]
    address: Annotated[str, msgspec.Meta(min_length=1, max_length=200, pattern=r"\S")]
    phone: Phone
    members: Annotated[list[MemberIn], msgspec.Meta(min_length=1, max_length=30)]
    household_no: Annotated[str, msgspec.Meta(min_length=1, max_length=40, pattern=r"\S")] | None = None


class HouseholdUpdate(RequestBody, kw_only=True):
    address: Annotated[str, msgspec.Meta(min_length=1, max_length=200, pattern=r"\S")] | msgspec.UnsetType = (
        msgspec.UNSET
    )
    phone: Phone | msgspec.UnsetType = msgspec.UNSET
    household_no: Annotated[str, msgspec.Meta(max_length=40)] | msgspec.UnsetType | None = msgspec.UNSET


class HouseholdView(msgspec.Struct):
    id: UUID
    village_code: str
    household_no: str | None
    address: str
    head_name: str
    phone: str
    registered_at: datetime
    people: list[PersonView]


class PerilLimit(RequestBody):
    peril: Peril
    limit_fen: PositiveFen


class ProgramCreate(RequestBody, kw_only=True):
    code: Annotated[str, msgspec.Meta(pattern=r"^[A-Za-z0-9_-]{2,40}$")]
    name: Annotated[str, msgspec.Meta(min_length=1, max_length=100, pattern=r"\S")]
    insurer: Annotated[str, msgspec.Meta(min_length=1, max_length=100, pattern=r"\S")]
    funding: Funding
    region_code: Annotated[str, msgspec.Meta(min_length=1, max_length=15, pattern=r"\S")]
    # Household-paid: per household per term. District-funded: the district's lump sum per term.
    premium_fen: int
    term_months: int
    perils: list[PerilLimit]
    per_claim_cap_fen: int
    starts_on: date
    combined_cap_fen: int | None = None
    clock_target_hours: Annotated[int, msgspec.Meta(ge=1, le=720)] = 72
    reporting_window_days: Annotated[int, msgspec.Meta(ge=1, le=365)] = 30
    rebate_bps: Annotated[int, msgspec.Meta(ge=0, le=10_000)] | None = None
    description: Annotated[str, msgspec.Meta(max_length=2000)] | None = None
    # Co-funding: premium_fen per household or per resident, split in basis points summing to 10,000.
    premium_basis: PremiumBasis = PremiumBasis.HOUSEHOLD
    household_share_bps: Annotated[int, msgspec.Meta(ge=0, le=10_000)] = 10_000
    district_share_bps: Annotated[int, msgspec.Meta(ge=0, le=10_000)] = 0
    township_share_bps: Annotated[int, msgspec.Meta(ge=0, le=10_000)] = 0
    # Taken off every assessed loss; an advance may be up to this share of the claim's payable cap.
    deductible_fen: Annotated[int, msgspec.Meta(ge=0, le=100_000_000)] = 0
    advance_max_bps: Annotated[int, msgspec.Meta(ge=0, le=10_000)] = 0

    def __post_init__(self) -> None:
        super().__post_init__()
        check_day(DateKind.TERM, self.starts_on, field="starts_on")


class ProgramView(msgspec.Struct):
    id: UUID
    code: str
    name: str
    insurer: str
    funding: Funding
    region_code: str
    premium_fen: int
    term_months: int
    perils: list[PerilLimit]
    per_claim_cap_fen: int
    combined_cap_fen: int | None
    clock_target_hours: int
    reporting_window_days: int
    rebate_bps: int | None
    starts_on: date
    description: str | None
    premium_basis: PremiumBasis
    household_share_bps: int
    district_share_bps: int
    township_share_bps: int
    deductible_fen: int
    advance_max_bps: int


class HouseholdPolicyCreate(RequestBody, kw_only=True):
    household_id: UUID
    program_id: UUID
    starts_on: date | None = None  # default: today in the business calendar

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.starts_on is not None:
            check_day(DateKind.TERM, self.starts_on, field="starts_on")


class BlanketPolicyCreate(RequestBody, kw_only=True):
    program_id: UUID
    starts_on: date | None = None  # default: the program's next term not yet issued

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.starts_on is not None:
            check_day(DateKind.TERM, self.starts_on, field="starts_on")


class StatusChange(RequestBody):
    reason: Reason


class PolicyView(msgspec.Struct):
    id: UUID
    number: str
    program_id: UUID
    household_id: UUID | None
    region_code: str
    starts_on: date
    ends_on: date
    status: PolicyStatus
    premium_due_fen: int
    premium_paid_fen: int
    activated_at: datetime | None
    status_changed_at: datetime | None
    renewed_from_id: UUID | None


class PaymentCreate(RequestBody, kw_only=True):
    payer: Annotated[str, msgspec.Meta(min_length=1, max_length=100, pattern=r"\S")]
    amount_fen: PositiveFen
    channel: PaymentChannel
    receipt_no: Annotated[str, msgspec.Meta(min_length=1, max_length=60, pattern=r"\S")]
    paid_at: datetime | None = None  # default: now; without a zone, Beijing time

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.paid_at is not None:
            self.paid_at = check_moment(DateKind.PAYMENT, self.paid_at, field="paid_at")


class PaymentView(msgspec.Struct):
    id: UUID
    policy_id: UUID
    payer: str
    amount_fen: int
    channel: str
    receipt_no: str
    paid_at: datetime
    share: str  # household | district | township: whose part of the premium it paid


class VillageProgress(msgspec.Struct):
    """One village's enrollment in a program: each household counted by its latest term."""

    village_code: str
    village_name: str
    households: int  # registered in the village
    enrolled: int  # with a term of the program not yet expired
    paid: int  # whose latest term is paid in full
    premium_due_fen: int  # what the enrolled households' latest terms charge
    premium_collected_fen: int  # what has been paid towards them


class EnrollmentProgress(msgspec.Struct):
    program_id: UUID
    program_code: str
    villages: list[VillageProgress]


class UnpaidHousehold(msgspec.Struct):
    household_id: UUID
    household_no: str | None
    head_name: str
    phone: str
    address: str
    policy_number: str | None  # None: not enrolled at all
    owed_fen: int


class RenewalCreate(RequestBody, kw_only=True):
    """Which of a program's policies to renew: those ending in [ends_from, ends_before), or by number."""

    ends_from: date | None = None
    ends_before: date | None = None
    numbers: list[Annotated[str, msgspec.Meta(min_length=1, max_length=40)]] = []


class GovernmentPaymentCreate(RequestBody, kw_only=True):
    """One payment of district or township finance for a list of households' policies.

    The list is `household_ids`, or every household of `village_code`, or (neither) the program's
    whole region. Each household's policy in the program whose term runs on `term_day` (default:
    `paid_on`) is paid what is still owed of the payer's share.
    """

    payer: GovernmentPayer
    receipt_no: Annotated[str, msgspec.Meta(min_length=1, max_length=60, pattern=r"\S")]
    paid_on: date
    term_day: date | None = None
    household_ids: Annotated[list[UUID], msgspec.Meta(min_length=1, max_length=100_000)] | None = None
    village_code: VillageCode | None = None

    def __post_init__(self) -> None:
        super().__post_init__()
        check_day(DateKind.PAYMENT, self.paid_on, field="paid_on")
        if self.term_day is not None:
            check_day(DateKind.TERM, self.term_day, field="term_day")
        if self.household_ids is not None and self.village_code is not None:
            raise InvalidPayment("name households or a village, not both", field="village_code")


class HouseholdNotPaid(msgspec.Struct):
    household_id: UUID
    reason: str  # no_policy | share_already_paid | policy_expired


class GovernmentPaymentView(msgspec.Struct):
    id: UUID
    program_id: UUID
    payer: GovernmentPayer
    region_code: str
    receipt_no: str
    paid_on: date
    amount_fen: int
    policies_paid: int
    unpaid: list[HouseholdNotPaid]
