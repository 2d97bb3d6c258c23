"""Programs, policies and premiums over HTTP: validation, the lifecycle, payments and who may do what."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.auth import Role
from core.clock import add_months, today
from core.settings import Settings
from policies.models import PremiumPayment, Program
from policies.services import policies as services
from tests import factories
from tests.conftest import login, make_user, run_in_db

Client = AsyncTestClient[Litestar]


def program_body(**changes: Any) -> dict[str, Any]:
    return {
        "code": "HD-VOL",
        "name": "自愿参保方案",
        "insurer": "人保财险",
        "funding": "household",
        "region_code": "370211",
        "premium_fen": 20_000,
        "term_months": 36,
        "perils": [{"peril": "fire", "limit_fen": 5_000_000}, {"peril": "livestock", "limit_fen": 300_000}],
        "per_claim_cap_fen": 15_000_000,
        "starts_on": "2026-01-01",
        "clock_target_hours": 48,
    } | changes


async def count(settings: Settings, model: Any) -> int:
    async def work(session: AsyncSession) -> int:
        return await session.scalar(select(func.count()).select_from(model)) or 0

    return await run_in_db(settings, work)


async def test_admin_creates_programs_and_bad_terms_are_refused(client: Client, settings: Settings) -> None:
    await run_in_db(settings, factories.region_tree)
    await make_user(settings, "admin", Role.ADMIN, [])
    await make_user(settings, "auditor", Role.AUDITOR, ["370211"])
    admin = await login(client, "admin")
    created = await client.post("/programs", json=program_body(), headers=admin)
    assert created.status_code == 201, created.text
    shares = ("premium_basis", "household_share_bps", "district_share_bps", "township_share_bps")
    assert [created.json()[k] for k in shares] == ["household", 10_000, 0, 0]
    assert created.json()["perils"] == [
        {"peril": "fire", "limit_fen": 5_000_000},
        {"peril": "livestock", "limit_fen": 300_000},
    ]
    cases = [
        (program_body(code="A1", premium_fen=-1), 422, "invalid_program"),
        (program_body(code="A2", premium_fen=10_000_000 * 100 + 1), 422, "invalid_program"),
        (program_body(code="A3", perils=[]), 422, "invalid_program"),
        (program_body(code="A4", perils=[{"peril": "fire", "limit_fen": 0}]), 400, "validation_failed"),
        (program_body(code="A5", perils=[{"peril": "meteor", "limit_fen": 1}]), 400, "validation_failed"),
        (program_body(code="A6", funding="district", region_code="370211001001"), 422, "invalid_program"),
        (program_body(code="C1", household_share_bps=5_000), 422, "invalid_program"),  # 5,000 in all
        (
            program_body(code="C2", funding="district", household_share_bps=0, district_share_bps=10_000),
            422,
            "invalid_program",
        ),
        (program_body(code="C3", premium_basis="family"), 400, "validation_failed"),
        (program_body(code="A7", region_code="370299"), 422, "unknown_region"),
        (program_body(code="A8", term_months=0), 422, "invalid_program"),
        (program_body(code="A9", surprise=True), 400, "validation_failed"),
        (program_body(), 409, "program_code_taken"),
    ]
    for body, status, code in cases:
        response = await client.post("/programs", json=body, headers=admin)
        assert (response.status_code, response.json()["code"]) == (status, code), body
    auditor = await login(client, "auditor")
    assert (await client.post("/programs", json=program_body(code="B1"), headers=auditor)).status_code == 403
    assert len((await client.get("/programs", headers=auditor)).json()) == 1
    assert await count(settings, Program) == 1


async def test_household_policy_activates_when_paid_in_full(client: Client, settings: Settings) -> None:
    async def arrange(session: AsyncSession) -> dict[str, str]:
        villages = await factories.region_tree(session)
        home = await factories.household(session, villages[0])
        other = await factories.household(session, villages[1])
        program = await factories.program(session, region_code="370211", premium_fen=20_000)
        return {
            "home": str(home.id),
            "other": str(other.id),
            "program": str(program.id),
            "village": villages[0],
        }

    ids = await run_in_db(settings, arrange)
    await make_user(settings, "liaison", Role.LIAISON, [ids["village"]])
    await make_user(settings, "finance", Role.FINANCE, ["370211"])
    await make_user(settings, "resident", Role.RESIDENT, [], household_id=ids["home"])
    await make_user(settings, "neighbour", Role.RESIDENT, [], household_id=ids["other"])
    liaison, finance = await login(client, "liaison"), await login(client, "finance")
    resident, neighbour = await login(client, "resident"), await login(client, "neighbour")

    enroll = {"household_id": ids["home"], "program_id": ids["program"], "starts_on": "2026-02-01"}
    issued = await client.post("/policies", json=enroll, headers=liaison)
    assert issued.status_code == 201, issued.text
    policy = issued.json()
    assert (policy["status"], policy["ends_on"]) == ("idle", "2029-02-01")
    again = await client.post("/policies", json=enroll, headers=liaison)
    assert (again.status_code, again.json()["code"]) == (409, "policy_overlaps")
    outside = await client.post("/policies", json=enroll | {"household_id": ids["other"]}, headers=liaison)
    assert (outside.status_code, outside.json()["code"]) == (404, "household_not_found")

    pay = f"/policies/{policy['id']}/payments"
    part = {"payer": "张三", "amount_fen": 5_000, "channel": "wechat", "receipt_no": "WX-1"}
    assert (await client.post(pay, json=part, headers=liaison)).status_code == 403
    assert (await client.post(pay, json=part, headers=finance)).status_code == 201
    assert (await client.get(f"/policies/{policy['id']}", headers=resident)).json()["status"] == "idle"
    duplicate = await client.post(pay, json=part, headers=finance)
    assert (duplicate.status_code, duplicate.json()["code"]) == (409, "receipt_already_recorded")
    too_much = await client.post(
        pay, json=part | {"receipt_no": "WX-2", "amount_fen": 15_001}, headers=finance
    )
    assert (too_much.status_code, too_much.json()["code"]) == (422, "premium_overpaid")
    negative = await client.post(pay, json=part | {"receipt_no": "WX-3", "amount_fen": -5}, headers=finance)
    assert negative.status_code == 400
    rest = await client.post(pay, json=part | {"receipt_no": "WX-4", "amount_fen": 15_000}, headers=finance)
    assert rest.status_code == 201, rest.text

    mine = await client.get(f"/policies/{policy['id']}", headers=resident)
    assert (mine.json()["status"], mine.json()["premium_paid_fen"]) == ("active", 20_000)
    assert mine.json()["activated_at"] is not None
    assert len((await client.get(pay, headers=resident)).json()) == 2
    assert (await client.get(pay, headers=neighbour)).status_code == 404
    assert (await client.get("/policies", headers=neighbour)).json()["total"] == 0
    assert await count(settings, PremiumPayment) == 2


async def test_blanket_policy_lump_sum_and_cover(client: Client, settings: Settings) -> None:
    async def arrange(session: AsyncSession) -> dict[str, str]:
        villages = await factories.region_tree(session)
        home = await factories.household(session, villages[2])
        program = await factories.program(
            session, funding="district", region_code="370211", premium_fen=200_000_000, term_months=12
        )
        return {"home": str(home.id), "program": str(program.id), "village": villages[2]}

    ids = await run_in_db(settings, arrange)
    await make_user(settings, "admin", Role.ADMIN, [])
    await make_user(settings, "finance", Role.FINANCE, ["370211"])
    await make_user(settings, "liaison", Role.LIAISON, [ids["village"]])
    admin, finance, liaison = (
        await login(client, "admin"),
        await login(client, "finance"),
        await login(client, "liaison"),
    )

    assert (
        await client.post("/policies/blanket", json={"program_id": ids["program"]}, headers=finance)
    ).status_code == 403
    blanket = await client.post("/policies/blanket", json={"program_id": ids["program"]}, headers=admin)
    assert blanket.status_code == 201, blanket.text
    assert (blanket.json()["status"], blanket.json()["starts_on"]) == ("active", "2026-01-01")
    household_pays = await client.post(
        "/policies", json={"household_id": ids["home"], "program_id": ids["program"]}, headers=admin
    )
    assert (household_pays.status_code, household_pays.json()["code"]) == (422, "wrong_funding")
    lump = {
        "payer": "黄岛区财政局",
        "amount_fen": 200_000_000,
        "channel": "district_finance",
        "receipt_no": "CZ-1",
    }
    paid = await client.post(f"/policies/{blanket.json()['id']}/payments", json=lump, headers=finance)
    assert paid.status_code == 201, paid.text

    covers = await client.get(
        f"/households/{ids['home']}/covers", params={"on": "2026-06-01"}, headers=liaison
    )
    assert covers.status_code == 200, covers.text
    assert [c["policy_id"] for c in covers.json()] == [blanket.json()["id"]]
    assert (await client.get(f"/policies/{blanket.json()['id']}", headers=liaison)).status_code == 200
    next_term = await client.post("/policies/blanket", json={"program_id": ids["program"]}, headers=admin)
    assert next_term.json()["starts_on"] == "2027-01-01"


async def test_suspend_resume_renew_and_expire(client: Client, settings: Settings) -> None:
    starts_on = today() - timedelta(days=30)
    ends_on = add_months(starts_on, 12)

    async def arrange(session: AsyncSession) -> str:
        villages = await factories.region_tree(session)
        home = await factories.household(session, villages[0])
        program = await factories.program(session, region_code="370211", term_months=12, starts_on=starts_on)
        return str((await factories.active_policy(session, home, program, starts_on=starts_on)).id)

    url = f"/policies/{await run_in_db(settings, arrange)}"
    await make_user(settings, "admin", Role.ADMIN, [])
    await make_user(settings, "auditor", Role.AUDITOR, ["370211"])
    admin, auditor = await login(client, "admin"), await login(client, "auditor")
    reason = {"reason": "核查"}
    assert (await client.post(f"{url}/suspend", json=reason, headers=auditor)).status_code == 403
    assert (await client.post(f"{url}/suspend", json=reason, headers=admin)).json()["status"] == "suspended"
    twice = await client.post(f"{url}/suspend", json=reason, headers=admin)
    assert (twice.status_code, twice.json()["code"]) == (409, "policy_transition_not_allowed")
    assert (await client.post(f"{url}/renew", headers=admin)).status_code == 409
    assert (await client.post(f"{url}/resume", json=reason, headers=admin)).json()["status"] == "active"

    renewed = await client.post(f"{url}/renew", headers=admin)
    assert renewed.status_code == 201, renewed.text
    assert (renewed.json()["starts_on"], renewed.json()["status"]) == (ends_on.isoformat(), "idle")
    assert (await client.get(url, headers=auditor)).json()["status"] == "renewed"

    async def expire_on(day: date) -> int:
        async def work(session: AsyncSession) -> int:
            return await services.expire_due_policies(session, on=day)

        return await run_in_db(settings, work)

    # The renewed term keeps its status as history; the unpaid successor lapses after its own term.
    assert await expire_on(ends_on) == 0
    assert await expire_on(add_months(ends_on, 12)) == 1
    assert await expire_on(add_months(ends_on, 12)) == 0
    successor = await client.get(f"/policies/{renewed.json()['id']}", headers=auditor)
    assert successor.json()["status"] == "expired"
