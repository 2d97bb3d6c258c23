"""Scheduled enrollment work: expire policies whose period has ended."""

from __future__ import annotations

import periodiq
from sqlalchemy.ext.asyncio import AsyncSession

from core.outbox import OutboxActor, outbox_actor
from policies.services import policies as policy_services


@outbox_actor(actor_name="policies.expire_policies", periodic=periodiq.cron("5 0 * * *"))
async def expire_policies(session: AsyncSession) -> None:
    """Runs just after midnight (the business day has turned); re-running finds nothing left to do."""
    await policy_services.expire_due_policies(session)


ACTORS: list[OutboxActor] = [expire_policies]
