"""Claim rules without a database: cover, dates, evidence, amounts, flags, the clock, event windows."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st

from claims import domain
from claims.domain import ClockState, Flag
from claims.errors import (
    EstimateOverCap,
    EvidenceMissing,
    InvalidCatastrophe,
    LossInFuture,
    LossTimeImplausible,
    OutsideReportingWindow,
    PerilNotCovered,
    PolicyNotActive,
)
from policies.domain import Cover, Funding, Peril
from tests.unit.claims.covers import cover

NOW = datetime(2026, 11, 22, 4, 0, tzinfo=UTC)


def test_no_policy_no_peril_and_late_reports_are_refused_with_their_own_codes() -> None:
    day = date(2026, 11, 20)
    with pytest.raises(PolicyNotActive):
        domain.covers_for([], Peril.FIRE, loss_on=day, reported_on=day)
    with pytest.raises(PerilNotCovered):
        domain.covers_for([cover()], Peril.ROBBERY, loss_on=day, reported_on=day)
    with pytest.raises(OutsideReportingWindow):
        domain.covers_for([cover(window=3)], Peril.FIRE, loss_on=day, reported_on=day + timedelta(days=4))


def test_blanket_cover_comes_first_and_only_covers_for_the_peril_remain() -> None:
    voluntary = cover(Funding.HOUSEHOLD)
    blanket = cover(Funding.DISTRICT)
    theft_only = cover(Funding.HOUSEHOLD, perils={Peril.THEFT: 100})
    day = date(2026, 11, 20)
    assert domain.covers_for([voluntary, theft_only, blanket], Peril.FIRE, loss_on=day, reported_on=day) == [
        blanket,
        voluntary,
    ]


def test_loss_time_in_future_or_absurd_is_refused() -> None:
    with pytest.raises(LossInFuture):
        domain.check_loss_time(NOW + timedelta(hours=1), now=NOW)
    with pytest.raises(LossTimeImplausible):
        domain.check_loss_time(datetime(1900, 1, 1, tzinfo=UTC), now=NOW)
    # 23:00 UTC is already the next day in Beijing.
    assert domain.check_loss_time(datetime(2026, 11, 20, 23, 0, tzinfo=UTC), now=NOW) == date(2026, 11, 21)
    assert domain.check_loss_time(NOW + timedelta(minutes=5), now=NOW) == date(2026, 11, 22)


@pytest.mark.parametrize("peril", [Peril.THEFT, Peril.ROBBERY])
def test_theft_and_robbery_need_a_police_report(peril: Peril) -> None:
    args = {"fire_certificate_no": None, "liaison_confirmed": True, "in_catastrophe": False}
    with pytest.raises(EvidenceMissing):
        domain.check_evidence(peril, police_report_no=None, **args)  # type: ignore[arg-type]
    domain.check_evidence(peril, police_report_no="110-2026-1", **args)  # type: ignore[arg-type]


def test_fire_needs_a_certificate_or_a_liaison_and_a_catastrophe_needs_nothing() -> None:
    with pytest.raises(EvidenceMissing):
        domain.check_evidence(
            Peril.FIRE,
            police_report_no=None,
            fire_certificate_no=None,
            liaison_confirmed=False,
            in_catastrophe=False,
        )
    for certificate, liaison, catastrophe in [
        ("F-1", False, False),
        (None, True, False),
        (None, False, True),
    ]:
        domain.check_evidence(
            Peril.FIRE,
            police_report_no=None,
            fire_certificate_no=certificate,
            liaison_confirmed=liaison,
            in_catastrophe=catastrophe,
        )
    domain.check_evidence(
        Peril.THEFT,
        police_report_no=None,
        fire_certificate_no=None,
        liaison_confirmed=False,
        in_catastrophe=True,
    )


def test_blanket_and_voluntary_pay_together_up_to_the_combined_cap() -> None:
    blanket = cover(Funding.DISTRICT, perils={Peril.FIRE: 2_000_000}, combined=3_000_000)
    voluntary = cover(Funding.HOUSEHOLD, perils={Peril.FIRE: 5_000_000}, cap=1_500_000)
    covers = [blanket, voluntary]
    assert domain.payable_cap([blanket], Peril.FIRE) == 2_000_000
    assert domain.payable_cap(covers, Peril.FIRE) == 3_000_000
    assert [share for _, share in domain.split_payable(covers, Peril.FIRE, 2_500_000)] == [2_000_000, 500_000]
    with pytest.raises(EstimateOverCap):
        domain.check_estimate(3_000_001, domain.payable_cap(covers, Peril.FIRE))
    domain.check_estimate(None, 0)


covers_strategy = st.lists(
    st.builds(
        cover,
        st.sampled_from(list(Funding)),
        perils=st.fixed_dictionaries({Peril.FIRE: st.integers(1, 10**9)}),
        cap=st.integers(1, 10**9),
        combined=st.none() | st.integers(1, 10**9),
    ),
    min_size=1,
    max_size=4,
)


@given(covers_strategy, st.integers(-(10**6), 10**10))
def test_shares_never_exceed_the_amount_a_limit_a_cap_or_the_combined_cap(
    covers: list[Cover], amount: int
) -> None:
    shares = domain.split_payable(covers, Peril.FIRE, amount)
    total = sum(share for _, share in shares)
    assert 0 <= total <= max(amount, 0)
    assert all(0 <= share <= min(c.perils[Peril.FIRE], c.per_claim_cap_fen) for c, share in shares)
    cap = domain.combined_cap(covers)
    assert cap is None or total <= cap
    assert total <= domain.payable_cap(covers, Peril.FIRE)


def test_flags_mark_duplicates_shared_ids_accounts_and_new_voluntary_policies() -> None:
    today = date(2026, 11, 22)
    fresh = cover(Funding.HOUSEHOLD, starts_on=today - timedelta(days=29))
    old = cover(Funding.HOUSEHOLD, starts_on=today - timedelta(days=30))
    new_blanket = cover(Funding.DISTRICT, starts_on=today)
    quiet = {"same_loss_exists": False, "resident_id_elsewhere": False, "bank_account_elsewhere": False}
    assert domain.review_flags(covers=[old, new_blanket], reported_on=today, **quiet) == []
    assert domain.review_flags(covers=[fresh], reported_on=today, **quiet) == [Flag.NEW_VOLUNTARY_POLICY]
    renewed = msgspec.structs.replace(fresh, renewal=True)  # cover that continues, under a new term
    assert domain.review_flags(covers=[renewed], reported_on=today, **quiet) == []
    loud = dict.fromkeys(quiet, True)
    assert domain.review_flags(covers=[old], reported_on=today, **loud) == [
        Flag.POSSIBLE_DUPLICATE,
        Flag.SHARED_RESIDENT_ID,
        Flag.SHARED_BANK_ACCOUNT,
    ]


def test_clock_is_at_risk_at_three_quarters_and_breached_past_the_target() -> None:
    reported = NOW
    at = lambda hours: domain.clock_state(reported, 48, now=reported + timedelta(hours=hours))  # noqa: E731
    assert at(35.9) is ClockState.ON_TRACK
    assert at(36) is ClockState.AT_RISK
    assert at(48) is ClockState.AT_RISK
    assert at(48.01) is ClockState.BREACHED
    paid = domain.clock_state(reported, 48, now=reported + timedelta(hours=99), paid_at=reported)
    assert paid is ClockState.STOPPED
    assert domain.expected_payment_by(reported, 48) == reported + timedelta(hours=48)
    assert domain.clock_target_hours([cover(hours=72), cover(hours=48)]) == 48


def test_claim_numbers() -> None:
    assert domain.claim_number(date(2026, 11, 22), 123) == "AJ-20261122-000123"


def test_a_catastrophe_window_is_closed_and_bounded() -> None:
    now = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
    assert domain.check_event_window(now - timedelta(days=2), now + timedelta(days=1), now=now) == date(
        2026, 11, 20
    )
    for starts, ends in [
        (now, now - timedelta(hours=1)),  # ends before it starts
        (now - timedelta(days=1), now + timedelta(days=8)),  # open far into the future
        (now - timedelta(days=40), now),  # longer than a month
    ]:
        with pytest.raises(InvalidCatastrophe):
            domain.check_event_window(starts, ends, now=now)
