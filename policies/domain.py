"""Pure enrollment rules: resident IDs, phone numbers, region codes, programs and the policy lifecycle.

No web, no session.
"""

from __future__ import annotations

import enum
import re
from datetime import date
from functools import lru_cache
from uuid import UUID

import msgspec
from stdnum.cn import ric

from policies.errors import (
    InvalidPayment,
    InvalidPhone,
    InvalidProgram,
    InvalidResidentId,
    NotAVillage,
    Overpayment,
    PolicyTransitionNotAllowed,
    UnknownRegion,
)


class Peril(enum.StrEnum):
    FIRE = "fire"
    EXPLOSION = "explosion"
    THEFT = "theft"
    ROBBERY = "robbery"
    NATURAL_DISASTER = "natural_disaster"
    ACCIDENTAL_DEATH = "accidental_death"
    DISABILITY = "disability"
    LIVESTOCK = "livestock"


class Funding(enum.StrEnum):
    DISTRICT = "district"  # the district pays one lump sum; every household living there is covered
    HOUSEHOLD = "household"  # each household joins and pays its own premium


class Cover(msgspec.Struct, frozen=True, kw_only=True):
    """One policy's cover for one household on one day: what a claim is checked against."""

    policy_id: UUID
    policy_number: str
    program_id: UUID
    program_code: str
    program_name: str
    funding: Funding
    perils: dict[Peril, int]  # peril -> limit in fen
    per_claim_cap_fen: int
    combined_cap_fen: int | None
    clock_target_hours: int
    reporting_window_days: int
    starts_on: date
    ends_on: date  # exclusive
    # A renewal continues earlier cover: its new start date is not a new policy.
    renewal: bool = False
    deductible_fen: int = 0  # taken off the assessed loss before this policy's limits
    advance_max_bps: int = 0  # an advance may be up to this share of the claim's payable cap

    def in_force(self, on: date) -> bool:
        return self.starts_on <= on < self.ends_on


_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}$")
REGION_LEVELS = {6: "district", 9: "town", 12: "village", 15: "grid"}


@lru_cache(maxsize=65536)
def _birth_date_ok(yyyymmdd: str, today: date) -> bool:
    try:
        born = date(int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:]))
    except ValueError:
        return False
    return date(1880, 1, 1) <= born <= today


def normalize_resident_id(value: str, *, today: date | None = None) -> str:
    """An 18-character GB 11643 resident ID, upper-case X, with a valid check digit and birth date.

    The birth place is not checked against today's region list: counties are merged and renamed,
    and an ID issued under an old code stays valid for life.
    """
    number = value.strip().upper()
    if len(number) != 18 or not number[:17].isdigit():
        raise InvalidResidentId(f"{value!r} is not 18 characters of digits (the last may be X)")
    if number[17] != ric.calc_check_digit(number):
        raise InvalidResidentId(f"{value!r} has a wrong check digit")
    if not _birth_date_ok(number[6:14], today or date.today()):
        raise InvalidResidentId(f"{value!r} has an impossible birth date")
    return number


def normalize_phone(value: str) -> str:
    """A mainland mobile (11 digits, 1[3-9]…) or landline with area code; spaces and +86 dropped."""
    phone = value.strip().replace(" ", "")
    phone = phone.removeprefix("+86").removeprefix("0086")
    if _MOBILE.match(phone) or _LANDLINE.match(phone):
        return phone
    raise InvalidPhone(f"{value!r} is not a mainland mobile or landline number")


def region_level(code: str) -> str:
    if not code.isdigit() or len(code) not in REGION_LEVELS:
        raise UnknownRegion(f"{code!r} is not a 6, 9, 12 or 15 digit region code")
    return REGION_LEVELS[len(code)]


def require_village_code(code: str) -> str:
    if region_level(code) != "village":
        raise NotAVillage(f"{code!r} is not a village code")
    return code


def parent_code(code: str) -> str | None:
    """The enclosing region: a village's town, a town's district; None for a district."""
    return {9: code[:6], 12: code[:9], 15: code[:12]}.get(len(code))


def enclosing_regions(code: str) -> list[str]:
    """The region and every region around it, district first: a blanket policy names one of them."""
    return [code[:n] for n in (6, 9, 12) if n <= len(code)]


class PolicyStatus(enum.StrEnum):
    IDLE = "idle"  # issued, premium not yet fully paid
    ACTIVE = "active"
    SUSPENDED = "suspended"  # cover paused, e.g. while a suspected fraud is looked into
    EXPIRED = "expired"
    RENEWED = "renewed"  # a next term exists; this one still covers until its own ends_on


# A renewed policy keeps covering until its own ends_on; the period check does the rest.
COVERING_STATUSES = frozenset({PolicyStatus.ACTIVE, PolicyStatus.RENEWED})

# A household pays at most 10 million yuan per term; a district's lump sum at most 1 billion.
MAX_HOUSEHOLD_PREMIUM_FEN = 10_000_000 * 100
MAX_DISTRICT_PREMIUM_FEN = 1_000_000_000 * 100
# No peril limit or claim cap reaches 100 million yuan; past that the figure is a typing slip.
MAX_COVER_FEN = 100_000_000 * 100


class ProgramTerms(msgspec.Struct, frozen=True, kw_only=True):
    """What an admin proposes for a program, before it is checked."""

    funding: Funding
    region_code: str
    premium_fen: int
    term_months: int
    perils: dict[Peril, int]
    per_claim_cap_fen: int
    combined_cap_fen: int | None


def check_program(terms: ProgramTerms) -> ProgramTerms:
    """A program covers at least one peril, each with a sane positive limit, at a sane premium."""
    region_level(terms.region_code)
    if terms.funding is Funding.DISTRICT and len(terms.region_code) != 6:
        raise InvalidProgram("a district-funded program must name a 6-digit district", field="region_code")
    ceiling = MAX_DISTRICT_PREMIUM_FEN if terms.funding is Funding.DISTRICT else MAX_HOUSEHOLD_PREMIUM_FEN
    if not 0 <= terms.premium_fen <= ceiling:
        raise InvalidProgram(f"premium must be between 0 and {ceiling} fen", field="premium_fen")
    if not terms.perils:
        raise InvalidProgram("a program must cover at least one peril", field="perils")
    if any(not 0 < limit <= MAX_COVER_FEN for limit in terms.perils.values()):
        raise InvalidProgram(f"every peril limit must be between 1 and {MAX_COVER_FEN} fen", field="perils")
    if not 0 < terms.per_claim_cap_fen <= MAX_COVER_FEN:
        raise InvalidProgram(
            f"the per-claim cap must be between 1 and {MAX_COVER_FEN} fen", field="per_claim_cap_fen"
        )
    if terms.combined_cap_fen is not None and not 0 < terms.combined_cap_fen <= MAX_COVER_FEN:
        raise InvalidProgram(
            f"the combined cap must be between 1 and {MAX_COVER_FEN} fen", field="combined_cap_fen"
        )
    if not 1 <= terms.term_months <= 120:
        raise InvalidProgram("the term must be 1 to 120 months", field="term_months")
    return terms


def _refuse(status: PolicyStatus, action: str) -> PolicyTransitionNotAllowed:
    return PolicyTransitionNotAllowed(f"cannot {action} a policy that is {status.value}", status=status.value)


def activate(status: PolicyStatus, *, premium_due_fen: int, premium_paid_fen: int) -> PolicyStatus:
    """An idle policy becomes active once its premium is paid in full."""
    if status is not PolicyStatus.IDLE:
        raise _refuse(status, "activate")
    if premium_paid_fen < premium_due_fen:
        raise _refuse(status, f"activate with {premium_due_fen - premium_paid_fen} fen unpaid")
    return PolicyStatus.ACTIVE


def suspend(status: PolicyStatus) -> PolicyStatus:
    if status is not PolicyStatus.ACTIVE:
        raise _refuse(status, "suspend")
    return PolicyStatus.SUSPENDED


def resume(status: PolicyStatus, *, ends_on: date, today: date) -> PolicyStatus:
    """A suspended policy resumes; one whose period ran out meanwhile expires instead."""
    if status is not PolicyStatus.SUSPENDED:
        raise _refuse(status, "resume")
    return PolicyStatus.ACTIVE if today < ends_on else PolicyStatus.EXPIRED


def renew(status: PolicyStatus) -> PolicyStatus:
    """Only a running policy is renewed; a lapsed household simply takes out a new policy."""
    if status is not PolicyStatus.ACTIVE:
        raise _refuse(status, "renew")
    return PolicyStatus.RENEWED


def expire(status: PolicyStatus, *, ends_on: date, today: date) -> PolicyStatus:
    """Past its period a policy expires; a renewed one keeps that status as its history."""
    if status in (PolicyStatus.EXPIRED, PolicyStatus.RENEWED) or today < ends_on:
        raise _refuse(status, "expire")
    return PolicyStatus.EXPIRED


def apply_payment(
    status: PolicyStatus, *, blanket: bool, premium_due_fen: int, premium_paid_fen: int, amount_fen: int
) -> int:
    """The amount paid after this payment; paying more than is due is refused, not kept as credit.

    An expired household policy takes no money (it can no longer activate); a district may settle
    a blanket policy's lump sum after its term.
    """
    if status is PolicyStatus.EXPIRED and not blanket:
        raise _refuse(status, "take a premium for")
    if amount_fen <= 0:
        raise InvalidPayment("a payment must be positive", field="amount_fen")
    if premium_paid_fen + amount_fen > premium_due_fen:
        raise Overpayment(
            f"only {premium_due_fen - premium_paid_fen} fen is still due", due_fen=premium_due_fen
        )
    return premium_paid_fen + amount_fen


class Relation(enum.StrEnum):
    HEAD = "head"
    SPOUSE = "spouse"
    CHILD = "child"
    PARENT = "parent"
    SIBLING = "sibling"
    OTHER = "other"


class PaymentChannel(enum.StrEnum):
    CASH = "cash"
    BANK = "bank"
    WECHAT = "wechat"
    ALIPAY = "alipay"
    MOBILE = "mobile"  # a collection list's mobile payment that does not say which app
    DISTRICT_FINANCE = "district_finance"  # a blanket policy's lump sum, or the district's share
    TOWNSHIP_FINANCE = "township_finance"  # the township's share of a co-funded premium
