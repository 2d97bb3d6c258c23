"""Masking rules for residents' ID numbers and phones: stated once, applied to every listing.

A listing shows many people at once, so it shows only enough to tell them apart: a resident ID
keeps its first six digits (the district that issued it, public knowledge) and its last four
(370211********1234); a phone keeps its first three (the carrier) and last four (138****1234).
One record opened on its own shows the full values to whoever may see it (core.scope decides):
the liaison filing for the resident, the officer checking who claims, the auditor reading it.
A resident sees their own household in full everywhere: nothing in it is hidden from them.
"""

from __future__ import annotations

from core.auth import Principal, Role


def mask_resident_id(resident_id: str) -> str:
    return f"{resident_id[:6]}{'*' * max(len(resident_id) - 10, 0)}{resident_id[-4:]}"


def mask_phone(phone: str) -> str:
    """Short numbers (a landline extension) keep nothing."""
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:] if len(phone) > 7 else "*" * len(phone)


def mask_account(account: str | None) -> str | None:
    """A bank account as residents and logs see it: only its last four digits."""
    return None if account is None else "*" * (len(account) - 4) + account[-4:]


def lists_in_full(principal: Principal) -> bool:
    """Whether listings show this caller full ID numbers and phones: only a resident's own household."""
    return principal.role is Role.RESIDENT
