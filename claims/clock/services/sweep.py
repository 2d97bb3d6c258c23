"""The clock sweep: mark open claims at risk (75 % of their target) or breached (past it), warn the
responsible officer once per threshold, and recount the reported claims of the recent months.

Who is warned: the officer who accepted the claim (`claims.accepted_by`) while that account is an
active claims officer; otherwise every active claims officer whose regions cover the claim's village.
Each message has the key "clock.<threshold>:<claim id>:<officer id>", so however often the sweep runs
(twice at once included), an officer hears of a threshold once; the stored state means the claim is
not even looked at again for that threshold.

Which claims are looked at: those already at risk (the state's partial index), and the unflagged open
claims reported since the last sweep less the longest target, found by their numbers (the index
filing keeps already): a claim still on track at the last sweep cannot have been reported earlier.
The first sweep ever looks at every claim.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from uuid import UUID

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from claims import domain as claim_domain
from claims.clock.models import ClockSweep
from claims.clock.services import rollups
from claims.domain import RUNNING, ClockState
from claims.models import Claim
from core import scope
from core.auth import Role
from core.clock import add_months, business_date
from core.documents.formatting import local_time
from core.notifications import Recipient, notify
from policies.models import Program
from users.models import User

SWEEP = "warnings"
MARGIN = timedelta(days=1)
TEXT_ZH = {
    ClockState.AT_RISK: "理赔案件 {number} 已用去时限的 75%，应于 {due} 前赔付到账，请尽快处理。",
    ClockState.BREACHED: "理赔案件 {number} 已超过赔付时限（应于 {due} 前到账），请立即处理。",
}


@dataclass
class SweepResult:
    at_risk: list[UUID] = field(default_factory=list)
    breached: list[UUID] = field(default_factory=list)
    notified: int = 0


async def sweep(session: AsyncSession, *, now: datetime) -> SweepResult:
    """One run of the sweep at `now`; safe to run again at once (nothing new then)."""
    progress = await session.scalar(select(ClockSweep).where(ClockSweep.name == SWEEP).with_for_update())
    since = progress.swept_at if progress else None
    this_month = business_date(now).replace(day=1)
    await rollups.recount_reported(session, [add_months(this_month, -1), this_month])
    result = SweepResult()
    officers = list(
        await session.scalars(
            select(User).where(User.role == Role.CLAIMS_OFFICER.value, User.active.is_(True))
        )
    )
    for claim in await _candidates(session, since):
        state = claim_domain.clock_state(claim.reported_at, claim.clock_target_hours, now=now)
        if state not in (ClockState.AT_RISK, ClockState.BREACHED) or claim.clock_state == state.value:
            continue
        claim.clock_state = state.value
        (result.breached if state is ClockState.BREACHED else result.at_risk).append(claim.id)
        for officer in _responsible(claim, officers):
            sent = await notify(
                session,
                recipient_kind=Recipient.USER,
                recipient_id=officer.id,
                text_zh=TEXT_ZH[state].format(number=claim.number, due=local_time(claim.expected_payment_by)),
                subject_type="claim",
                subject_id=claim.id,
                region_code=claim.village_code,
                key=f"clock.{state.value}:{claim.id}:{officer.id}",
            )
            result.notified += sent is not None
    if progress is None:
        session.add(ClockSweep(name=SWEEP, swept_at=now))
    else:
        progress.swept_at = now
    await session.flush()
    return result


async def _candidates(session: AsyncSession, since: datetime | None) -> list[Claim]:
    """Open claims whose clock may have crossed a threshold since `since` (two queries, one index each)."""
    running = (Claim.status.in_([status.value for status in RUNNING]), Claim.paid_at.is_(None))
    unflagged: list[ColumnElement[bool]] = [Claim.clock_state.is_(None)]
    if since is not None:
        longest = await session.scalar(select(func.max(Program.clock_target_hours))) or 0
        oldest = business_date(since - timedelta(hours=longest * claim_domain.AT_RISK_SHARE) - MARGIN)
        unflagged.append(Claim.number >= claim_domain.claim_number(oldest, 0))
    found: list[Claim] = []
    for condition in ([Claim.clock_state == ClockState.AT_RISK.value], unflagged):
        found.extend(await session.scalars(select(Claim).where(*running, *condition).with_for_update()))
    return found


def _responsible(claim: Claim, officers: list[User]) -> list[User]:
    accepted_by = [officer for officer in officers if officer.username == claim.accepted_by]
    return accepted_by or [o for o in officers if scope.covers(o.principal(), claim.village_code)]
