"""The service's foundations as enrollment first exercised them: settings, engine, problems, audit,
migrations, the outbox at start-up and password hashing."""

from __future__ import annotations

import asyncio
import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import msgspec
import pytest
from litestar import get
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from app import create_app
from core.audit import AuditEvent
from core.auth import Role
from core.database import make_engine
from core.outbox import enqueue, outbox_actor
from core.settings import DEVELOPMENT_SECRET, Settings, get_settings
from policies.models import Household
from tests import factories
from tests.conftest import PASSWORD, add_actors, login, make_user, run_in_db
from users.models import User

REPO = Path(__file__).resolve().parents[3]


def test_settings_defaults_and_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith("ANJU_"):
            monkeypatch.delenv(name)
    defaults = get_settings.__wrapped__()  # past the lru_cache
    assert defaults.database_url == "sqlite+aiosqlite:///var/anju.db"
    assert (defaults.broker_url, defaults.storage_dir) == ("", Path("var/files"))
    assert defaults.secret_key == DEVELOPMENT_SECRET
    assert (defaults.max_upload_bytes, defaults.token_hours, defaults.debug) == (10 * 1024 * 1024, 12, False)

    monkeypatch.setenv("ANJU_DATABASE_URL", "postgresql+asyncpg://anju:pw@db/anju")
    monkeypatch.setenv("ANJU_BROKER_URL", "redis://redis:6379/0")
    monkeypatch.setenv("ANJU_STORAGE_DIR", "/srv/anju/files")
    monkeypatch.setenv("ANJU_SECRET_KEY", "s3cret")
    monkeypatch.setenv("ANJU_MAX_UPLOAD_BYTES", "2048")
    configured = get_settings.__wrapped__()
    assert configured.database_url == "postgresql+asyncpg://anju:pw@db/anju"
    assert (configured.broker_url, configured.storage_dir) == (
        "redis://redis:6379/0",
        Path("/srv/anju/files"),
    )
    assert (configured.secret_key, configured.max_upload_bytes) == ("s3cret", 2048)


async def test_engine_is_tuned_for_a_service(database_url: str) -> None:
    engine = make_engine(database_url)
    try:
        async with engine.connect() as connection:
            if engine.dialect.name == "sqlite":
                pragmas = [
                    (await connection.exec_driver_sql(f"PRAGMA {name}")).scalar()
                    for name in ("journal_mode", "foreign_keys", "busy_timeout")
                ]
                assert pragmas == ["wal", 1, 30000]
            else:
                assert (engine.dialect.name, engine.dialect.driver) == ("postgresql", "asyncpg")
                assert (await connection.execute(text("SELECT 1"))).scalar() == 1
    finally:
        await engine.dispose()


def assert_problem(response: Any, status: int, code: str) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["code"] == code
    assert body["message_zh"] and body["message_en"]
    assert re.search(r"[\u4e00-\u9fff]", body["message_zh"]), body


async def test_framework_errors_are_problems_too(settings: Settings) -> None:
    @get("/boom", sync_to_thread=False)
    def boom() -> None:
        raise RuntimeError("unexpected")

    await make_user(settings, "admin", Role.ADMIN, [])
    app = create_app(msgspec.structs.replace(settings, max_upload_bytes=1000))
    app.register(boom)
    async with AsyncTestClient(app=app) as client:
        assert_problem(await client.get("/households"), 401, "not_authenticated")
        admin = await login(client, "admin")
        assert_problem(await client.get("/no-such-route", headers=admin), 404, "not_found")
        assert_problem(await client.delete("/programs", headers=admin), 405, "method_not_allowed")
        big = {"file": ("big.csv", b"x" * 5000, "text/csv")}
        assert_problem(await client.post("/imports/households", files=big, headers=admin), 413, "too_large")
        form = {"Content-Type": "application/x-www-form-urlencoded"}
        assert_problem(
            await client.post("/households", content=b"a=b", headers=admin | form),
            415,
            "unsupported_media_type",
        )
        json_to_csv = await client.post("/regions/import", json={"code": "370211"}, headers=admin)
        assert_problem(json_to_csv, 415, "unsupported_media_type")
        assert_problem(
            await client.get("/households", params={"limit": "x"}, headers=admin), 400, "validation_failed"
        )
        assert_problem(await client.get("/boom", headers=admin), 500, "internal_error")
        assert "unexpected" not in (await client.get("/boom", headers=admin)).text
        page = await client.get("/schema")
        assert page.status_code == 200
        assert page.headers["content-type"].startswith("text/html")


async def test_audit_events_commit_or_roll_back_with_their_change(settings: Settings) -> None:
    villages = await run_in_db(settings, factories.region_tree)

    async def audited(session: AsyncSession) -> tuple[int, int]:
        households = await session.scalar(select(func.count()).select_from(Household)) or 0
        events = await session.scalar(select(func.count()).select_from(AuditEvent)) or 0
        return households, events

    before = await run_in_db(settings, audited)

    async def register_then_fail(session: AsyncSession) -> None:
        await factories.household(session, villages[0])
        raise RuntimeError("the change fails after its audit event was written")

    with pytest.raises(RuntimeError):
        await run_in_db(settings, register_then_fail)
    assert await run_in_db(settings, audited) == before
    await run_in_db(settings, lambda session: factories.household(session, villages[0]))
    assert await run_in_db(settings, audited) == (before[0] + 1, before[1] + 1)


def test_litestar_database_upgrade_builds_an_empty_database(tmp_path: Path) -> None:
    db = tmp_path / "fresh" / "anju.db"
    env = os.environ | {"ANJU_DATABASE_URL": f"sqlite+aiosqlite:///{db}", "ANJU_BROKER_URL": "stub"}
    command = [
        sys.executable,
        "-m",
        "litestar",
        "--app",
        "app:create_app",
        "database",
        "upgrade",
        "--no-prompt",
    ]
    for _ in range(2):  # the second run finds nothing to do
        upgraded = subprocess.run(command, env=env, cwd=REPO, capture_output=True, text=True, timeout=300)
        assert upgraded.returncode == 0, upgraded.stderr
    with sqlite3.connect(db) as connection:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        head = connection.execute("SELECT version_num FROM alembic_versions").fetchall()
    assert {"households", "people", "programs", "policies", "audit_events", "outbox_messages"} <= tables
    assert len(head) == 1


noted: list[str] = []


@outbox_actor(actor_name="tests.review_noted")
async def note(_session: AsyncSession, value: str) -> None:
    noted.append(value)


async def test_work_lost_before_the_broker_is_sent_again_at_start_up(settings: Settings) -> None:
    noted.clear()

    async def committed(session: AsyncSession) -> None:
        enqueue(session, note, "lost in transit")

    await run_in_db(settings, committed)  # no broker: as if the process died before sending
    assert noted == []
    embedded = create_app(msgspec.structs.replace(settings, broker_url=""))
    add_actors(embedded, note)
    async with AsyncTestClient(app=embedded):
        for _ in range(200):
            if noted:
                break
            await asyncio.sleep(0.05)
    assert noted == ["lost in transit"]


async def test_passwords_are_stored_as_argon2id(settings: Settings) -> None:
    villages = await run_in_db(settings, factories.region_tree)
    await make_user(settings, "someone", Role.LIAISON, [villages[0]])
    stored = await run_in_db(
        settings, lambda session: session.scalar(select(User.password_hash).where(User.username == "someone"))
    )
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
