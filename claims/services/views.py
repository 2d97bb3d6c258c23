"""Claims as readers get them: who may see which, the view every reader gets, listing, public status."""

from __future__ import annotations

import hmac
from datetime import datetime
from typing import Any
from uuid import UUID

from advanced_alchemy.filters import LimitOffset
from advanced_alchemy.repository import SQLAlchemyAsyncRepository
from advanced_alchemy.service import OffsetPagination, SQLAlchemyAsyncRepositoryService
from sqlalchemy import ColumnElement, exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from claims import domain, schemas
from claims.clock import domain as clock
from claims.domain import ClaimStatus
from claims.errors import ClaimNotFound
from claims.models import Claim
from claims.visits.models import Adjuster, SiteVisit
from core import privacy, scope
from core.auth import Principal, Role
from core.clock import utcnow
from core.views import from_row

STAGE_ZH = {
    ClaimStatus.AWAITING_CONFIRMATION: "待村联络员确认",
    ClaimStatus.REPORTED: "已报案",
    ClaimStatus.REOPENED: "已重新受理审核",
    ClaimStatus.ACCEPTED: "已受理",
    ClaimStatus.REJECTED: "不予受理",
    ClaimStatus.VISIT_SCHEDULED: "已安排查勘",
    ClaimStatus.ASSESSED: "已定损",
    ClaimStatus.APPROVED: "已核准赔付",
    ClaimStatus.PAID: "已赔付",
    ClaimStatus.CLOSED: "已结案",
    ClaimStatus.WITHDRAWN: "已撤案",
    ClaimStatus.CLEARED: "经核实无损失",
}


class ClaimService(SQLAlchemyAsyncRepositoryService[Claim]):
    class Repo(SQLAlchemyAsyncRepository[Claim]):
        model_type = Claim

    repository_type = Repo


def assigned_clause(principal: Principal, claim_id: Any) -> ColumnElement[bool] | None:
    """For an adjuster: the claim has a live visit of theirs (core.scope's `assigned`)."""
    if principal.role is not Role.ADJUSTER:
        return None
    return exists().where(
        SiteVisit.claim_id == claim_id,
        SiteVisit.status != "cancelled",
        SiteVisit.adjuster_id == Adjuster.id,
        Adjuster.user_id == principal.user_id,
    )


async def get_visible(
    session: AsyncSession,
    principal: Principal,
    claim_id: UUID,
    *,
    for_update: bool = False,
    assigned: bool | None = None,
) -> Claim:
    """The claim if the caller may see it; otherwise 404, so that ids of others' claims leak nothing.

    A claim follows its household: scope.may_see_household is the rule. `assigned` is the caller's
    assignment as a package above claims knows it (finance through a payout); None: the adjuster's."""
    claim = await ClaimService(session=session).get_one_or_none(
        Claim.id == claim_id, with_for_update=for_update
    )
    if claim is None:
        raise ClaimNotFound()
    if assigned is None:
        clause = assigned_clause(principal, claim.id)
        assigned = clause is not None and bool(await session.scalar(select(clause)))
    if not scope.may_see_household(principal, claim.household_id, claim.village_code, assigned=assigned):
        raise ClaimNotFound()
    return claim


def to_view(claim: Claim, *, now: datetime | None = None) -> schemas.Claim:
    """The stored claim (its `covers` are JSON dicts) with phone and account masked and the clock read:
    its state, the time left (None once paid), the stage it waits in and the seconds each stage took."""
    now = now or utcnow()
    times = {column: getattr(claim, column) for column in clock.STAGE_COLUMNS}
    waiting = clock.waiting(ClaimStatus(claim.status), times)
    return from_row(
        claim,
        schemas.Claim,
        claimant_phone_masked=privacy.mask_phone(claim.claimant_phone),
        payee_account_masked=privacy.mask_account(claim.payee_account),
        clock=domain.clock_state(claim.reported_at, claim.clock_target_hours, now=now, paid_at=claim.paid_at),
        time_left_seconds=None if claim.paid_at else clock.time_left(claim.expected_payment_by, now=now),
        waiting_in=waiting[0] if waiting else None,
        waiting_on=waiting[1] if waiting else None,
        stage_seconds={
            stage.value: seconds for stage, seconds in clock.stage_seconds(claim.reported_at, times).items()
        },
    )


async def get_claim_view(session: AsyncSession, principal: Principal, claim_id: UUID) -> schemas.Claim:
    """One claim as the caller may see it (the claim summary PDF uses this too)."""
    return to_view(await get_visible(session, principal, claim_id))


async def list_claims(
    session: AsyncSession,
    principal: Principal,
    *,
    status: ClaimStatus | None = None,
    village_code: str | None = None,
    catastrophe_id: UUID | None = None,
    limit: int = 50,
    offset: int = 0,
) -> OffsetPagination[schemas.Claim]:
    """The caller's claims, the nearest payment deadline first: at-risk claims come to the top."""
    filters: list[Any] = [
        scope.household_clause(
            principal, Claim.household_id, Claim.village_code, assigned=assigned_clause(principal, Claim.id)
        )
    ]
    if status is not None:
        filters.append(Claim.status == status.value)
    if village_code:
        filters.append(Claim.village_code.startswith(village_code, autoescape=True))
    if catastrophe_id is not None:
        filters.append(Claim.catastrophe_id == catastrophe_id)
    rows, total = await ClaimService(session=session).get_many_and_count(
        *filters,
        LimitOffset(limit=limit, offset=offset),
        order_by=[Claim.expected_payment_by.asc(), Claim.number.asc()],
    )
    now = utcnow()
    return OffsetPagination(
        items=[to_view(row, now=now) for row in rows], limit=limit, offset=offset, total=total
    )


async def public_status(session: AsyncSession, *, number: str, phone_last4: str) -> schemas.PublicStatus:
    """Stage, expected payment date, the planned visit's day and the amount paid once it is; a
    wrong phone looks exactly like an unknown number."""
    claim = await ClaimService(session=session).get_one_or_none(Claim.number == number.strip().upper())
    given = phone_last4.encode()
    expected = (claim.claimant_phone[-4:] if claim else "\0" * 4).encode()
    if not hmac.compare_digest(given, expected) or claim is None:
        raise ClaimNotFound()
    stage = ClaimStatus(claim.status)
    visit_on = await session.scalar(
        select(SiteVisit.visit_on).where(SiteVisit.claim_id == claim.id, SiteVisit.status != "cancelled")
    )
    return schemas.PublicStatus(
        stage=stage,
        stage_zh=STAGE_ZH[stage],
        expected_payment_by=claim.expected_payment_by,
        visit_on=visit_on,
        paid_fen=claim.paid_fen if claim.paid_at is not None else None,
    )
