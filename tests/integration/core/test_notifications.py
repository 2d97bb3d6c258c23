"""Messages to people: recorded with the change, sent after commit by the app's sender, once per key."""

from __future__ import annotations

from uuid import UUID, uuid4

import dramatiq
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app import create_app
from core import notifications
from core.notifications import Notification, Recipient
from core.settings import Settings
from tests.conftest import drain, run_in_db


class RecordingSender:
    """An SMS gateway as a test sees it: what it was asked to send."""

    def __init__(self) -> None:
        self.sent: list[str] = []

    async def send(self, notification: Notification) -> str:
        self.sent.append(notification.text_zh)
        return "sms"


async def test_a_message_goes_out_once_through_the_apps_sender_after_commit(settings: Settings) -> None:
    sender = RecordingSender()
    app = create_app(settings, sender=sender)
    worker = dramatiq.Worker(app.state.broker, worker_timeout=50, worker_threads=1)
    worker.start()
    household, claim = uuid4(), uuid4()

    async def tell(session: AsyncSession) -> UUID | None:
        message = await notifications.notify(
            session,
            recipient_kind=Recipient.HOUSEHOLD,
            recipient_id=household,
            text_zh="查勘员将于12月3日上门",
            subject_type="claim",
            subject_id=claim,
            key=f"visit:{claim}:0",
        )
        return message.id if message else None

    class Abandoned(Exception):
        pass

    async def tell_then_fail(session: AsyncSession) -> None:
        await tell(session)
        raise Abandoned

    try:
        with pytest.raises(Abandoned):  # rolled back: nothing recorded, nothing sent
            await run_in_db(settings, tell_then_fail, app=app)
        first = await run_in_db(settings, tell, app=app)
        again = await run_in_db(settings, tell, app=app)  # the same key: nothing more
        await drain(worker)
    finally:
        worker.stop()

    assert first is not None and again is None
    assert sender.sent == ["查勘员将于12月3日上门"]

    async def stored(session: AsyncSession) -> tuple[int, str | None, bool]:
        count = await session.scalar(select(func.count()).select_from(Notification))
        row = await session.get(Notification, first)
        assert row is not None
        return count or 0, row.channel, row.sent_at is not None

    assert await run_in_db(settings, stored) == (1, "sms", True)
