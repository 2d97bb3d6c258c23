"""Payouts as readers get them: who may see which payout, batch and claim, and the views they get.

Payouts are staff work: claims officers, finance, auditors and admins see the payouts of their
regions (core.scope.covers on the payout's village). Finance sees a claim (its payout notice, its
money) only where a payout of its regions names it (scope.ASSIGNED_READERS).
"""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from advanced_alchemy.filters import LimitOffset
from advanced_alchemy.repository import SQLAlchemyAsyncRepository
from advanced_alchemy.service import SQLAlchemyAsyncRepositoryService
from sqlalchemy import exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from claims.assessments import domain as assessment_rule
from claims.assessments.models import Assessment
from claims.domain import ClaimStatus
from claims.models import Claim
from claims.services import views as claim_views
from core import scope
from core.auth import Principal, Role
from core.privacy import mask_account
from core.views import from_row
from payouts import domain, schemas
from payouts.errors import BatchNotFound, PayoutNotFound
from payouts.models import PaymentBatch, Payout

PAYOUT_READERS = frozenset({Role.CLAIMS_OFFICER, Role.FINANCE, Role.AUDITOR, Role.ADMIN})


class PayoutService(SQLAlchemyAsyncRepositoryService[Payout]):
    class Repo(SQLAlchemyAsyncRepository[Payout]):
        model_type = Payout

    repository_type = Repo


class BatchService(SQLAlchemyAsyncRepositoryService[PaymentBatch]):
    class Repo(SQLAlchemyAsyncRepository[PaymentBatch]):
        model_type = PaymentBatch

    repository_type = Repo


def may_see_payout(principal: Principal, payout: Payout) -> bool:
    return principal.role in PAYOUT_READERS and scope.covers(principal, payout.region_code)


def reference(payout_id: UUID) -> str:
    """The payout's reference in bank files (EndToEndId, at most 35 characters): its id in hex."""
    return payout_id.hex


def payout_id_of(reference_text: str) -> UUID | None:
    try:
        return UUID(hex=reference_text.strip())
    except ValueError:
        return None


def to_view(payout: Payout, claim_number: str) -> schemas.Payout:
    return from_row(
        payout,
        schemas.Payout,
        claim_number=claim_number,
        payee_account_masked=mask_account(payout.payee_account) or "",
        reference=reference(payout.id),
    )


async def claim_numbers(session: AsyncSession, payouts: Sequence[Payout]) -> dict[UUID, str]:
    """The numbers of the payouts' claims, read in one query."""
    ids = {payout.claim_id for payout in payouts}
    rows = await session.execute(select(Claim.id, Claim.number).where(Claim.id.in_(ids)))
    return {row.id: row.number for row in rows}


async def views_of(session: AsyncSession, payouts: Sequence[Payout]) -> list[schemas.Payout]:
    numbers = await claim_numbers(session, payouts)
    return [to_view(payout, numbers[payout.claim_id]) for payout in payouts]


async def get_visible_payout(
    session: AsyncSession, principal: Principal, payout_id: UUID, *, for_update: bool = False
) -> Payout:
    payout = await PayoutService(session=session).get_one_or_none(
        Payout.id == payout_id, with_for_update=for_update
    )
    if payout is None or not may_see_payout(principal, payout):
        raise PayoutNotFound()
    return payout


async def get_payout_view(session: AsyncSession, principal: Principal, payout_id: UUID) -> schemas.Payout:
    return (await views_of(session, [await get_visible_payout(session, principal, payout_id)]))[0]


async def list_payouts(
    session: AsyncSession,
    principal: Principal,
    *,
    status: domain.PayoutStatus | None = None,
    unbatched: bool = False,
    batch_id: UUID | None = None,
    limit: int = 100,
    offset: int = 0,
) -> tuple[list[schemas.Payout], int]:
    """The caller's payouts, oldest approval first (the order they are paid in)."""
    if principal.role not in PAYOUT_READERS:
        return [], 0
    filters = [scope.region_clause(principal, Payout.region_code)]
    if status is not None:
        filters.append(Payout.status == status.value)
    if unbatched:
        filters.append(Payout.batch_id.is_(None))
    if batch_id is not None:
        filters.append(Payout.batch_id == batch_id)
    rows, total = await PayoutService(session=session).get_many_and_count(
        *filters,
        LimitOffset(limit=limit, offset=offset),
        order_by=[Payout.approved_at.asc(), Payout.created_at.asc()],
    )
    return await views_of(session, rows), total


def may_see_batch(principal: Principal, batch: PaymentBatch) -> bool:
    return principal.role in PAYOUT_READERS and scope.covers(principal, batch.region_code)


async def get_visible_batch(
    session: AsyncSession, principal: Principal, batch_id: UUID, *, for_update: bool = False
) -> PaymentBatch:
    batch = await BatchService(session=session).get_one_or_none(
        PaymentBatch.id == batch_id, with_for_update=for_update
    )
    if batch is None or not may_see_batch(principal, batch):
        raise BatchNotFound()
    return batch


def batch_view(batch: PaymentBatch) -> schemas.PaymentBatch:
    return from_row(batch, schemas.PaymentBatch)


async def list_batches(
    session: AsyncSession, principal: Principal, *, limit: int = 50, offset: int = 0
) -> tuple[list[schemas.PaymentBatch], int]:
    if principal.role not in PAYOUT_READERS:
        return [], 0
    rows, total = await BatchService(session=session).get_many_and_count(
        scope.region_clause(principal, PaymentBatch.region_code),
        LimitOffset(limit=limit, offset=offset),
        order_by=[PaymentBatch.created_at.desc()],
    )
    return [batch_view(row) for row in rows], total


async def get_visible_claim(
    session: AsyncSession, principal: Principal, claim_id: UUID, *, for_update: bool = False
) -> Claim:
    """The claim by claims' own rule (claims.services.views.get_visible), finance counting as
    assigned where a payout names the claim (else 404, as unknown)."""
    assigned = principal.role is Role.FINANCE and bool(
        await session.scalar(select(exists().where(Payout.claim_id == claim_id)))
    )
    return await claim_views.get_visible(
        session, principal, claim_id, for_update=for_update, assigned=assigned
    )


async def claim_payouts(session: AsyncSession, claim: Claim) -> schemas.ClaimPayouts:
    payable = await session.scalar(select(Assessment.payable_fen).where(Assessment.claim_id == claim.id))
    payouts = list(
        await session.scalars(select(Payout).where(Payout.claim_id == claim.id).order_by(Payout.created_at))
    )
    return schemas.ClaimPayouts(
        claim_id=claim.id,
        claim_number=claim.number,
        status=ClaimStatus(claim.status),
        payable_fen=payable,
        advance_paid_fen=claim.advance_paid_fen,
        paid_fen=claim.paid_fen,
        owed_back_fen=0 if payable is None else assessment_rule.owed_back(payable, claim.advance_paid_fen),
        payouts=[to_view(payout, claim.number) for payout in payouts],
    )


async def get_claim_payouts(
    session: AsyncSession, principal: Principal, claim_id: UUID
) -> schemas.ClaimPayouts:
    return await claim_payouts(session, await get_visible_claim(session, principal, claim_id))
