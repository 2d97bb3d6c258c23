"""Background work for claim payouts: the daily cut-off batch (the rebates' are in rebates/tasks.py)."""

from __future__ import annotations

import periodiq
from sqlalchemy.ext.asyncio import AsyncSession

from core.outbox import OutboxActor, outbox_actor
from payouts.services import batches


# 15:30 business time: after the morning's approvals, in time for the banks' same-day run. Safe to
# run twice: a payout joins a batch only by compare-and-set, so a second run finds nothing waiting.
@outbox_actor(actor_name="payouts.daily_cut_off", periodic=periodiq.cron("30 15 * * *"))
async def daily_cut_off(session: AsyncSession) -> None:
    """One batch per district of every approved payout not in a batch yet."""
    await batches.build_daily_batches(session)


ACTORS: list[OutboxActor] = [daily_cut_off]
