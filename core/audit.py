"""The append-only, hash-chained audit log: every change to a policy, claim, payout or rebate."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any, NamedTuple

import msgspec
from advanced_alchemy.base import BigIntBase
from advanced_alchemy.filters import LimitOffset
from advanced_alchemy.repository import SQLAlchemyAsyncRepository
from advanced_alchemy.service import SQLAlchemyAsyncRepositoryService
from advanced_alchemy.types import DateTimeUTC
from sqlalchemy import JSON, String, Text, event, insert, select, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, Session, mapped_column

from core import scope
from core.auth import Principal
from core.clock import as_utc, utcnow

GENESIS_HASH = "0" * 64
_TIP_KEY = "anju_audit_tip"
# Any fixed 64-bit number: PostgreSQL serialises audit writers on this advisory lock.
_PG_LOCK_KEY = 0x616E6A7561756474


class AuditEvent(BigIntBase):
    __tablename__ = "audit_events"

    occurred_at: Mapped[datetime] = mapped_column(DateTimeUTC(timezone=True))
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(100), index=True)
    subject_type: Mapped[str] = mapped_column(String(50))
    subject_id: Mapped[str] = mapped_column(String(64), index=True)
    region_code: Mapped[str | None] = mapped_column(String(15), index=True)
    reason: Mapped[str | None] = mapped_column(Text)
    before: Mapped[Any | None] = mapped_column(JSON)
    after: Mapped[Any | None] = mapped_column(JSON)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)


class ChainReport(msgspec.Struct, frozen=True):
    ok: bool
    checked: int
    first_broken_id: int | None = None
    problem: str | None = None


def _stamp(moment: datetime) -> str:
    return as_utc(moment).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _plain(value: Any) -> Any:
    """JSON-safe form of a before/after snapshot (datetimes, UUIDs, Structs, enums)."""
    return None if value is None else msgspec.to_builtins(value)


def compute_hash(
    *,
    prev_hash: str,
    occurred_at: datetime,
    actor: str,
    action: str,
    subject_type: str,
    subject_id: str,
    region_code: str | None,
    reason: str | None,
    before: Any,
    after: Any,
) -> str:
    body = json.dumps(
        [
            prev_hash,
            _stamp(occurred_at),
            actor,
            action,
            subject_type,
            subject_id,
            region_code,
            reason,
            before,
            after,
        ],
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(body.encode()).hexdigest()


_LATEST_HASH = select(AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)


async def _chain_tip(session: AsyncSession) -> str:
    tip = session.info.get(_TIP_KEY)
    if tip is None:
        bind = session.get_bind()
        if bind.dialect.name == "postgresql":
            await session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK_KEY})
        # Pending rows of other tables need not be written to read the tip: they go in one flush later.
        with session.no_autoflush:
            latest = await session.scalar(_LATEST_HASH)
        tip = latest or GENESIS_HASH
    return tip


async def record(
    session: AsyncSession,
    *,
    actor: str,
    action: str,
    subject_type: str,
    subject_id: object,
    region_code: str | None = None,
    reason: str | None = None,
    before: Any = None,
    after: Any = None,
) -> None:
    """Append one event in the caller's transaction, chained to the one before it."""
    await record_many(
        session, [Event(actor, action, subject_type, subject_id, region_code, reason, before, after)]
    )


class Event(NamedTuple):
    """One event for `record_many`: the same fields `record` takes."""

    actor: str
    action: str
    subject_type: str
    subject_id: object
    region_code: str | None = None
    reason: str | None = None
    before: Any = None
    after: Any = None


async def record_many(session: AsyncSession, events: Sequence[Event]) -> None:
    """Append events in order, each chained to the one before it, in one statement (a batch of
    filings, a catastrophe's thousands of claims). The caller's pending rows are flushed first."""
    prev_hash = await _chain_tip(session)
    occurred_at = utcnow()
    rows = []
    for event_ in events:
        fields = {
            "occurred_at": occurred_at,
            "actor": event_.actor,
            "action": event_.action,
            "subject_type": event_.subject_type,
            "subject_id": str(event_.subject_id),
            "region_code": event_.region_code,
            "reason": event_.reason,
            "before": _plain(event_.before),
            "after": _plain(event_.after),
        }
        hash_ = compute_hash(prev_hash=prev_hash, **fields)
        rows.append({**fields, "prev_hash": prev_hash, "hash": hash_})
        prev_hash = hash_
    if rows:
        await session.execute(insert(AuditEvent), rows)
    session.info[_TIP_KEY] = prev_hash


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _forget_tip(session: Session) -> None:
    session.info.pop(_TIP_KEY, None)


async def verify_chain(session: AsyncSession, *, chunk: int = 5000) -> ChainReport:
    """Walk the log in order; name the first event whose link or hash does not hold."""
    expected_prev = GENESIS_HASH
    checked = 0
    last_id = 0
    while True:
        rows = (
            await session.scalars(
                select(AuditEvent).where(AuditEvent.id > last_id).order_by(AuditEvent.id).limit(chunk)
            )
        ).all()
        if not rows:
            return ChainReport(ok=True, checked=checked)
        for row in rows:
            if row.prev_hash != expected_prev:
                return ChainReport(False, checked, row.id, "previous-hash link broken")
            recomputed = compute_hash(
                prev_hash=row.prev_hash,
                occurred_at=row.occurred_at,
                actor=row.actor,
                action=row.action,
                subject_type=row.subject_type,
                subject_id=row.subject_id,
                region_code=row.region_code,
                reason=row.reason,
                before=row.before,
                after=row.after,
            )
            if recomputed != row.hash:
                return ChainReport(False, checked, row.id, "content does not match its hash")
            expected_prev = row.hash
            checked += 1
            last_id = row.id
        session.expunge_all()


class AuditEventService(SQLAlchemyAsyncRepositoryService[AuditEvent]):
    """Reading the log (writing goes through `record`, which keeps the chain)."""

    class Repo(SQLAlchemyAsyncRepository[AuditEvent]):
        model_type = AuditEvent

    repository_type = Repo

    async def list_visible(
        self,
        *,
        principal: Principal,
        subject_id: str | None,
        action: str | None,
        before_id: int | None,
        limit: int,
    ) -> Sequence[AuditEvent]:
        """Events in the principal's regions, newest first; `before_id` pages further back."""
        filters: list[Any] = [scope.region_clause(principal, AuditEvent.region_code)]
        if subject_id:
            filters.append(AuditEvent.subject_id == subject_id)
        if action:
            filters.append(AuditEvent.action == action)
        if before_id:
            filters.append(AuditEvent.id < before_id)
        return await self.get_many(
            *filters, LimitOffset(limit=limit, offset=0), order_by=(AuditEvent.id, True)
        )
