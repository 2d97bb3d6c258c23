"""Households and people over HTTP: registration, look-up, changes, bad input and region scope."""

from __future__ import annotations

from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.audit import AuditEvent
from core.auth import Role
from core.settings import Settings
from policies.models import Household, Person
from tests import factories
from tests.conftest import login, make_user, run_in_db

Client = AsyncTestClient[Litestar]


def new_household(village: str, *ids: str, phone: str = "13800000001") -> dict[str, Any]:
    relations = ["head", "spouse", "child", "child"]
    return {
        "village_code": village,
        "address": "幸福路 8 号",
        "phone": phone,
        "members": [
            {"name": f"张{n}", "resident_id": rid, "relation": relations[n]} for n, rid in enumerate(ids)
        ],
    }


async def counts(settings: Settings) -> tuple[int, int, int]:
    async def work(session: AsyncSession) -> tuple[int, int, int]:
        return (
            await session.scalar(select(func.count()).select_from(Household)) or 0,
            await session.scalar(select(func.count()).select_from(Person)) or 0,
            await session.scalar(select(func.count()).select_from(AuditEvent)) or 0,
        )

    return await run_in_db(settings, work)


async def arrange(settings: Settings) -> list[str]:
    villages: list[str] = await run_in_db(settings, factories.region_tree)
    await make_user(settings, "admin", Role.ADMIN, [])
    await make_user(settings, "liaison", Role.LIAISON, [villages[0]])
    await make_user(settings, "auditor", Role.AUDITOR, ["370211"])
    await make_user(settings, "finance", Role.FINANCE, ["370211"])
    return villages


async def test_liaison_registers_and_finds_a_household(client: Client, settings: Settings) -> None:
    villages = await arrange(settings)
    liaison = await login(client, "liaison")
    body = new_household(villages[0], factories.resident_id(1), factories.resident_id(2).lower())
    created = await client.post("/households", json=body, headers=liaison | {"Idempotency-Key": "h1"})
    assert created.status_code == 201, created.text
    household = created.json()
    assert household["head_name"] == "张0"
    assert [p["relation"] for p in household["people"]] == ["head", "spouse"]
    replay = await client.post("/households", json=body, headers=liaison | {"Idempotency-Key": "h1"})
    assert replay.json() == household
    assert (await counts(settings))[:2] == (1, 2)

    by_id = await client.get("/households", params={"resident_id": factories.resident_id(2)}, headers=liaison)
    assert [h["id"] for h in by_id.json()["items"]] == [household["id"]]
    by_phone = await client.get("/households", params={"phone": "+86 138 0000 0001"}, headers=liaison)
    assert by_phone.json()["total"] == 1

    changed = await client.patch(
        f"/households/{household['id']}", json={"address": "和平路 1 号"}, headers=liaison
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["address"] == "和平路 1 号"
    assert changed.json()["phone"] == "13800000001"

    async def audited(session: AsyncSession) -> list[str]:
        rows = await session.scalars(
            select(AuditEvent.action).where(AuditEvent.subject_id == household["id"]).order_by(AuditEvent.id)
        )
        return list(rows)

    assert await run_in_db(settings, audited) == ["household.registered", "household.updated"]


async def test_bad_input_is_a_clear_problem_and_changes_nothing(client: Client, settings: Settings) -> None:
    villages = await arrange(settings)
    admin = await login(client, "admin")
    first = new_household(villages[0], factories.resident_id(1))
    assert (await client.post("/households", json=first, headers=admin)).status_code == 201
    before = await counts(settings)
    good = factories.resident_id(5)
    wrong_digit = good[:-1] + ("0" if good[-1] != "0" else "1")
    cases = [
        (new_household(villages[0], "37021119800101"), 422, "invalid_resident_id"),
        (new_household(villages[0], wrong_digit), 422, "invalid_resident_id"),
        (new_household("370211009009", good), 422, "unknown_region"),
        (new_household("3702", good), 422, "unknown_region"),
        (new_household(villages[0], good, phone="12345"), 422, "invalid_phone"),
        (new_household(villages[0], factories.resident_id(1)), 409, "person_already_enrolled"),
        (new_household(villages[0], good, good), 422, "invalid_members"),
        (new_household(villages[0], good) | {"colour": "red"}, 400, "validation_failed"),
        ({"village_code": villages[0]}, 400, "validation_failed"),
    ]
    for body, status, code in cases:
        response = await client.post("/households", json=body, headers=admin)
        assert (response.status_code, response.json()["code"]) == (status, code), body
        assert response.headers["content-type"].startswith("application/problem+json")
    form = await client.post("/households", data={"village_code": villages[0]}, headers=admin)
    assert 400 <= form.status_code < 500
    assert await counts(settings) == before


async def test_region_and_role_denials(client: Client, settings: Settings) -> None:
    villages = await arrange(settings)
    ids: list[str] = []

    async def homes(session: AsyncSession) -> None:
        for village in (villages[0], villages[1]):
            ids.append(str((await factories.household(session, village)).id))

    await run_in_db(settings, homes)
    mine, theirs = ids
    await make_user(settings, "resident", Role.RESIDENT, [], household_id=mine)
    liaison = await login(client, "liaison")
    resident = await login(client, "resident")
    auditor = await login(client, "auditor")

    assert (await client.get(f"/households/{mine}", headers=liaison)).status_code == 200
    outside = await client.get(f"/households/{theirs}", headers=liaison)
    assert (outside.status_code, outside.json()["code"]) == (404, "household_not_found")
    assert (await client.get("/households", headers=liaison)).json()["total"] == 1
    register = await client.post(
        "/households", json=new_household(villages[1], factories.resident_id(900)), headers=liaison
    )
    assert register.status_code == 403
    assert (
        await client.patch(f"/households/{theirs}", json={"address": "x"}, headers=liaison)
    ).status_code == 404

    assert (await client.get(f"/households/{mine}", headers=resident)).status_code == 200
    assert (await client.get(f"/households/{theirs}", headers=resident)).status_code == 404
    assert [h["id"] for h in (await client.get("/households", headers=resident)).json()["items"]] == [mine]
    assert (
        await client.patch(f"/households/{mine}", json={"address": "x"}, headers=resident)
    ).status_code == 403

    assert (await client.get("/households", headers=auditor)).json()["total"] == 2
    denied = await client.patch(f"/households/{mine}", json={"address": "x"}, headers=auditor)
    assert (denied.status_code, denied.json()["code"]) == (403, "forbidden")


async def test_members_join_change_and_leave(client: Client, settings: Settings) -> None:
    villages = await arrange(settings)
    admin = await login(client, "admin")

    async def two_homes(session: AsyncSession) -> list[str]:
        return [str((await factories.household(session, villages[0], members=2)).id) for _ in range(2)]

    first, second = await run_in_db(settings, two_homes)
    home = (await client.get(f"/households/{first}", headers=admin)).json()
    spouse = home["people"][1]
    # A person in one household cannot join another until they leave the first.
    member = {"name": spouse["name"], "resident_id": spouse["resident_id"], "relation": "other"}
    clash = await client.post(f"/households/{second}/people", json=member, headers=admin)
    assert (clash.status_code, clash.json()["code"]) == (409, "person_already_enrolled")
    head_leaves = await client.delete(f"/households/{first}/people/{home['people'][0]['id']}", headers=admin)
    assert (head_leaves.status_code, head_leaves.json()["code"]) == (422, "invalid_members")
    assert (
        await client.delete(f"/households/{first}/people/{spouse['id']}", headers=admin)
    ).status_code == 204
    joined = await client.post(f"/households/{second}/people", json=member, headers=admin)
    assert joined.status_code == 201, joined.text

    promoted = await client.patch(
        f"/households/{second}/people/{joined.json()['id']}", json={"relation": "head"}, headers=admin
    )
    assert promoted.status_code == 200, promoted.text
    after = (await client.get(f"/households/{second}", headers=admin)).json()
    assert after["head_name"] == spouse["name"]
    assert sorted(p["relation"] for p in after["people"]) == ["head", "other", "spouse"]
