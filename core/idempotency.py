"""Idempotency-Key support for creating POSTs: a replay returns the first response, never a second write."""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, NamedTuple

import msgspec
from litestar import Request, Response
from sqlalchemy import LargeBinary, String, UniqueConstraint, bindparam, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from core.database import Base, reading
from core.errors import IdempotencyKeyReused, InvalidInput

HEADER = "Idempotency-Key"


class IdempotencyRecord(Base):
    __tablename__ = "idempotency_records"
    __table_args__ = (UniqueConstraint("owner", "key"),)

    owner: Mapped[str] = mapped_column(String(100))
    key: Mapped[str] = mapped_column(String(200))
    fingerprint: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int]
    body: Mapped[bytes] = mapped_column(LargeBinary)


class BadIdempotencyKey(InvalidInput):
    code = "bad_idempotency_key"
    message_zh = "Idempotency-Key 格式不正确（1 至 200 个可见字符）"
    message_en = "Idempotency-Key must be 1 to 200 visible characters"


class Ticket(NamedTuple):
    """One creating request's claim on its key: who sent it, the key, and what the body was."""

    owner: str
    key: str
    fingerprint: str


def ticket(request: Request[Any, Any, Any], *, owner: str, data: Any) -> Ticket | None:
    """The request's ticket, or None when it sent no Idempotency-Key."""
    key = request.headers.get(HEADER)
    if key is None:
        return None
    if not (0 < len(key) <= 200 and key.isprintable()):
        raise BadIdempotencyKey()
    digest = hashlib.sha256(f"{request.method} {request.url.path}\n".encode())
    digest.update(msgspec.json.encode(data, order="sorted"))
    return Ticket(owner, key, digest.hexdigest())


async def create_once(
    request: Request[Any, Any, Any],
    session: AsyncSession,
    *,
    owner: str,
    data: Any,
    create: Callable[[], Awaitable[Any]],
    status_code: int = 201,
) -> Response[Any]:
    """Run `create` once per (owner, Idempotency-Key); replays get the stored response.

    The record is written in the same transaction as the creation, so a crash leaves neither.
    Without the header the call simply runs. Two requests with one key at the same moment both
    pass the lookup; the unique (owner, key) lets only the first commit, and the second, rolled
    back whole, answers as a replay of the first.
    """
    found = ticket(request, owner=owner, data=data)
    if found is None:
        return Response(await create(), status_code=status_code)
    async with reading(session):
        stored = await replay(session, found)
    if stored is not None:
        return stored
    encoded = msgspec.json.encode(await create())
    remember(session, found, status_code=status_code, body=encoded)
    try:
        await session.flush()
    except IntegrityError:
        await session.rollback()
        if (stored := await replay(session, found)) is None:
            raise
        return stored
    return Response(encoded, status_code=status_code, media_type="application/json")


def remember(session: AsyncSession, ticket: Ticket, *, status_code: int, body: bytes) -> None:
    """Store the response given under `ticket`, in the transaction that made it."""
    owner, key, fingerprint = ticket
    session.add(
        IdempotencyRecord(owner=owner, key=key, fingerprint=fingerprint, status_code=status_code, body=body)
    )


async def replay(session: AsyncSession, ticket: Ticket) -> Response[Any] | None:
    """The response first given under this ticket's key, or None; another body under it is a 409."""
    outcome = (await replays(session, [ticket])).get(ticket)
    if isinstance(outcome, IdempotencyKeyReused):
        raise outcome
    return outcome


async def replays(
    session: AsyncSession, tickets: Sequence[Ticket]
) -> dict[Ticket, Response[Any] | IdempotencyKeyReused]:
    """`replay` for many tickets in one statement: only those whose key was used appear."""
    wanted = {(t.owner, t.key): t for t in tickets}
    rows = await session.execute(
        _LOOKUP, {"owners": sorted({t.owner for t in tickets}), "keys": sorted({t.key for t in tickets})}
    )
    found: dict[Ticket, Response[Any] | IdempotencyKeyReused] = {}
    for row in rows:
        asked = wanted.get((row.owner, row.key))
        if asked is None:
            continue
        found[asked] = (
            IdempotencyKeyReused()
            if row.fingerprint != asked.fingerprint
            else Response(
                row.body,
                status_code=row.status_code,
                media_type="application/json",
                headers={"Idempotent-Replay": "true"},
            )
        )
    return found


_LOOKUP = select(
    IdempotencyRecord.owner,
    IdempotencyRecord.key,
    IdempotencyRecord.fingerprint,
    IdempotencyRecord.status_code,
    IdempotencyRecord.body,
).where(
    IdempotencyRecord.owner.in_(bindparam("owners", expanding=True)),
    IdempotencyRecord.key.in_(bindparam("keys", expanding=True)),
)
