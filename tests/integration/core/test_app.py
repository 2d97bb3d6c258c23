"""The composition root: the service answers, and each app builds everything it runs on itself."""

from __future__ import annotations

from pathlib import Path

import msgspec
from litestar import Litestar
from litestar.testing import AsyncTestClient

from app import create_app
from core import audit_seal, notifications
from core.outbox import session_info
from core.settings import get_settings


async def test_health_and_schema_are_public(client: AsyncTestClient[Litestar]) -> None:
    assert (await client.get("/health")).json() == {"status": "ok"}
    schema = await client.get("/schema/openapi.json")
    assert schema.status_code == 200
    assert "/auth/login" in schema.json()["paths"]


def test_two_apps_with_different_settings_share_nothing(tmp_path: Path) -> None:
    base = get_settings()
    one = msgspec.structs.replace(
        base, database_url=f"sqlite+aiosqlite:///{tmp_path / 'one.db'}", broker_url="stub", argon2_time_cost=1
    )
    two = msgspec.structs.replace(
        base,
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'two.db'}",
        broker_url="",
        argon2_time_cost=2,
        audit_key="another audit key",
        audit_checkpoint_path=tmp_path / "two-checkpoint.json",
    )
    first, second = create_app(one), create_app(two)

    assert first.state.broker is not second.state.broker
    assert (first.state.hasher.time_cost, second.state.hasher.time_cost) == (1, 2)
    for app, settings in ((first, one), (second, two)):
        for sessionmaker in (app.state.sessionmaker, app.state.actor_sessionmaker):
            assert str(sessionmaker.kw["bind"].url) == settings.database_url
            sealed = audit_seal.session_info(settings)
            info = dict(sessionmaker.kw["info"])
            assert isinstance(notifications.sender(info), notifications.LogSender)
            info.pop(notifications.SENDER_KEY)
            assert info == session_info(app.state.broker) | sealed
    for name in ("core.redispatch_outbox", "policies.expire_policies", "payouts.accrue_rebates"):
        first_actor, second_actor = first.state.broker.get_actor(name), second.state.broker.get_actor(name)
        assert (first_actor.broker, second_actor.broker) == (first.state.broker, second.state.broker)
