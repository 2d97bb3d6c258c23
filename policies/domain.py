"""Pure enrollment rules: resident IDs, phone numbers, region codes. No web, no session."""

from __future__ import annotations

import enum
import re
from datetime import date
from functools import lru_cache
from uuid import UUID

import msgspec
from stdnum.cn import ric

from policies.errors import InvalidPhone, InvalidResidentId, NotAVillage, UnknownRegion

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
