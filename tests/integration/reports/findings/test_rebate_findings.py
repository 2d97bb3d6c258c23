"""Rebate findings over the payouts tests' world: Q1 2025 accrued at 10 % and village 0 paid 20.00 yuan."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from core.settings import Settings
from payouts.rebates.models import SecurityExpenditure
from tests.conftest import login, run_in_db
from tests.integration.payouts.worlds import Paid, pay

Client = AsyncTestClient[Litestar]
Q1 = {"region_code": "370211", "from": "2025-01-01", "to": "2025-03-31"}


async def _findings(client: Client, kind: str) -> list[dict[str, Any]]:
    response = await client.get(
        "/reports/findings", params=Q1 | {"kind": kind}, headers=await login(client, "auditor")
    )
    assert response.status_code == 200, response.text
    findings: list[dict[str, Any]] = response.json()["findings"]
    return findings


async def _spend(settings: Settings, village: str, amount_fen: int) -> None:
    async def work(session: AsyncSession) -> None:
        session.add(
            SecurityExpenditure(
                village_code=village,
                category="video_surveillance",
                amount_fen=amount_fen,
                spent_on=date(2025, 3, 6),
                description="村口安装摄像头",
                receipt_sha256="0" * 64,
                receipt_media_type="image/jpeg",
                receipt_name="receipt.jpg",
                recorded_by="liaison",
            )
        )

    await run_in_db(settings, work)


async def test_the_accrued_ledger_matches_until_a_late_premium(
    client: Client, settings: Settings, paid: Paid
) -> None:
    assert await _findings(client, "rebate_ledger_mismatch") == []
    village = paid.scene.villages[1]

    async def late(session: AsyncSession) -> None:
        policy_id: UUID = paid.scene.policies[village]
        await pay(session, policy_id, village, 10_000, datetime(2025, 3, 20, 2, tzinfo=UTC))

    await run_in_db(settings, late)
    [finding] = await _findings(client, "rebate_ledger_mismatch")
    assert finding["subject_id"] == paid.period_id
    # 200.00 + 300.00 + 100.01 + 100.00 yuan received; 10 % of it is 70.00 yuan; 60.00 accrued.
    evidence = finding["evidence"]
    assert (evidence["premiums_fen"], evidence["expected_fen"], evidence["accrued_fen"]) == (
        70_001,
        7_000,
        6_000,
    )
    assert evidence["difference_fen"] == -1_000


async def test_village_spending_above_what_was_disbursed(
    client: Client, settings: Settings, paid: Paid
) -> None:
    village = paid.scene.villages[0]
    await _spend(settings, village, 1_500)
    assert await _findings(client, "village_overspent") == []
    await _spend(settings, village, 1_000)
    [finding] = await _findings(client, "village_overspent")
    assert finding["subject_id"] == village
    assert finding["evidence"] == {"disbursed_fen": 2_000, "spent_fen": 2_500, "over_fen": 500}
