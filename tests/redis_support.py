"""An actor and an enqueuer run in separate processes by the Redis integration test."""

from __future__ import annotations

import asyncio
import sys

from sqlalchemy.ext.asyncio import AsyncSession

from core.audit import record
from core.broker import broker
from core.database import transaction
from core.outbox import enqueue, outbox_actor
from core.settings import get_settings

__all__ = ["broker"]


@outbox_actor(actor_name="tests.redis_note")
async def redis_note(session: AsyncSession, value: str) -> None:
    await record(
        session, actor="worker", action="test.redis_processed", subject_type="note", subject_id=value
    )


async def _enqueue(value: str) -> None:
    async with transaction(get_settings().database_url) as session:
        enqueue(session, redis_note, value)


if __name__ == "__main__":
    asyncio.run(_enqueue(sys.argv[1]))
