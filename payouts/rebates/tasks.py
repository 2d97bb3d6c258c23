"""Background work for rebates: the period accrual, on a schedule and on demand."""

from __future__ import annotations

from datetime import date
from uuid import UUID

import periodiq
from sqlalchemy.ext.asyncio import AsyncSession

from core.outbox import OutboxActor, outbox_actor
from payouts.rebates.services import accruals


# Daily rather than on the first of the month: a period missed (the worker was down) is caught up
# the next night, and a day with nothing due costs one query per agreement.
@outbox_actor(actor_name="payouts.accrue_rebates", periodic=periodiq.cron("20 1 * * *"))
async def accrue_rebates(
    session: AsyncSession, agreement_id: str | None = None, period_start: str | None = None
) -> None:
    """With no arguments, accrue every closed period never accrued; with them, (re)accrue that one."""
    if agreement_id is None or period_start is None:
        await accruals.accrue_closed_periods(session)
        return
    await accruals.accrue_period(session, UUID(agreement_id), date.fromisoformat(period_start))


ACTORS: list[OutboxActor] = [accrue_rebates]
