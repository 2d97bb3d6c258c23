"""The audit log: its hash chain verifies and names the first tampered event; it refuses edits."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from core.audit import AuditEvent, record, verify_chain
from core.settings import Settings
from tests.conftest import run_in_db


async def test_audit_chain_verifies_and_names_the_first_tampered_event(settings: Settings) -> None:
    async def write(session: AsyncSession) -> None:
        for n in range(5):
            await record(
                session,
                actor="t",
                action="thing.changed",
                subject_type="thing",
                subject_id=n,
                region_code="370211",
                after={"n": n, "名": "值"},
            )

    await run_in_db(settings, write)
    report = await run_in_db(settings, verify_chain)
    assert report.ok
    assert report.checked >= 5

    async def tamper(session: AsyncSession) -> int:
        target = await session.scalar(
            select(AuditEvent.id).where(AuditEvent.subject_id == "2", AuditEvent.action == "thing.changed")
        )
        if session.get_bind().dialect.name == "postgresql":
            await session.execute(text("ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only"))
        else:
            await session.execute(text("DROP TRIGGER audit_events_no_update"))
        await session.execute(
            text("UPDATE audit_events SET reason = 'edited' WHERE id = :id"), {"id": target}
        )
        return int(target)

    tampered = await run_in_db(settings, tamper)
    report = await run_in_db(settings, verify_chain)
    assert not report.ok
    assert report.first_broken_id == tampered


async def test_audit_log_refuses_updates_and_deletes(settings: Settings) -> None:
    async def write(session: AsyncSession) -> None:
        await record(session, actor="t", action="a", subject_type="s", subject_id=1)

    await run_in_db(settings, write)
    for statement in ("UPDATE audit_events SET actor = 'x'", "DELETE FROM audit_events"):

        async def change(session: AsyncSession, sql: str = statement) -> None:
            await session.execute(text(sql))

        with pytest.raises(Exception, match="append-only"):
            await run_in_db(settings, change)
