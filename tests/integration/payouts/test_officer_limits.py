"""An officer's authority limit is set when the account is made, over the API and the CLI, and it
decides whether their approval stands alone."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.auth import Role
from core.settings import Settings
from tests.conftest import PASSWORD, login, make_user, run_in_db
from tests.integration.payouts.claim_worlds import DISTRICT, build_world, claim_row
from users.models import User

REPO = Path(__file__).resolve().parents[3]


async def limit_of(settings: Settings, username: str) -> int | None:
    async def read(session: AsyncSession) -> int | None:
        return await session.scalar(select(User.approval_limit_fen).where(User.username == username))

    return await run_in_db(settings, read)


async def test_the_limit_set_over_the_api_decides_the_approval(
    client: AsyncTestClient[Litestar], settings: Settings
) -> None:
    world = await build_world(settings)
    await make_user(settings, "admin", Role.ADMIN, [])
    admin = await login(client, "admin")
    body = {
        "username": "new_officer",
        "password": PASSWORD,
        "role": "claims_officer",
        "display_name": "新理赔员",
        "regions": [DISTRICT],
        "approval_limit_fen": 500_000,
    }
    made = await client.post("/users", json=body, headers=admin)
    assert made.status_code == 201, made.text
    assert made.json()["approval_limit_fen"] == 500_000
    negative = await client.post(
        "/users", json=body | {"username": "other", "approval_limit_fen": -1}, headers=admin
    )
    assert negative.status_code == 400

    officer = await login(client, "new_officer")
    within = await claim_row(settings, world, payable_fen=500_000)
    above = await claim_row(settings, world, payable_fen=500_001)
    first = await client.post(f"/claims/{within['id']}/approve", json={}, headers=officer)
    second = await client.post(f"/claims/{above['id']}/approve", json={}, headers=officer)
    assert (first.json()["payouts"][0]["status"], second.json()["payouts"][0]["status"]) == (
        "approved",
        "pending",
    )


def test_the_cli_sets_the_limit(settings: Settings) -> None:
    env = os.environ | {"ANJU_DATABASE_URL": settings.database_url, "ANJU_BROKER_URL": "stub"}
    command = [sys.executable, "-m", "litestar", "--app", "app:create_app", "anju", "create-user", "chief"]
    options = [
        "--role",
        "claims_officer",
        "--region",
        DISTRICT,
        "--approval-limit-fen",
        "2000000",
        "--password-stdin",
    ]
    made = subprocess.run(
        [*command, *options],
        env=env,
        cwd=REPO,
        input=f"{PASSWORD}\n",
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert made.returncode == 0, made.stderr
    assert asyncio.run(limit_of(settings, "chief")) == 2_000_000
