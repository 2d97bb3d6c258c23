"""The payable amount on hand-computed cases, and its properties over random lines and covers."""

from __future__ import annotations

import dataclasses

import msgspec
from hypothesis import given
from hypothesis import strategies as st

from claims.assessments.domain import Line, compute, depreciation_bps, line_value
from claims.domain import payable_cap
from policies.domain import Cover, Funding, Peril
from tests.unit.claims.covers import cover

FIRE = Peril.FIRE


def policy(
    funding: Funding = Funding.DISTRICT,
    *,
    limit: int = 20_000_000,
    cap: int = 15_000_000,
    combined: int | None = None,
    deductible: int = 0,
) -> Cover:
    made = cover(funding, perils={FIRE: limit}, cap=cap, combined=combined)
    return msgspec.structs.replace(made, deductible_fen=deductible)


TV = Line(item="电视机", quantity=2, unit_value_fen=300_000, age_years=2)  # 2 × 3,000 yuan, 20 % off


def test_age_depreciates_a_tenth_a_year_down_to_a_fifth():
    assert line_value(TV) == 480_000
    assert depreciation_bps(Line(item="柜子", quantity=1, unit_value_fen=100_000, age_years=12)) == 8_000
    assert line_value(Line(item="柜子", quantity=1, unit_value_fen=100_000, age_years=12)) == 20_000
    assert line_value(Line(item="新被褥", quantity=3, unit_value_fen=25_000)) == 75_000


def test_a_typed_rate_wins_over_age_and_each_line_rounds_half_up():
    assert (
        line_value(Line(item="冰箱", quantity=1, unit_value_fen=999, age_years=1, depreciation_bps=1_250))
        == 874
    )
    assert line_value(Line(item="碗", quantity=1, unit_value_fen=3, depreciation_bps=5_000)) == 2  # 1.5
    assert line_value(Line(item="勺", quantity=1, unit_value_fen=1, depreciation_bps=5_000)) == 1  # 0.5
    assert line_value(Line(item="勺", quantity=1, unit_value_fen=1, depreciation_bps=5_001)) == 0  # 0.4999
    assert line_value(Line(item="废品", quantity=4, unit_value_fen=1_000, depreciation_bps=10_000)) == 0


def test_the_largest_deductible_is_taken_once():
    result = compute([TV], [policy(deductible=50_000), policy(Funding.HOUSEHOLD, deductible=20_000)], FIRE)
    assert (result.assessed_loss_fen, result.deductible_fen, result.payable_fen) == (480_000, 50_000, 430_000)
    assert [share.amount_fen for share in result.shares] == [430_000, 0]


def test_a_loss_under_the_deductible_pays_nothing():
    small = Line(item="窗帘", quantity=1, unit_value_fen=30_000)
    result = compute([small], [policy(deductible=50_000)], FIRE)
    assert (result.assessed_loss_fen, result.deductible_fen, result.payable_fen) == (30_000, 30_000, 0)


def test_the_peril_limit_bounds_a_policy():
    assert compute([TV], [policy(limit=200_000)], FIRE).payable_fen == 200_000


def test_the_per_claim_cap_bounds_a_policy():
    assert compute([TV], [policy(limit=20_000_000, cap=300_000)], FIRE).payable_fen == 300_000


def test_blanket_pays_first_then_voluntary_together_up_to_the_combined_cap():
    blanket = policy(limit=200_000, cap=2_000_000, combined=350_000)
    voluntary = policy(Funding.HOUSEHOLD, limit=20_000_000, cap=15_000_000)
    capped = compute([TV], [blanket, voluntary], FIRE)
    assert [share.amount_fen for share in capped.shares] == [200_000, 150_000]
    assert capped.payable_fen == 350_000
    uncapped = compute([TV], [policy(limit=200_000), voluntary], FIRE)
    assert [share.amount_fen for share in uncapped.shares] == [200_000, 280_000]
    steps = [step["step"] for step in capped.steps]
    assert steps == [
        "line",
        "assessed_loss",
        "deductible",
        "after_deductible",
        "combined_cap",
        "share",
        "share",
        "payable",
        "advance_paid",
        "final_payout",
    ]


def test_an_advance_is_deducted_from_the_final_payout_not_from_the_payable():
    blanket = policy(limit=200_000, combined=350_000)
    result = compute([TV], [blanket, policy(Funding.HOUSEHOLD)], FIRE, advance_paid_fen=100_000)
    assert (result.payable_fen, result.final_payout_fen, result.owed_back_fen) == (350_000, 250_000, 0)
    final = next(step for step in result.steps if step["step"] == "final_payout")
    assert final["amount_fen"] == 250_000


def test_an_advance_above_the_payable_is_owed_back():
    result = compute([TV], [policy(limit=200_000)], FIRE, advance_paid_fen=250_000)
    assert (result.payable_fen, result.final_payout_fen, result.owed_back_fen) == (200_000, 0, 50_000)
    assert result.steps[-1] == {
        "step": "owed_back",
        "label_zh": "预赔款多付、应退回",
        "label_en": "advance owed back",
        "amount_fen": 50_000,
        "detail": "",
    }


def test_every_line_keeps_what_was_entered_and_its_value():
    result = compute([TV], [policy()], FIRE)
    assert result.lines == [
        {
            "item": "电视机",
            "quantity": 2,
            "unit_value_fen": 300_000,
            "age_years": 2,
            "depreciation_bps": 2_000,
            "value_fen": 480_000,
        }
    ]
    assert result.steps[0]["detail"] == "2 × 3,000.00 元，使用 2 年，折旧 20%"


lines = st.lists(
    st.builds(
        Line,
        item=st.just("物品"),
        quantity=st.integers(1, 10_000),
        unit_value_fen=st.integers(0, 100_000_000),
        age_years=st.none() | st.integers(0, 100),
        depreciation_bps=st.none() | st.integers(0, 10_000),
    ),
    min_size=1,
    max_size=8,
)
covers = st.lists(
    st.builds(
        policy,
        funding=st.sampled_from(list(Funding)),
        limit=st.integers(0, 50_000_000),
        cap=st.integers(0, 50_000_000),
        combined=st.none() | st.integers(0, 60_000_000),
        deductible=st.integers(0, 1_000_000),
    ),
    min_size=1,
    max_size=3,
)


@given(lines, covers, st.integers(0, 100_000_000))
def test_never_negative_never_above_a_cap_and_the_shares_add_up(entered, held, advance):
    result = compute(entered, held, FIRE, advance_paid_fen=advance)
    assert result.payable_fen >= 0 and result.final_payout_fen >= 0 and result.owed_back_fen >= 0
    assert sum(share.amount_fen for share in result.shares) == result.payable_fen
    assert result.payable_fen <= result.assessed_loss_fen - result.deductible_fen
    assert result.payable_fen <= payable_cap(held, FIRE)
    combined = [c.combined_cap_fen for c in held if c.combined_cap_fen is not None]
    if combined:
        assert result.payable_fen <= min(combined)
    for share, held_cover in zip(result.shares, held, strict=True):
        assert share.amount_fen <= min(held_cover.perils[FIRE], held_cover.per_claim_cap_fen)
    assert result.final_payout_fen - result.owed_back_fen == result.payable_fen - advance


@given(lines, covers, st.integers(0, 8), st.integers(1, 100))
def test_more_of_an_item_never_pays_less(entered, held, which, more):
    index = which % len(entered)
    grown = list(entered)
    grown[index] = dataclasses.replace(entered[index], quantity=entered[index].quantity + more)
    assert compute(grown, held, FIRE).payable_fen >= compute(entered, held, FIRE).payable_fen
