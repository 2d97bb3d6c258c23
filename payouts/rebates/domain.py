"""Pure rebate rules: shares, periods, apportionment, ledger limits, receipt types. No web, no session.

Rounding: a period's rebate is computed once for the whole agreement (basis points of the premiums
received, rounded half up to the fen) and then apportioned to villages by the largest-remainder
(Hamilton) method: every village gets the floor of its exact quota, and the fen left over go one each
to the villages with the largest remainders, ties broken by ascending village code. The parts
therefore always add up to the whole, and the same inputs always give the same split.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from datetime import date

import msgspec

from core import files
from core.clock import add_months
from core.dates import RANGES, DateKind
from payouts.rebates.errors import (
    AccrualBelowApproved,
    AgreementBeforeProgram,
    ExceedsAccrued,
    ExceedsApproved,
    ExceedsBalance,
    InvalidAgreementDates,
    InvalidShare,
    InvalidSpendingDate,
    NotAPeriodStart,
    ReceiptNotImageOrPdf,
    ReversalBreaksLedger,
)

FULL_SHARE_BPS = 10_000


class PeriodKind(enum.StrEnum):
    YEAR = "year"
    QUARTER = "quarter"


PERIOD_MONTHS = {PeriodKind.YEAR: 12, PeriodKind.QUARTER: 3}


class EntryKind(enum.StrEnum):
    """The stage a ledger entry moves. A reversal keeps the kind of the entry it reverses."""

    ACCRUAL = "accrual"
    APPROVAL = "approval"
    DISBURSEMENT = "disbursement"


class ApproverRole(enum.StrEnum):
    FINANCE = "finance"
    CLAIMS_OFFICER = "claims_officer"


class ExpenditureCategory(enum.StrEnum):
    PATROL_STAFF = "patrol_staff"
    VIDEO_SURVEILLANCE = "video_surveillance"
    DOOR_WINDOW_ALARMS = "door_window_alarms"
    SECURITY_DOORS = "security_doors"
    PUBLICITY = "publicity"
    OTHER = "other"


CATEGORY_NAMES_ZH = {
    ExpenditureCategory.PATROL_STAFF: "巡逻人员",
    ExpenditureCategory.VIDEO_SURVEILLANCE: "视频监控",
    ExpenditureCategory.DOOR_WINDOW_ALARMS: "门窗报警器",
    ExpenditureCategory.SECURITY_DOORS: "防盗门",
    ExpenditureCategory.PUBLICITY: "宣传",
    ExpenditureCategory.OTHER: "其他",
}


class Share(msgspec.Struct, frozen=True):
    """Exactly one of: basis points of premiums received, or a fixed amount per insured household."""

    bps: int | None = None
    per_household_fen: int | None = None


def validate_share(share: Share) -> Share:
    if (share.bps is None) == (share.per_household_fen is None):
        raise InvalidShare("give either bps or per_household_fen")
    if share.bps is not None and not 0 <= share.bps <= FULL_SHARE_BPS:
        raise InvalidShare(f"{share.bps} bps is outside 0–10000", field="bps")
    if share.per_household_fen is not None and share.per_household_fen < 0:
        raise InvalidShare("the amount per household cannot be negative", field="per_household_fen")
    return share


class Period(msgspec.Struct, frozen=True):
    starts_on: date
    ends_on: date  # exclusive, like a policy's cover


def agreement_periods(kind: PeriodKind, starts_on: date, ends_on: date) -> list[Period]:
    """The whole years or quarters an agreement spans, counted from its first day.

    Periods start on the 1st of a month so that a quarter never lands on a day some months lack.
    """
    if starts_on.day != 1 or ends_on <= starts_on:
        raise InvalidAgreementDates(f"{starts_on}–{ends_on}")
    periods = []
    start = starts_on
    while start < ends_on:
        end = add_months(start, PERIOD_MONTHS[kind])
        periods.append(Period(start, end))
        start = end
    if start != ends_on:
        raise InvalidAgreementDates(f"{starts_on}–{ends_on} is not a whole number of {kind.value}s")
    return periods


def period_starting(kind: PeriodKind, starts_on: date, ends_on: date, period_start: date) -> Period:
    for period in agreement_periods(kind, starts_on, ends_on):
        if period.starts_on == period_start:
            return period
    raise NotAPeriodStart(str(period_start), field="period_start")


def overlaps(a_start: date, a_end: date, b_start: date, b_end: date) -> bool:
    return a_start < b_end and b_start < a_end


def share_of_premiums(bps: int, premiums_fen: int) -> int:
    """Basis points of an amount, rounded half up to the fen (exact integer arithmetic)."""
    return (premiums_fen * bps + FULL_SHARE_BPS // 2) // FULL_SHARE_BPS


def apportion(total_fen: int, weights: Mapping[str, int]) -> dict[str, int]:
    """Split `total_fen` in proportion to `weights` by largest remainder; see the module docstring."""
    if total_fen < 0 or any(weight < 0 for weight in weights.values()):
        raise ValueError("apportion needs a non-negative total and weights")
    whole = sum(weights.values())
    if whole == 0:
        if total_fen:
            raise ValueError("cannot apportion a positive total over zero weights")
        return dict.fromkeys(weights, 0)
    parts = {key: total_fen * weight // whole for key, weight in weights.items()}
    leftover = total_fen - sum(parts.values())
    by_remainder = sorted(weights, key=lambda key: (-(total_fen * weights[key] % whole), key))
    for key in by_remainder[:leftover]:
        parts[key] += 1
    return parts


def apportion_above(total_fen: int, weights: Mapping[str, int], floors: Mapping[str, int]) -> dict[str, int]:
    """`apportion`, except that no key gets less than its floor (what a village already had approved).

    Recomputing after late premiums must not take back approved money, yet largest remainder may move
    a fen from one village to another when the total grows (the Alabama paradox). A village that would
    fall below its floor is held at it and the rest is apportioned among the others.
    """
    if sum(floors.values()) > total_fen:
        raise AccrualBelowApproved(f"{sum(floors.values())} fen approved > {total_fen} fen due")
    held: dict[str, int] = {}
    while True:
        free = {key: weight for key, weight in weights.items() if key not in held}
        parts = apportion(total_fen - sum(held.values()), free)
        short = {key: floors[key] for key, part in parts.items() if part < floors.get(key, 0)}
        if not short:
            return parts | held
        held |= short


class PeriodBasis(msgspec.Struct, frozen=True):
    """What a period's rebate is computed from.

    A household-paid program splits its rebate by the premiums each village paid; a district-funded
    one has a single lump sum, split by the households registered in each village.
    """

    district_funded: bool
    premiums_fen: int
    premiums_by_village: dict[str, int]  # empty for a district-funded program
    households_by_village: dict[str, int]

    @property
    def weights(self) -> dict[str, int]:
        return self.households_by_village if self.district_funded else self.premiums_by_village


def village_weights(share: Share, basis: PeriodBasis) -> dict[str, int]:
    """What each village's part follows: its insured households, or the premiums it paid."""
    return basis.households_by_village if share.per_household_fen is not None else basis.weights


def rebate_due(share: Share, basis: PeriodBasis) -> int:
    """The agreement applied to the period's premiums (or insured households), as one figure."""
    if share.per_household_fen is not None:
        return share.per_household_fen * sum(basis.households_by_village.values())
    assert share.bps is not None
    if not any(basis.weights.values()):
        return 0  # nobody to pay: a lump sum for a district with no households accrues nothing
    return share_of_premiums(share.bps, basis.premiums_fen)


def village_accruals(
    share: Share, basis: PeriodBasis, approved: Mapping[str, int] | None = None
) -> dict[str, int]:
    """Each village's accrual for one period; the values always add up to `rebate_due`.

    `approved` is what each village already had approved in this period, which a recomputation
    may not go below.
    """
    approved = approved or {}
    if share.per_household_fen is not None:
        parts = {code: share.per_household_fen * n for code, n in basis.households_by_village.items()}
    elif not any(basis.weights.values()):
        parts = {}
    else:
        return apportion_above(rebate_due(share, basis), basis.weights, approved)
    if any(parts.get(code, 0) < fen for code, fen in approved.items()):
        raise AccrualBelowApproved("fewer insured households than when the period was approved")
    return parts


class Stages(msgspec.Struct, frozen=True):
    """Net amounts (reversals included) that reached each stage for one village and period."""

    accrued_fen: int = 0
    approved_fen: int = 0
    disbursed_fen: int = 0


def check_approval(stages: Stages, amount_fen: int) -> None:
    if amount_fen > stages.accrued_fen - stages.approved_fen:
        raise ExceedsAccrued(f"{amount_fen} > {stages.accrued_fen - stages.approved_fen} fen open")


def check_disbursement(stages: Stages, amount_fen: int) -> None:
    if amount_fen > stages.approved_fen - stages.disbursed_fen:
        raise ExceedsApproved(f"{amount_fen} > {stages.approved_fen - stages.disbursed_fen} fen open")


def check_reversal(kind: EntryKind, amount_fen: int, stages: Stages, balance_fen: int) -> None:
    """A stage may shrink only while what the next stage took from it still fits."""
    if kind is EntryKind.APPROVAL and stages.approved_fen - amount_fen < stages.disbursed_fen:
        raise ReversalBreaksLedger("already disbursed")
    if kind is EntryKind.DISBURSEMENT and balance_fen - amount_fen < 0:
        raise ReversalBreaksLedger("already spent")


def check_spent_on(spent_on: date, *, today: date) -> None:
    """Spending is recorded after the fact (a future date would fall outside every statement so far)
    and within the plausible range of core.dates."""
    plausible = RANGES[DateKind.SPENDING]
    if not plausible.earliest <= spent_on <= plausible.latest_day(today):
        raise InvalidSpendingDate(
            f"{spent_on} is outside {plausible.earliest}–{plausible.latest_day(today)}", field="spent_on"
        )


def check_spending(balance_fen: int, amount_fen: int) -> None:
    if amount_fen > balance_fen:
        raise ExceedsBalance(f"{amount_fen} > {balance_fen} fen in the fund")


def receipt_media_type(content: bytes) -> str:
    """What a receipt really is, from its first bytes; the declared content type is not trusted."""
    media_type = files.sniff(content)
    if media_type is None:
        raise ReceiptNotImageOrPdf()
    return media_type


def check_within_program(starts_on: date, program_starts_on: date) -> None:
    """Premiums are received from the program's start: an agreement may begin in that month, not
    before (agreements begin on the 1st, programs on any day)."""
    if starts_on < program_starts_on.replace(day=1):
        raise AgreementBeforeProgram(f"{starts_on} is before the program's start {program_starts_on}")
