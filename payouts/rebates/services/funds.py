"""Village security funds: what villages spend from their rebates with receipts, and each region's funds."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any
from uuid import UUID

from advanced_alchemy.repository import SQLAlchemyAsyncRepository
from advanced_alchemy.service import SQLAlchemyAsyncRepositoryService
from sqlalchemy import ColumnElement, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from core import clock, files, scope
from core.audit import record
from core.auth import Principal
from core.views import from_row
from payouts.rebates import domain, schemas
from payouts.rebates.domain import EntryKind
from payouts.rebates.errors import ExpenditureNotFound, VillageNotFound
from payouts.rebates.models import RebateEntry, RebatePeriod, SecurityExpenditure
from payouts.rebates.services.agreements import get_period_over
from payouts.rebates.services.ledger import fund_balance, lock_village
from policies.models import Region
from policies.services.regions import get_readable_region


class ExpenditureService(SQLAlchemyAsyncRepositoryService[SecurityExpenditure]):
    class Repo(SQLAlchemyAsyncRepository[SecurityExpenditure]):
        model_type = SecurityExpenditure

    repository_type = Repo


def expenditure_view(row: SecurityExpenditure) -> schemas.SecurityExpenditure:
    return from_row(row, schemas.SecurityExpenditure, recorded_at=row.created_at)


async def get_visible_village(session: AsyncSession, *, principal: Principal, village_code: str) -> Region:
    """A village in the caller's scope; any other is answered as a code never issued, so a read
    tells nobody which villages exist outside their own."""
    village = await session.get(Region, village_code)
    if village is None or village.level != "village" or not scope.covers(principal, village_code):
        raise VillageNotFound(village_code)
    return village


async def record_expenditure(
    session: AsyncSession,
    *,
    principal: Principal,
    village_code: str,
    form: schemas.ExpenditureForm,
    content: bytes,
    storage_dir: Path,
) -> SecurityExpenditure:
    """A liaison's spending from the village fund; it may not take the fund below zero.

    The receipt's size is bounded by the app's request body limit (settings.max_upload_bytes).
    """
    scope.check_region(principal, village_code)
    domain.check_spent_on(form.spent_on, today=clock.today())
    media_type = domain.receipt_media_type(content)
    await lock_village(session, village_code)
    domain.check_spending(await fund_balance(session, village_code), form.amount_fen)
    expenditure = await ExpenditureService(session=session).create(
        SecurityExpenditure(
            village_code=village_code,
            category=form.category.value,
            amount_fen=form.amount_fen,
            spent_on=form.spent_on,
            description=form.description,
            receipt_sha256=files.store(storage_dir, content),
            receipt_media_type=media_type,
            receipt_name=(form.receipt.filename or "receipt")[:200],
            recorded_by=principal.username,
        ),
        auto_refresh=False,
    )
    await record(
        session,
        actor=principal.username,
        action="security_expenditure.recorded",
        subject_type="security_expenditure",
        subject_id=expenditure.id,
        region_code=village_code,
        reason=form.description,
        after={
            "category": expenditure.category,
            "amount_fen": expenditure.amount_fen,
            "spent_on": expenditure.spent_on.isoformat(),
            "receipt_sha256": expenditure.receipt_sha256,
        },
    )
    return expenditure


async def list_expenditures(
    session: AsyncSession,
    *,
    principal: Principal,
    village_code: str,
    spent_from: date | None = None,
    spent_before: date | None = None,
) -> list[schemas.SecurityExpenditure]:
    """What a village in the caller's scope spent, by date, within [spent_from, spent_before)."""
    await get_visible_village(session, principal=principal, village_code=village_code)
    filters = [SecurityExpenditure.village_code == village_code]
    if spent_from is not None:
        filters.append(SecurityExpenditure.spent_on >= spent_from)
    if spent_before is not None:
        filters.append(SecurityExpenditure.spent_on < spent_before)
    rows = await ExpenditureService(session=session).get_many(
        *filters, order_by=[SecurityExpenditure.spent_on.asc(), SecurityExpenditure.created_at.asc()]
    )
    return [expenditure_view(row) for row in rows]


async def get_expenditure(
    session: AsyncSession, *, principal: Principal, expenditure_id: UUID
) -> SecurityExpenditure:
    """The expenditure if it lies in the caller's villages; otherwise answered as unknown."""
    expenditure = await ExpenditureService(session=session).get_one_or_none(id=expenditure_id)
    if expenditure is None or not scope.covers(principal, expenditure.village_code):
        raise ExpenditureNotFound(str(expenditure_id))
    return expenditure


async def village_fund(
    session: AsyncSession, *, principal: Principal, village_code: str
) -> schemas.VillageFund:
    """One village's fund today, for staff of its region and its own liaisons."""
    await get_visible_village(session, principal=principal, village_code=village_code)
    return (await region_funds(session, principal=principal, region_code=village_code))[0]


async def _sums_by_village(
    session: AsyncSession, region_code: str, period: RebatePeriod | None
) -> tuple[dict[tuple[str, str], int], dict[str, int], dict[str, int], dict[str, int]]:
    """(village, kind) → ledger sum in the period; spent in it; disbursed and spent ever."""
    # Sums grouped by village are SQL of their own: the repository reads rows, it does not add them.
    in_region: ColumnElement[bool] = RebateEntry.village_code.startswith(region_code)
    movements = select(RebateEntry.village_code, RebateEntry.kind, func.sum(RebateEntry.amount_fen))
    movements = movements.where(in_region)
    spending = select(SecurityExpenditure.village_code, func.sum(SecurityExpenditure.amount_fen)).where(
        SecurityExpenditure.village_code.startswith(region_code)
    )
    all_spending = spending
    if period is not None:
        movements = movements.where(RebateEntry.period_id == period.id)
        spending = spending.where(
            SecurityExpenditure.spent_on >= period.starts_on, SecurityExpenditure.spent_on < period.ends_on
        )
    ever_paid = (
        select(RebateEntry.village_code, func.sum(RebateEntry.amount_fen))
        .where(in_region, RebateEntry.kind == EntryKind.DISBURSEMENT.value)
        .group_by(RebateEntry.village_code)
    )
    by_kind = {
        (v, k): int(total)
        for v, k, total in await session.execute(
            movements.group_by(RebateEntry.village_code, RebateEntry.kind)
        )
    }

    async def totals(query: Any) -> dict[str, int]:
        return {v: int(total) for v, total in await session.execute(query)}

    by_village = SecurityExpenditure.village_code
    return (
        by_kind,
        await totals(spending.group_by(by_village)),
        await totals(ever_paid),
        await totals(all_spending.group_by(by_village)),
    )


async def region_funds(
    session: AsyncSession, *, principal: Principal, region_code: str, period_id: UUID | None = None
) -> list[schemas.VillageFund]:
    """Every village in a region (a district, town or one village) that the caller may see.

    With a period, accrued to spent are the movements within it; the balance is always today's.
    """
    await get_readable_region(session, principal, region_code)
    period = await get_period_over(session, period_id, region_code) if period_id else None
    villages = await session.execute(
        select(Region.code, Region.name)
        .where(
            Region.level == "village",
            Region.code.startswith(region_code),
            scope.region_clause(principal, Region.code),
        )
        .order_by(Region.code)
    )
    by_kind, spent, ever_paid, ever_spent = await _sums_by_village(session, region_code, period)
    return [
        schemas.VillageFund(
            village_code=code,
            village_name=name,
            accrued_fen=by_kind.get((code, EntryKind.ACCRUAL.value), 0),
            approved_fen=by_kind.get((code, EntryKind.APPROVAL.value), 0),
            disbursed_fen=by_kind.get((code, EntryKind.DISBURSEMENT.value), 0),
            spent_fen=spent.get(code, 0),
            balance_fen=ever_paid.get(code, 0) - ever_spent.get(code, 0),
        )
        for code, name in villages.all()
    ]
