"""The append-only, keyed hash chain of audit events: every change to a policy, claim, payout or rebate.

Each event's hash is an HMAC-SHA256, under the audit key (ANJU_AUDIT_KEY, kept outside the
database), of its content and the hash before it; the chain's head is checkpointed outside the
audit table (`core.audit_seal`) every minute by `core.checkpoint_audit` and by every verification.
`verify_chain` walks the whole log from the first event and holds it against the checkpoint.

Someone who can write to the database but does not hold the key cannot edit, insert or delete an
event without `verify_chain` naming the first one touched (the hashes after it cannot be redone
without the key), nor delete the newest events or put back an older copy of the table: the
checkpoint names an event that is then missing or different. They can still read the log, and
delete the events written since the last checkpoint (about a minute's worth) unnoticed. Someone
who also holds the key can append forged events, and rewrite or delete those since the last
checkpoint, unnoticed; anything older stays caught, since the checkpointed event's hash or count
would change, unless they can also write or delete the checkpoint file (a missing file is taken
for a fresh deployment). So the key and the checkpoint file live where the database's users and its
backups do not reach. Keys are not rotated: under a new key every existing event fails to verify.

Events without a region are the system's own (accounts, the region tree, imports spanning
districts); every auditor reads them (`reports.services`), so none may carry a resident's personal
data.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any, NamedTuple

import msgspec
from advanced_alchemy.base import BigIntBase
from advanced_alchemy.types import DateTimeUTC
from sqlalchemy import JSON, String, Text, event, insert, select, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, Session, mapped_column

from core import audit_seal
from core.audit_seal import GENESIS, GENESIS_HASH, AuditSeal, CheckpointInvalid, Link
from core.clock import as_utc, utcnow
from core.database import reading

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
    # The event the checkpoint names after this check (None: this check keeps no checkpoint).
    checkpoint_id: int | None = None


def _stamp(moment: datetime) -> str:
    return as_utc(moment).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _plain(value: Any) -> Any:
    """JSON-safe form of a before/after snapshot (datetimes, UUIDs, Structs, enums)."""
    return None if value is None else msgspec.to_builtins(value)


def compute_hash(
    seal: AuditSeal,
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
    return seal.sign(body.encode())


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
    seal = audit_seal.of_session(session)
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
        hash_ = compute_hash(seal, prev_hash=prev_hash, **fields)
        rows.append({**fields, "prev_hash": prev_hash, "hash": hash_})
        prev_hash = hash_
    if rows:
        await session.execute(insert(AuditEvent), rows)
    session.info[_TIP_KEY] = prev_hash


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _forget_tip(session: Session) -> None:
    session.info.pop(_TIP_KEY, None)


def _broken(row_id: int, link: Link, problem: str) -> ChainReport:
    return ChainReport(False, link.events, row_id, problem)


async def _walk(
    session: AsyncSession, seal: AuditSeal, start: Link, *, through_id: int | None = None, chunk: int = 5000
) -> tuple[Link, ChainReport | None]:
    """Follow the chain from `start` (up to `through_id`, or to its end); the last good link, and
    what broke if something did."""
    link = start
    while True:
        query = select(AuditEvent).where(AuditEvent.id > link.id).order_by(AuditEvent.id).limit(chunk)
        if through_id is not None:
            query = query.where(AuditEvent.id <= through_id)
        rows = (await session.scalars(query)).all()
        if not rows:
            return link, None
        for row in rows:
            if row.prev_hash != link.hash:
                return link, _broken(row.id, link, "previous-hash link broken")
            if event_hash(seal, row) != row.hash:
                return link, _broken(row.id, link, "content does not match its hash")
            link = Link(row.id, row.hash, link.events + 1)
        session.expunge_all()


def _against_checkpoint(reached: Link, saved: Link) -> ChainReport | None:
    """How the chain as walked up to the checkpointed event contradicts the checkpoint, if it does."""
    if reached.id != saved.id:
        return _broken(saved.id, reached, "checkpointed event missing: the newest events were deleted")
    if reached.hash != saved.hash:
        return _broken(saved.id, reached, "checkpointed event rewritten: its hash is not the checkpoint's")
    if reached.events != saved.events:
        return _broken(saved.id, reached, "event count differs from the checkpoint: events deleted or added")
    return None


def _saved_link(seal: AuditSeal) -> tuple[Link | None, ChainReport | None]:
    try:
        saved = seal.read_checkpoint()
    except CheckpointInvalid as exc:
        return None, ChainReport(False, 0, None, f"checkpoint file does not verify ({exc})")
    return (saved.link if saved else None), None


def _checkpointed(seal: AuditSeal, head: Link, checked: int) -> ChainReport:
    seal.write_checkpoint(head, _stamp(utcnow()))
    return ChainReport(True, checked, checkpoint_id=head.id if seal.checkpoint_path else None)


async def verify_chain(session: AsyncSession, *, chunk: int = 5000) -> ChainReport:
    """Walk the whole log in order, holding it against the checkpoint; name the first event whose
    link or hash does not hold, or the checkpointed event that is gone or changed. A chain found
    intact becomes the new checkpoint."""
    seal = audit_seal.of_session(session)
    saved, unreadable = _saved_link(seal)
    if unreadable:
        return unreadable
    # Outside SQLite's write lock where the session allows (a request's): a long walk must not stall
    # every writer, and an append-only log read a statement at a time is still one consistent chain.
    async with reading(session):
        through = saved.id if saved else None
        reached, broken = await _walk(session, seal, GENESIS, through_id=through, chunk=chunk)
        broken = broken or (_against_checkpoint(reached, saved) if saved else None)
        if broken:
            return broken
        head, broken = await _walk(session, seal, reached, chunk=chunk)
    return broken or _checkpointed(seal, head, head.events)


async def checkpoint_chain(session: AsyncSession, *, chunk: int = 5000) -> ChainReport:
    """Move the checkpoint to the chain's head, verifying only the events after the last one (the
    periodic job); a checkpoint the log contradicts is kept as the evidence. `checked` counts the
    events verified this time."""
    seal = audit_seal.of_session(session)
    saved, unreadable = _saved_link(seal)
    if unreadable:
        return unreadable
    start = GENESIS
    if saved:
        found = await session.scalar(select(AuditEvent.hash).where(AuditEvent.id == saved.id))
        start = Link(saved.id, found, saved.events) if found else Link(0, GENESIS_HASH, 0)
        broken = _against_checkpoint(start, saved)
        if broken:
            return broken
    head, broken = await _walk(session, seal, start, chunk=chunk)
    return broken or _checkpointed(seal, head, head.events - start.events)


def event_hash(seal: AuditSeal, row: AuditEvent) -> str:
    """One stored event's hash recomputed from its content and link (a claim's trail checks its own)."""
    return compute_hash(
        seal,
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
