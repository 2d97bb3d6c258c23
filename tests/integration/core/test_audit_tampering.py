"""Tampering by someone with write access to the database but not the audit key is caught."""

from __future__ import annotations

import hashlib
import json

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from core.audit import AuditEvent, record
from core.auth import Role
from core.settings import Settings
from tests.conftest import login, make_user, run_in_db


async def _five_events(settings: Settings) -> list[int]:
    async def write(session: AsyncSession) -> list[int]:
        for n in range(5):
            await record(
                session,
                actor="t",
                action="thing.changed",
                subject_type="thing",
                subject_id=n,
                region_code="370211",
                after={"n": n},
            )
        await session.flush()
        return list((await session.scalars(select(AuditEvent.id).order_by(AuditEvent.id))).all())

    return list(await run_in_db(settings, write))


async def _allow_changes(session: AsyncSession) -> None:
    """What an attacker with write access does first: lift the append-only triggers."""
    if session.get_bind().dialect.name == "postgresql":
        await session.execute(text("ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only"))
    else:
        await session.execute(text("DROP TRIGGER audit_events_no_update"))
        await session.execute(text("DROP TRIGGER audit_events_no_delete"))


async def _verify(client: AsyncTestClient[Litestar]) -> dict[str, object]:
    response = await client.get("/audit/verify", headers=await login(client, "admin"))
    assert response.status_code == 200, response.text
    body: dict[str, object] = response.json()
    return body


async def test_deleting_the_newest_events_is_caught(
    client: AsyncTestClient[Litestar], settings: Settings
) -> None:
    await make_user(settings, "admin", Role.ADMIN, [])
    ids = await _five_events(settings)
    assert (await _verify(client))["ok"] is True  # the head is checkpointed now

    async def truncate(session: AsyncSession) -> None:
        await _allow_changes(session)
        await session.execute(text("DELETE FROM audit_events WHERE id >= :id"), {"id": ids[-2]})

    await run_in_db(settings, truncate)
    report = await _verify(client)
    assert (report["ok"], report["first_broken_id"]) == (False, ids[-1])
    assert report["problem"] == "checkpointed event missing: the newest events were deleted"


def _attackers_hash(row: dict[str, object], prev_hash: str) -> str:
    """The chain's published recipe, as the attacker redoes it: everything but the key."""
    fields = [
        prev_hash,
        str(row["occurred_at"]),
        row["actor"],
        row["action"],
        row["subject_type"],
        row["subject_id"],
        row["region_code"],
        row["reason"],
        row["before"],
        row["after"],
    ]
    body = json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(body.encode()).hexdigest()


async def test_editing_an_event_and_recomputing_every_hash_after_it_is_caught(
    client: AsyncTestClient[Litestar], settings: Settings
) -> None:
    await make_user(settings, "admin", Role.ADMIN, [])
    ids = await _five_events(settings)
    stamps: dict[int, str] = {}

    async def read_stamps(session: AsyncSession) -> None:
        for event in (await session.scalars(select(AuditEvent).order_by(AuditEvent.id))).all():
            stamps[event.id] = event.occurred_at.strftime("%Y-%m-%dT%H:%M:%S.%fZ")

    await run_in_db(settings, read_stamps)

    async def rewrite(session: AsyncSession) -> None:
        await _allow_changes(session)
        table = AuditEvent.__table__
        query = select(table).where(table.c.id >= ids[2]).order_by(table.c.id)
        rows = (await session.execute(query)).mappings().all()
        prev_hash = rows[0]["prev_hash"]
        for row in rows:
            fields = dict(row) | {"occurred_at": stamps[row["id"]]}
            if row["id"] == ids[2]:
                fields["reason"] = "edited"
            new_hash = _attackers_hash(fields, prev_hash)
            await session.execute(
                text("UPDATE audit_events SET reason = :reason, prev_hash = :p, hash = :h WHERE id = :id"),
                {"reason": fields["reason"], "p": prev_hash, "h": new_hash, "id": row["id"]},
            )
            prev_hash = new_hash

    await run_in_db(settings, rewrite)
    report = await _verify(client)
    assert (report["ok"], report["first_broken_id"]) == (False, ids[2])
    assert report["problem"] == "content does not match its hash"
