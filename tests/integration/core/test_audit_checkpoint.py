"""The audit chain's head is checkpointed outside the database, every minute and by every verify."""

from __future__ import annotations

import logging

import dramatiq
import msgspec
import pytest
from litestar import Litestar
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from core.audit import AuditEvent, compute_hash, record, verify_chain
from core.audit_seal import AuditSeal, Checkpoint
from core.settings import Settings
from tests.conftest import drain, run_in_db


async def _events(settings: Settings, count: int) -> list[int]:
    async def write(session: AsyncSession) -> list[int]:
        for n in range(count):
            await record(session, actor="t", action="thing.changed", subject_type="thing", subject_id=n)
        await session.flush()
        return list((await session.scalars(select(AuditEvent.id).order_by(AuditEvent.id))).all())

    return list(await run_in_db(settings, write))


async def _allow_changes(session: AsyncSession) -> None:
    if session.get_bind().dialect.name == "postgresql":
        await session.execute(text("ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only"))
    else:
        await session.execute(text("DROP TRIGGER audit_events_no_update"))
        await session.execute(text("DROP TRIGGER audit_events_no_delete"))


def _saved(settings: Settings) -> Checkpoint:
    saved = AuditSeal.from_settings(settings).read_checkpoint()
    assert saved is not None
    return saved


async def _checkpoint_job(app: Litestar, worker: dramatiq.Worker) -> None:
    app.state.broker.get_actor("core.checkpoint_audit").send()
    await drain(worker)


async def test_the_periodic_job_moves_the_checkpoint_and_keeps_one_the_log_contradicts(
    settings: Settings, app: Litestar, worker: dramatiq.Worker, caplog: pytest.LogCaptureFixture
) -> None:
    ids = await _events(settings, 3)
    await _checkpoint_job(app, worker)
    assert (_saved(settings).last_id, _saved(settings).count) == (ids[-1], 3)

    more = await _events(settings, 2)
    await _checkpoint_job(app, worker)
    assert (_saved(settings).last_id, _saved(settings).count) == (more[-1], 5)

    async def truncate(session: AsyncSession) -> None:
        await _allow_changes(session)
        await session.execute(text("DELETE FROM audit_events WHERE id > :id"), {"id": ids[-1]})

    await run_in_db(settings, truncate)
    with caplog.at_level(logging.ERROR, logger="core.schedule"):
        await _checkpoint_job(app, worker)
    assert (_saved(settings).last_id, _saved(settings).count) == (more[-1], 5)
    assert f"audit chain BROKEN at event {more[-1]}: checkpointed event missing" in caplog.text
    report = await run_in_db(settings, verify_chain)
    assert (report.ok, report.first_broken_id, report.checked) == (False, more[-1], 3)


async def test_a_chain_rewritten_with_the_key_still_fails_at_the_checkpoint(settings: Settings) -> None:
    """Someone holding the key can redo every hash, but not the checkpointed head."""
    ids = await _events(settings, 4)
    assert (await run_in_db(settings, verify_chain)).checkpoint_id == ids[-1]
    seal = AuditSeal.from_settings(settings)

    async def rewrite(session: AsyncSession) -> None:
        await _allow_changes(session)
        rows = (
            await session.scalars(select(AuditEvent).where(AuditEvent.id >= ids[1]).order_by(AuditEvent.id))
        ).all()
        prev_hash = rows[0].prev_hash
        for row in rows:
            reason = "edited" if row.id == ids[1] else row.reason
            fields = {
                name: getattr(row, name)
                for name in (
                    "occurred_at",
                    "actor",
                    "action",
                    "subject_type",
                    "subject_id",
                    "region_code",
                    "before",
                    "after",
                )
            }
            new_hash = compute_hash(seal, prev_hash=prev_hash, reason=reason, **fields)
            await session.execute(
                text("UPDATE audit_events SET reason = :r, prev_hash = :p, hash = :h WHERE id = :id"),
                {"r": reason, "p": prev_hash, "h": new_hash, "id": row.id},
            )
            prev_hash = new_hash

    await run_in_db(settings, rewrite)
    report = await run_in_db(settings, verify_chain)
    assert (report.ok, report.first_broken_id) == (False, ids[-1])
    assert report.problem == "checkpointed event rewritten: its hash is not the checkpoint's"


async def test_a_checkpoint_edited_to_hide_a_deletion_is_refused(settings: Settings) -> None:
    ids = await _events(settings, 3)
    await run_in_db(settings, verify_chain)

    async def truncate(session: AsyncSession) -> str:
        await _allow_changes(session)
        await session.execute(text("DELETE FROM audit_events WHERE id = :id"), {"id": ids[-1]})
        return str(await session.scalar(select(AuditEvent.hash).where(AuditEvent.id == ids[-2])))

    new_head = await run_in_db(settings, truncate)
    forged = msgspec.structs.replace(_saved(settings), last_id=ids[-2], hash=new_head, count=2)
    settings.audit_checkpoint_path.write_bytes(msgspec.json.encode(forged))
    report = await run_in_db(settings, verify_chain)
    assert (report.ok, report.problem) == (False, "checkpoint file does not verify (its seal does not hold)")


async def test_an_empty_log_verifies_and_is_checkpointed_at_its_start(settings: Settings) -> None:
    async def count(session: AsyncSession) -> int:
        return int(await session.scalar(select(func.count()).select_from(AuditEvent)) or 0)

    assert await run_in_db(settings, count) == 0
    report = await run_in_db(settings, verify_chain)
    assert (report.ok, report.checked, report.checkpoint_id) == (True, 0, 0)
    assert (_saved(settings).last_id, _saved(settings).count) == (0, 0)
