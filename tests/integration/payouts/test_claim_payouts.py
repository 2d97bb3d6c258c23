"""An assessed claim through to its money: approved, batched, exported, the bank's result imported,
paid and closed; the payout notice for the household; re-importing the result changes nothing."""

from __future__ import annotations

from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.audit import AuditEvent, verify_chain
from core.notifications import Notification
from core.settings import Settings
from tests.conftest import login, run_in_db
from tests.integration.payouts.claim_worlds import (
    ACCOUNT,
    DISTRICT,
    build_world,
    claim_row,
    claim_state,
    result_csv,
)
from tests.pdf_helpers import assert_cjk_pdf

CSV = {"Content-Type": "text/csv"}


async def actions(settings: Settings, subject_id: str) -> list[str]:
    async def read(session: AsyncSession) -> list[str]:
        rows = await session.scalars(
            select(AuditEvent.action).where(AuditEvent.subject_id == subject_id).order_by(AuditEvent.id)
        )
        return list(rows)

    return await run_in_db(settings, read)


async def test_an_assessed_claim_is_approved_paid_through_a_batch_and_closed(
    client: AsyncTestClient[Litestar], settings: Settings
) -> None:
    world = await build_world(settings)
    claim = await claim_row(settings, world, payable_fen=1_246_050)
    officer, finance = await login(client, "senior"), await login(client, "finance")

    approved = await client.post(f"/claims/{claim['id']}/approve", json={}, headers=officer)
    assert approved.status_code == 201, approved.text
    body = approved.json()
    assert body["status"] == "approved"
    [payout] = body["payouts"]
    assert (payout["kind"], payout["amount_fen"], payout["status"]) == ("final", 1_246_050, "approved")
    assert payout["payee_account_masked"] == "***************8901"

    ready = (await client.get("/payouts?status=approved&unbatched=true", headers=finance)).json()
    assert [p["id"] for p in ready["items"]] == [payout["id"]]

    built = await client.post("/payment-batches", json={"region_code": DISTRICT}, headers=finance)
    assert built.status_code == 201, built.text
    batch = built.json()
    assert (batch["payout_count"], batch["total_fen"], batch["status"]) == (1, 1_246_050, "open")
    again = await client.post("/payment-batches", json={"region_code": DISTRICT}, headers=finance)
    assert again.status_code == 409 and again.json()["code"] == "nothing_to_batch"

    await client.post(f"/payment-batches/{batch['id']}/export", headers=finance)
    exported = await client.get(f"/payment-batches/{batch['id']}/bank-file.csv", headers=finance)
    assert exported.status_code == 200
    text = exported.content.decode("utf-8-sig")
    assert text.splitlines()[1] == (
        f"{payout['reference']},{claim['number']},王建国,青岛农商银行,{ACCOUNT},12460.50,"
        f"安居保险赔款 {claim['number']}"
    )
    sent = (await client.get(f"/payouts/{payout['id']}", headers=finance)).json()
    assert sent["status"] == "sent" and sent["batch_id"] == batch["id"]
    assert (await claim_state(settings, claim["id"])).sent_at is not None

    upload = result_csv((payout["reference"], "12460.50", "paid"))
    imported = await client.post(
        f"/payment-batches/{batch['id']}/results", content=upload, headers={**finance, **CSV}
    )
    assert imported.status_code == 200, imported.text
    assert imported.json() | {"batch_id": None} == {
        "batch_id": None,
        "lines": 1,
        "paid": 1,
        "failed": 0,
        "unchanged": 0,
        "errors": [],
    }
    paid = await claim_state(settings, claim["id"])
    assert (paid.status, paid.paid_fen, paid.advance_paid_fen) == ("closed", 1_246_050, 0)
    assert paid.paid_at is not None and paid.closed_at is not None

    replay = await client.post(
        f"/payment-batches/{batch['id']}/results", content=upload, headers={**finance, **CSV}
    )
    assert (replay.json()["paid"], replay.json()["unchanged"]) == (0, 1)
    assert (await claim_state(settings, claim["id"])).paid_fen == 1_246_050
    settled = (await client.get(f"/payment-batches/{batch['id']}", headers=finance)).json()
    assert settled["status"] == "settled"

    assert await actions(settings, payout["id"]) == ["payout.approved", "payout.sent", "payout.paid"]
    assert await actions(settings, claim["id"]) == [
        "claim.approved",
        "claim.sent",
        "claim.paid",
        "claim.closed",
    ]

    async def check(session: AsyncSession) -> Any:
        notices = list(await session.scalars(select(Notification.text_zh)))
        return notices, await verify_chain(session)

    notices, chain = await run_in_db(settings, check)
    assert notices == [f"您的理赔案件 {claim['number']} 赔款 12460.50 元已到账。"] and chain.ok


async def test_the_household_gets_its_payout_notice_once_paid(
    client: AsyncTestClient[Litestar], settings: Settings
) -> None:
    world = await build_world(settings)
    claim = await claim_row(settings, world, payable_fen=1_246_050)
    resident, officer, finance = [await login(client, name) for name in ("resident", "senior", "finance")]
    public = f"/public/claims/payout-notice.pdf?number={claim['number']}&phone_last4=1234"
    before = await client.get(f"/claims/{claim['id']}/payout-notice.pdf", headers=resident)
    assert before.status_code == 409 and before.json()["code"] == "payout_not_paid_yet"

    payout = (await client.post(f"/claims/{claim['id']}/approve", json={}, headers=officer)).json()[
        "payouts"
    ][0]
    # Finance sees the claim once a payout of its region names it (and only its notice, not the list).
    batch = (await client.post("/payment-batches", json={"region_code": DISTRICT}, headers=finance)).json()
    await client.post(f"/payment-batches/{batch['id']}/export", headers=finance)
    upload = result_csv((payout["reference"], "12460.50", "paid"))
    await client.post(f"/payment-batches/{batch['id']}/results", content=upload, headers={**finance, **CSV})

    for headers in (resident, finance):
        notice = await client.get(f"/claims/{claim['id']}/payout-notice.pdf", headers=headers)
        assert notice.status_code == 200 and notice.headers["content-type"] == "application/pdf"
        assert_cjk_pdf(
            notice.content, pages=1, phrases=["赔款通知书", claim["number"], "12,460.50", "王建国"]
        )
    assert (await client.get(public)).status_code == 200
    wrong_phone = await client.get(public.replace("1234", "4321"))
    unknown = await client.get(public.replace(claim["number"], "AJ-20200101-000001"))
    assert wrong_phone.status_code == unknown.status_code == 404
    assert wrong_phone.json() == unknown.json()
    # Outside the region, or staff whose work does not name it: as unknown.
    for name in ("far_officer", "far_finance", "adjuster"):
        outsider = await client.get(
            f"/claims/{claim['id']}/payout-notice.pdf", headers=await login(client, name)
        )
        assert outsider.status_code == 404, name
