"""Village security funds: what villages spend from their rebates, and the receipts that prove it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core import clock, files
from core.audit import record
from core.auth import Principal
from payouts import domain
from payouts.errors import ExpenditureNotFound
from payouts.models import SecurityExpenditure
from payouts.rebate_agreements import require_region
from payouts.rebate_ledger import fund_balance, lock_village
from payouts.schemas import ExpenditureForm


async def record_expenditure(
    session: AsyncSession,
    *,
    principal: Principal,
    village_code: str,
    form: ExpenditureForm,
    content: bytes,
    storage_dir: Path,
) -> SecurityExpenditure:
    """A liaison's spending from the village fund; it may not take the fund below zero.

    The receipt's size is bounded by the app's request body limit (settings.max_upload_bytes).
    """
    require_region(principal, village_code)
    domain.check_spent_on(form.spent_on, today=clock.today())
    media_type = domain.receipt_media_type(content)
    await lock_village(session, village_code)
    domain.check_spending(await fund_balance(session, village_code), form.amount_fen)
    expenditure = SecurityExpenditure(
        village_code=village_code,
        category=form.category.value,
        amount_fen=form.amount_fen,
        spent_on=form.spent_on,
        description=form.description,
        receipt_sha256=files.store(storage_dir, content),
        receipt_media_type=media_type,
        receipt_name=(form.receipt.filename or "receipt")[:200],
        recorded_by=principal.username,
    )
    session.add(expenditure)
    await session.flush()
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
    village_code: str,
    *,
    spent_from: date | None = None,
    spent_before: date | None = None,
) -> Sequence[SecurityExpenditure]:
    query = select(SecurityExpenditure).where(SecurityExpenditure.village_code == village_code)
    if spent_from is not None:
        query = query.where(SecurityExpenditure.spent_on >= spent_from)
    if spent_before is not None:
        query = query.where(SecurityExpenditure.spent_on < spent_before)
    order = (SecurityExpenditure.spent_on, SecurityExpenditure.created_at)
    return (await session.scalars(query.order_by(*order))).all()


async def get_expenditure(
    session: AsyncSession, principal: Principal, expenditure_id: UUID
) -> SecurityExpenditure:
    expenditure = await session.get(SecurityExpenditure, expenditure_id)
    if expenditure is None or not principal.covers(expenditure.village_code):
        raise ExpenditureNotFound(str(expenditure_id))
    return expenditure
