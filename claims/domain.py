"""Pure claim rules: cover, dates, evidence, amounts, review flags, the lifecycle and the clock.

No web, no session: services gather the facts, these functions decide.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta

from claims.errors import (
    EstimateOverCap,
    EvidenceMissing,
    InvalidCatastrophe,
    LossInFuture,
    LossTimeImplausible,
    OutsideReportingWindow,
    PayoutInFlight,
    PerilNotCovered,
    PolicyNotActive,
    ReasonRequired,
    TransitionNotAllowed,
)
from core.clock import add_hours, as_utc, business_date
from core.dates import RANGES, DateKind
from policies.domain import Cover, Funding, Peril

NEW_POLICY_DAYS = 30
MAX_EVENT_LOOKAHEAD = timedelta(days=7)
MAX_EVENT_LENGTH = timedelta(days=31)
AT_RISK_SHARE = 0.75


class ClaimStatus(enum.StrEnum):
    AWAITING_CONFIRMATION = "awaiting_confirmation"  # created by a catastrophe, not yet confirmed
    REPORTED = "reported"
    REOPENED = "reopened"  # behaves like reported
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    VISIT_SCHEDULED = "visit_scheduled"
    ASSESSED = "assessed"
    APPROVED = "approved"
    PAID = "paid"
    CLOSED = "closed"
    WITHDRAWN = "withdrawn"
    CLEARED = "cleared"  # a catastrophe claim the liaison found no loss for


class Flag(enum.StrEnum):
    """Reasons an officer should look twice; never reasons to refuse a claim."""

    POSSIBLE_DUPLICATE = "possible_duplicate"  # same household, peril and loss date
    SHARED_RESIDENT_ID = "shared_resident_id"  # claimant also claimed for another household
    SHARED_BANK_ACCOUNT = "shared_bank_account"  # payee account also used by another household
    NEW_VOLUNTARY_POLICY = "new_voluntary_policy"  # filed within 30 days of a voluntary policy starting


S = ClaimStatus
# Withdrawable: not once approved (its payout is on the way to the bank); terminal states stay put.
OPEN = frozenset({S.AWAITING_CONFIRMATION, S.REPORTED, S.REOPENED, S.ACCEPTED, S.VISIT_SCHEDULED, S.ASSESSED})
# Still waiting for its money: the clock runs (an approved claim too, until paid).
RUNNING = OPEN | {S.APPROVED}
# In claim.flags while payouts has money for the claim pending, approved or at the bank (claims may
# not import payouts): such a claim may not be withdrawn or rejected, or the bank pays a dead claim.
PAYOUT_IN_FLIGHT = "payout_in_flight"
ENDS_CLAIM = frozenset({"withdraw", "reject"})
# action -> (states it may start from, the state it leads to)
TRANSITIONS: dict[str, tuple[frozenset[ClaimStatus], ClaimStatus]] = {
    "confirm": (frozenset({S.AWAITING_CONFIRMATION}), S.REPORTED),
    "clear": (frozenset({S.AWAITING_CONFIRMATION}), S.CLEARED),
    "accept": (frozenset({S.REPORTED, S.REOPENED}), S.ACCEPTED),
    "reject": (frozenset({S.REPORTED, S.REOPENED}), S.REJECTED),
    "reopen": (frozenset({S.REJECTED}), S.REOPENED),
    "withdraw": (OPEN, S.WITHDRAWN),
    "schedule_visit": (frozenset({S.ACCEPTED}), S.VISIT_SCHEDULED),
    "assess": (frozenset({S.VISIT_SCHEDULED}), S.ASSESSED),
    "approve": (frozenset({S.ASSESSED}), S.APPROVED),
    "pay": (frozenset({S.APPROVED}), S.PAID),
    "close": (frozenset({S.PAID}), S.CLOSED),
    # Assessed at nothing payable and nothing advanced: closed with no money moved (no paid_at).
    "close_unpaid": (frozenset({S.ASSESSED}), S.CLOSED),
}
NEEDS_REASON = frozenset({"reject", "reopen", "clear"})


def transition(
    status: ClaimStatus, action: str, *, reason: str | None = None, flags: Iterable[str] = ()
) -> ClaimStatus:
    """The state `action` leads to from `status`, or TransitionNotAllowed."""
    sources, target = TRANSITIONS[action]
    if action in ENDS_CLAIM and PAYOUT_IN_FLIGHT in flags:
        raise PayoutInFlight(f"cannot {action} a claim whose payout is in flight")
    if status not in sources:
        raise TransitionNotAllowed(f"cannot {action} a claim that is {status.value}", status=status.value)
    if action in NEEDS_REASON and not (reason and reason.strip()):
        raise ReasonRequired(f"{action} needs a reason")
    return target


def accept(status: ClaimStatus) -> ClaimStatus:
    return transition(status, "accept")


def reject(status: ClaimStatus, reason: str | None) -> ClaimStatus:
    return transition(status, "reject", reason=reason)


def reopen(status: ClaimStatus, reason: str | None) -> ClaimStatus:
    return transition(status, "reopen", reason=reason)


def withdraw(status: ClaimStatus) -> ClaimStatus:
    return transition(status, "withdraw")


def confirm(status: ClaimStatus) -> ClaimStatus:
    return transition(status, "confirm")


def clear(status: ClaimStatus, reason: str | None) -> ClaimStatus:
    return transition(status, "clear", reason=reason)


def schedule_visit(status: ClaimStatus) -> ClaimStatus:
    return transition(status, "schedule_visit")


def assess(status: ClaimStatus) -> ClaimStatus:
    return transition(status, "assess")


def approve(status: ClaimStatus) -> ClaimStatus:
    return transition(status, "approve")


def pay(status: ClaimStatus) -> ClaimStatus:
    return transition(status, "pay")


def close(status: ClaimStatus) -> ClaimStatus:
    return transition(status, "close")


def check_loss_time(loss_at: datetime, *, now: datetime) -> date:
    """The loss's business date, if the loss is neither in the future nor absurdly old (core.dates)."""
    plausible = RANGES[DateKind.LOSS]
    if as_utc(loss_at) > plausible.latest_moment(now):
        raise LossInFuture()
    day = business_date(loss_at)
    if day < plausible.earliest:
        raise LossTimeImplausible(f"losses before {plausible.earliest.isoformat()} cannot be claimed")
    return day


def check_event_window(starts_at: datetime, ends_at: datetime, *, now: datetime) -> date:
    """A catastrophe's window: it started, it ends after it starts, and it is not open-ended.

    Every claim inside the window needs no evidence, so a window left open for months would let
    any later theft through without a police report. A disaster still under way may be declared
    up to a week ahead; no event lasts longer than a month.
    """
    if not as_utc(starts_at) < as_utc(ends_at):
        raise InvalidCatastrophe("the event must end after it starts", field="ends_at")
    if as_utc(ends_at) > as_utc(now) + MAX_EVENT_LOOKAHEAD:
        raise InvalidCatastrophe("the event may end at most 7 days from now", field="ends_at")
    if as_utc(ends_at) - as_utc(starts_at) > MAX_EVENT_LENGTH:
        raise InvalidCatastrophe("an event lasts at most 31 days", field="ends_at")
    return check_loss_time(starts_at, now=now)


def covers_for(covers: Sequence[Cover], peril: Peril, *, loss_on: date, reported_on: date) -> list[Cover]:
    """The covers that pay for this loss: active on the day, covering the peril, within the window.

    `covers` are the household's policies active on the loss date; the blanket one comes first.
    """
    if not covers:
        raise PolicyNotActive()
    for_peril = [cover for cover in covers if peril in cover.perils]
    if not for_peril:
        raise PerilNotCovered(f"no policy of this household covers {peril.value}", peril=peril.value)
    in_window = [c for c in for_peril if (reported_on - loss_on).days <= c.reporting_window_days]
    if not in_window:
        longest = max(c.reporting_window_days for c in for_peril)
        raise OutsideReportingWindow(f"losses must be reported within {longest} days")
    return sorted(in_window, key=lambda c: c.funding is not Funding.DISTRICT)


def check_evidence(
    peril: Peril,
    *,
    police_report_no: str | None,
    fire_certificate_no: str | None,
    liaison_confirmed: bool,
    in_catastrophe: bool,
) -> None:
    if in_catastrophe:
        return
    if peril in (Peril.THEFT, Peril.ROBBERY) and not police_report_no:
        raise EvidenceMissing(f"{peril.value} needs a police report number", field="police_report_no")
    if peril is Peril.FIRE and not (fire_certificate_no or liaison_confirmed):
        raise EvidenceMissing(
            "fire needs a fire certificate or a liaison's filing", field="fire_certificate_no"
        )


def cover_limit(cover: Cover, peril: Peril) -> int:
    """What one policy pays at most for one claim of this peril."""
    return min(cover.perils.get(peril, 0), cover.per_claim_cap_fen)


def combined_cap(covers: Iterable[Cover]) -> int | None:
    """The tightest combined cap any of the covering programs sets, if any."""
    caps = [c.combined_cap_fen for c in covers if c.combined_cap_fen is not None]
    return min(caps) if caps else None


def split_payable(covers: Sequence[Cover], peril: Peril, amount_fen: int) -> list[tuple[Cover, int]]:
    """Share `amount_fen` over the covers in order (blanket first), each up to its own limit,
    all together up to the combined cap. The shares never exceed the amount, any limit or the cap."""
    remaining = max(amount_fen, 0)
    cap = combined_cap(covers)
    if cap is not None:
        remaining = min(remaining, cap)
    shares = []
    for cover in covers:
        share = min(remaining, cover_limit(cover, peril))
        shares.append((cover, share))
        remaining -= share
    return shares


def payable_cap(covers: Sequence[Cover], peril: Peril) -> int:
    """The most all covering policies together can pay for one claim."""
    return sum(share for _, share in split_payable(covers, peril, sum(cover_limit(c, peril) for c in covers)))


def check_estimate(estimated_loss_fen: int | None, cap_fen: int) -> None:
    if estimated_loss_fen is not None and estimated_loss_fen > cap_fen:
        raise EstimateOverCap(f"at most {cap_fen} fen can be paid for this claim", cap_fen=cap_fen)


def clock_target_hours(covers: Sequence[Cover]) -> int:
    """The promise the household heard first: the shortest target among its covering programs."""
    return min(cover.clock_target_hours for cover in covers)


def expected_payment_by(reported_at: datetime, target_hours: int) -> datetime:
    return add_hours(reported_at, target_hours)


def review_flags(
    *,
    covers: Sequence[Cover],
    reported_on: date,
    same_loss_exists: bool,
    resident_id_elsewhere: bool,
    bank_account_elsewhere: bool,
) -> list[Flag]:
    flags = []
    if same_loss_exists:
        flags.append(Flag.POSSIBLE_DUPLICATE)
    if resident_id_elsewhere:
        flags.append(Flag.SHARED_RESIDENT_ID)
    if bank_account_elsewhere:
        flags.append(Flag.SHARED_BANK_ACCOUNT)
    if any(
        c.funding is Funding.HOUSEHOLD
        and not c.renewal
        and (reported_on - c.starts_on).days < NEW_POLICY_DAYS
        for c in covers
    ):
        flags.append(Flag.NEW_VOLUNTARY_POLICY)
    return flags


class ClockState(enum.StrEnum):
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    BREACHED = "breached"
    STOPPED = "stopped"  # the money is confirmed paid


def clock_state(
    reported_at: datetime, target_hours: int, *, now: datetime, paid_at: datetime | None = None
) -> ClockState:
    """At risk from 75 % of the target, breached past it; the clock stops when the money is paid."""
    if paid_at is not None:
        return ClockState.STOPPED
    elapsed = as_utc(now) - as_utc(reported_at)
    target = timedelta(hours=target_hours)
    if elapsed > target:
        return ClockState.BREACHED
    if elapsed >= target * AT_RISK_SHARE:
        return ClockState.AT_RISK
    return ClockState.ON_TRACK


def claim_number(day: date, sequence: int) -> str:
    return f"AJ-{day:%Y%m%d}-{sequence:06d}"
