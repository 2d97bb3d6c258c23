"""Login sessions: opened at login, ended by logout or by deactivating the user, checked on every
authenticated request with one indexed lookup on a connection of their own."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import UUID

from litestar.connection import ASGIConnection
from litestar.security.jwt import Token
from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from core.clock import utcnow
from core.database import make_engine, make_sessionmaker, reading
from users.models import User, UserSession


async def open_session(session: AsyncSession, *, user: User, lifetime: timedelta) -> UserSession:
    """A new session for `user`; the user's expired ones go (nothing else would ever read them)."""
    now = utcnow()
    await session.execute(
        delete(UserSession).where(UserSession.user_id == user.id, UserSession.expires_at < now)
    )
    row = UserSession(user_id=user.id, expires_at=now + lifetime)
    session.add(row)
    await session.flush()
    return row


async def end_session(session: AsyncSession, *, session_id: UUID) -> bool:
    """Revoke one session (a logout); False if it was already ended."""
    result = await session.execute(
        update(UserSession)
        .where(UserSession.id == session_id, UserSession.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    return bool(getattr(result, "rowcount", 0))


async def end_sessions_of(session: AsyncSession, *, user_id: UUID) -> int:
    """Revoke every live session of a user in one statement (a deactivation); how many there were."""
    now = utcnow()
    result = await session.execute(
        update(UserSession)
        .where(UserSession.user_id == user_id, UserSession.revoked_at.is_(None), UserSession.expires_at > now)
        .values(revoked_at=now)
    )
    return int(getattr(result, "rowcount", 0))


class LiveSessions:
    """The JWT middleware's `revoked_token_handler`: is this token's session still live?

    One primary-key lookup joined to the user's row by its primary key. It runs on an engine of its
    own, outside any transaction (on SQLite the app's one pooled connection is often held by a
    batch of filings; a lookup queued behind it would hold every request up)."""

    def __init__(self, database_url: str) -> None:
        if database_url.startswith("sqlite"):
            self.engine: AsyncEngine = make_engine(database_url)
        else:
            # Autocommit: one round trip, no BEGIN and ROLLBACK around it.
            self.engine = make_engine(database_url, isolation_level="AUTOCOMMIT", pool_size=2, max_overflow=8)
        self.sessionmaker = make_sessionmaker(self.engine)

    async def __call__(self, token: Token, _connection: ASGIConnection[Any, Any, Any, Any]) -> bool:
        try:
            session_id, user_id = UUID(str(token.jti)), UUID(token.sub)
        except ValueError:
            return True  # a token from before sessions existed, or not one of ours
        live = (
            select(UserSession.id)
            .join(User, User.id == UserSession.user_id)
            .where(
                UserSession.id == session_id,
                UserSession.user_id == user_id,
                UserSession.revoked_at.is_(None),
                User.active.is_(True),
            )
        )
        async with self.sessionmaker() as session, reading(session):
            return await session.scalar(live) is None

    async def close(self) -> None:
        await self.engine.dispose()
