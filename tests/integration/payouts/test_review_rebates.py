"""Issue 4 read line by line: every step in the audit log, auditors change nothing, scope of statements."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.audit import AuditEvent
from core.auth import Role
from core.clock import today
from core.settings import Settings
from payouts.rebates.models import RebateAgreement, RebateEntry, RebatePeriod, SecurityExpenditure
from tests import factories
from tests.conftest import login, make_user, run_in_db
from tests.integration.payouts.worlds import JPEG, Paid, agreement_body, spending

RECEIPT = {"receipt": ("发票.jpg", JPEG, "image/jpeg")}


async def totals(settings: Settings) -> dict[str, int]:
    """How many rows each rebate table and the audit log hold: any write moves one of them."""

    async def read(session: AsyncSession) -> dict[str, int]:
        models = (RebateAgreement, RebatePeriod, RebateEntry, SecurityExpenditure, AuditEvent)
        return {
            model.__name__: int(await session.scalar(select(func.count()).select_from(model)) or 0)
            for model in models
        }

    result: dict[str, int] = await run_in_db(settings, read)
    return result


async def test_every_rebate_step_is_in_the_audit_log_with_its_actor(
    client: AsyncTestClient[Litestar], settings: Settings, paid: Paid
) -> None:
    scene, period_id = paid
    village = scene.villages[0]
    finance = await login(client, "finance")
    payment = next(
        e
        for e in (await client.get("/rebates/entries", headers=finance)).json()
        if e["kind"] == "disbursement"
    )
    reversed_ = await client.post(
        f"/rebates/entries/{payment['id']}/reversals", json={"reason": "银行退回"}, headers=finance
    )
    assert reversed_.status_code == 201, reversed_.text
    move = {"period_id": period_id, "village_code": village, "amount_fen": 2_000, "reason": "重新拨付"}
    assert (await client.post("/rebates/disbursements", json=move, headers=finance)).status_code == 201
    spent = await client.post(
        f"/rebates/villages/{village}/expenditures",
        data=spending(500),
        files=RECEIPT,
        headers=await login(client, "liaison"),
    )
    assert spent.status_code == 201, spent.text

    async def trail(session: AsyncSession) -> list[tuple[str, str]]:
        rows = await session.execute(
            select(AuditEvent.action, AuditEvent.actor).where(
                AuditEvent.subject_type.in_(
                    ["rebate_agreement", "rebate_period", "rebate_entry", "security_expenditure"]
                )
            )
        )
        return [(action, actor) for action, actor in rows]

    events = await run_in_db(settings, trail)
    for step in [
        ("rebate_agreement.created", "finance"),
        ("rebate_period.accrual_requested", "finance"),
        ("rebate_period.accrued", "payouts.accrue_rebates"),
        ("rebate.accrual", "payouts.accrue_rebates"),
        ("rebate.approval", "finance"),
        ("rebate.disbursement", "finance"),
        ("rebate.disbursement_reversed", "finance"),
        ("security_expenditure.recorded", "liaison"),
    ]:
        assert step in events, step
    assert events.count(("rebate.accrual", "payouts.accrue_rebates")) == 3  # one per village paid in


async def test_the_auditor_reads_the_district_and_every_write_is_refused(
    client: AsyncTestClient[Litestar], settings: Settings, paid: Paid
) -> None:
    scene, period_id = paid
    village = scene.villages[0]
    auditor = await login(client, "auditor")
    agreement_id = (await client.get("/rebates/agreements", headers=auditor)).json()[0]["id"]
    entry_id = (await client.get("/rebates/entries", headers=auditor)).json()[0]["id"]
    before = await totals(settings)
    move = {"period_id": period_id, "village_code": village, "amount_fen": 1, "reason": "x"}
    writes: list[tuple[str, dict[str, Any]]] = [
        (
            "/rebates/agreements",
            {"json": agreement_body(scene, starts_on="2026-01-01", ends_on="2027-01-01")},
        ),
        (
            f"/rebates/agreements/{agreement_id}/accruals",
            {"json": {"period_start": "2025-01-01", "reason": "x"}},
        ),
        ("/rebates/approvals", {"json": move}),
        ("/rebates/disbursements", {"json": move}),
        (f"/rebates/entries/{entry_id}/reversals", {"json": {"reason": "x"}}),
        (f"/rebates/villages/{village}/expenditures", {"data": spending(1), "files": RECEIPT}),
    ]
    for url, body in writes:
        response = await client.post(url, headers=auditor, **body)
        assert response.status_code == 403, (url, response.text)
    assert await totals(settings) == before

    statement = f"/rebates/periods/{period_id}/villages/{village}/statement"
    for url in (
        "/rebates/agreements",
        f"/rebates/agreements/{agreement_id}/periods",
        f"/rebates/entries/{entry_id}",
        f"/rebates/villages/{village}/fund",
        f"/rebates/villages/{village}/expenditures",
        "/rebates/districts/370211/villages",
        statement,
        f"{statement}.pdf",
        f"{statement}.csv",
    ):
        assert (await client.get(url, headers=auditor)).status_code == 200, url


async def test_a_statement_for_another_districts_period_reveals_nothing(
    client: AsyncTestClient[Litestar], settings: Settings, paid: Paid
) -> None:
    period_id = paid.period_id
    (own_village, *_) = await run_in_db(settings, lambda s: factories.region_tree(s, "370212"))
    await make_user(settings, "far_auditor", Role.AUDITOR, ["370212"])
    for name in ("stranger", "far_auditor"):
        response = await client.get(
            f"/rebates/periods/{period_id}/villages/{own_village}/statement",
            headers=await login(client, name),
        )
        assert (response.status_code, response.json()["code"]) == (404, "rebate_period_not_found"), name


async def test_spending_dated_after_today_is_refused_and_changes_nothing(
    client: AsyncTestClient[Litestar], settings: Settings, paid: Paid
) -> None:
    scene = paid.scene
    url = f"/rebates/villages/{scene.villages[0]}/expenditures"
    liaison = await login(client, "liaison")
    before = await totals(settings)
    tomorrow = (today() + timedelta(days=1)).isoformat()
    response = await client.post(url, data=spending(100, spent_on=tomorrow), files=RECEIPT, headers=liaison)
    assert (response.status_code, response.json()["code"]) == (422, "invalid_spending_date")
    assert await totals(settings) == before
    fine = await client.post(
        url, data=spending(100, spent_on=today().isoformat()), files=RECEIPT, headers=liaison
    )
    assert fine.status_code == 201, fine.text


async def test_another_districts_period_is_unknown_to_approvals_and_the_district_view(
    client: AsyncTestClient[Litestar], settings: Settings, paid: Paid
) -> None:
    period_id = paid.period_id
    (far_village, *_) = await run_in_db(settings, lambda s: factories.region_tree(s, "370212"))
    await make_user(settings, "far_finance", Role.FINANCE, ["370212"])
    headers = await login(client, "far_finance")
    before = await totals(settings)
    move = {"period_id": period_id, "village_code": far_village, "amount_fen": 1, "reason": "试探"}
    for route in ("/rebates/approvals", "/rebates/disbursements"):
        response = await client.post(route, json=move, headers=headers)
        assert (response.status_code, response.json()["code"]) == (404, "rebate_period_not_found"), route
    view = await client.get(f"/rebates/districts/370212/villages?period_id={period_id}", headers=headers)
    assert (view.status_code, view.json()["code"]) == (404, "rebate_period_not_found")
    assert await totals(settings) == before
