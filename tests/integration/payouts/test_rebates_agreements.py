"""Rebate agreements and accrual requests over HTTP: each role's rights, the denials, every bad input."""

from __future__ import annotations

from uuid import uuid4

import dramatiq
from litestar import Litestar
from litestar.testing import AsyncTestClient

from core.settings import Settings
from payouts.rebates.models import RebateAgreement, RebateEntry
from tests.conftest import drain, login
from tests.integration.payouts.worlds import Accrued, agreement_body, build_scene, count


async def test_agreements_finance_creates_others_are_refused_bad_ones_change_nothing(
    client: AsyncTestClient[Litestar], settings: Settings
) -> None:
    scene = await build_scene(settings, {0: 10_000})
    finance = await login(client, "finance")
    for name in ("officer", "auditor", "liaison"):
        denied = await client.post(
            "/rebates/agreements", json=agreement_body(scene), headers=await login(client, name)
        )
        assert denied.status_code == 403, name
    outsider = await client.post(
        "/rebates/agreements", json=agreement_body(scene), headers=await login(client, "stranger")
    )
    assert outsider.json()["code"] == "outside_your_region"
    created = await client.post("/rebates/agreements", json=agreement_body(scene), headers=finance)
    assert created.status_code == 201, created.text
    assert created.json()["approver_role"] == "finance"

    bad_inputs = [
        (
            agreement_body(scene, starts_on="2025-07-01", ends_on="2026-07-01"),
            409,
            "rebate_agreement_overlaps",
        ),
        (
            agreement_body(scene, starts_on="2026-01-01", ends_on="2027-01-01", share_bps=10_001),
            422,
            "invalid_rebate_share",
        ),
        (
            agreement_body(scene, starts_on="2026-01-01", ends_on="2027-01-01", share_bps=-5),
            422,
            "invalid_rebate_share",
        ),
        (
            agreement_body(scene, starts_on="2026-01-01", ends_on="2027-01-01", per_household_fen=100),
            422,
            "invalid_rebate_share",
        ),
        (agreement_body(scene, starts_on="2026-01-15", ends_on="2027-01-15"), 422, "invalid_agreement_dates"),
        (
            agreement_body(scene, program_id=str(uuid4()), starts_on="2026-01-01", ends_on="2027-01-01"),
            404,
            "program_not_found",
        ),
        (agreement_body(scene, approver_role="auditor"), 400, "validation_failed"),
        (agreement_body(scene, extra=1), 400, "validation_failed"),
    ]
    for body, status, code in bad_inputs:
        response = await client.post("/rebates/agreements", json=body, headers=finance)
        assert (response.status_code, response.json()["code"]) == (status, code), body
    assert await count(settings, RebateAgreement) == 1

    # A later, adjoining agreement is fine (ends_on is exclusive).
    later = agreement_body(
        scene, starts_on="2026-01-01", ends_on="2027-01-01", approver_role="claims_officer"
    )
    assert (await client.post("/rebates/agreements", json=later, headers=finance)).status_code == 201
    seen_by_auditor = await client.get("/rebates/agreements", headers=await login(client, "auditor"))
    assert len(seen_by_auditor.json()) == 2
    seen_by_liaison = await client.get("/rebates/agreements", headers=await login(client, "liaison"))
    assert len(seen_by_liaison.json()) == 2
    assert (await client.get("/rebates/agreements", headers=await login(client, "stranger"))).json() == []


async def test_accrual_is_finance_only_for_closed_periods_and_a_second_run_changes_nothing(
    client: AsyncTestClient[Litestar], settings: Settings, accrued: Accrued, worker: dramatiq.Worker
) -> None:
    scene, agreement_id, period_id = accrued
    finance = await login(client, "finance")
    entries = (await client.get("/rebates/entries", params={"period_id": period_id}, headers=finance)).json()
    # 10 % of 600.01 yuan = 60.00 yuan: 20.00, 30.00 and 10.00 (10.001 rounds down, nothing left over).
    assert {e["village_code"]: e["amount_fen"] for e in entries} == {
        scene.villages[0]: 2_000,
        scene.villages[1]: 3_000,
        scene.villages[3]: 1_000,
    }
    accruals = f"/rebates/agreements/{agreement_id}/accruals"
    again = {"period_start": "2025-01-01", "reason": "重复"}
    assert (await client.post(accruals, json=again, headers=finance)).status_code == 202
    await drain(worker)
    assert await count(settings, RebateEntry) == 3

    for name in ("officer", "auditor", "liaison"):
        assert (await client.post(accruals, json=again, headers=await login(client, name))).status_code == 403
    not_a_start = await client.post(
        accruals, json={"period_start": "2025-02-01", "reason": "x"}, headers=finance
    )
    assert not_a_start.json()["code"] == "not_a_rebate_period"
    future = agreement_body(scene, starts_on="2026-01-01", ends_on="2036-01-01", period_kind="year")
    future_id = (await client.post("/rebates/agreements", json=future, headers=finance)).json()["id"]
    open_period = await client.post(
        f"/rebates/agreements/{future_id}/accruals",
        json={"period_start": "2035-01-01", "reason": "x"},
        headers=finance,
    )
    assert (open_period.status_code, open_period.json()["code"]) == (409, "rebate_period_not_closed")
    await drain(worker)
    assert await count(settings, RebateEntry) == 3
