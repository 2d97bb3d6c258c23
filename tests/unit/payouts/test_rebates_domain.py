"""Rebate rules without a database: shares, periods, apportionment, ledger limits, receipt types."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from payouts.rebates import domain
from payouts.rebates.domain import EntryKind, PeriodBasis, PeriodKind, Share, Stages
from payouts.rebates.errors import (
    AccrualBelowApproved,
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

VILLAGE = "370211001{:03d}"


def test_largest_remainder_gives_leftover_fen_to_the_largest_remainders() -> None:
    # 100 fen over weights 1:1:1 → quotas 33.33 each; one fen left goes to the lowest code (a tie).
    assert domain.apportion(100, {"b": 1, "a": 1, "c": 1}) == {"a": 34, "b": 33, "c": 33}
    # 10 fen over 3:3:4 → quotas 3, 3, 4 exactly: nothing left over.
    assert domain.apportion(10, {"a": 3, "b": 3, "c": 4}) == {"a": 3, "b": 3, "c": 4}
    # 7 fen over 1:2:4 → quotas 1, 2, 4.
    assert domain.apportion(7, {"x": 1, "y": 2, "z": 4}) == {"x": 1, "y": 2, "z": 4}
    # 5 fen over 2:3 by remainder: 2.0 and 3.0.
    assert domain.apportion(5, {"p": 2, "q": 3}) == {"p": 2, "q": 3}
    # 2 fen over 1:1:1: the two smallest codes win the tie, whatever the input order.
    assert domain.apportion(2, {"c": 1, "a": 1, "b": 1}) == {"a": 1, "b": 1, "c": 0}


def test_apportion_edge_cases() -> None:
    assert domain.apportion(0, {"a": 5, "b": 0}) == {"a": 0, "b": 0}
    assert domain.apportion(0, {"a": 0}) == {"a": 0}
    assert domain.apportion(9, {"a": 0, "b": 7}) == {"a": 0, "b": 9}
    with pytest.raises(ValueError):
        domain.apportion(1, {"a": 0})
    with pytest.raises(ValueError):
        domain.apportion(-1, {"a": 1})


@given(
    total=st.integers(min_value=0, max_value=10**11),
    weights=st.dictionaries(
        st.integers(1, 999).map(VILLAGE.format), st.integers(0, 10**9), min_size=1, max_size=40
    ).filter(lambda w: sum(w.values()) > 0),
)
def test_apportion_adds_up_and_each_part_is_within_a_fen_of_its_quota(
    total: int, weights: dict[str, int]
) -> None:
    parts = domain.apportion(total, weights)
    assert sum(parts.values()) == total
    assert parts.keys() == weights.keys()
    whole = sum(weights.values())
    for key, part in parts.items():
        # floor(quota) <= part <= floor(quota) + 1, in exact integers
        assert total * weights[key] // whole <= part <= total * weights[key] // whole + 1
    assert domain.apportion(total, dict(reversed(list(weights.items())))) == parts


def test_a_recomputation_never_takes_back_an_approved_fen() -> None:
    weights = {"a": 1, "b": 3, "c": 3}
    # The Alabama paradox: one more fen to share and "a" would lose its one.
    assert domain.apportion(3, weights) == {"a": 1, "b": 1, "c": 1}
    assert domain.apportion(4, weights) == {"a": 0, "b": 2, "c": 2}
    assert domain.apportion_above(4, weights, {"a": 1}) == {"a": 1, "b": 2, "c": 1}
    assert domain.apportion_above(4, weights, {}) == domain.apportion(4, weights)
    with pytest.raises(AccrualBelowApproved):
        domain.apportion_above(4, weights, {"a": 3, "b": 2})
    fewer_homes = PeriodBasis(
        district_funded=True, premiums_fen=0, premiums_by_village={}, households_by_village={"a": 1}
    )
    with pytest.raises(AccrualBelowApproved):
        domain.village_accruals(Share(per_household_fen=100), fewer_homes, {"a": 150})


@given(
    total=st.integers(0, 10**6),
    weights=st.dictionaries(st.sampled_from("abcdefgh"), st.integers(1, 1_000), min_size=1),
    fraction=st.floats(0, 1),
    data=st.data(),
)
def test_floors_are_kept_and_the_parts_still_add_up(
    total: int, weights: dict[str, int], fraction: float, data: st.DataObject
) -> None:
    budget = int(total * fraction)
    floors = data.draw(st.dictionaries(st.sampled_from(sorted(weights)), st.integers(0, budget)))
    if sum(floors.values()) > total:
        return
    parts = domain.apportion_above(total, weights, floors)
    assert sum(parts.values()) == total
    assert all(parts[key] >= floor for key, floor in floors.items())


def test_share_is_one_of_bps_or_per_household_and_in_range() -> None:
    assert domain.validate_share(Share(bps=0)) == Share(bps=0)
    assert domain.validate_share(Share(bps=10_000)) == Share(bps=10_000)
    assert domain.validate_share(Share(per_household_fen=500)).per_household_fen == 500
    for bad in (Share(bps=-1), Share(bps=10_001), Share(), Share(bps=10, per_household_fen=10)):
        with pytest.raises(InvalidShare):
            domain.validate_share(bad)
    with pytest.raises(InvalidShare):
        domain.validate_share(Share(per_household_fen=-1))


def test_share_of_premiums_rounds_half_up_to_the_fen() -> None:
    assert domain.share_of_premiums(1_000, 12_345) == 1_235  # 1234.5 → 1235
    assert domain.share_of_premiums(1_000, 12_344) == 1_234  # 1234.4 → 1234
    assert domain.share_of_premiums(10_000, 12_345) == 12_345
    assert domain.share_of_premiums(0, 12_345) == 0


def test_periods_are_whole_years_or_quarters_from_the_first_of_a_month() -> None:
    quarters = domain.agreement_periods(PeriodKind.QUARTER, date(2025, 1, 1), date(2026, 1, 1))
    assert [(p.starts_on, p.ends_on) for p in quarters] == [
        (date(2025, 1, 1), date(2025, 4, 1)),
        (date(2025, 4, 1), date(2025, 7, 1)),
        (date(2025, 7, 1), date(2025, 10, 1)),
        (date(2025, 10, 1), date(2026, 1, 1)),
    ]
    years = domain.agreement_periods(PeriodKind.YEAR, date(2024, 3, 1), date(2026, 3, 1))
    assert [p.starts_on for p in years] == [date(2024, 3, 1), date(2025, 3, 1)]
    for start, end in ((date(2025, 1, 2), date(2026, 1, 2)), (date(2025, 1, 1), date(2025, 11, 1))):
        with pytest.raises(InvalidAgreementDates):
            domain.agreement_periods(PeriodKind.QUARTER if end.month == 11 else PeriodKind.YEAR, start, end)
    with pytest.raises(NotAPeriodStart):
        domain.period_starting(PeriodKind.QUARTER, date(2025, 1, 1), date(2026, 1, 1), date(2025, 2, 1))


def test_household_program_splits_by_premiums_and_district_program_by_households() -> None:
    paid = PeriodBasis(
        district_funded=False,
        premiums_fen=30_001,
        premiums_by_village={"a": 10_000, "b": 20_001},
        households_by_village={"a": 50, "b": 100},
    )
    assert domain.rebate_due(Share(bps=1_000), paid) == 3_000
    assert domain.village_accruals(Share(bps=1_000), paid) == {"a": 1_000, "b": 2_000}
    lump = PeriodBasis(
        district_funded=True,
        premiums_fen=200_000_000,
        premiums_by_village={},
        households_by_village={"a": 1, "b": 1, "c": 1},
    )
    assert domain.village_accruals(Share(bps=500), lump) == {"a": 3_333_334, "b": 3_333_333, "c": 3_333_333}
    assert domain.village_accruals(Share(per_household_fen=300), lump) == {"a": 300, "b": 300, "c": 300}
    nobody = PeriodBasis(
        district_funded=True, premiums_fen=1_000, premiums_by_village={}, households_by_village={}
    )
    assert domain.village_accruals(Share(bps=500), nobody) == {}
    assert domain.rebate_due(Share(bps=500), nobody) == 0


def test_each_stage_takes_no_more_than_the_stage_before_left_open() -> None:
    held = Stages(accrued_fen=1_000, approved_fen=600, disbursed_fen=200)
    domain.check_approval(held, 400)
    with pytest.raises(ExceedsAccrued):
        domain.check_approval(held, 401)
    domain.check_disbursement(held, 400)
    with pytest.raises(ExceedsApproved):
        domain.check_disbursement(held, 401)
    domain.check_spending(500, 500)
    with pytest.raises(ExceedsBalance):
        domain.check_spending(500, 501)


def test_spending_is_recorded_after_the_fact_never_ahead() -> None:
    today = date(2026, 3, 6)
    domain.check_spent_on(today, today=today)
    domain.check_spent_on(date(2025, 12, 31), today=today)
    with pytest.raises(InvalidSpendingDate):
        domain.check_spent_on(date(2026, 3, 7), today=today)


def test_a_reversal_may_not_pull_a_stage_below_the_next() -> None:
    held = Stages(accrued_fen=1_000, approved_fen=600, disbursed_fen=200)
    domain.check_reversal(EntryKind.APPROVAL, 400, held, balance_fen=0)
    with pytest.raises(ReversalBreaksLedger):
        domain.check_reversal(EntryKind.APPROVAL, 600, held, balance_fen=0)
    domain.check_reversal(EntryKind.DISBURSEMENT, 200, held, balance_fen=200)
    with pytest.raises(ReversalBreaksLedger):
        domain.check_reversal(EntryKind.DISBURSEMENT, 200, held, balance_fen=150)


@pytest.mark.parametrize(
    ("head", "media_type"),
    [
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "image/jpeg"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "image/png"),
        (b"RIFF\x24\x00\x00\x00WEBPVP8 ", "image/webp"),
        (b"%PDF-1.7\n", "application/pdf"),
    ],
)
def test_receipts_are_recognised_by_their_bytes(head: bytes, media_type: str) -> None:
    assert domain.receipt_media_type(head) == media_type


@pytest.mark.parametrize("head", [b"", b"GIF89a", b"PK\x03\x04", b"<html>", b"RIFF\x00\x00\x00\x00WAVE"])
def test_anything_else_is_not_a_receipt(head: bytes) -> None:
    with pytest.raises(ReceiptNotImageOrPdf):
        domain.receipt_media_type(head)
