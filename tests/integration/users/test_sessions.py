"""Sessions end on the server: a logout revokes its token in every app process, a deactivated user's
tokens stop at once, and both are in the audit log with who, when and why."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app import create_app
from core.audit import AuditEvent
from core.auth import Role
from core.settings import Settings
from tests.conftest import login, make_user, run_in_db


async def events(settings: Settings, action: str) -> list[AuditEvent]:
    async def read(session: AsyncSession) -> Any:
        return list(await session.scalars(select(AuditEvent).where(AuditEvent.action == action)))

    return list(await run_in_db(settings, read))


async def test_after_logout_the_token_is_refused_by_every_app_process(
    client: AsyncTestClient[Litestar], settings: Settings
) -> None:
    await make_user(settings, "officer", Role.CLAIMS_OFFICER, ["370211"])
    headers = await login(client, "officer")
    async with AsyncTestClient(app=create_app(settings)) as other_process:
        assert (await other_process.get("/auth/me", headers=headers)).status_code == 200
        assert (await client.post("/auth/logout", headers=headers)).status_code == 200
        refused = await other_process.get("/auth/me", headers=headers)
    assert refused.status_code == 401
    assert refused.json()["code"] == "not_authenticated"
    (logout,) = await events(settings, "user.session_ended")
    assert (logout.actor, logout.reason) == ("officer", "logout")


async def test_logging_out_ends_only_that_login(
    client: AsyncTestClient[Litestar], settings: Settings
) -> None:
    await make_user(settings, "liaison", Role.LIAISON, ["370211001001"])
    phone, office = await login(client, "liaison"), await login(client, "liaison")
    assert (await client.post("/auth/logout", headers=phone)).status_code == 200
    assert (await client.get("/auth/me", headers=phone)).status_code == 401
    assert (await client.get("/auth/me", headers=office)).status_code == 200


async def test_a_deactivated_users_tokens_stop_at_once_and_they_cannot_log_in(
    client: AsyncTestClient[Litestar], settings: Settings
) -> None:
    await make_user(settings, "admin", Role.ADMIN, [])
    await make_user(settings, "adjuster", Role.ADJUSTER, ["370211"])
    admin, adjuster = await login(client, "admin"), await login(client, "adjuster")
    me = (await client.get("/auth/me", headers=adjuster)).json()
    answer = await client.post(
        f"/users/{me['id']}/deactivate", json={"reason": "离职 left the insurer"}, headers=admin
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["active"] is False
    assert (await client.get("/auth/me", headers=adjuster)).status_code == 401
    relogin = await client.post(
        "/auth/login", json={"username": "adjuster", "password": "correct horse battery"}
    )
    assert relogin.status_code == 403
    assert relogin.json()["code"] == "login_failed"
    (event,) = await events(settings, "user.deactivated")
    assert (event.actor, event.subject_id, event.reason) == ("admin", me["id"], "离职 left the insurer")
    assert event.after == {"username": "adjuster", "active": False, "sessions_ended": 1}
    listed = {u["username"]: u["active"] for u in (await client.get("/users", headers=admin)).json()}
    assert listed == {"admin": True, "adjuster": False}


async def test_only_the_admin_deactivates_and_not_themselves(
    client: AsyncTestClient[Litestar], settings: Settings
) -> None:
    await make_user(settings, "admin", Role.ADMIN, [])
    await make_user(settings, "officer", Role.CLAIMS_OFFICER, ["370211"])
    admin, officer = await login(client, "admin"), await login(client, "officer")
    admin_id = (await client.get("/auth/me", headers=admin)).json()["id"]
    body = {"reason": "测试"}
    denied = await client.post(f"/users/{admin_id}/deactivate", json=body, headers=officer)
    assert (denied.status_code, denied.json()["code"]) == (403, "forbidden")
    itself = await client.post(f"/users/{admin_id}/deactivate", json=body, headers=admin)
    assert (itself.status_code, itself.json()["code"]) == (409, "cannot_deactivate_yourself")
    unknown = await client.post(f"/users/{uuid4()}/deactivate", json=body, headers=admin)
    assert (unknown.status_code, unknown.json()["code"]) == (404, "not_found")
    assert (await client.get("/auth/me", headers=admin)).status_code == 200


async def test_user_creation_is_audited_with_its_actor(
    client: AsyncTestClient[Litestar], settings: Settings
) -> None:
    await make_user(settings, "admin", Role.ADMIN, [])
    new_user = {"username": "finance1", "password": "long enough", "role": "finance", "display_name": "财务"}
    created = await client.post("/users", json=new_user, headers=await login(client, "admin"))
    assert created.status_code == 201
    created_events = {e.subject_id: e.actor for e in await events(settings, "user.created")}
    assert created_events[created.json()["id"]] == "admin"
