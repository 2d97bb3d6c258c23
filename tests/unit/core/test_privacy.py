"""The masking rules: what a listing keeps of a resident ID and a phone, and who lists in full."""

from __future__ import annotations

from uuid import uuid4

import pytest

from core import privacy
from core.auth import Principal, Role


def test_a_resident_id_keeps_its_issuing_district_and_last_four() -> None:
    assert privacy.mask_resident_id("37021119800101123X") == "370211********123X"


@pytest.mark.parametrize(
    ("phone", "masked"),
    [("13812345678", "138****5678"), ("053288886666", "053*****6666"), ("1234567", "*******")],
)
def test_a_phone_keeps_its_first_three_and_last_four_digits(phone: str, masked: str) -> None:
    assert privacy.mask_phone(phone) == masked


@pytest.mark.parametrize("role", list(Role))
def test_only_a_resident_lists_in_full(role: Role) -> None:
    principal = Principal(user_id=uuid4(), username="u", role=role, regions=("370211",))
    assert privacy.lists_in_full(principal) is (role is Role.RESIDENT)


def test_an_account_shows_only_its_last_four_digits() -> None:
    assert privacy.mask_account("6222020200112233") == "************2233"
    assert privacy.mask_account(None) is None
