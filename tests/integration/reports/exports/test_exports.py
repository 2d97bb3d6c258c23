"""The full listings as CSV (UTF-8 with BOM, Chinese) and XLSX (opened with openpyxl), filtered and denied."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from openpyxl import load_workbook
from sqlalchemy.ext.asyncio import AsyncSession

from core.settings import Settings
from payouts.rebates.models import SecurityExpenditure
from reports.exports import listings
from tests.conftest import login, run_in_db
from tests.integration.reports.findings.worlds import JANUARY, build_world

Client = AsyncTestClient[Litestar]


def _csv_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


async def test_claims_as_csv_start_with_the_bom_and_read_in_chinese(
    client: Client, settings: Settings
) -> None:
    world = await build_world(settings)
    response = await client.get(
        "/reports/exports/claims.csv", params=JANUARY, headers=await login(client, "auditor")
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    assert 'filename="claims-370211-20260101-20260131.csv"' in response.headers["content-disposition"]
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = _csv_rows(response.content)
    assert rows[0][:3] == ["案件号 Claim number", "状态 Status", "险种 Peril"]
    assert len(rows) == 1 + 24
    first = rows[1]
    assert first[0] == "C202601050000"
    assert first[2] == "火灾"
    assert first[6] == world.homes[0].head_name
    resident = world.homes[0].head_resident_id
    assert first[7] == resident[:6] + "********" + resident[-4:]  # masked as every listing masks it
    assert first[8] == "138****1234"
    assert first[10] == "6222020200000000"  # auditors see the payee account in full
    assert first[13] == "5000.00"


async def test_a_claims_officer_reads_accounts_masked(client: Client, settings: Settings) -> None:
    await build_world(settings)
    response = await client.get(
        "/reports/exports/claims.csv", params=JANUARY, headers=await login(client, "officer")
    )
    assert _csv_rows(response.content)[1][10] == "6222********0000"


async def test_payouts_as_xlsx_follow_the_filter(client: Client, settings: Settings) -> None:
    world = await build_world(settings)
    village = world.homes[0].village_code
    params = JANUARY | {"region_code": village, "status": "paid"}
    response = await client.get(
        "/reports/exports/payouts.xlsx", params=params, headers=await login(client, "auditor")
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    assert sheet is not None
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0][:3] == ["案件号 Claim number", "类别 Kind", "金额（元）Amount (yuan)"]
    assert len(rows) == 1 + 4  # four of the 24 claims are in the first village
    assert {row[3] for row in rows[1:]} == {village}
    assert {row[1] for row in rows[1:]} == {"赔款"}
    assert {row[2] for row in rows[1:]} == {5000}
    pending = await client.get(
        "/reports/exports/payouts.csv",
        params=JANUARY | {"status": "pending"},
        headers=await login(client, "auditor"),
    )
    assert len(_csv_rows(pending.content)) == 1  # the header alone


async def test_claims_by_peril_and_expenditures_by_date(client: Client, settings: Settings) -> None:
    world = await build_world(settings)
    auditor = await login(client, "auditor")
    theft = await client.get(
        "/reports/exports/claims.csv", params=JANUARY | {"peril": "theft"}, headers=auditor
    )
    assert len(_csv_rows(theft.content)) == 1

    async def spend(session: AsyncSession) -> None:
        for day, amount in [(date(2026, 1, 10), 12_345), (date(2026, 2, 10), 999)]:
            session.add(
                SecurityExpenditure(
                    village_code=world.villages[0],
                    category="patrol_staff",
                    amount_fen=amount,
                    spent_on=day,
                    description="夜间巡逻补贴",
                    receipt_sha256="0" * 64,
                    receipt_media_type="image/jpeg",
                    receipt_name="收据.jpg",
                    recorded_by="liaison",
                )
            )

    await run_in_db(settings, spend)
    spent = await client.get("/reports/exports/expenditures.xlsx", params=JANUARY, headers=auditor)
    sheet = load_workbook(io.BytesIO(spent.content), read_only=True).active
    assert sheet is not None
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[1:] == [
        [world.villages[0], "巡逻人员", 123.45, "2026-01-10", "夜间巡逻补贴", "收据.jpg", "0" * 64, "liaison"]
    ]
    entries = await client.get("/reports/exports/rebate-entries.csv", params=JANUARY, headers=auditor)
    assert _csv_rows(entries.content)[0][0] == "村（社区）Village"


async def test_exports_are_refused_by_role_and_region(client: Client, settings: Settings) -> None:
    await build_world(settings)
    for who in ("liaison", "finance", "adjuster"):
        refused = await client.get(
            "/reports/exports/claims.csv", params=JANUARY, headers=await login(client, who)
        )
        assert refused.status_code == 403, who
    far = await client.get(
        "/reports/exports/payouts.xlsx", params=JANUARY, headers=await login(client, "far_auditor")
    )
    assert (far.status_code, far.json()["code"]) == (403, "outside_your_region")


async def test_listings_read_in_chunks_lose_and_repeat_no_row(
    client: Client, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = await build_world(settings)
    monkeypatch.setattr(listings, "CHUNK", 5)  # 24 rows: five chunks, the last one short
    auditor = await login(client, "auditor")
    claims = _csv_rows(
        (await client.get("/reports/exports/claims.csv", params=JANUARY, headers=auditor)).content
    )
    assert [row[0] for row in claims[1:]] == [number for _, number in world.claims]
    payouts = await client.get("/reports/exports/payouts.xlsx", params=JANUARY, headers=auditor)
    sheet = load_workbook(io.BytesIO(payouts.content), read_only=True).active
    assert sheet is not None
    numbers = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert sorted(numbers) == [number for _, number in world.claims]
