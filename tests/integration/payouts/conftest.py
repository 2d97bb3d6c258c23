"""The rebate worlds as fixtures: a district's first quarter accrued, and a village paid out of it."""

from __future__ import annotations

import dramatiq
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from core.settings import Settings
from tests.conftest import drain, login
from tests.integration.payouts.worlds import Accrued, Paid, agreement_body, build_scene


@pytest.fixture
async def accrued(client: AsyncTestClient[Litestar], settings: Settings, worker: dramatiq.Worker) -> Accrued:
    """Premiums 200.00, 300.00 and 100.01 yuan in three villages; Q1 2025 accrued at 10 %."""
    scene = await build_scene(settings, {0: 20_000, 1: 30_000, 3: 10_001})
    finance = await login(client, "finance")
    created = await client.post("/rebates/agreements", json=agreement_body(scene), headers=finance)
    assert created.status_code == 201, created.text
    agreement_id = created.json()["id"]
    queued = await client.post(
        f"/rebates/agreements/{agreement_id}/accruals",
        json={"period_start": "2025-01-01", "reason": "一季度结算"},
        headers=finance,
    )
    assert queued.status_code == 202, queued.text
    await drain(worker)
    periods = (await client.get(f"/rebates/agreements/{agreement_id}/periods", headers=finance)).json()
    return Accrued(scene, agreement_id, periods[0]["period_id"])


@pytest.fixture
async def paid(client: AsyncTestClient[Litestar], accrued: Accrued) -> Paid:
    """Village 0 has 20.00 yuan accrued, approved and disbursed for Q1 2025."""
    finance = await login(client, "finance")
    move = {
        "period_id": accrued.period_id,
        "village_code": accrued.scene.villages[0],
        "amount_fen": 2_000,
        "reason": "一季度",
    }
    assert (await client.post("/rebates/approvals", json=move, headers=finance)).status_code == 201
    assert (await client.post("/rebates/disbursements", json=move, headers=finance)).status_code == 201
    return Paid(accrued.scene, accrued.period_id)
