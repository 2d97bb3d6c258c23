"""Pure enrollment rules: resident IDs, phone numbers, region codes. No web, no session."""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

from stdnum.cn import ric

from policies.errors import InvalidPhone, InvalidResidentId, NotAVillage, UnknownRegion

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
