"""The bank's result file: per-line errors change nothing for their line, a failed payout has its
payee corrected and is paid from the next batch, and the pain.001 export is valid ISO 20022."""

from __future__ import annotations

from pathlib import Path

import xmlschema
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.audit import AuditEvent
from core.settings import Settings
from tests.conftest import login, run_in_db
from tests.integration.payouts.claim_worlds import DISTRICT, build_world, claim_row, claim_state, result_csv

XSD = Path(__file__).parents[2] / "data" / "pain.001.001.03.xsd"
CSV = {"Content-Type": "text/csv"}


async def corrections(session: AsyncSession, payout_id: str) -> list[AuditEvent]:
    """The audit events of a payee put right (the failure's own event is `payout.failed`)."""
    rows = await session.scalars(
        select(AuditEvent)
        .where(AuditEvent.subject_id == payout_id, AuditEvent.reason.is_not(None))
        .where(AuditEvent.action == "payout.pending")
    )
    return list(rows)


async def approved_payouts(
    client: AsyncTestClient[Litestar], settings: Settings, *amounts: int
) -> list[dict]:
    world = await build_world(settings)
    officer = await login(client, "senior")
    payouts = []
    for amount in amounts:
        claim = await claim_row(settings, world, payable_fen=amount)
        answer = await client.post(f"/claims/{claim['id']}/approve", json={}, headers=officer)
        payouts.append(answer.json()["payouts"][0] | {"claim": claim})
    return payouts


async def test_bad_lines_are_reported_and_change_nothing(
    client: AsyncTestClient[Litestar], settings: Settings
) -> None:
    good, wrong_amount, other = await approved_payouts(client, settings, 100_000, 200_000, 300_000)
    finance = await login(client, "finance")
    first = (await client.post("/payment-batches", json={"region_code": DISTRICT}, headers=finance)).json()
    assert first["payout_count"] == 3
    batch = first["id"]
    await client.post(f"/payment-batches/{batch}/export", headers=finance)
    upload = result_csv(
        (good["reference"], "1000.00", "paid"),
        (wrong_amount["reference"], "2000.01", "paid"),
        ("f" * 32, "3000.00", "paid"),
        (other["reference"], "30OO.00", "paid"),
        (other["reference"], "3000.00", "maybe"),
    )
    report = (
        await client.post(f"/payment-batches/{batch}/results", content=upload, headers={**finance, **CSV})
    ).json()
    assert (report["lines"], report["paid"], report["failed"], report["unchanged"]) == (5, 1, 0, 0)
    assert [(e["line"], e["code"]) for e in report["errors"]] == [
        (3, "amount_mismatch"),
        (4, "unknown_reference"),
        (5, "malformed_amount"),
        (6, "unknown_status"),
    ]
    for payout, status in ((good, "paid"), (wrong_amount, "sent"), (other, "sent")):
        assert (await client.get(f"/payouts/{payout['id']}", headers=finance)).json()["status"] == status
    assert (await claim_state(settings, wrong_amount["claim"]["id"])).paid_fen == 0
    batch_now = (await client.get(f"/payment-batches/{batch}", headers=finance)).json()
    assert batch_now["status"] == "exported"

    unreadable = await client.post(
        f"/payment-batches/{batch}/results", content=b"a,b\n1,2\n", headers={**finance, **CSV}
    )
    assert unreadable.status_code == 422 and unreadable.json()["code"] == "result_file_unreadable"


async def test_a_failed_payout_gets_its_payee_corrected_and_is_paid_from_the_next_batch(
    client: AsyncTestClient[Litestar], settings: Settings
) -> None:
    [payout] = await approved_payouts(client, settings, 1_246_050)
    finance, officer = await login(client, "finance"), await login(client, "officer")
    first = (await client.post("/payment-batches", json={"region_code": DISTRICT}, headers=finance)).json()[
        "id"
    ]
    await client.post(f"/payment-batches/{first}/export", headers=finance)
    failed = result_csv((payout["reference"], "12460.50", "failed"), header="reference,amount,status,reason")
    report = (
        await client.post(f"/payment-batches/{first}/results", content=failed, headers={**finance, **CSV})
    ).json()
    assert report["failed"] == 1
    assert (await claim_state(settings, payout["claim"]["id"])).status == "approved"

    correction = {
        "payee_name": "王建国",
        "payee_bank_name": "农业银行",
        "payee_account": "6222020200112233",
        "reason": "",
    }
    blank = await client.patch(f"/payouts/{payout['id']}/payee", json=correction, headers=officer)
    assert blank.status_code == 400  # a reason is required
    correction["reason"] = "原账户已销户，户主提供新账户"
    fixed = await client.patch(f"/payouts/{payout['id']}/payee", json=correction, headers=officer)
    assert fixed.status_code == 200, fixed.text
    assert (fixed.json()["status"], fixed.json()["batch_id"], fixed.json()["payee_account_masked"]) == (
        "pending",
        None,
        "************2233",
    )
    again = await client.patch(f"/payouts/{payout['id']}/payee", json=correction, headers=officer)
    assert again.status_code == 409
    # A new account is a new payment: another officer, with authority for the sum, approves it.
    approve = f"/payouts/{payout['id']}/approve"
    by_corrector = await client.post(approve, json={}, headers=officer)
    assert (by_corrector.status_code, by_corrector.json()["code"]) == (403, "approver_is_maker")
    by_junior = await client.post(approve, json={}, headers=await login(client, "junior"))
    assert (by_junior.status_code, by_junior.json()["code"]) == (403, "checker_limit_too_low")
    checked = await client.post(approve, json={}, headers=await login(client, "senior"))
    assert (checked.status_code, checked.json()["status"]) == (200, "approved")
    [event] = await run_in_db(settings, lambda session: corrections(session, payout["id"]))
    assert (event.reason, event.after["payee_account"]) == (correction["reason"], "************2233")
    assert "6228480012345678901" not in str(event.after) and "6222020200112233" not in str(event.after)

    # The old batch's file, imported again, no longer speaks for this payout.
    stale = result_csv((payout["reference"], "12460.50", "paid"))
    report = (
        await client.post(f"/payment-batches/{first}/results", content=stale, headers={**finance, **CSV})
    ).json()
    assert [e["code"] for e in report["errors"]] == ["other_batch"]

    second = (await client.post("/payment-batches", json={"region_code": DISTRICT}, headers=finance)).json()[
        "id"
    ]
    await client.post(f"/payment-batches/{second}/export", headers=finance)
    csv_file = (await client.get(f"/payment-batches/{second}/bank-file.csv", headers=finance)).content
    assert "6222020200112233" in csv_file.decode("utf-8-sig")
    report = (
        await client.post(f"/payment-batches/{second}/results", content=stale, headers={**finance, **CSV})
    ).json()
    assert report["paid"] == 1
    assert (await claim_state(settings, payout["claim"]["id"])).status == "closed"


async def test_the_pain001_file_is_valid_against_the_iso_20022_schema(
    client: AsyncTestClient[Litestar], settings: Settings
) -> None:
    payouts = await approved_payouts(client, settings, 1_246_050, 2_000_000)
    finance = await login(client, "finance")
    batch = (await client.post("/payment-batches", json={"region_code": DISTRICT}, headers=finance)).json()
    await client.post(f"/payment-batches/{batch['id']}/export", headers=finance)
    answer = await client.get(f"/payment-batches/{batch['id']}/pain001.xml", headers=finance)
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("application/xml")
    schema = xmlschema.XMLSchema(XSD)
    schema.validate(answer.content)
    document = schema.to_dict(answer.content)
    header = document["CstmrCdtTrfInitn"]["GrpHdr"]
    assert (header["MsgId"], header["NbOfTxs"], str(header["CtrlSum"])) == (batch["number"], "2", "32460.50")
    transfers = document["CstmrCdtTrfInitn"]["PmtInf"][0]["CdtTrfTxInf"]
    assert sorted(t["PmtId"]["EndToEndId"] for t in transfers) == sorted(p["reference"] for p in payouts)
    assert sorted(str(t["Amt"]["InstdAmt"]["$"]) for t in transfers) == ["12460.50", "20000.00"]
    # Downloading again reads the same file.
    again = await client.get(f"/payment-batches/{batch['id']}/pain001.xml", headers=finance)
    assert schema.to_dict(again.content)["CstmrCdtTrfInitn"]["PmtInf"][0]["CdtTrfTxInf"] == transfers


async def test_finance_reaches_only_the_batches_and_payouts_of_its_regions(
    client: AsyncTestClient[Litestar], settings: Settings
) -> None:
    [payout] = await approved_payouts(client, settings, 100_000)
    finance, far = await login(client, "finance"), await login(client, "far_finance")
    outside = await client.post("/payment-batches", json={"region_code": DISTRICT}, headers=far)
    assert outside.status_code == 403 and outside.json()["code"] == "outside_your_region"
    batch = (await client.post("/payment-batches", json={"region_code": DISTRICT}, headers=finance)).json()[
        "id"
    ]
    for path in (
        f"/payment-batches/{batch}",
        f"/payment-batches/{batch}/bank-file.csv",
        f"/payouts/{payout['id']}",
    ):
        assert (await client.get(path, headers=far)).status_code == 404, path
    assert (await client.get("/payouts", headers=far)).json()["items"] == []
    assert (await client.get("/payment-batches", headers=far)).json()["items"] == []
    # The claims list stays closed to finance: it sees a claim only through its payouts.
    assert (await client.get("/claims", headers=finance)).json()["items"] == []
