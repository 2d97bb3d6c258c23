"""Password guessing: at most 10 failures per username and 50 per address in 15 minutes, then 429 with
Retry-After, shared by app processes through Redis; unknown usernames cost the same Argon2 work."""

from __future__ import annotations

import asyncio
from typing import Any

import msgspec
import pytest
import redis
from argon2 import PasswordHasher
from litestar import Litestar
from litestar.testing import AsyncTestClient

from app import create_app
from core.auth import Role
from core.settings import Settings
from tests.conftest import PASSWORD, make_user
from users.throttle import PER_ADDRESS, PER_USERNAME, WINDOW_S


def wrong(username: str) -> dict[str, str]:
    return {"username": username, "password": "wrong guess"}


def right(username: str) -> dict[str, str]:
    return {"username": username, "password": PASSWORD}


async def test_the_eleventh_failure_for_a_username_is_refused_even_with_the_right_password(
    client: AsyncTestClient[Litestar], settings: Settings
) -> None:
    await make_user(settings, "officer", Role.CLAIMS_OFFICER, ["370211"])
    await make_user(settings, "auditor", Role.AUDITOR, ["370211"])
    for _ in range(PER_USERNAME):
        assert (await client.post("/auth/login", json=wrong("officer"))).status_code == 403
    refused = await client.post("/auth/login", json=right("officer"))
    assert refused.status_code == 429
    assert refused.json()["code"] == "too_many_requests"
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert 0 < int(refused.headers["Retry-After"]) <= WINDOW_S
    # The limit is the username's: someone else at the same address logs in.
    assert (await client.post("/auth/login", json=right("auditor"))).status_code == 200


async def test_right_passwords_do_not_count_as_failures(
    client: AsyncTestClient[Litestar], settings: Settings
) -> None:
    await make_user(settings, "liaison", Role.LIAISON, ["370211001001"])
    statuses = [(await client.post("/auth/login", json=right("liaison"))).status_code for _ in range(12)]
    assert statuses == [200] * 12


async def test_a_burst_of_simultaneous_guesses_gets_no_more_than_the_limit(
    client: AsyncTestClient[Litestar], settings: Settings
) -> None:
    await make_user(settings, "officer", Role.CLAIMS_OFFICER, ["370211"])
    answers = await asyncio.gather(*(client.post("/auth/login", json=wrong("officer")) for _ in range(30)))
    statuses = sorted(answer.status_code for answer in answers)
    assert statuses == [403] * PER_USERNAME + [429] * (30 - PER_USERNAME)


async def test_one_address_guessing_across_usernames_is_stopped(
    client: AsyncTestClient[Litestar], settings: Settings
) -> None:
    await make_user(settings, "officer", Role.CLAIMS_OFFICER, ["370211"])
    for n in range(PER_ADDRESS):
        assert (await client.post("/auth/login", json=wrong(f"guess{n}"))).status_code == 403
    refused = await client.post("/auth/login", json=right("officer"))
    assert refused.status_code == 429
    assert "Retry-After" in refused.headers


async def test_an_unknown_username_costs_one_password_check_like_a_known_one(
    client: AsyncTestClient[Litestar], settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    await make_user(settings, "officer", Role.CLAIMS_OFFICER, ["370211"])
    checks: list[str] = []
    verify = PasswordHasher.verify

    def counted(self: PasswordHasher, hash: Any, password: Any) -> bool:
        checks.append(password)
        return verify(self, hash, password)

    monkeypatch.setattr(PasswordHasher, "verify", counted)
    known = await client.post("/auth/login", json=wrong("officer"))
    unknown = await client.post("/auth/login", json=wrong("nobody"))
    assert (known.status_code, unknown.status_code) == (403, 403)
    assert known.json() == unknown.json()
    assert checks == ["wrong guess", "wrong guess"]


@pytest.mark.redis
async def test_two_app_processes_share_one_login_limit(settings: Settings, redis_url: str) -> None:
    redis.Redis.from_url(redis_url).flushdb()  # the server outlives one test
    await make_user(settings, "officer", Role.CLAIMS_OFFICER, ["370211"])
    shared = msgspec.structs.replace(settings, broker_url=redis_url)
    first, second = create_app(shared), create_app(shared)
    async with AsyncTestClient(app=first) as one, AsyncTestClient(app=second) as two:
        statuses = [
            (await (one if n % 2 else two).post("/auth/login", json=wrong("officer"))).status_code
            for n in range(PER_USERNAME + 2)
        ]
    assert statuses == [403] * PER_USERNAME + [429, 429]
