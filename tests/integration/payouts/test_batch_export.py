"""Exporting a batch is a POST, once; its bank files are read-only downloads of an exported batch,
the same bytes every time (CreDtTm its export time, with the business offset); the export and the
settling are audited."""

from __future__ import annotations

from datetime import datetime

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.audit import AuditEvent
from core.clock import BUSINESS_TZ
from core.settings import Settings
from tests.conftest import login, run_in_db
from tests.integration.payouts.claim_worlds import DISTRICT, build_world, claim_row, result_csv

CSV = {"Content-Type": "text/csv"}


async def batch_events(session: AsyncSession, batch_id: str) -> list[tuple[str, str, dict]]:
    rows = await session.scalars(
        select(AuditEvent).where(AuditEvent.subject_id == batch_id).order_by(AuditEvent.id)
    )
    return [(row.action, row.actor, row.before or {}) for row in rows]


async def test_export_once_then_download_the_same_file_every_time(
    client: AsyncTestClient[Litestar], settings: Settings
) -> None:
    world = await build_world(settings)
    senior, finance = await login(client, "senior"), await login(client, "finance")
    payouts = []
    for amount in (100_000, 200_000):
        claim = await claim_row(settings, world, payable_fen=amount)
        payouts.append((await client.post(f"/claims/{claim['id']}/approve", json={}, headers=senior)).json())
    batch = (await client.post("/payment-batches", json={"region_code": DISTRICT}, headers=finance)).json()
    files = [f"/payment-batches/{batch['id']}/{name}" for name in ("bank-file.csv", "pain001.xml")]
    for path in files:
        early = await client.get(path, headers=finance)
        assert (early.status_code, early.json()["code"]) == (409, "batch_not_exported"), path
    assert {p["payouts"][0]["id"] for p in payouts} == {
        p["id"] for p in (await client.get("/payouts?status=approved", headers=finance)).json()["items"]
    }

    export = f"/payment-batches/{batch['id']}/export"
    first = await client.post(export, headers=finance)
    assert (first.status_code, first.json()["status"]) == (201, "exported")
    retried = await client.post(export, headers=finance)
    assert (retried.status_code, retried.json()) == (200, first.json())
    sent = (await client.get("/payouts?status=sent", headers=finance)).json()["items"]
    assert len(sent) == 2

    before = [(await client.get(path, headers=finance)).content for path in files]
    exported_at = datetime.fromisoformat(first.json()["exported_at"]).astimezone(BUSINESS_TZ)
    stamp = f"<CreDtTm>{exported_at.isoformat(timespec='seconds')}</CreDtTm>"
    assert stamp.endswith("+08:00</CreDtTm>") and stamp in before[1].decode()

    [one, two] = [p["payouts"][0] for p in payouts]
    upload = result_csv((one["reference"], "1000.00", "paid"), (two["reference"], "2000.00", "failed"))
    imported = await client.post(
        f"/payment-batches/{batch['id']}/results", content=upload, headers={**finance, **CSV}
    )
    assert (imported.json()["paid"], imported.json()["failed"]) == (1, 1)
    # Paid or failed since, every line is still in the file, byte for byte.
    assert [(await client.get(path, headers=finance)).content for path in files] == before

    events = await run_in_db(settings, lambda session: batch_events(session, batch["id"]))
    assert events == [
        ("payment_batch.built", "finance", {}),
        ("payment_batch.exported", "finance", {"status": "open"}),
        ("payment_batch.settled", "finance", {"status": "exported"}),
    ]
