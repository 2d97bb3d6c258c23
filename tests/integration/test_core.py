"""The service skeleton over HTTP: login, roles, problem details, the audit chain, the outbox."""

from __future__ import annotations

import dramatiq
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from core.audit import AuditEvent, record, verify_chain
from core.auth import Role
from core.outbox import OutboxMessage, enqueue, outbox_actor
from core.settings import Settings
from tests.conftest import PASSWORD, drain, login, make_user, run_in_db

processed: list[str] = []


@outbox_actor(actor_name="tests.note_processed")
async def note_processed(_session: AsyncSession, value: str) -> None:
    processed.append(value)


async def test_health_and_schema_are_public(client: AsyncTestClient[Litestar]) -> None:
    assert (await client.get("/health")).json() == {"status": "ok"}
    schema = await client.get("/schema/openapi.json")
    assert schema.status_code == 200
    assert "/auth/login" in schema.json()["paths"]


async def test_login_returns_token_and_me(client: AsyncTestClient[Litestar], settings: Settings) -> None:
    await make_user(settings, "officer", Role.CLAIMS_OFFICER, ["370211"])
    headers = await login(client, "officer")
    me = await client.get("/auth/me", headers=headers)
    assert me.json()["role"] == "claims_officer"
    assert me.json()["regions"] == ["370211"]


async def test_logout_forgets_the_cookie(client: AsyncTestClient[Litestar], settings: Settings) -> None:
    await make_user(settings, "resident", Role.RESIDENT, [])
    await login(client, "resident")
    assert (await client.get("/auth/me")).status_code == 200  # the cookie alone is enough
    assert (await client.post("/auth/logout")).status_code == 200
    assert (await client.get("/auth/me")).status_code == 401


async def test_wrong_password_is_a_problem_in_both_languages(
    client: AsyncTestClient[Litestar], settings: Settings
) -> None:
    await make_user(settings, "officer", Role.CLAIMS_OFFICER, ["370211"])
    response = await client.post("/auth/login", json={"username": "officer", "password": "nope"})
    assert response.status_code == 403
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["code"] == "login_failed"
    assert body["message_zh"] == "用户名或密码错误"
    assert body["message_en"] == "Wrong username or password"


async def test_unknown_fields_and_missing_token_are_rejected(client: AsyncTestClient[Litestar]) -> None:
    response = await client.post("/auth/login", json={"username": "a", "password": "b", "extra": 1})
    assert response.status_code == 400
    assert response.json()["code"] == "validation_failed"
    response = await client.get("/auth/me")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


async def test_only_admin_manages_users(client: AsyncTestClient[Litestar], settings: Settings) -> None:
    await make_user(settings, "admin", Role.ADMIN, [])
    await make_user(settings, "auditor", Role.AUDITOR, ["370211"])
    new_user = {
        "username": "liaison1",
        "password": PASSWORD,
        "role": "liaison",
        "display_name": "村联络员",
        "regions": ["370211001001"],
    }
    denied = await client.post("/users", json=new_user, headers=await login(client, "auditor"))
    assert denied.status_code == 403
    assert denied.json()["code"] == "forbidden"
    admin = await login(client, "admin")
    created = await client.post("/users", json=new_user, headers=admin | {"Idempotency-Key": "k1"})
    assert created.status_code == 201, created.text
    replay = await client.post("/users", json=new_user, headers=admin | {"Idempotency-Key": "k1"})
    assert replay.status_code == 201
    assert replay.json() == created.json()
    assert replay.headers["Idempotent-Replay"] == "true"
    different = await client.post(
        "/users", json=new_user | {"display_name": "别人"}, headers=admin | {"Idempotency-Key": "k1"}
    )
    assert different.status_code == 409
    assert different.json()["code"] == "idempotency_key_reused"
    users = await client.get("/users", headers=admin)
    assert [u["username"] for u in users.json()].count("liaison1") == 1


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


async def test_outbox_sends_only_after_commit_and_worker_runs_it_once(
    settings: Settings, app: Litestar, worker: dramatiq.Worker
) -> None:
    processed.clear()

    async def rolled_back(session: AsyncSession) -> None:
        enqueue(session, note_processed, "lost")
        raise RuntimeError("abort")

    with pytest.raises(RuntimeError):
        await run_in_db(settings, rolled_back)

    async def committed(session: AsyncSession) -> None:
        enqueue(session, note_processed, "kept")

    await run_in_db(settings, committed)
    await drain(worker)
    assert processed == ["kept"]

    async def pending(session: AsyncSession) -> int:
        return int(
            await session.scalar(
                select(func.count()).select_from(OutboxMessage).where(OutboxMessage.done_at.is_(None))
            )
            or 0
        )

    assert await run_in_db(settings, pending) == 0
    # A second delivery of the same message (a crash after send, say) does nothing.
    from core.outbox import redispatch_pending

    async def everything(session: AsyncSession) -> int:
        return await redispatch_pending(session)

    assert await run_in_db(settings, everything) == 0
    assert processed == ["kept"]


async def test_embedded_app_runs_its_own_worker(settings: Settings) -> None:
    import asyncio

    import msgspec

    from app import create_app
    from core.broker import broker

    broker.flush_all()
    processed.clear()
    embedded = create_app(msgspec.structs.replace(settings, broker_url=""))
    async with AsyncTestClient(app=embedded):

        async def committed(session: AsyncSession) -> None:
            enqueue(session, note_processed, "in-process")

        await run_in_db(settings, committed)
        for _ in range(200):
            if processed:
                break
            await asyncio.sleep(0.05)
    assert processed == ["in-process"]
