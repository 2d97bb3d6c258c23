"""The daily cut-off: a real Dramatiq worker batches every approved payout once, per district."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import dramatiq
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.settings import Settings
from payouts.models import PaymentBatch
from tests.conftest import drain, login, run_in_db
from tests.integration.payouts.claim_worlds import DISTRICT, build_world, claim_row

REPO = Path(__file__).resolve().parents[3]


async def batches(settings: Settings) -> list[tuple[str, int, int, str]]:
    async def read(session: AsyncSession) -> list[tuple[str, int, int, str]]:
        rows = await session.execute(
            select(
                PaymentBatch.region_code,
                PaymentBatch.payout_count,
                PaymentBatch.total_fen,
                PaymentBatch.built_by,
            )
        )
        return [tuple(row) for row in rows]  # type: ignore[misc]

    return await run_in_db(settings, read)


async def test_the_cut_off_batches_each_approved_payout_once(
    client: AsyncTestClient[Litestar], settings: Settings, app: Litestar, worker: dramatiq.Worker
) -> None:
    world = await build_world(settings)
    officer = await login(client, "senior")
    for amount in (100_000, 250_050):
        claim = await claim_row(settings, world, payable_fen=amount)
        assert (
            await client.post(f"/claims/{claim['id']}/approve", json={}, headers=officer)
        ).status_code == 201
    pending = await claim_row(settings, world, payable_fen=200_000_000)  # above every limit: not yet approved
    await client.post(f"/claims/{pending['id']}/approve", json={}, headers=officer)

    cut_off = app.state.broker.get_actor("payouts.daily_cut_off")
    cut_off.send()
    cut_off.send()  # a redelivered or doubled schedule
    await drain(worker)
    assert await batches(settings) == [(DISTRICT, 2, 350_050, "system:cut-off")]

    cut_off.send()
    await drain(worker)
    assert len(await batches(settings)) == 1


def test_the_cut_off_on_demand_from_the_cli(settings: Settings) -> None:
    env = os.environ | {"ANJU_DATABASE_URL": settings.database_url, "ANJU_BROKER_URL": "stub"}
    command = [sys.executable, "-m", "litestar", "--app", "app:create_app", "anju", "build-payment-batches"]
    ran = subprocess.run(command, env=env, cwd=REPO, capture_output=True, text=True, timeout=120)
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.strip() == "built 0 batches"
