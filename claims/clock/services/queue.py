"""The officers' work queue: the open claims of their regions, the least time left first."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any
from uuid import UUID

from advanced_alchemy.filters import LimitOffset
from advanced_alchemy.service import OffsetPagination
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from claims import domain as claim_domain
from claims.clock import domain, schemas
from claims.domain import RUNNING, ClaimStatus, ClockState
from claims.models import Claim
from claims.services.views import ClaimService
from claims.visits.models import Adjuster, SiteVisit
from core import scope
from core.auth import Principal
from core.clock import utcnow
from policies.domain import Peril
from users.models import User


async def work_queue(
    session: AsyncSession,
    principal: Principal,
    *,
    clock: ClockState | None = None,
    limit: int = 50,
    offset: int = 0,
) -> OffsetPagination[schemas.QueueItem]:
    """Open claims the caller may see, by time left; `clock` keeps only those flagged so by the sweep
    (`at_risk`, `breached`; `on_track`: not flagged yet)."""
    filters: list[Any] = [
        scope.household_clause(principal, Claim.household_id, Claim.village_code),
        Claim.status.in_([status.value for status in RUNNING]),
    ]
    if clock is ClockState.ON_TRACK:
        filters.append(Claim.clock_state.is_(None))
    elif clock is not None:
        filters.append(Claim.clock_state == clock.value)
    rows, total = await ClaimService(session=session).get_many_and_count(
        *filters,
        LimitOffset(limit=limit, offset=offset),
        order_by=[Claim.expected_payment_by.asc(), Claim.number.asc()],
    )
    adjusters = await adjuster_names(session, (row.id for row in rows))
    now = utcnow()
    items = [to_item(row, now=now, adjuster_name=adjusters.get(row.id)) for row in rows]
    return OffsetPagination(items=items, limit=limit, offset=offset, total=total)


async def adjuster_names(session: AsyncSession, claim_ids: Iterable[UUID]) -> dict[UUID, str]:
    """The adjuster (their display name) of each claim's live visit."""
    ids = list(claim_ids)
    if not ids:
        return {}
    rows = await session.execute(
        select(SiteVisit.claim_id, User.display_name)
        .join(Adjuster, Adjuster.id == SiteVisit.adjuster_id)
        .join(User, User.id == Adjuster.user_id)
        .where(SiteVisit.claim_id.in_(ids), SiteVisit.status != "cancelled")
    )
    return {claim_id: name for claim_id, name in rows}


def to_item(claim: Claim, *, now: datetime, adjuster_name: str | None) -> schemas.QueueItem:
    status = ClaimStatus(claim.status)
    waiting = domain.waiting(status, {column: getattr(claim, column) for column in domain.STAGE_COLUMNS})
    return schemas.QueueItem(
        id=claim.id,
        number=claim.number,
        status=status,
        village_code=claim.village_code,
        peril=Peril(claim.peril),
        claimant_name=claim.claimant_name,
        estimated_loss_fen=claim.estimated_loss_fen,
        reported_at=claim.reported_at,
        expected_payment_by=claim.expected_payment_by,
        time_left_seconds=domain.time_left(claim.expected_payment_by, now=now),
        clock=claim_domain.clock_state(
            claim.reported_at, claim.clock_target_hours, now=now, paid_at=claim.paid_at
        ),
        waiting_in=waiting[0] if waiting else None,
        waiting_on=waiting[1] if waiting else None,
        adjuster_name=adjuster_name,
    )
