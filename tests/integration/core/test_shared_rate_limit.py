"""With Redis configured, the public status page's limit holds across app processes."""

from __future__ import annotations

import msgspec
import pytest
import redis
from litestar.testing import AsyncTestClient

from app import create_app
from core.settings import Settings


@pytest.mark.redis
async def test_two_app_processes_share_one_rate_limit(settings: Settings, redis_url: str) -> None:
    redis.Redis.from_url(redis_url).flushdb()  # the server outlives one test
    shared = msgspec.structs.replace(settings, broker_url=redis_url)
    # Two apps stand for two worker processes behind one address, each with its own connection
    # to the one Redis server (its broker and its rate-limit store).
    first, second = create_app(shared), create_app(shared)
    query = "/public/claims/status?number=AJ-20260101-000001&phone_last4=1234"
    statuses = []
    async with AsyncTestClient(app=first) as one, AsyncTestClient(app=second) as two:
        for n in range(12):
            response = await (one if n % 2 else two).get(query)
            statuses.append(response.status_code)
    assert statuses[:10] == [404] * 10  # unknown number, counted
    assert statuses[10:] == [429, 429]
