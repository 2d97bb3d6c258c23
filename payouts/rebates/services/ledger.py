"""The rebate ledger: approvals, disbursements and reversals, each an append-only entry."""

from __future__ import annotations

from uuid import UUID

from advanced_alchemy.repository import SQLAlchemyAsyncRepository
from advanced_alchemy.service import SQLAlchemyAsyncRepositoryService
from sqlalchemy import ColumnElement, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from core import scope
from core.audit import record
from core.auth import Principal, Role
from core.views import from_row
from payouts.rebates import domain, schemas
from payouts.rebates.domain import EntryKind, Stages
from payouts.rebates.errors import (
    AccrualReversedByRecompute,
    AlreadyReversed,
    EntryNotFound,
    NotTheApprover,
    VillageNotFound,
)
from payouts.rebates.models import RebateEntry, SecurityExpenditure
from payouts.rebates.services.agreements import get_agreement, get_period, get_period_over
from policies.models import Region


class EntryService(SQLAlchemyAsyncRepositoryService[RebateEntry]):
    class Repo(SQLAlchemyAsyncRepository[RebateEntry]):
        model_type = RebateEntry

    repository_type = Repo


def entry_view(entry: RebateEntry) -> schemas.RebateEntry:
    return from_row(entry, schemas.RebateEntry, posted_at=entry.created_at)


def standing(period_id: UUID, kind: EntryKind) -> list[ColumnElement[bool]]:
    """Filters for the entries of one kind that still stand: neither a reversal nor reversed."""
    later = aliased(RebateEntry)
    reversal = select(later.id).where(later.reverses_id == RebateEntry.id)
    return [
        RebateEntry.period_id == period_id,
        RebateEntry.kind == kind.value,
        RebateEntry.reverses_id.is_(None),
        ~reversal.exists(),
    ]


async def post(session: AsyncSession, entry: RebateEntry) -> RebateEntry:
    # Ids and timestamps are set in Python at flush: reading the row back would only cost a query.
    entry = await EntryService(session=session).create(entry, auto_refresh=False)
    await record(
        session,
        actor=entry.actor,
        action=f"rebate.{entry.kind}" + ("_reversed" if entry.reverses_id else ""),
        subject_type="rebate_entry",
        subject_id=entry.id,
        region_code=entry.village_code,
        reason=entry.reason,
        after={"period_id": str(entry.period_id), "kind": entry.kind, "amount_fen": entry.amount_fen},
    )
    return entry


async def post_reversal(
    session: AsyncSession, original: RebateEntry, *, actor: str, reason: str
) -> RebateEntry:
    return await post(
        session,
        RebateEntry(
            period_id=original.period_id,
            village_code=original.village_code,
            kind=original.kind,
            amount_fen=-original.amount_fen,
            reverses_id=original.id,
            actor=actor,
            reason=reason,
        ),
    )


async def lock_village(session: AsyncSession, village_code: str) -> Region:
    """Serialise every change to one village's money (PostgreSQL row lock; SQLite locks anyway)."""
    village = await session.scalar(
        select(Region).where(Region.code == village_code, Region.level == "village").with_for_update()
    )
    if village is None:
        raise VillageNotFound(village_code)
    return village


async def stages(session: AsyncSession, period_id: UUID, village_code: str) -> Stages:
    # A grouped sum, not rows: SQL of its own rather than a repository read.
    rows = await session.execute(
        select(RebateEntry.kind, func.sum(RebateEntry.amount_fen))
        .where(RebateEntry.period_id == period_id, RebateEntry.village_code == village_code)
        .group_by(RebateEntry.kind)
    )
    sums = {kind: int(total) for kind, total in rows.all()}
    return Stages(
        accrued_fen=sums.get(EntryKind.ACCRUAL, 0),
        approved_fen=sums.get(EntryKind.APPROVAL, 0),
        disbursed_fen=sums.get(EntryKind.DISBURSEMENT, 0),
    )


async def move_stage(
    session: AsyncSession, *, principal: Principal, kind: EntryKind, data: schemas.StageMovement
) -> RebateEntry:
    """Approve or disburse part of what the previous stage holds for one village and period."""
    scope.check_region(principal, data.village_code)
    period = await get_period_over(session, data.period_id, data.village_code)
    agreement = await get_agreement(session, period.agreement_id)
    if kind is EntryKind.APPROVAL and principal.role.value != agreement.approver_role:
        raise NotTheApprover(f"approver is {agreement.approver_role}")
    await lock_village(session, data.village_code)
    held = await stages(session, period.id, data.village_code)
    check = domain.check_approval if kind is EntryKind.APPROVAL else domain.check_disbursement
    check(held, data.amount_fen)
    return await post(
        session,
        RebateEntry(
            period_id=period.id,
            village_code=data.village_code,
            kind=kind.value,
            amount_fen=data.amount_fen,
            reference=data.reference,
            actor=principal.username,
            reason=data.reason,
        ),
    )


async def reverse_entry(
    session: AsyncSession, *, principal: Principal, entry_id: UUID, reason: str
) -> RebateEntry:
    """Correct an approval or disbursement by posting its negative; the original stays as it was."""
    original = await get_entry(session, principal=principal, entry_id=entry_id)
    kind = EntryKind(original.kind)
    if kind is EntryKind.ACCRUAL:
        raise AccrualReversedByRecompute()
    agreement = await get_agreement(session, (await get_period(session, original.period_id)).agreement_id)
    may = agreement.approver_role if kind is EntryKind.APPROVAL else Role.FINANCE.value
    if principal.role.value != may:
        raise NotTheApprover(f"only {may} reverses a {kind.value}")
    await lock_village(session, original.village_code)
    already = await EntryService(session=session).exists(reverses_id=original.id)
    if original.reverses_id is not None or already:
        raise AlreadyReversed(str(original.id))
    held = await stages(session, original.period_id, original.village_code)
    balance = await fund_balance(session, original.village_code)
    domain.check_reversal(kind, original.amount_fen, held, balance)
    return await post_reversal(session, original, actor=principal.username, reason=reason)


async def fund_balance(session: AsyncSession, village_code: str) -> int:
    """What a village's security fund holds: every disbursement to it, less everything it spent."""
    disbursed = select(func.coalesce(func.sum(RebateEntry.amount_fen), 0)).where(
        RebateEntry.village_code == village_code, RebateEntry.kind == EntryKind.DISBURSEMENT.value
    )
    spent = select(func.coalesce(func.sum(SecurityExpenditure.amount_fen), 0)).where(
        SecurityExpenditure.village_code == village_code
    )
    return int(await session.scalar(disbursed) or 0) - int(await session.scalar(spent) or 0)


async def get_entry(session: AsyncSession, *, principal: Principal, entry_id: UUID) -> RebateEntry:
    """The entry if it lies in the caller's villages; otherwise answered as unknown."""
    entry = await EntryService(session=session).get_one_or_none(id=entry_id)
    if entry is None or not scope.covers(principal, entry.village_code):
        raise EntryNotFound(str(entry_id))
    return entry


async def list_entries(
    session: AsyncSession,
    *,
    principal: Principal,
    period_id: UUID | None = None,
    village_code: str | None = None,
) -> list[schemas.RebateEntry]:
    """The entries in the caller's villages, oldest first, of one period or village if given."""
    filters = [scope.region_clause(principal, RebateEntry.village_code)]
    if period_id is not None:
        filters.append(RebateEntry.period_id == period_id)
    if village_code is not None:
        filters.append(RebateEntry.village_code == village_code)
    rows = await EntryService(session=session).get_many(
        *filters, order_by=[RebateEntry.created_at.asc(), RebateEntry.id.asc()]
    )
    return [entry_view(row) for row in rows]
