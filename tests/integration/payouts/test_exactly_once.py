"""Exactly once, whatever the concurrency: 50 approvals of one claim and 50 imports of its bank
result, at the same moment, through two app processes (two apps over one database, as behind a
load balancer) yield one payout and one payment; every other request gets a clear 409 or a replay."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app import create_app
from core.audit import AuditEvent
from core.notifications import Notification
from core.settings import Settings
from payouts.models import Payout
from tests.conftest import login, run_in_db
from tests.integration.payouts.claim_worlds import DISTRICT, build_world, claim_row, claim_state, result_csv

REQUESTS = 50


@pytest.fixture
async def two_apps(
    settings: Settings,
) -> AsyncIterator[tuple[AsyncTestClient[Litestar], AsyncTestClient[Litestar]]]:
    async with (
        AsyncTestClient(app=create_app(settings)) as one,
        AsyncTestClient(app=create_app(settings)) as two,
    ):
        yield one, two


async def tally(settings: Settings) -> Counter[str]:
    async def count(session: AsyncSession) -> Counter[str]:
        found: Counter[str] = Counter()
        found["payouts"] = int(await session.scalar(select(func.count()).select_from(Payout)) or 0)
        found["notifications"] = int(
            await session.scalar(select(func.count()).select_from(Notification)) or 0
        )
        for action, n in await session.execute(
            select(AuditEvent.action, func.count()).group_by(AuditEvent.action)
        ):
            found[action] = n
        return found

    return await run_in_db(settings, count)


async def test_fifty_approvals_and_fifty_result_imports_pay_once(
    two_apps: tuple[AsyncTestClient[Litestar], AsyncTestClient[Litestar]], settings: Settings
) -> None:
    one, two = two_apps
    world = await build_world(settings)
    claim = await claim_row(settings, world, payable_fen=1_246_050)
    officer = await login(one, "senior")

    def approve(i: int) -> object:
        # Every fifth request is a retry of the first one's (same Idempotency-Key).
        headers = {**officer, "Idempotency-Key": "tap" if i % 5 == 0 else f"approve-{i}"}
        return (one if i % 2 else two).post(f"/claims/{claim['id']}/approve", json={}, headers=headers)

    answers = await asyncio.gather(*(approve(i) for i in range(REQUESTS)))  # type: ignore[misc]
    fresh = [a for a in answers if a.status_code == 201 and "Idempotent-Replay" not in a.headers]
    replays = [a for a in answers if a.status_code == 201 and "Idempotent-Replay" in a.headers]
    refused = [a for a in answers if a.status_code == 409]
    assert len(fresh) == 1 and len(fresh) + len(replays) + len(refused) == REQUESTS
    assert {a.json()["code"] for a in refused} == {"payout_already_requested"}
    assert all(a.json() == fresh[0].json() for a in replays)
    counts = await tally(settings)
    assert (counts["payouts"], counts["payout.approved"], counts["claim.approved"]) == (1, 1, 1)

    payout = fresh[0].json()["payouts"][0]
    finance = await login(one, "finance")
    batch = (await one.post("/payment-batches", json={"region_code": DISTRICT}, headers=finance)).json()["id"]
    assert (await two.post(f"/payment-batches/{batch}/export", headers=finance)).status_code == 201
    upload = result_csv((payout["reference"], "12460.50", "paid"))

    def mark_paid(i: int) -> object:
        headers = {**finance, "Content-Type": "text/csv", "Idempotency-Key": f"result-{i}"}
        return (one if i % 2 else two).post(
            f"/payment-batches/{batch}/results", content=upload, headers=headers
        )

    imports = await asyncio.gather(*(mark_paid(i) for i in range(REQUESTS)))  # type: ignore[misc]
    assert [a.status_code for a in imports] == [200] * REQUESTS
    outcomes = Counter((a.json()["paid"], a.json()["unchanged"]) for a in imports)
    assert outcomes == {(1, 0): 1, (0, 1): REQUESTS - 1}
    paid = await claim_state(settings, claim["id"])
    assert (paid.status, paid.paid_fen) == ("closed", 1_246_050)
    counts = await tally(settings)
    assert (counts["payout.paid"], counts["claim.paid"], counts["claim.closed"], counts["notifications"]) == (
        1,
        1,
        1,
        1,
    )


async def test_twenty_second_approvals_at_once_approve_once(
    two_apps: tuple[AsyncTestClient[Litestar], AsyncTestClient[Litestar]], settings: Settings
) -> None:
    one, two = two_apps
    world = await build_world(settings)
    claim = await claim_row(settings, world, payable_fen=2_000_000)  # above `officer`'s 10,000.00 yuan
    made = await one.post(f"/claims/{claim['id']}/approve", json={}, headers=await login(one, "officer"))
    payout_id = made.json()["payouts"][0]["id"]
    senior = await login(two, "senior")
    answers = await asyncio.gather(
        *(
            (one if i % 2 else two).post(f"/payouts/{payout_id}/approve", json={}, headers=senior)
            for i in range(20)
        )
    )
    assert sorted(a.status_code for a in answers) == [200] + [409] * 19
    counts = await tally(settings)
    assert (counts["payout.pending"], counts["payout.approved"], counts["claim.approved"]) == (1, 1, 1)
