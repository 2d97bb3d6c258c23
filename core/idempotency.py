"""Idempotency-Key support for creating POSTs: a replay returns the first response, never a second write."""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable
from typing import Any

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


def _fingerprint(request: Request[Any, Any, Any], data: Any) -> str:
    digest = hashlib.sha256(f"{request.method} {request.url.path}\n".encode())
    digest.update(msgspec.json.encode(data, order="sorted"))
    return digest.hexdigest()


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
    key = request.headers.get(HEADER)
    if key is None:
        return Response(await create(), status_code=status_code)
    if not (0 < len(key) <= 200 and key.isprintable()):
        raise BadIdempotencyKey()
    fingerprint = _fingerprint(request, data)
    async with reading(session):
        stored = await _stored(session, owner, key, fingerprint)
    if stored is not None:
        return stored
    result = await create()
    encoded = msgspec.json.encode(result)
    session.add(
        IdempotencyRecord(
            owner=owner, key=key, fingerprint=fingerprint, status_code=status_code, body=encoded
        )
    )
    try:
        await session.flush()
    except IntegrityError:
        await session.rollback()
        if (stored := await _stored(session, owner, key, fingerprint)) is None:
            raise
        return stored
    return Response(encoded, status_code=status_code, media_type="application/json")


_LOOKUP = select(IdempotencyRecord.fingerprint, IdempotencyRecord.status_code, IdempotencyRecord.body).where(
    IdempotencyRecord.owner == bindparam("owner"), IdempotencyRecord.key == bindparam("key")
)


async def _stored(session: AsyncSession, owner: str, key: str, fingerprint: str) -> Response[Any] | None:
    """The response first given for this key, or None; another body under the same key is a 409."""
    row = (await session.execute(_LOOKUP, {"owner": owner, "key": key})).first()
    if row is None:
        return None
    if row.fingerprint != fingerprint:
        raise IdempotencyKeyReused()
    return Response(
        row.body,
        status_code=row.status_code,
        media_type="application/json",
        headers={"Idempotent-Replay": "true"},
    )
