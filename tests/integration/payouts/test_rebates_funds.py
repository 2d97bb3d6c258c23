"""Village security funds and statements over HTTP: spending with receipts, balances, PDF and CSV."""

from __future__ import annotations

import csv
import io

import msgspec
from litestar import Litestar
from litestar.testing import AsyncTestClient

from app import create_app
from core.settings import Settings
from payouts.rebates.models import SecurityExpenditure
from tests.conftest import login
from tests.integration.payouts.worlds import (
    DISTRICT,
    JPEG,
    PDF,
    Accrued,
    Paid,
    build_scene,
    count,
    spending,
)
from tests.pdf_helpers import assert_cjk_pdf


async def test_liaison_spends_up_to_the_balance_with_a_real_receipt(
    client: AsyncTestClient[Litestar], settings: Settings, paid: Paid
) -> None:
    scene = paid.scene
    village = scene.villages[0]
    url = f"/rebates/villages/{village}/expenditures"
    liaison = await login(client, "liaison")
    receipt = {"receipt": ("发票.jpg", JPEG, "image/jpeg")}

    first = await client.post(
        url, data=spending(1_200), files=receipt, headers=liaison | {"Idempotency-Key": "e1"}
    )
    assert first.status_code == 201, first.text
    replay = await client.post(
        url, data=spending(1_200), files=receipt, headers=liaison | {"Idempotency-Key": "e1"}
    )
    assert replay.json() == first.json()
    assert replay.headers["Idempotent-Replay"] == "true"

    bad = [
        (spending(801), receipt, 409, "spending_exceeds_balance"),
        (
            spending(100),
            {"receipt": ("x.jpg", b"GIF89a" + bytes(50), "image/jpeg")},
            422,
            "receipt_not_image_or_pdf",
        ),
        (
            spending(100),
            {"receipt": ("x.pdf", b"<html>not a pdf</html>", "application/pdf")},
            422,
            "receipt_not_image_or_pdf",
        ),
        (spending(0), receipt, 400, "validation_failed"),
        (spending(100, category="banquet"), receipt, 400, "validation_failed"),
    ]
    for form, files, status, code in bad:
        response = await client.post(url, data=form, files=files, headers=liaison)
        assert (response.status_code, response.json()["code"]) == (status, code), form
    assert await count(settings, SecurityExpenditure) == 1

    for name in ("finance", "auditor", "officer"):
        denied = await client.post(url, data=spending(100), files=receipt, headers=await login(client, name))
        assert denied.status_code == 403, name
    other = f"/rebates/villages/{scene.villages[1]}/expenditures"
    assert (await client.post(other, data=spending(1), files=receipt, headers=liaison)).status_code == 403
    hidden = await client.get(other, headers=liaison)
    assert (hidden.status_code, hidden.json()["code"]) == (404, "village_not_found")

    pdf_receipt = {"receipt": ("收据.pdf", PDF, "application/pdf")}
    rest = await client.post(
        url, data=spending(800, category="patrol_staff"), files=pdf_receipt, headers=liaison
    )
    assert rest.status_code == 201, rest.text
    assert rest.json()["receipt_media_type"] == "application/pdf"
    fund = (
        await client.get(f"/rebates/villages/{village}/fund", headers=await login(client, "auditor"))
    ).json()
    assert (fund["disbursed_fen"], fund["spent_fen"], fund["balance_fen"]) == (2_000, 2_000, 0)

    auditor = await login(client, "auditor")
    listed = (await client.get(url, headers=auditor)).json()
    assert [row["amount_fen"] for row in listed] == [1_200, 800]
    download = await client.get(f"/rebates/expenditures/{listed[0]['id']}/receipt", headers=auditor)
    assert download.content == JPEG
    assert download.headers["content-type"].startswith("image/jpeg")

    # The disbursement is spent now: reversing it would leave the fund below zero.
    finance = await login(client, "finance")
    payment = next(
        e
        for e in (await client.get("/rebates/entries", headers=finance)).json()
        if e["kind"] == "disbursement"
    )
    refused = await client.post(
        f"/rebates/entries/{payment['id']}/reversals", json={"reason": "x"}, headers=finance
    )
    assert refused.json()["code"] == "reversal_not_possible"


async def test_an_oversized_receipt_is_refused_before_anything_is_stored(settings: Settings) -> None:
    small = create_app(msgspec.structs.replace(settings, max_upload_bytes=2_000))
    async with AsyncTestClient(app=small) as client:
        scene = await build_scene(settings, {0: 10_000})
        big = {"receipt": ("big.jpg", JPEG + bytes(5_000), "image/jpeg")}
        url = f"/rebates/villages/{scene.villages[0]}/expenditures"
        response = await client.post(url, data=spending(1), files=big, headers=await login(client, "liaison"))
        assert (response.status_code, response.json()["code"]) == (413, "too_large")
    assert await count(settings, SecurityExpenditure) == 0
    assert not (settings.storage_dir / "receipts").exists()


async def test_statement_is_one_page_of_chinese_and_the_same_as_csv(
    client: AsyncTestClient[Litestar], paid: Paid
) -> None:
    scene, period_id = paid
    village = scene.villages[0]
    liaison = await login(client, "liaison")
    url = f"/rebates/villages/{village}/expenditures"
    files = {"receipt": ("r.png", b"\x89PNG\r\n\x1a\n" + bytes(64), "image/png")}
    for amount in (300, 450):
        assert (
            await client.post(url, data=spending(amount), files=files, headers=liaison)
        ).status_code == 201

    base = f"/rebates/periods/{period_id}/villages/{village}/statement"
    statement = (await client.get(base, headers=liaison)).json()
    assert (statement["accrued_fen"], statement["disbursed_fen"], statement["spent_in_period_fen"]) == (
        2_000,
        2_000,
        750,
    )
    assert statement["balance_fen"] == 1_250
    assert statement["basis"] == 20_000

    pdf = await client.get(f"{base}.pdf", headers=liaison)
    assert pdf.status_code == 200, pdf.text
    assert pdf.headers["content-type"] == "application/pdf"
    assert_cjk_pdf(
        pdf.content,
        pages=1,
        phrases=[
            "村治安返还资金对账单",
            "前石村",
            "保费的 10.00%",
            "20.00 元",
            "12.50 元",
            "视频监控",
            "7.50 元",
        ],
    )

    exported = await client.get(f"{base}.csv", headers=await login(client, "auditor"))
    assert exported.headers["content-type"] == "text/csv; charset=utf-8"
    assert exported.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert rows[0] == ["村（社区）", "前石村", village]
    assert ["计提（元）", "20.00"] in rows
    assert ["资金余额（元）", "12.50"] in rows
    assert sum(1 for row in rows if row and row[1] == "视频监控") == 2

    other = f"/rebates/periods/{period_id}/villages/{scene.villages[1]}/statement.pdf"
    assert (await client.get(other, headers=liaison)).status_code == 404
    assert (
        await client.get(
            f"/rebates/periods/{period_id}/villages/{DISTRICT}001009/statement",
            headers=await login(client, "finance"),
        )
    ).json()["code"] == "village_not_found"


async def test_a_long_statement_still_fits_one_page(
    client: AsyncTestClient[Litestar], accrued: Accrued
) -> None:
    scene, period_id = accrued.scene, accrued.period_id
    finance = await login(client, "finance")
    move = {
        "period_id": period_id,
        "village_code": scene.villages[1],
        "amount_fen": 100,
        "reason": "分批审批",
    }
    for _ in range(25):
        assert (await client.post("/rebates/approvals", json=move, headers=finance)).status_code == 201
    pdf = await client.get(
        f"/rebates/periods/{period_id}/villages/{scene.villages[1]}/statement.pdf", headers=finance
    )
    assert_cjk_pdf(pdf.content, pages=1, phrases=["后石社区", "另有 12 条记录"])
