"""The admin's user management: only the admin creates users, and a retried create is replayed once."""

from __future__ import annotations

from litestar import Litestar
from litestar.testing import AsyncTestClient

from core.auth import Role
from core.settings import Settings
from tests.conftest import PASSWORD, login, make_user


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
