"""The outbox: work recorded in the same transaction as the change that causes it, sent after commit.

`enqueue(session, actor, *ids)` adds a row; when the session commits, the message goes to the
broker. `outbox_actor` wraps an actor so that it runs in its own transaction, skips work already
done, and marks its outbox row done in that same transaction. Anything left undone (a crash between
commit and send) is sent again by `redispatch_pending`, at start-up and on a schedule.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any, ParamSpec
from uuid import UUID, uuid4

import dramatiq
from advanced_alchemy.types import DateTimeUTC
from sqlalchemy import JSON, String, event, select, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from sqlalchemy.orm import Mapped, Session, mapped_column
from sqlalchemy.pool import NullPool

from core.broker import broker
from core.clock import utcnow
from core.database import Base, make_engine, make_sessionmaker, session_scope
from core.settings import get_settings

log = logging.getLogger(__name__)
_PENDING_KEY = "anju_outbox_pending"
P = ParamSpec("P")


class OutboxMessage(Base):
    __tablename__ = "outbox_messages"

    actor_name: Mapped[str] = mapped_column(String(100))
    args: Mapped[list[Any]] = mapped_column(JSON)
    done_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True), index=True)
    attempts: Mapped[int] = mapped_column(default=0)


def enqueue(session: AsyncSession, actor: dramatiq.Actor[Any, Any], *args: str | int) -> OutboxMessage:
    """Record work for `actor(*args)`; it is sent only if and when this transaction commits."""
    message = OutboxMessage(id=uuid4(), actor_name=actor.actor_name, args=list(args))
    session.add(message)
    session.info.setdefault(_PENDING_KEY, []).append(message)
    return message


def _send(message_id: UUID, actor_name: str, args: list[Any]) -> None:
    actor = broker.get_actor(actor_name)
    actor.send_with_options(args=tuple(args), kwargs={"outbox_id": str(message_id)})


@event.listens_for(Session, "after_commit")
def _dispatch_after_commit(session: Session) -> None:
    for message in session.info.pop(_PENDING_KEY, []):
        try:
            _send(message.id, message.actor_name, message.args)
        except Exception:  # the row stays undone; redispatch_pending sends it later
            log.exception("could not send outbox message %s", message.id)


@event.listens_for(Session, "after_rollback")
def _drop_after_rollback(session: Session) -> None:
    session.info.pop(_PENDING_KEY, None)


async def redispatch_pending(session: AsyncSession, *, older_than: timedelta = timedelta(0)) -> int:
    """Send again every message not done that was created before now - older_than."""
    cutoff = utcnow() - older_than
    rows = (
        await session.execute(
            select(OutboxMessage.id, OutboxMessage.actor_name, OutboxMessage.args).where(
                OutboxMessage.done_at.is_(None), OutboxMessage.created_at <= cutoff
            )
        )
    ).all()
    for message_id, actor_name, args in rows:
        _send(message_id, actor_name, args)
    return len(rows)


_worker_engines: dict[str, AsyncEngine] = {}
_worker_database_url: str | None = None


def bind_worker_database(url: str) -> None:
    """Point actors at the app's database (create_app calls this; tests use many databases)."""
    global _worker_database_url
    _worker_database_url = url


def worker_sessionmaker() -> async_sessionmaker[AsyncSession]:
    """Actors run on Dramatiq's own event loop, so they get an engine of their own.

    It pools nothing: a pooled connection would belong to whichever event loop opened it.
    """
    url = _worker_database_url or get_settings().database_url
    engine = _worker_engines.get(url)
    if engine is None:
        engine = _worker_engines[url] = make_engine(url, poolclass=NullPool)
    return make_sessionmaker(engine)


def outbox_actor(
    *, actor_name: str, queue_name: str = "default", max_retries: int = 5, **options: Any
) -> Callable[[Callable[..., Awaitable[None]]], dramatiq.Actor[Any, Any]]:
    """Make `async def work(session, *ids)` an idempotent actor tied to its outbox row.

    `options` go to Dramatiq, e.g. `periodic=periodiq.cron("0 1 * * *")` for scheduled work
    (a scheduled run has no outbox row and must itself be safe to repeat).
    """

    def decorate(work: Callable[..., Awaitable[None]]) -> dramatiq.Actor[Any, Any]:
        async def run(*args: Any, outbox_id: str | None = None) -> None:
            async with session_scope(worker_sessionmaker()) as session:
                row = await session.get(OutboxMessage, UUID(outbox_id)) if outbox_id else None
                if row is not None and row.done_at is not None:
                    return
                await work(session, *args)
                if row is not None:
                    await session.execute(
                        update(OutboxMessage)
                        .where(OutboxMessage.id == row.id)
                        .values(done_at=utcnow(), attempts=OutboxMessage.attempts + 1)
                    )

        run.__name__ = work.__name__
        run.__doc__ = work.__doc__
        register: Any = dramatiq.actor(
            actor_name=actor_name, queue_name=queue_name, max_retries=max_retries, **options
        )
        actor: dramatiq.Actor[Any, Any] = register(run)
        return actor

    return decorate
