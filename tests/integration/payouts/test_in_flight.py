"""Money on its way holds the claim: no advance before triage, no withdrawal while a payout is in
flight, a bank line for a claim that cannot be paid is that line's error alone, and an assessment
at nothing payable closes the claim without counting it paid."""

from __future__ import annotations

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.audit import AuditEvent
from core.settings import Settings
from tests.conftest import login, run_in_db
from tests.integration.payouts.claim_worlds import (
    DISTRICT,
    build_world,
    claim_row,
    claim_state,
    pay_through_a_batch,
    result_csv,
    set_claim,
)

CSV = {"Content-Type": "text/csv"}


async def test_no_advance_before_triage_and_no_withdrawal_while_it_is_in_flight(
    client: AsyncTestClient[Litestar], settings: Settings
) -> None:
    world = await build_world(settings)
    officer, finance = await login(client, "officer"), await login(client, "finance")
    untriaged = await claim_row(
        settings, world, status="reported", payable_fen=None, catastrophe=True, advance_bps=3_000
    )
    early = await client.post(f"/claims/{untriaged['id']}/advance", json={"amount_fen": 100}, headers=officer)
    assert (early.status_code, early.json()["code"]) == (409, "advance_not_allowed")

    claim = await claim_row(
        settings, world, status="accepted", payable_fen=None, catastrophe=True, advance_bps=3_000
    )
    granted = await client.post(
        f"/claims/{claim['id']}/advance", json={"amount_fen": 100_000}, headers=officer
    )
    [advance] = granted.json()["payouts"]
    held = await client.post(
        f"/claims/{claim['id']}/withdraw", json={"reason": "已自行修好"}, headers=officer
    )
    assert (held.status_code, held.json()["code"]) == (409, "payout_in_flight")
    assert (await claim_state(settings, claim["id"])).flags == ["payout_in_flight"]

    await pay_through_a_batch(client, finance, advance, "1000.00")
    # The money has arrived: the mark is gone and claims may withdraw it again.
    assert (await claim_state(settings, claim["id"])).flags == []


async def test_a_line_whose_claim_cannot_be_paid_is_an_error_and_the_other_lines_count(
    client: AsyncTestClient[Litestar], settings: Settings
) -> None:
    world = await build_world(settings)
    senior, finance = await login(client, "senior"), await login(client, "finance")
    payouts = []
    for amount in (100_000, 200_000):
        claim = await claim_row(settings, world, payable_fen=amount)
        answer = await client.post(f"/claims/{claim['id']}/approve", json={}, headers=senior)
        payouts.append(answer.json()["payouts"][0] | {"claim": claim})
    good, dead = payouts
    batch = (await client.post("/payment-batches", json={"region_code": DISTRICT}, headers=finance)).json()
    await client.post(f"/payment-batches/{batch['id']}/export", headers=finance)
    # A claim ended behind payouts' back (data from before the in-flight guard).
    await set_claim(settings, dead["claim"]["id"], status="withdrawn")

    upload = result_csv((good["reference"], "1000.00", "paid"), (dead["reference"], "2000.00", "paid"))
    answer = await client.post(
        f"/payment-batches/{batch['id']}/results", content=upload, headers={**finance, **CSV}
    )
    assert answer.status_code == 200, answer.text
    report = answer.json()
    assert (report["paid"], [(e["line"], e["code"]) for e in report["errors"]]) == (
        1,
        [(3, "claim_not_payable")],
    )
    assert (await claim_state(settings, good["claim"]["id"])).status == "closed"
    assert (await client.get(f"/payouts/{dead['id']}", headers=finance)).json()["status"] == "sent"


async def closing_reason(session: AsyncSession, claim_id: str) -> str | None:
    return await session.scalar(
        select(AuditEvent.reason).where(
            AuditEvent.subject_id == claim_id, AuditEvent.action == "claim.closed"
        )
    )


async def test_nothing_payable_and_nothing_advanced_closes_the_claim_unpaid(
    client: AsyncTestClient[Litestar], settings: Settings
) -> None:
    world = await build_world(settings)
    claim = await claim_row(settings, world, payable_fen=0)
    answer = await client.post(
        f"/claims/{claim['id']}/approve", json={}, headers=await login(client, "officer")
    )
    assert answer.status_code == 201, answer.text
    assert (answer.json()["status"], answer.json()["payouts"]) == ("closed", [])
    closed = await claim_state(settings, claim["id"])
    assert (closed.paid_at, closed.approved_at, closed.closed_at is not None) == (None, None, True)
    reason = await run_in_db(settings, lambda session: closing_reason(session, claim["id"]))
    assert reason == "定损无应付金额，未付款结案 (nothing payable: closed without payment)"
