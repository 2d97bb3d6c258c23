"""The claim state machine without a database: every stage in order, reasons, side exits, no skips."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from claims import domain
from claims.domain import ClaimStatus
from claims.errors import ReasonRequired, TransitionNotAllowed


def test_the_happy_path_walks_every_stage_in_order() -> None:
    status = ClaimStatus.REPORTED
    for step in (
        domain.accept,
        domain.schedule_visit,
        domain.assess,
        domain.approve,
        domain.pay,
        domain.close,
    ):
        status = step(status)
    assert status is ClaimStatus.CLOSED


def test_rejection_and_reopening_need_reasons_and_reopened_behaves_like_reported() -> None:
    with pytest.raises(ReasonRequired):
        domain.reject(ClaimStatus.REPORTED, "  ")
    rejected = domain.reject(ClaimStatus.REPORTED, "not our peril")
    with pytest.raises(ReasonRequired):
        domain.reopen(rejected, None)
    reopened = domain.reopen(rejected, "new police report")
    assert domain.accept(reopened) is ClaimStatus.ACCEPTED
    assert domain.reject(reopened, "still no") is ClaimStatus.REJECTED


def test_catastrophe_claims_are_confirmed_or_cleared_before_anything_else() -> None:
    waiting = ClaimStatus.AWAITING_CONFIRMATION
    with pytest.raises(TransitionNotAllowed):
        domain.accept(waiting)
    assert domain.confirm(waiting) is ClaimStatus.REPORTED
    assert domain.clear(waiting, "no damage seen") is ClaimStatus.CLEARED
    assert domain.withdraw(waiting) is ClaimStatus.WITHDRAWN


# How far along the way to the money each status is; the side exits (rejected, withdrawn, cleared)
# and a reopening lead off this line and are checked apart.
STAGE = {
    ClaimStatus.AWAITING_CONFIRMATION: 0,
    ClaimStatus.REPORTED: 1,
    ClaimStatus.REOPENED: 1,
    ClaimStatus.ACCEPTED: 2,
    ClaimStatus.VISIT_SCHEDULED: 3,
    ClaimStatus.ASSESSED: 4,
    ClaimStatus.APPROVED: 5,
    ClaimStatus.PAID: 6,
    ClaimStatus.CLOSED: 7,
}
SIDE_EXITS = {ClaimStatus.REJECTED, ClaimStatus.WITHDRAWN, ClaimStatus.CLEARED}


def check_step(before: ClaimStatus, action: str, after: ClaimStatus) -> None:
    assert before not in {ClaimStatus.CLOSED, ClaimStatus.WITHDRAWN, ClaimStatus.CLEARED}
    if after is ClaimStatus.REOPENED:
        assert before is ClaimStatus.REJECTED
    elif action == "close_unpaid":  # assessed at nothing payable: closed, no money on the way
        assert (before, after) == (ClaimStatus.ASSESSED, ClaimStatus.CLOSED)
    elif after in SIDE_EXITS:
        assert before in domain.OPEN
        if after is not ClaimStatus.WITHDRAWN:  # rejected or cleared before any work on the claim
            assert STAGE[before] <= 1
    else:
        assert STAGE[after] == STAGE[before] + 1, (before, action, after)


def test_no_single_transition_skips_a_stage() -> None:
    for status in ClaimStatus:
        for action in domain.TRANSITIONS:
            try:
                after = domain.transition(status, action, reason="because")
            except TransitionNotAllowed:
                continue
            check_step(status, action, after)


@given(st.sampled_from([ClaimStatus.REPORTED, ClaimStatus.AWAITING_CONFIRMATION]), st.data())
def test_walks_through_the_lifecycle_never_skip_a_stage_and_terminal_states_stay_put(
    start: ClaimStatus, data: st.DataObject
) -> None:
    status = start
    for _ in range(12):
        allowed = sorted(action for action, (sources, _) in domain.TRANSITIONS.items() if status in sources)
        if not allowed:
            assert status in {ClaimStatus.CLOSED, ClaimStatus.WITHDRAWN, ClaimStatus.CLEARED}
            return
        action = data.draw(st.sampled_from(allowed))
        after = domain.transition(status, action, reason="because")
        check_step(status, action, after)
        status = after


def test_paid_and_closed_claims_cannot_be_withdrawn() -> None:
    for status in (ClaimStatus.PAID, ClaimStatus.CLOSED, ClaimStatus.REJECTED):
        with pytest.raises(TransitionNotAllowed):
            domain.withdraw(status)
