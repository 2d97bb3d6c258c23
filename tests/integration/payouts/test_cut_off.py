"""The daily cut-off: a real Dramatiq worker batches every approved payout once, per district."""

from __future__ import annotations

import dramatiq
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.settings import Settings
from payouts.models import PaymentBatch
from tests.conftest import drain, login, run_in_db
from tests.integration.payouts.claim_worlds import DISTRICT, build_world, claim_row


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
