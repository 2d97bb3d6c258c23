"""The outbox: work recorded in the same transaction as the change that causes it, sent after commit.

`enqueue(session, actor, *ids)` adds a row; when the session commits, the message goes to the
broker named in the session's info (`session_info`: the app's sessions and its actors' sessions
carry the app's broker; a session made outside the app has none, and its messages wait for the
sweeper). `outbox_actor` declares an actor that runs in its own transaction, skips work already
done, and marks its outbox row done in that same transaction; `register_actors` binds declared
actors to one app's broker and database. Anything left undone (a crash between commit and send)
is sent again by `redispatch_pending`, at start-up and on a schedule.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import dramatiq
from advanced_alchemy.types import DateTimeUTC
from sqlalchemy import JSON, String, event, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import Mapped, Session, mapped_column
from sqlalchemy.pool import NullPool

from core.clock import utcnow
from core.database import Base, make_engine, make_sessionmaker, session_scope

log = logging.getLogger(__name__)
_PENDING_KEY = "anju_outbox_pending"
_BROKER_KEY = "anju_broker"


class OutboxMessage(Base):
    __tablename__ = "outbox_messages"

    actor_name: Mapped[str] = mapped_column(String(100))
    args: Mapped[list[Any]] = mapped_column(JSON)
    done_at: Mapped[datetime | None] = mapped_column(DateTimeUTC(timezone=True), index=True)
    attempts: Mapped[int] = mapped_column(default=0)


@dataclass(frozen=True)
class OutboxActor:
    """An actor as its package declares it; `register_actors` makes it a Dramatiq actor of one app."""

    actor_name: str
    work: Callable[..., Awaitable[None]]
    queue_name: str = "default"
    max_retries: int = 5
    options: dict[str, Any] = field(default_factory=dict)


def session_info(broker: dramatiq.Broker) -> dict[str, Any]:
    """Session info under which committed outbox messages go to `broker`."""
    return {_BROKER_KEY: broker}


def enqueue(session: AsyncSession, actor: OutboxActor, *args: str | int) -> OutboxMessage:
    """Record work for `actor(*args)`; it is sent only if and when this transaction commits."""
    message = OutboxMessage(id=uuid4(), actor_name=actor.actor_name, args=list(args))
    session.add(message)
    session.info.setdefault(_PENDING_KEY, []).append(message)
    return message


def _send(broker: dramatiq.Broker, message_id: UUID, actor_name: str, args: list[Any]) -> None:
    actor = broker.get_actor(actor_name)
    actor.send_with_options(args=tuple(args), kwargs={"outbox_id": str(message_id)})


@event.listens_for(Session, "after_commit")
def _dispatch_after_commit(session: Session) -> None:
    pending = session.info.pop(_PENDING_KEY, [])
    broker = session.info.get(_BROKER_KEY)
    if broker is None:
        return  # no broker to send to: the rows stay undone until redispatch_pending
    for message in pending:
        try:
            _send(broker, message.id, message.actor_name, message.args)
        except Exception:  # the row stays undone; redispatch_pending sends it later
            log.exception("could not send outbox message %s", message.id)


@event.listens_for(Session, "after_rollback")
def _drop_after_rollback(session: Session) -> None:
    session.info.pop(_PENDING_KEY, None)


async def redispatch_pending(session: AsyncSession, *, older_than: timedelta = timedelta(0)) -> int:
    """Send again every message not done that was created before now - older_than, to the
    session's broker."""
    broker = session.info.get(_BROKER_KEY)
    if broker is None:
        raise RuntimeError("redispatch_pending needs a session made with session_info(broker)")
    cutoff = utcnow() - older_than
    rows = (
        await session.execute(
            select(OutboxMessage.id, OutboxMessage.actor_name, OutboxMessage.args).where(
                OutboxMessage.done_at.is_(None), OutboxMessage.created_at <= cutoff
            )
        )
    ).all()
    for message_id, actor_name, args in rows:
        _send(broker, message_id, actor_name, args)
    return len(rows)


def worker_sessionmaker(
    url: str, broker: dramatiq.Broker, *, info: dict[str, Any] | None = None
) -> async_sessionmaker[AsyncSession]:
    """Actors run on Dramatiq's own event loop, so they get an engine of their own.

    It pools nothing: a pooled connection would belong to whichever event loop opened it. `info`
    adds to the sessions' info (the app's audit seal).
    """
    return make_sessionmaker(
        make_engine(url, poolclass=NullPool), info={**session_info(broker), **(info or {})}
    )


def outbox_actor(
    *, actor_name: str, queue_name: str = "default", max_retries: int = 5, **options: Any
) -> Callable[[Callable[..., Awaitable[None]]], OutboxActor]:
    """Declare `async def work(session, *ids)` as an idempotent actor tied to its outbox row.

    `options` go to Dramatiq, e.g. `periodic=periodiq.cron("0 1 * * *")` for scheduled work
    (a scheduled run has no outbox row and must itself be safe to repeat). Nothing is registered
    here: the package lists the actor in its `ACTORS` and create_app registers it.
    """

    def declare(work: Callable[..., Awaitable[None]]) -> OutboxActor:
        return OutboxActor(actor_name, work, queue_name, max_retries, options)

    return declare


def register_actors(
    broker: dramatiq.Broker, actors: Iterable[OutboxActor], sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    """Make each actor a Dramatiq actor on `broker`, its work done in `sessionmaker`'s database."""
    for actor in actors:
        _register(broker, actor, sessionmaker)


def _register(
    broker: dramatiq.Broker, actor: OutboxActor, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    work = actor.work

    async def run(*args: Any, outbox_id: str | None = None) -> None:
        async with session_scope(sessionmaker) as session:
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
    declare = dramatiq.actor(
        actor_name=actor.actor_name,
        queue_name=actor.queue_name,
        broker=broker,
        max_retries=actor.max_retries,
        **actor.options,
    )
    declare(run)
