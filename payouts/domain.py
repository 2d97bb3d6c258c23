"""Pure payout rules: the states a payout moves through, who may approve it, and how much it is.

Amounts are integer fen and never rounded up. The final payout is the assessed payable amount less
the advances already confirmed paid; when the advances came to more, nothing more is paid and the
household owes the difference: that rule is the assessment's (claims.assessments.domain
`final_payout`, `owed_back`), paid by here. An advance is at most the program's
share (basis points, `advance_max_bps` of the claim's covers snapshot) of the claim's payable cap,
rounded down to the fen: 2,000,000 fen at 3,333 bps allows 666,600 fen. A share asked for is
applied the same way. No web, no session: services gather the facts, these functions decide.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from typing import Any

from claims.domain import ClaimStatus
from payouts.errors import (
    AdvanceNotAllowed,
    AdvanceTooLarge,
    ApproverIsAssessor,
    ApproverIsMaker,
    CheckerLimitTooLow,
    PayoutTransitionNotAllowed,
)

BPS = 10_000


class PayoutKind(enum.StrEnum):
    ADVANCE = "advance"  # 预赔: before the visit, for a catastrophe claim
    FINAL = "final"


class PayoutStatus(enum.StrEnum):
    PENDING = "pending"  # over the maker's limit: waits for a second officer
    APPROVED = "approved"  # ready for a batch
    SENT = "sent"  # in a bank file handed to the bank
    PAID = "paid"
    FAILED = "failed"  # the bank refused it (closed or wrong account)


P = PayoutStatus
# action -> (states it may start from, the state it leads to)
TRANSITIONS: dict[str, tuple[frozenset[PayoutStatus], PayoutStatus]] = {
    "approve": (frozenset({P.PENDING}), P.APPROVED),
    "send": (frozenset({P.APPROVED}), P.SENT),
    "pay": (frozenset({P.SENT}), P.PAID),
    "fail": (frozenset({P.SENT}), P.FAILED),
    # A new account is a new payment: another officer approves it before it goes to the bank.
    "correct_payee": (frozenset({P.FAILED}), P.PENDING),
}


class BatchStatus(enum.StrEnum):
    OPEN = "open"  # built, its bank file not yet exported
    EXPORTED = "exported"  # handed to the bank
    SETTLED = "settled"  # the bank has answered for every payout in it


# A catastrophe claim may get its advance after desk triage (accepted) and before its visit is done;
# a claim still `reported` has not been looked at by anyone yet.
ADVANCE_STAGES = frozenset({ClaimStatus.ACCEPTED, ClaimStatus.VISIT_SCHEDULED})


def transition(status: PayoutStatus, action: str) -> PayoutStatus:
    """The state `action` leads to from `status`, or PayoutTransitionNotAllowed."""
    sources, target = TRANSITIONS[action]
    if status not in sources:
        raise PayoutTransitionNotAllowed(
            f"cannot {action} a payout that is {status.value}", status=status.value
        )
    return target


def needs_second_approval(amount_fen: int, limit_fen: int | None) -> bool:
    """Above the maker's authority (no limit set: no authority alone) a second officer approves."""
    return limit_fen is None or amount_fen > limit_fen


def check_maker(maker: str, *, assessed_by: str | None) -> None:
    """Whoever assessed the loss may not approve paying for it."""
    if assessed_by is not None and maker == assessed_by:
        raise ApproverIsAssessor()


def check_checker(checker: str, *, maker: str, assessed_by: str | None) -> None:
    """The second approval is another person's: neither the maker nor the assessor."""
    if checker == maker:
        raise ApproverIsMaker()
    check_maker(checker, assessed_by=assessed_by)


def check_checker_limit(amount_fen: int, limit_fen: int | None) -> None:
    """The second approver needs authority for the sum (no limit set: none); else the check is
    another pair of eyes without the standing to pay that much."""
    if limit_fen is None or amount_fen > limit_fen:
        raise CheckerLimitTooLow(amount_fen=amount_fen, limit_fen=limit_fen)


def advance_share_bps(covers: Iterable[Mapping[str, Any]]) -> int:
    """The largest share any of the claim's programs allows (older snapshots lack the key: 0)."""
    return max((int(cover.get("advance_max_bps") or 0) for cover in covers), default=0)


def advance_limit(payable_cap_fen: int, share_bps: int) -> int:
    return payable_cap_fen * share_bps // BPS


def advance_amount(
    *,
    status: ClaimStatus,
    catastrophe: bool,
    payable_cap_fen: int,
    allowed_bps: int,
    amount_fen: int | None = None,
    share_bps: int | None = None,
) -> int:
    """The advance for a claim: an amount, or a share of its payable cap, within what is allowed."""
    if not catastrophe or status not in ADVANCE_STAGES or allowed_bps <= 0:
        raise AdvanceNotAllowed(status=status.value, catastrophe=catastrophe, allowed_bps=allowed_bps)
    limit = advance_limit(payable_cap_fen, allowed_bps)
    wanted = amount_fen if amount_fen is not None else advance_limit(payable_cap_fen, share_bps or 0)
    if wanted <= 0:
        raise AdvanceTooLarge("the advance comes to nothing", limit_fen=limit)
    if wanted > limit:
        raise AdvanceTooLarge(f"at most {limit} fen may be advanced", limit_fen=limit)
    return wanted
