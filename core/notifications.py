"""Messages to people (a resident told their visit time, an officer told a claim is at risk).

`notify(session, …)` records the message in the change's own transaction and enqueues its delivery
through the outbox, so it goes out after commit and exactly once. Delivery is a `Sender`: the
default, `LogSender`, writes the message to the log and marks it sent (the row in the database is
the record); an SMS gateway is another Sender given to `create_app` through the session info, with
no change to callers. A message with a `key` is recorded at most once for that key (the database's
unique index enforces it), so a job that runs again never notifies twice for the same event.
"""

from __future__ import annotations

import enum
import logging
from datetime import datetime
from typing import Any, Protocol
from uuid import UUID

from advanced_alchemy.types import DateTimeUTC
from sqlalchemy import String, Text, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from core.clock import utcnow
from core.database import Base
from core.outbox import OutboxActor, enqueue, outbox_actor

log = logging.getLogger(__name__)
SENDER_KEY = "anju_notification_sender"


class Recipient(enum.StrEnum):
    HOUSEHOLD = "household"  # a resident, reached at the claim's phone
    USER = "user"  # a member of staff


class Notification(Base):
    __tablename__ = "notifications"

    recipient_kind: Mapped[str] = mapped_column(String(12))
    # The household's or the user's id: what a page lists "my notifications" by.
    recipient_id: Mapped[UUID] = mapped_column(index=True)
    phone: Mapped[str | None] = mapped_column(String(20))
    text_zh: Mapped[str] = mapped_column(Text)
    subject_type: Mapped[str] = mapped_column(String(30))
    subject_id: Mapped[UUID] = mapped_column(index=True)
    region_code: Mapped[str | None] = mapped_column(String(15))
    # At most one message per key ("clock.at_risk:<claim id>"); None: no such limit.
    key: Mapped[str | None] = mapped_column(String(120), unique=True)
    sent_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True))
    channel: Mapped[str | None] = mapped_column(String(20))  # the sender that delivered it


class Sender(Protocol):
    """Delivers one message; returns the channel's name. Raising makes the outbox try again."""

    async def send(self, notification: Notification) -> str: ...


class LogSender:
    """The default: the message is in the database already; the log shows it was sent."""

    async def send(self, notification: Notification) -> str:
        kind, recipient = notification.recipient_kind, notification.recipient_id
        log.info("notification to %s %s: %s", kind, recipient, notification.text_zh)
        return "log"


def session_info(sender: Sender | None = None) -> dict[str, Any]:
    """Session info under which messages are delivered by `sender` (default: LogSender)."""
    return {SENDER_KEY: sender or LogSender()}


def sender(info: dict[str, Any]) -> Sender:
    """The sender a session's info names (LogSender if none)."""
    found: Sender | None = info.get(SENDER_KEY)
    return found or LogSender()


async def notify(
    session: AsyncSession,
    *,
    recipient_kind: Recipient,
    recipient_id: UUID,
    text_zh: str,
    subject_type: str,
    subject_id: UUID,
    region_code: str | None = None,
    phone: str | None = None,
    key: str | None = None,
) -> Notification | None:
    """Record a message and its delivery; with a `key` already used, nothing (and None)."""
    if key is not None and await session.scalar(select(Notification.id).where(Notification.key == key)):
        return None
    notification = Notification(
        recipient_kind=recipient_kind.value,
        recipient_id=recipient_id,
        phone=phone,
        text_zh=text_zh,
        subject_type=subject_type,
        subject_id=subject_id,
        region_code=region_code,
        key=key,
    )
    session.add(notification)
    await session.flush()
    enqueue(session, deliver, str(notification.id))
    return notification


@outbox_actor(actor_name="core.deliver_notification")
async def deliver(session: AsyncSession, notification_id: str) -> None:
    notification = await session.get(Notification, UUID(notification_id), with_for_update=True)
    if notification is None or notification.sent_at is not None:
        return
    notification.channel = await sender(session.info).send(notification)
    notification.sent_at = utcnow()


async def for_subject(session: AsyncSession, subject_id: UUID) -> list[Notification]:
    """Every message about one subject (a claim, a visit), oldest first."""
    rows = await session.scalars(
        select(Notification).where(Notification.subject_id == subject_id).order_by(Notification.created_at)
    )
    return list(rows)


ACTORS: list[OutboxActor] = [deliver]
