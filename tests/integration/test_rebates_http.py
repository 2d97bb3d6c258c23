"""Rebate agreements and the ledger over HTTP: each role's rights, the denials, and every bad input."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID, uuid4

import dramatiq
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.auth import Role
from core.settings import Settings
from payouts.models import RebateAgreement, RebateEntry
from policies.domain import Funding
from policies.models import PremiumPayment
from tests import factories
from tests.conftest import drain, login, make_user, run_in_db

DISTRICT = "370211"
Q1 = date(2025, 1, 1)


@dataclass
class Scene:
    villages: list[str]
    program_id: UUID
    policies: dict[str, UUID]  # village → its one voluntary policy


async def pay(
    session: AsyncSession, policy_id: UUID, village: str, amount_fen: int, paid_at: datetime
) -> None:
    """A premium received at a chosen moment (the factories' payments are dated today)."""
    session.add(
        PremiumPayment(
            policy_id=policy_id,
            region_code=village,
            payer="农户",
            amount_fen=amount_fen,
            channel="cash",
            receipt_no=f"R-{uuid4().hex[:12]}",
            paid_at=paid_at,
        )
    )
    await session.flush()


async def build_scene(settings: Settings, premiums: dict[int, int]) -> Scene:
    """A voluntary program sold from 2025 in one district; premiums paid in Q1 2025 by village index."""

    async def arrange(session: AsyncSession) -> Scene:
        villages = await factories.region_tree(session, DISTRICT)
        program = await factories.program(
            session, funding=Funding.HOUSEHOLD, region_code=DISTRICT, starts_on=date(2025, 1, 1)
        )
        policies = {}
        for index, amount in premiums.items():
            home = await factories.household(session, villages[index])
            policy = await factories.active_policy(session, home, program, starts_on=date(2025, 1, 1))
            policies[villages[index]] = policy.id
            await pay(session, policy.id, villages[index], amount, datetime(2025, 2, 10, 2, tzinfo=UTC))
        return Scene(villages, program.id, policies)

    scene: Scene = await run_in_db(settings, arrange)
    await make_user(settings, "finance", Role.FINANCE, [DISTRICT])
    await make_user(settings, "officer", Role.CLAIMS_OFFICER, [DISTRICT])
    await make_user(settings, "auditor", Role.AUDITOR, [DISTRICT])
    await make_user(settings, "admin", Role.ADMIN, [])
    await make_user(settings, "liaison", Role.LIAISON, [scene.villages[0]])
    await make_user(settings, "stranger", Role.FINANCE, ["370212"])
    return scene


def agreement_body(scene: Scene, **changes: Any) -> dict[str, Any]:
    body = {
        "program_id": str(scene.program_id),
        "period_kind": "quarter",
        "starts_on": "2025-01-01",
        "ends_on": "2026-01-01",
        "share_bps": 1_000,
    }
    return body | changes


async def count(settings: Settings, model: Any) -> int:
    async def counting(session: AsyncSession) -> int:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)

    return int(await run_in_db(settings, counting))


async def accrued_scene(
    client: AsyncTestClient[Litestar], settings: Settings, worker: dramatiq.Worker, **agreement: Any
) -> tuple[Scene, str, str]:
    """Premiums 200.00, 300.00 and 100.01 yuan in three villages; Q1 2025 accrued at 10 %."""
    scene = await build_scene(settings, {0: 20_000, 1: 30_000, 3: 10_001})
    finance = await login(client, "finance")
    created = await client.post(
        "/rebates/agreements", json=agreement_body(scene, **agreement), headers=finance
    )
    assert created.status_code == 201, created.text
    agreement_id = created.json()["id"]
    queued = await client.post(
        f"/rebates/agreements/{agreement_id}/accruals",
        json={"period_start": "2025-01-01", "reason": "一季度结算"},
        headers=finance,
    )
    assert queued.status_code == 202, queued.text
    await drain(worker)
    periods = (await client.get(f"/rebates/agreements/{agreement_id}/periods", headers=finance)).json()
    return scene, agreement_id, periods[0]["period_id"]


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
    client: AsyncTestClient[Litestar], settings: Settings, worker: dramatiq.Worker
) -> None:
    scene, agreement_id, period_id = await accrued_scene(client, settings, worker)
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


async def test_approve_disburse_reverse_with_limits_and_roles(
    client: AsyncTestClient[Litestar], settings: Settings, worker: dramatiq.Worker
) -> None:
    scene, _agreement_id, period_id = await accrued_scene(client, settings, worker)
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
    client: AsyncTestClient[Litestar], settings: Settings, worker: dramatiq.Worker
) -> None:
    scene, _agreement_id, period_id = await accrued_scene(client, settings, worker)
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
    ] == "outside_your_region"
    other_village = f"/rebates/villages/{scene.villages[1]}/fund"
    assert (await client.get(other_village, headers=await login(client, "liaison"))).status_code == 403
    entries = await client.get("/rebates/entries", headers=await login(client, "liaison"))
    assert {e["village_code"] for e in entries.json()} == {scene.villages[0]}
