"""The rebate ledger over HTTP: approvals, disbursements, reversals with their limits, the district view."""

from __future__ import annotations

from litestar import Litestar
from litestar.testing import AsyncTestClient

from core.settings import Settings
from payouts.rebates.models import RebateEntry
from tests.conftest import login
from tests.integration.payouts.worlds import DISTRICT, Accrued, count


async def test_approve_disburse_reverse_with_limits_and_roles(
    client: AsyncTestClient[Litestar], settings: Settings, accrued: Accrued
) -> None:
    scene, period_id = accrued.scene, accrued.period_id
    village = scene.villages[0]  # 20.00 yuan accrued
    finance, officer = await login(client, "finance"), await login(client, "officer")
    move = {"period_id": period_id, "village_code": village, "amount_fen": 1_500, "reason": "审批"}

    assert (await client.post("/rebates/approvals", json=move, headers=officer)).json()["code"] == (
        "not_the_rebate_approver"
    )
    for name in ("auditor", "liaison"):
        headers = await login(client, name)
        assert (await client.post("/rebates/approvals", json=move, headers=headers)).status_code == 403
        assert (await client.post("/rebates/disbursements", json=move, headers=headers)).status_code == 403
    too_much = await client.post("/rebates/approvals", json=move | {"amount_fen": 2_001}, headers=finance)
    assert (too_much.status_code, too_much.json()["code"]) == (409, "approval_exceeds_accrued")
    approved = await client.post("/rebates/approvals", json=move, headers=finance)
    assert approved.status_code == 201, approved.text
    before = await count(settings, RebateEntry)
    over = await client.post("/rebates/disbursements", json=move | {"amount_fen": 1_501}, headers=finance)
    assert (over.status_code, over.json()["code"]) == (409, "disbursement_exceeds_approved")
    assert (await client.post("/rebates/disbursements", json=move, headers=officer)).status_code == 403
    assert await count(settings, RebateEntry) == before
    paid = await client.post("/rebates/disbursements", json=move | {"reference": "BANK-1"}, headers=finance)
    assert paid.status_code == 201, paid.text

    # The approval cannot be reversed while its money is paid out; the payment can, once.
    approval_id, payment_id = approved.json()["id"], paid.json()["id"]
    stuck = await client.post(
        f"/rebates/entries/{approval_id}/reversals", json={"reason": "x"}, headers=finance
    )
    assert (stuck.status_code, stuck.json()["code"]) == (409, "reversal_not_possible")
    reason = {"reason": "银行退回"}
    assert (
        await client.post(f"/rebates/entries/{payment_id}/reversals", json=reason, headers=officer)
    ).status_code == 403
    reversed_ = await client.post(f"/rebates/entries/{payment_id}/reversals", json=reason, headers=finance)
    assert reversed_.status_code == 201, reversed_.text
    assert reversed_.json()["amount_fen"] == -1_500
    assert reversed_.json()["reverses_id"] == payment_id
    twice = await client.post(f"/rebates/entries/{payment_id}/reversals", json=reason, headers=finance)
    assert twice.json()["code"] == "rebate_entry_already_reversed"
    accrual_id = next(
        e["id"]
        for e in (
            await client.get("/rebates/entries", params={"village_code": village}, headers=finance)
        ).json()
        if e["kind"] == "accrual"
    )
    by_hand = await client.post(f"/rebates/entries/{accrual_id}/reversals", json=reason, headers=finance)
    assert by_hand.json()["code"] == "accrual_corrected_by_recompute"

    # A posted entry has no edit or delete: the route exists for reading only.
    count_before = await count(settings, RebateEntry)
    for method in ("PATCH", "PUT", "DELETE"):
        response = await client.request(
            method, f"/rebates/entries/{payment_id}", json={"amount_fen": 1}, headers=finance
        )
        assert (response.status_code, response.json()["code"]) == (405, "method_not_allowed"), method
    assert await count(settings, RebateEntry) == count_before
    original = await client.get(f"/rebates/entries/{payment_id}", headers=await login(client, "auditor"))
    assert original.json()["amount_fen"] == 1_500

    fund = (await client.get(f"/rebates/villages/{village}/fund", headers=finance)).json()
    assert (fund["accrued_fen"], fund["approved_fen"], fund["disbursed_fen"], fund["balance_fen"]) == (
        2_000,
        1_500,
        0,
        0,
    )


async def test_district_view_lists_every_village_and_respects_scope(
    client: AsyncTestClient[Litestar], accrued: Accrued
) -> None:
    scene, period_id = accrued.scene, accrued.period_id
    url = f"/rebates/districts/{DISTRICT}/villages"
    auditor_view = (
        await client.get(url, params={"period_id": period_id}, headers=await login(client, "auditor"))
    ).json()
    assert [row["village_code"] for row in auditor_view] == scene.villages
    assert sum(row["accrued_fen"] for row in auditor_view) == 6_000
    assert auditor_view[2]["accrued_fen"] == 0
    liaison_view = (await client.get(url, headers=await login(client, "liaison"))).json()
    assert [row["village_code"] for row in liaison_view] == [scene.villages[0]]
    assert (await client.get(url, headers=await login(client, "stranger"))).json()[
        "code"
    ] == "region_not_found"
    other_village = f"/rebates/villages/{scene.villages[1]}/fund"
    hidden = await client.get(other_village, headers=await login(client, "liaison"))
    assert (hidden.status_code, hidden.json()["code"]) == (404, "village_not_found")
    entries = await client.get("/rebates/entries", headers=await login(client, "liaison"))
    assert {e["village_code"] for e in entries.json()} == {scene.villages[0]}
