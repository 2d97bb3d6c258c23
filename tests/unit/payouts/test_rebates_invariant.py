"""The rebate invariant over random data: a period's village accruals add up to the agreement's figure."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from payouts.rebates import domain
from payouts.rebates.domain import PeriodBasis, Share

villages = st.integers(1, 400).map("370211001{:03d}".format)
shares = st.one_of(
    st.builds(Share, bps=st.integers(0, 10_000)),
    st.builds(Share, per_household_fen=st.integers(0, 100_000)),
)


@st.composite
def bases(draw: st.DrawFn) -> PeriodBasis:
    households = draw(st.dictionaries(villages, st.integers(0, 5_000), max_size=30))
    if draw(st.booleans()):
        return PeriodBasis(
            district_funded=True,
            premiums_fen=draw(st.integers(0, 2 * 10**8)),
            premiums_by_village={},
            households_by_village=households,
        )
    premiums = draw(st.dictionaries(villages, st.integers(1, 10**9), max_size=30))
    return PeriodBasis(
        district_funded=False,
        premiums_fen=sum(premiums.values()),
        premiums_by_village=premiums,
        households_by_village=households,
    )


@given(share=shares, basis=bases())
def test_village_accruals_always_add_up_to_the_agreement_applied_to_the_basis(
    share: Share, basis: PeriodBasis
) -> None:
    parts = domain.village_accruals(share, basis)
    assert sum(parts.values()) == domain.rebate_due(share, basis)
    assert all(part >= 0 for part in parts.values())
    if share.bps is not None and any(basis.weights.values()):
        # nothing is lost or invented by rounding: the whole is the rounded share of all premiums
        assert sum(parts.values()) == domain.share_of_premiums(share.bps, basis.premiums_fen)
        assert set(parts) == set(basis.weights)
