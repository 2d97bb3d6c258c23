"""Payout rules without a database: amounts with advances and caps, the state machine, maker-checker."""

from __future__ import annotations

import pytest

from claims import domain as claims_domain
from claims.assessments import domain as assessment_rule
from claims.domain import PAYOUT_IN_FLIGHT, ClaimStatus
from claims.errors import PayoutInFlight, TransitionNotAllowed
from payouts import domain
from payouts.domain import PayoutStatus
from payouts.errors import (
    AdvanceNotAllowed,
    AdvanceTooLarge,
    ApproverIsAssessor,
    ApproverIsMaker,
    CheckerLimitTooLow,
    PayoutTransitionNotAllowed,
)


@pytest.mark.parametrize(
    ("payable", "advance", "final", "owed"),
    [
        (1_246_050, 0, 1_246_050, 0),  # no advance: the whole assessment
        (800_000, 500_000, 300_000, 0),  # the advance deducted
        (500_000, 500_000, 0, 0),  # exactly covered: no final payout, nothing owed
        (400_000, 500_000, 0, 100_000),  # advanced too much: no final payout, 1,000.00 yuan owed back
    ],
)
def test_the_final_payout_deducts_advances(payable: int, advance: int, final: int, owed: int) -> None:
    # The one rule, the assessment's: payouts pays by it.
    assert assessment_rule.final_payout(payable, advance) == final
    assert assessment_rule.owed_back(payable, advance) == owed


def test_an_advance_is_at_most_the_share_of_the_cap_rounded_down() -> None:
    facts = {"status": ClaimStatus.ACCEPTED, "catastrophe": True, "payable_cap_fen": 2_000_000}
    assert domain.advance_amount(**facts, allowed_bps=3_333, share_bps=3_333) == 666_600
    assert domain.advance_amount(**facts, allowed_bps=3_333, amount_fen=666_600) == 666_600
    assert domain.advance_amount(**facts, allowed_bps=1, amount_fen=200) == 200
    with pytest.raises(AdvanceTooLarge):
        domain.advance_amount(**facts, allowed_bps=3_333, amount_fen=666_601)
    with pytest.raises(AdvanceTooLarge):
        domain.advance_amount(**facts, allowed_bps=3_333, share_bps=3_334)
    # A share of a small cap that comes to less than a fen is nothing to advance.
    with pytest.raises(AdvanceTooLarge):
        domain.advance_amount(
            status=ClaimStatus.ACCEPTED, catastrophe=True, payable_cap_fen=99, allowed_bps=5_000, share_bps=1
        )


@pytest.mark.parametrize(
    ("status", "catastrophe", "allowed"),
    [
        (ClaimStatus.ACCEPTED, False, 3_000),  # not a catastrophe claim
        (ClaimStatus.ACCEPTED, True, 0),  # the program allows none
        (ClaimStatus.ASSESSED, True, 3_000),  # the visit is done: pay the assessment instead
        (ClaimStatus.AWAITING_CONFIRMATION, True, 3_000),  # before desk triage
    ],
)
def test_no_advance_outside_its_window(status: ClaimStatus, catastrophe: bool, allowed: int) -> None:
    with pytest.raises(AdvanceNotAllowed):
        domain.advance_amount(
            status=status,
            catastrophe=catastrophe,
            payable_cap_fen=2_000_000,
            allowed_bps=allowed,
            amount_fen=1,
        )


def test_the_claims_share_is_the_most_generous_of_its_covers_and_older_snapshots_allow_none() -> None:
    assert domain.advance_share_bps([{"advance_max_bps": 2_000}, {"advance_max_bps": 3_000}, {}]) == 3_000
    assert domain.advance_share_bps([{"policy_number": "P-1"}]) == 0
    assert domain.advance_share_bps([]) == 0


@pytest.mark.parametrize(
    ("amount", "limit", "needed"),
    [(1_000_000, 1_000_000, False), (1_000_001, 1_000_000, True), (1, None, True), (0, 0, False)],
)
def test_above_the_limit_a_second_officer_approves(amount: int, limit: int | None, needed: bool) -> None:
    assert domain.needs_second_approval(amount, limit) is needed


def test_maker_checker() -> None:
    domain.check_maker("officer", assessed_by="adjuster")
    domain.check_checker("senior", maker="officer", assessed_by="adjuster")
    with pytest.raises(ApproverIsAssessor):
        domain.check_maker("adjuster", assessed_by="adjuster")
    with pytest.raises(ApproverIsMaker):
        domain.check_checker("officer", maker="officer", assessed_by="adjuster")
    with pytest.raises(ApproverIsAssessor):
        domain.check_checker("adjuster", maker="officer", assessed_by="adjuster")


@pytest.mark.parametrize(
    ("status", "action", "after"),
    [
        (PayoutStatus.PENDING, "approve", PayoutStatus.APPROVED),
        (PayoutStatus.APPROVED, "send", PayoutStatus.SENT),
        (PayoutStatus.SENT, "pay", PayoutStatus.PAID),
        (PayoutStatus.SENT, "fail", PayoutStatus.FAILED),
        (PayoutStatus.FAILED, "correct_payee", PayoutStatus.PENDING),
    ],
)
def test_each_payout_move(status: PayoutStatus, action: str, after: PayoutStatus) -> None:
    assert domain.transition(status, action) is after


@pytest.mark.parametrize(
    ("status", "action"),
    [
        (PayoutStatus.APPROVED, "approve"),  # approving twice
        (PayoutStatus.PENDING, "send"),  # a payout waiting for its second officer is never sent
        (PayoutStatus.APPROVED, "pay"),  # paid only once it went out in a bank file
        (PayoutStatus.PAID, "pay"),
        (PayoutStatus.PAID, "fail"),
        (PayoutStatus.SENT, "correct_payee"),  # only a failed payout's payee is corrected
    ],
)
def test_moves_the_state_machine_refuses(status: PayoutStatus, action: str) -> None:
    with pytest.raises(PayoutTransitionNotAllowed):
        domain.transition(status, action)


def test_money_on_its_way_holds_the_claim() -> None:
    # An approved claim has its payout on the way to the bank: it cannot be withdrawn.
    with pytest.raises(TransitionNotAllowed):
        claims_domain.withdraw(ClaimStatus.APPROVED)
    for action in ("withdraw", "reject"):
        with pytest.raises(PayoutInFlight):
            claims_domain.transition(ClaimStatus.REOPENED, action, reason="because", flags=[PAYOUT_IN_FLIGHT])
    assert claims_domain.transition(ClaimStatus.ACCEPTED, "withdraw", flags=[]) is ClaimStatus.WITHDRAWN


def test_no_advance_before_desk_triage() -> None:
    with pytest.raises(AdvanceNotAllowed):
        domain.advance_amount(
            status=ClaimStatus.REPORTED, catastrophe=True, payable_cap_fen=2_000_000, allowed_bps=3_000
        )


def test_the_checker_needs_authority_for_the_sum() -> None:
    domain.check_checker_limit(1_000_000, 1_000_000)
    for limit in (999_999, None):
        with pytest.raises(CheckerLimitTooLow):
            domain.check_checker_limit(1_000_000, limit)
