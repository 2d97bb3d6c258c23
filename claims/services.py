"""Claims as stored: who may see which, the view every reader gets, numbers, listing and the lifecycle."""

from __future__ import annotations

import hmac
from datetime import date, datetime
from typing import Any
from uuid import UUID

from advanced_alchemy.filters import LimitOffset
from advanced_alchemy.repository import SQLAlchemyAsyncRepository
from advanced_alchemy.service import OffsetPagination, SQLAlchemyAsyncRepositoryService
from sqlalchemy import ColumnElement, bindparam, false, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from claims import domain, schemas
from claims.domain import ClaimStatus
from claims.errors import ClaimNotFound
from claims.models import Claim, ClaimNumberCounter
from core import audit
from core.auth import Principal, Role
from core.clock import utcnow
from core.views import from_row

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


def visible_clause(principal: Principal) -> ColumnElement[bool]:
    """A resident sees their own household's claims; everyone else the claims in their regions."""
    if principal.role is Role.RESIDENT:
        return Claim.household_id == principal.household_id if principal.household_id else false()
    return principal.region_clause(Claim.village_code)


def can_see(principal: Principal, claim: Claim) -> bool:
    if principal.role is Role.RESIDENT:
        return principal.household_id is not None and claim.household_id == principal.household_id
    return principal.covers(claim.village_code)


async def get_visible(
    session: AsyncSession, principal: Principal, claim_id: UUID, *, for_update: bool = False
) -> Claim:
    """The claim if the caller may see it; otherwise 404, so that ids of others' claims leak nothing."""
    query = select(Claim).where(Claim.id == claim_id)
    if for_update:
        query = query.with_for_update()
    claim = await session.scalar(query)
    if claim is None or not can_see(principal, claim):
        raise ClaimNotFound()
    return claim


def to_view(claim: Claim, *, now: datetime | None = None) -> schemas.Claim:
    """The stored claim (its `covers` are JSON dicts) with phone and account masked and the clock read."""
    return from_row(
        claim,
        schemas.Claim,
        claimant_phone_masked=domain.mask_phone(claim.claimant_phone),
        payee_account_masked=domain.mask_account(claim.payee_account),
        clock=domain.clock_state(
            claim.reported_at, claim.clock_target_hours, now=now or utcnow(), paid_at=claim.paid_at
        ),
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
    filters: list[Any] = [visible_clause(principal)]
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


def _number_upsert(dialect: Any) -> Any:
    table = ClaimNumberCounter.__table__
    return (
        dialect.insert(table)
        .values(day=bindparam("day"), last=bindparam("count"))
        .on_conflict_do_update(index_elements=["day"], set_={"last": table.c.last + bindparam("count")})
        .returning(table.c.last)
    )


_NUMBER_UPSERT = {"postgresql": _number_upsert(postgresql), "sqlite": _number_upsert(sqlite)}


async def allocate_numbers(session: AsyncSession, day: date, count: int) -> list[str]:
    """`count` fresh claim numbers for `day` in one statement; the row lock keeps them unique."""
    upsert = _NUMBER_UPSERT[session.get_bind().dialect.name]
    last = (await session.execute(upsert, {"day": day, "count": count})).scalar_one()
    return [domain.claim_number(day, n) for n in range(last - count + 1, last + 1)]


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
    after = domain.transition(before, action, reason=reason)
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
    if "payee_account" in changes:  # the log is read widely; the full account number stays in the claim
        changes = {**changes, "payee_account": domain.mask_account(changes["payee_account"])}
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


async def change_status(
    session: AsyncSession, principal: Principal, claim_id: UUID, action: str, *, reason: str | None = None
) -> schemas.Claim:
    claim = await get_visible(session, principal, claim_id, for_update=True)
    return to_view(await move(session, principal, claim, action, reason=reason))


async def public_status(session: AsyncSession, *, number: str, phone_last4: str) -> schemas.PublicStatus:
    """Stage and expected payment date; a wrong phone looks exactly like an unknown number."""
    claim = await session.scalar(select(Claim).where(Claim.number == number.strip().upper()))
    given = phone_last4.encode()
    expected = (claim.claimant_phone[-4:] if claim else "\0" * 4).encode()
    if not hmac.compare_digest(given, expected) or claim is None:
        raise ClaimNotFound()
    stage = ClaimStatus(claim.status)
    return schemas.PublicStatus(
        stage=stage, stage_zh=STAGE_ZH[stage], expected_payment_by=claim.expected_payment_by
    )
