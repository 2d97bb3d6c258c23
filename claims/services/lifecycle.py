"""The claim lifecycle as stored: the domain decides each step, this persists, time-stamps and audits it."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from claims import domain, schemas
from claims.clock.services import rollups
from claims.domain import ClaimStatus
from claims.models import Claim
from claims.services.views import get_visible, to_view
from claims.visits.models import SiteVisit
from core import audit, privacy
from core.auth import Principal
from core.clock import utcnow

# The column each stage's time goes in; `reported` is reached again only by confirming.
STAGE_TIME = {
    ClaimStatus.REPORTED: "confirmed_at",
    ClaimStatus.CLEARED: "cleared_at",
    ClaimStatus.ACCEPTED: "accepted_at",
    ClaimStatus.REJECTED: "rejected_at",
    ClaimStatus.REOPENED: "reopened_at",
    ClaimStatus.WITHDRAWN: "withdrawn_at",
    ClaimStatus.VISIT_SCHEDULED: "visit_scheduled_at",
    ClaimStatus.ASSESSED: "assessed_at",
    ClaimStatus.APPROVED: "approved_at",
    ClaimStatus.PAID: "paid_at",
    ClaimStatus.CLOSED: "closed_at",
}


async def move(
    session: AsyncSession,
    principal: Principal,
    claim: Claim,
    action: str,
    *,
    reason: str | None = None,
    changes: dict[str, Any] | None = None,
) -> Claim:
    """Apply one lifecycle step: the domain decides, this persists, time-stamps and audits it."""
    before = ClaimStatus(claim.status)
    after = domain.transition(before, action, reason=reason, flags=claim.flags or ())
    now = utcnow()
    claim.status = after.value
    setattr(claim, STAGE_TIME[after], now)
    if after is ClaimStatus.REJECTED:
        claim.rejection_reason = reason
    elif after is ClaimStatus.REOPENED:
        claim.reopen_reason = reason
    elif after is ClaimStatus.WITHDRAWN:
        claim.withdrawal_reason = reason
    changes = changes or {}
    for field, value in changes.items():
        setattr(claim, field, value)
    await rollups.on_step(session, principal, claim, after)
    if after is ClaimStatus.WITHDRAWN:
        await _cancel_visits(session, principal, claim, reason)
    if "payee_account" in changes:  # the log is read widely; the full account number stays in the claim
        changes = {**changes, "payee_account": privacy.mask_account(changes["payee_account"])}
    await audit.record(
        session,
        actor=principal.username,
        action=f"claim.{after.value}",
        subject_type="claim",
        subject_id=claim.id,
        region_code=claim.village_code,
        reason=reason,
        before={"status": before.value},
        after={"status": after.value, **changes},
    )
    return claim


async def _cancel_visits(
    session: AsyncSession, principal: Principal, claim: Claim, reason: str | None
) -> None:
    """A withdrawn claim's visit still to come is called off: it would hold a place in the
    adjuster's day, show the resident's phone on their day page and be re-planned by a day off."""
    visits = list(
        await session.scalars(
            select(SiteVisit)
            .where(SiteVisit.claim_id == claim.id, SiteVisit.status.in_(["planned", "announced"]))
            .with_for_update()
        )
    )
    for visit in visits:
        before = visit.status
        visit.status = "cancelled"
        await audit.record(
            session,
            actor=principal.username,
            action="visit.cancelled",
            subject_type="visit",
            subject_id=visit.id,
            region_code=visit.village_code,
            reason=reason or "claim withdrawn",
            before={"status": before, "visit_on": visit.visit_on.isoformat()},
            after={"status": "cancelled"},
        )


async def change_status(
    session: AsyncSession, principal: Principal, claim_id: UUID, action: str, *, reason: str | None = None
) -> schemas.Claim:
    claim = await get_visible(session, principal, claim_id, for_update=True)
    return to_view(await move(session, principal, claim, action, reason=reason))
