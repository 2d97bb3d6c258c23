"""Logging in and out over HTTP: the token, the cookie, "who am I", and a wrong password's problem."""

from __future__ import annotations

from litestar import Litestar
from litestar.testing import AsyncTestClient

from core.auth import Role
from core.settings import Settings
from tests.conftest import login, make_user

ORIGIN = "http://testserver.local"


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
    # A cookie-authenticated write names its origin, as the login page's browser does.
    assert (await client.post("/auth/logout", headers={"Origin": ORIGIN})).status_code == 200
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


async def test_the_login_page_loads_without_a_token(client: AsyncTestClient[Litestar]) -> None:
    page = await client.get("/login")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert page.headers["cache-control"] == "no-store"
    assert "登录" in page.text
    script = await client.get("/static/login.js")
    assert script.status_code == 200
