"""Co-funded premiums without a database: the due, the split into shares, activation, the program's shares."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from policies import premium_shares
from policies.domain import Funding, PaymentChannel
from policies.errors import InvalidProgram
from policies.premium_shares import WHOLE_BPS, PremiumBasis, Share

H, D, T = Share.HOUSEHOLD, Share.DISTRICT, Share.TOWNSHIP


@st.composite
def shares(draw: st.DrawFn) -> dict[Share, int]:
    first = draw(st.integers(0, WHOLE_BPS))
    second = draw(st.integers(0, WHOLE_BPS - first))
    return {H: first, D: second, T: WHOLE_BPS - first - second}


@given(st.integers(0, 10**13), shares())
def test_the_shares_always_add_up_to_the_due_and_each_is_within_a_fen_of_its_exact_part(
    due: int, bps: dict[Share, int]
) -> None:
    split = premium_shares.split_premium(due, bps)
    assert sum(split.values()) == due
    for share, part in split.items():
        assert due * bps[share] // WHOLE_BPS <= part <= due * bps[share] // WHOLE_BPS + 1
        assert part == 0 or bps[share] > 0


@pytest.mark.parametrize(
    ("due", "bps", "expected"),
    [
        (5_000, {H: 5_000, D: 5_000, T: 0}, {H: 2_500, D: 2_500, T: 0}),
        (1, {H: 5_000, D: 5_000, T: 0}, {H: 1, D: 0, T: 0}),  # a tie goes to the household
        (301, {H: 0, D: 5_000, T: 5_000}, {H: 0, D: 151, T: 150}),
        (100, {H: 3_333, D: 3_333, T: 3_334}, {H: 33, D: 33, T: 34}),
        (200, {H: 10_000, D: 0, T: 0}, {H: 200, D: 0, T: 0}),
    ],
)
def test_split_by_largest_remainder(due: int, bps: dict[Share, int], expected: dict[Share, int]) -> None:
    assert premium_shares.split_premium(due, bps) == expected


@given(shares(), st.integers(1, 10**9), st.sampled_from(list(Share)))
def test_a_policy_is_fully_paid_only_when_every_share_is(
    bps: dict[Share, int], due: int, short: Share
) -> None:
    owed = premium_shares.split_premium(due, bps)
    assert premium_shares.fully_paid(owed, owed)
    if owed[short]:
        assert not premium_shares.fully_paid(owed, owed | {short: owed[short] - 1})


def test_the_due_is_per_household_or_per_resident() -> None:
    assert premium_shares.premium_due(basis=PremiumBasis.HOUSEHOLD, premium_fen=5_000, people=4) == 5_000
    assert premium_shares.premium_due(basis=PremiumBasis.RESIDENT, premium_fen=100, people=4) == 400


def test_a_blanket_policy_is_all_the_districts_and_channels_name_their_share() -> None:
    assert premium_shares.policy_shares(900, blanket=True, shares={H: WHOLE_BPS}) == {H: 0, D: 900, T: 0}
    assert premium_shares.share_of(PaymentChannel.DISTRICT_FINANCE) is D
    assert premium_shares.share_of(PaymentChannel.TOWNSHIP_FINANCE) is T
    assert premium_shares.share_of(PaymentChannel.WECHAT) is H


@pytest.mark.parametrize(
    ("funding", "basis", "bps"),
    [
        (Funding.HOUSEHOLD, PremiumBasis.HOUSEHOLD, {H: 5_000, D: 4_000, T: 0}),  # 9,000 in all
        (Funding.HOUSEHOLD, PremiumBasis.HOUSEHOLD, {H: 12_000, D: -2_000, T: 0}),
        (Funding.DISTRICT, PremiumBasis.HOUSEHOLD, {H: 5_000, D: 5_000, T: 0}),
        (Funding.DISTRICT, PremiumBasis.RESIDENT, {H: WHOLE_BPS, D: 0, T: 0}),
    ],
)
def test_shares_that_do_not_make_a_whole_or_split_a_lump_sum_are_refused(
    funding: Funding, basis: PremiumBasis, bps: dict[Share, int]
) -> None:
    with pytest.raises(InvalidProgram):
        premium_shares.check_shares(basis=basis, funding=funding, shares=bps)


def test_the_default_shares_are_the_households() -> None:
    premium_shares.check_shares(
        basis=PremiumBasis.HOUSEHOLD, funding=Funding.DISTRICT, shares={H: WHOLE_BPS, D: 0, T: 0}
    )
