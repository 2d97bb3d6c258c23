"""Enrollment rules without a database: IDs, phones, region codes, programs, the policy lifecycle."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.clock import add_months
from policies import domain
from policies.domain import Funding, Peril, PolicyStatus, ProgramTerms
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
from tests.factories import resident_id


@given(st.integers(min_value=0, max_value=999_999))
def test_generated_resident_ids_are_valid_and_any_changed_digit_is_caught(seq: int) -> None:
    number = resident_id(seq)
    assert domain.normalize_resident_id(number.lower()) == number
    wrong = number[:-1] + ("1" if number[-1] != "1" else "2")
    with pytest.raises(InvalidResidentId):
        domain.normalize_resident_id(wrong)


@pytest.mark.parametrize("bad", ["", "37021119800101001", "3702111980010100XX", "370211198013010011"])
def test_malformed_resident_ids(bad: str) -> None:
    with pytest.raises(InvalidResidentId):
        domain.normalize_resident_id(bad)


def test_phones() -> None:
    assert domain.normalize_phone("+86 138 0000 0001") == "13800000001"
    assert domain.normalize_phone("0532-86888888") == "0532-86888888"
    for bad in ("12345", "12800000001", "phone"):
        with pytest.raises(InvalidPhone):
            domain.normalize_phone(bad)


def test_region_codes() -> None:
    assert domain.region_level("370211001") == "town"
    assert domain.parent_code("370211001001") == "370211001"
    with pytest.raises(UnknownRegion):
        domain.region_level("3702110")
    with pytest.raises(NotAVillage):
        domain.require_village_code("370211001")


def terms(**changes: object) -> ProgramTerms:
    base = ProgramTerms(
        funding=Funding.HOUSEHOLD,
        region_code="370211",
        premium_fen=20_000,
        term_months=36,
        perils={Peril.FIRE: 1_000_000},
        per_claim_cap_fen=1_000_000,
        combined_cap_fen=None,
    )
    return ProgramTerms(**{**{f: getattr(base, f) for f in base.__struct_fields__}, **changes})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "changes",
    [
        {"premium_fen": -1},
        {"premium_fen": domain.MAX_HOUSEHOLD_PREMIUM_FEN + 1},
        {"perils": {}},
        {"perils": {Peril.FIRE: 0}},
        {"per_claim_cap_fen": 0},
        {"combined_cap_fen": -5},
        {"perils": {Peril.FIRE: domain.MAX_COVER_FEN + 1}},
        {"per_claim_cap_fen": domain.MAX_COVER_FEN + 1},
        {"combined_cap_fen": domain.MAX_COVER_FEN + 1},
        {"term_months": 0},
        {"funding": Funding.DISTRICT, "region_code": "370211001"},
    ],
)
def test_bad_program_terms(changes: dict[str, object]) -> None:
    with pytest.raises(InvalidProgram):
        domain.check_program(terms(**changes))


def test_district_lump_sum_may_exceed_a_household_premium() -> None:
    lump = terms(funding=Funding.DISTRICT, premium_fen=2_000_000 * 100)
    assert domain.check_program(lump) == lump


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)), st.integers(1, 120))
def test_add_months_moves_month_and_never_overshoots(day: date, months: int) -> None:
    later = add_months(day, months)
    assert (later.year * 12 + later.month) - (day.year * 12 + day.month) == months
    assert later.day <= day.day


def test_add_months_clamps_to_month_end() -> None:
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2027, 2, 28), 12) == date(2028, 2, 28)


def test_lifecycle_transitions() -> None:
    assert (
        domain.activate(PolicyStatus.IDLE, premium_due_fen=100, premium_paid_fen=100) is PolicyStatus.ACTIVE
    )
    with pytest.raises(PolicyTransitionNotAllowed):
        domain.activate(PolicyStatus.IDLE, premium_due_fen=100, premium_paid_fen=99)
    assert domain.suspend(PolicyStatus.ACTIVE) is PolicyStatus.SUSPENDED
    day = date(2026, 6, 1)
    assert (
        domain.resume(PolicyStatus.SUSPENDED, ends_on=day, today=day - timedelta(days=1))
        is PolicyStatus.ACTIVE
    )
    assert domain.resume(PolicyStatus.SUSPENDED, ends_on=day, today=day) is PolicyStatus.EXPIRED
    assert domain.renew(PolicyStatus.ACTIVE) is PolicyStatus.RENEWED
    assert domain.expire(PolicyStatus.IDLE, ends_on=day, today=day) is PolicyStatus.EXPIRED
    refused = [
        lambda: domain.activate(PolicyStatus.ACTIVE, premium_due_fen=0, premium_paid_fen=0),
        lambda: domain.suspend(PolicyStatus.IDLE),
        lambda: domain.resume(PolicyStatus.ACTIVE, ends_on=day, today=day),
        lambda: domain.renew(PolicyStatus.SUSPENDED),
        lambda: domain.renew(PolicyStatus.EXPIRED),
        lambda: domain.expire(PolicyStatus.ACTIVE, ends_on=day, today=day - timedelta(days=1)),
        lambda: domain.expire(PolicyStatus.RENEWED, ends_on=day, today=day),
    ]
    for transition in refused:
        with pytest.raises(PolicyTransitionNotAllowed):
            transition()


def test_payments() -> None:
    paid = domain.apply_payment(
        PolicyStatus.IDLE, blanket=False, premium_due_fen=20_000, premium_paid_fen=5_000, amount_fen=15_000
    )
    assert paid == 20_000
    with pytest.raises(Overpayment):
        domain.apply_payment(
            PolicyStatus.IDLE,
            blanket=False,
            premium_due_fen=20_000,
            premium_paid_fen=5_000,
            amount_fen=15_001,
        )
    with pytest.raises(InvalidPayment):
        domain.apply_payment(
            PolicyStatus.IDLE, blanket=False, premium_due_fen=1, premium_paid_fen=0, amount_fen=0
        )
    with pytest.raises(PolicyTransitionNotAllowed):
        domain.apply_payment(
            PolicyStatus.EXPIRED, blanket=False, premium_due_fen=1, premium_paid_fen=0, amount_fen=1
        )
    late_lump = domain.apply_payment(
        PolicyStatus.EXPIRED, blanket=True, premium_due_fen=10, premium_paid_fen=0, amount_fen=10
    )
    assert late_lump == 10


def test_a_cover_is_in_force_from_its_first_day_up_to_but_not_on_its_end() -> None:
    cover = domain.Cover(
        policy_id=uuid.uuid4(),
        policy_number="P-1",
        program_id=uuid.uuid4(),
        program_code="blanket",
        program_name="综合保险",
        funding=Funding.DISTRICT,
        perils={Peril.FIRE: 100},
        per_claim_cap_fen=100,
        combined_cap_fen=None,
        clock_target_hours=72,
        reporting_window_days=30,
        starts_on=date(2026, 1, 1),
        ends_on=date(2027, 1, 1),
    )
    assert cover.in_force(date(2026, 1, 1)) and cover.in_force(date(2026, 12, 31))
    assert not cover.in_force(date(2025, 12, 31)) and not cover.in_force(date(2027, 1, 1))


def test_a_village_lies_in_its_town_and_district() -> None:
    assert domain.enclosing_regions("370211001002") == ["370211", "370211001", "370211001002"]
    assert domain.enclosing_regions("370211") == ["370211"]
