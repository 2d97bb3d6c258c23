"""The outbox: a message is sent only after its transaction commits, and its actor runs it once."""

from __future__ import annotations

import asyncio

import dramatiq
import msgspec
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app import create_app
from core.outbox import OutboxMessage, enqueue, outbox_actor, redispatch_pending
from core.settings import Settings
from tests.conftest import add_actors, drain, run_in_db

processed: list[str] = []


@outbox_actor(actor_name="tests.note_processed")
async def note_processed(_session: AsyncSession, value: str) -> None:
    processed.append(value)


async def test_outbox_sends_only_after_commit_and_worker_runs_it_once(
    settings: Settings, app: Litestar, worker: dramatiq.Worker
) -> None:
    processed.clear()
    add_actors(app, note_processed)

    async def rolled_back(session: AsyncSession) -> None:
        enqueue(session, note_processed, "lost")
        raise RuntimeError("abort")

    with pytest.raises(RuntimeError):
        await run_in_db(settings, rolled_back, app=app)

    async def committed(session: AsyncSession) -> None:
        enqueue(session, note_processed, "kept")

    await run_in_db(settings, committed, app=app)
    await drain(worker)
    assert processed == ["kept"]

    async def pending(session: AsyncSession) -> int:
        return int(
            await session.scalar(
                select(func.count()).select_from(OutboxMessage).where(OutboxMessage.done_at.is_(None))
            )
            or 0
        )

    assert await run_in_db(settings, pending) == 0

    # A second delivery of the same message (a crash after send, say) does nothing.
    async def everything(session: AsyncSession) -> int:
        return await redispatch_pending(session)

    assert await run_in_db(settings, everything, app=app) == 0
    assert processed == ["kept"]


async def test_embedded_app_runs_its_own_worker(settings: Settings) -> None:
    processed.clear()
    embedded = create_app(msgspec.structs.replace(settings, broker_url=""))
    add_actors(embedded, note_processed)
    async with AsyncTestClient(app=embedded):

        async def committed(session: AsyncSession) -> None:
            enqueue(session, note_processed, "in-process")

        await run_in_db(settings, committed, app=embedded)
        for _ in range(200):
            if processed:
                break
            await asyncio.sleep(0.05)
    assert processed == ["in-process"]
