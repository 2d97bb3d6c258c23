"""Background work for the clock: the warning sweep, every five minutes."""

from __future__ import annotations

import periodiq
from sqlalchemy.ext.asyncio import AsyncSession

from claims.clock.services import sweep
from core.clock import utcnow
from core.outbox import OutboxActor, outbox_actor


# Every five minutes: a 72-hour target reaches 75 % at 54 h, so a warning is at most five minutes late;
# each run looks only at claims that could have crossed a threshold since the last (see sweep).
@outbox_actor(actor_name="claims.clock_sweep", periodic=periodiq.cron("*/5 * * * *"))
async def clock_sweep(session: AsyncSession) -> None:
    """Mark claims at risk or breached, warn their officers once, recount the recent months' claims."""
    await sweep.sweep(session, now=utcnow())


ACTORS: list[OutboxActor] = [clock_sweep]
