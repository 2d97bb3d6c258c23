"""Who may do what on households, programs, policies and premiums: each role, in and out of its scope."""

from __future__ import annotations

from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from core.audit import record
from core.auth import Role
from core.settings import Settings
from tests import factories
from tests.conftest import PASSWORD, login, run_in_db
from tests.integration.policies.conftest import Snapshot

Client = AsyncTestClient[Litestar]
ROLES = [role for role in Role if role is not Role.ADMIN]


def writes(ids: dict[str, str]) -> list[tuple[str, str, dict[str, Any], frozenset[Role]]]:
    """Every enrollment write: method, path, request arguments, and the roles it is open to."""
    household = {
        "village_code": ids["v0"],
        "address": "幸福路 9 号",
        "phone": "13800009999",
        "members": [
            {
                "name": "新户主",
                "resident_id": factories.resident_id(7001, birth="19650505"),
                "relation": "head",
            }
        ],
    }
    member = {
        "name": "新成员",
        "resident_id": factories.resident_id(7002, birth="19650505"),
        "relation": "child",
    }
    program = {
        "code": "NEW-1",
        "name": "新方案",
        "insurer": "人保财险",
        "funding": "household",
        "region_code": "370211",
        "premium_fen": 20_000,
        "term_months": 12,
        "perils": [{"peril": "fire", "limit_fen": 1_000_000}],
        "per_claim_cap_fen": 1_000_000,
        "starts_on": "2026-01-01",
    }
    payment = {"payer": "李四", "amount_fen": 1_000, "channel": "cash", "receipt_no": "DENIED-1"}
    user = {"username": "newbie", "password": PASSWORD, "role": "liaison", "display_name": "新人"}
    csv = f"户编号,村代码,地址,联系电话,姓名,身份证号,与户主关系\nX1,{ids['v0']},某路,13800001111,赵六,"
    csv += f"{factories.resident_id(7003, birth='19650505')},户主\n"
    home, policy = f"/households/{ids['home']}", f"/policies/{ids['home_policy']}"
    enrollers, admin = frozenset({Role.ADMIN, Role.LIAISON}), frozenset({Role.ADMIN})
    return [
        ("POST", "/households", {"json": household}, enrollers),
        ("PATCH", home, {"json": {"address": "改址"}}, enrollers),
        ("POST", f"{home}/people", {"json": member}, enrollers),
        ("PATCH", f"{home}/people/{ids['home_child']}", {"json": {"name": "改名"}}, enrollers),
        ("DELETE", f"{home}/people/{ids['home_child']}", {}, enrollers),
        (
            "POST",
            "/policies",
            {"json": {"household_id": ids["home"], "program_id": ids["voluntary"]}},
            enrollers,
        ),
        ("POST", "/policies/blanket", {"json": {"program_id": ids["blanket_program"]}}, admin),
        ("POST", f"{policy}/suspend", {"json": {"reason": "核查"}}, admin),
        ("POST", f"{policy}/resume", {"json": {"reason": "核查"}}, admin),
        ("POST", f"{policy}/renew", {}, enrollers),
        ("POST", f"/policies/{ids['neighbour_policy']}/payments", {"json": payment}, admin | {Role.FINANCE}),
        ("POST", "/programs", {"json": program}, admin),
        (
            "POST",
            "/regions/import",
            {"content": "code,name\n370213,新区\n", "headers": {"Content-Type": "text/csv"}},
            admin,
        ),
        ("POST", "/imports/households", {"files": {"file": ("a.csv", csv.encode(), "text/csv")}}, enrollers),
        ("POST", "/users", {"json": user}, admin),
    ]


async def test_every_role_is_refused_the_writes_it_may_not_make(
    client: Client, two_districts: dict[str, str], snapshot: Snapshot
) -> None:
    ids = two_districts
    before = await snapshot()
    denied = 0
    for role in ROLES:
        headers = await login(client, role.value)
        for method, path, arguments, allowed in writes(ids):
            if role in allowed:
                continue
            extra = arguments.get("headers", {})
            rest = {k: v for k, v in arguments.items() if k != "headers"}
            response = await client.request(method, path, headers=headers | extra, **rest)
            assert (response.status_code, response.json()["code"]) == (403, "forbidden"), (role, method, path)
            denied += 1
    assert denied > 60
    # Allowed roles, but outside their region: the liaison beyond their village, finance beyond the
    # district. A record they may not see is answered as an unknown one; a blanket policy they may
    # read but not act on is refused as outside their region.
    liaison, finance = await login(client, "liaison"), await login(client, "finance")
    neighbour_household = {"household_id": ids["neighbour"], "program_id": ids["voluntary"]}
    unknown_to_them = [
        (await client.post("/policies", json=neighbour_household, headers=liaison), "household_not_found"),
        (
            await client.post(f"/policies/{ids['neighbour_policy']}/renew", headers=liaison),
            "policy_not_found",
        ),
        (
            await client.patch(f"/households/{ids['neighbour']}", json={"address": "改址"}, headers=liaison),
            "household_not_found",
        ),
        (
            await client.post(
                f"/policies/{ids['far_policy']}/payments",
                json={"payer": "王五", "amount_fen": 1, "channel": "cash", "receipt_no": "FAR-1"},
                headers=finance,
            ),
            "policy_not_found",
        ),
    ]
    for response, code in unknown_to_them:
        assert (response.status_code, response.json()["code"]) == (404, code), response.text
    blanket = await client.post(f"/policies/{ids['blanket']}/renew", headers=liaison)
    assert (blanket.status_code, blanket.json()["code"]) == (403, "outside_your_region"), blanket.text
    assert await snapshot() == before


async def test_each_role_reads_only_its_own_scope(client: Client, two_districts: dict[str, str]) -> None:
    ids = two_districts
    district = {ids["home_policy"], ids["neighbour_policy"], ids["blanket"]}
    sees_policies = {
        Role.RESIDENT: {ids["home_policy"]},
        Role.LIAISON: {ids["home_policy"], ids["blanket"]},
        Role.ADJUSTER: {ids["blanket"]},
        Role.CLAIMS_OFFICER: district,
        Role.FINANCE: district,
        Role.AUDITOR: district,
    }
    both = {ids["home"], ids["neighbour"]}
    sees_households = {
        Role.RESIDENT: {ids["home"]},
        Role.LIAISON: {ids["home"]},
        Role.ADJUSTER: set(),
        Role.CLAIMS_OFFICER: both,
        Role.FINANCE: set(),
        Role.AUDITOR: both,
    }
    for role in ROLES:
        headers = await login(client, role.value)
        listed = (await client.get("/policies", headers=headers)).json()["items"]
        assert {p["id"] for p in listed} == sees_policies[role], role
        households = (await client.get("/households", headers=headers)).json()["items"]
        assert {h["id"] for h in households} == sees_households[role], role
        outside = [
            (f"/policies/{ids['far_policy']}", "policy_not_found"),
            (f"/policies/{ids['far_policy']}/payments", "policy_not_found"),
            (f"/households/{ids['far']}", "household_not_found"),
            (f"/households/{ids['far']}/covers", "household_not_found"),
            (f"/regions/{ids['far_village']}", "region_not_found"),
        ]
        if ids["neighbour_policy"] not in sees_policies[role]:
            outside += [
                (f"/policies/{ids['neighbour_policy']}", "policy_not_found"),
                (f"/policies/{ids['neighbour_policy']}/payments", "policy_not_found"),
            ]
        for household in {ids["home"], ids["neighbour"]} - sees_households[role]:
            outside += [
                (f"/households/{household}", "household_not_found"),
                (f"/households/{household}/covers", "household_not_found"),
            ]
        for path, code in outside:
            response = await client.get(path, headers=headers)
            assert (response.status_code, response.json()["code"]) == (404, code), (role, path)
        for household in sees_households[role]:
            assert (await client.get(f"/households/{household}", headers=headers)).status_code == 200
    admin = await login(client, "admin")
    assert (await client.get("/policies", headers=admin)).json()["total"] == 4


async def test_auditors_read_the_audit_log_of_their_district_only(
    client: Client, settings: Settings, two_districts: dict[str, str]
) -> None:
    ids = two_districts

    async def elsewhere(session: AsyncSession) -> None:
        await record(session, actor="t", action="thing.changed", subject_type="thing", subject_id="x")

    await run_in_db(settings, elsewhere)
    auditor = await login(client, "auditor")
    events = (await client.get("/audit/events", params={"limit": 500}, headers=auditor)).json()
    assert events and all((e["region_code"] or "370211").startswith("370211") for e in events)
    assert "thing.changed" in {e["action"] for e in events if e["region_code"] is None}
    far = await client.get("/audit/events", params={"subject_id": ids["far"]}, headers=auditor)
    assert far.json() == []
    admin = await login(client, "admin")
    assert (
        len((await client.get("/audit/events", params={"subject_id": ids["far"]}, headers=admin)).json()) == 1
    )
    verified = await client.get("/audit/verify", headers=auditor)
    assert verified.json()["ok"] is True
    for role in (Role.RESIDENT, Role.LIAISON, Role.FINANCE, Role.CLAIMS_OFFICER, Role.ADJUSTER):
        response = await client.get("/audit/events", headers=await login(client, role.value))
        assert (response.status_code, response.json()["code"]) == (403, "forbidden"), role
