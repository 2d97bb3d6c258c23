"""An actor and an enqueuer run in separate processes by the Redis integration test.

`python -m tests.redis_support VALUE` commits an outbox row and sends it; `dramatiq
tests.redis_support` works it off. Both build the broker from the environment, as worker.py does.
"""

from __future__ import annotations

import asyncio
import sys

import dramatiq
from sqlalchemy.ext.asyncio import AsyncSession

from core.audit import record
from core.broker import build_broker
from core.database import transaction
from core.outbox import enqueue, outbox_actor, register_actors, session_info, worker_sessionmaker
from core.settings import get_settings


@outbox_actor(actor_name="tests.redis_note")
async def redis_note(session: AsyncSession, value: str) -> None:
    await record(
        session, actor="worker", action="test.redis_processed", subject_type="note", subject_id=value
    )


settings = get_settings()
broker = build_broker(settings.broker_url, heartbeat_ms=settings.broker_heartbeat_ms)
register_actors(broker, [redis_note], worker_sessionmaker(settings.database_url, broker))
dramatiq.set_broker(broker)  # the `dramatiq` command looks its broker up as the global one

__all__ = ["broker"]


async def _enqueue(value: str) -> None:
    async with transaction(settings.database_url, info=session_info(broker)) as session:
        enqueue(session, redis_note, value)


if __name__ == "__main__":
    asyncio.run(_enqueue(sys.argv[1]))
