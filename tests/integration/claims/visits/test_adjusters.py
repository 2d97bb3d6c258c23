"""Adjusters over HTTP: officers and admins register and change them in their district; a day off
re-plans that day's visits and tells the residents."""

from __future__ import annotations

from datetime import timedelta

import dramatiq
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from claims.visits.models import Adjuster
from core.auth import Role
from core.clock import today
from core.settings import Settings
from tests.conftest import drain, login, make_user, run_in_db
from tests.integration.claims.visits.worlds import (
    add_adjuster,
    file_and_accept,
    messages_about,
    user_id,
    visits_of,
)
from tests.integration.claims.worlds import build_world


async def adjuster_rows(settings: Settings) -> int:
    async def count(session: AsyncSession) -> int:
        return int(await session.scalar(select(func.count()).select_from(Adjuster)) or 0)

    result: int = await run_in_db(settings, count)
    return result


async def test_officers_register_and_change_adjusters_of_their_district_only(
    client: AsyncTestClient[Litestar], settings: Settings
) -> None:
    world = await build_world(settings)
    await make_user(settings, "wang", Role.ADJUSTER, ["370211"])
    wang = str(await user_id(settings, "wang"))
    resident = str(await user_id(settings, "resident"))
    officer = await login(client, "officer") | {"Idempotency-Key": "wang-1"}
    body = {
        "user_id": wang,
        "village_codes": [world.villages[1], world.villages[0]],
        "home_village_code": world.villages[0],
        "daily_capacity": 10,
        "working_weekdays": [1, 2, 3, 4, 5],
    }
    created = await client.post("/adjusters", json=body, headers=officer)
    assert created.status_code == 201, created.text
    adjuster = created.json()
    assert (adjuster["name"], adjuster["region_code"], adjuster["village_codes"]) == (
        "wang",
        "370211",
        [world.villages[0], world.villages[1]],
    )
    assert (await client.post("/adjusters", json=body, headers=officer)).json() == adjuster

    def refused(response: object) -> tuple[int, str]:
        return response.status_code, response.json()["code"]  # type: ignore[attr-defined]

    plain = await login(client, "officer")
    again = await client.post("/adjusters", json=body, headers=plain)
    assert refused(again) == (409, "adjuster_exists")
    not_adjuster = await client.post("/adjusters", json=body | {"user_id": resident}, headers=plain)
    assert refused(not_adjuster) == (422, "not_an_adjuster")
    await make_user(settings, "li", Role.ADJUSTER, ["370211"])
    li = str(await user_id(settings, "li"))
    elsewhere = body | {"user_id": li, "village_codes": ["370212001001"]}
    assert refused(await client.post("/adjusters", json=elsewhere, headers=plain)) == (
        403,
        "outside_your_region",
    )
    unknown = body | {"user_id": li, "village_codes": ["370211009009"]}
    assert refused(await client.post("/adjusters", json=unknown, headers=plain)) == (422, "unknown_villages")
    stranger = await login(client, "stranger")
    assert refused(await client.post("/adjusters", json=body | {"user_id": li}, headers=stranger)) == (
        403,
        "outside_your_region",
    )
    assert (
        await client.post("/adjusters", json=body | {"daily_capacity": 0}, headers=plain)
    ).status_code == 400
    assert await adjuster_rows(settings) == 1

    path = f"/adjusters/{adjuster['id']}"
    changed = await client.patch(path, json={"daily_capacity": 5, "working_weekdays": [6, 1]}, headers=plain)
    assert (changed.json()["daily_capacity"], changed.json()["working_weekdays"]) == (5, [1, 6])
    assert (await client.patch(path, json={"daily_capacity": 6}, headers=stranger)).status_code == 404
    assert (await client.get(path, headers=stranger)).status_code == 404
    auditor = await login(client, "auditor")
    assert [a["id"] for a in (await client.get("/adjusters", headers=auditor)).json()] == [adjuster["id"]]
    assert (await client.patch(path, json={"daily_capacity": 6}, headers=auditor)).status_code == 403
    assert (await client.get("/adjusters", headers=await login(client, "wang"))).status_code == 403
    assert (await client.get("/adjusters", headers=stranger)).json() == []


async def test_a_day_off_replans_that_days_visits_and_tells_the_residents(
    client: AsyncTestClient[Litestar], settings: Settings, worker: dramatiq.Worker
) -> None:
    world = await build_world(settings)
    first = await add_adjuster(settings, "adjuster", [world.villages[0]])
    claim = await file_and_accept(client, world.insured)
    await drain(worker)
    second = await add_adjuster(settings, "adjuster2", [world.villages[0]])
    day = today()
    officer = await login(client, "officer") | {"Idempotency-Key": "off-1"}
    path = f"/adjusters/{first}/days-off"
    past = await client.post(
        path, json={"day": (day - timedelta(days=1)).isoformat(), "reason": "病假"}, headers=officer
    )
    assert (past.status_code, past.json()["code"]) == (422, "visit_day_in_past")
    off = await client.post(
        path, json={"day": day.isoformat(), "reason": "病假"}, headers=officer | {"Idempotency-Key": "off-2"}
    )
    assert off.status_code == 201, off.text
    assert (off.json()["replanned"], off.json()["unplanned"]) == (1, 0)
    await drain(worker)
    assert await visits_of(settings, claim["id"]) == [
        ("cancelled", first, day.isoformat(), "system:planner"),
        ("announced", second, day.isoformat(), "system:planner"),
    ]
    told = await messages_about(settings, claim["id"])
    assert len(told) == 2 and "改到" in told[1][0] and "查勘员adjuster2" in told[1][0] and told[1][2]
    twice = await client.post(
        path, json={"day": day.isoformat(), "reason": "病假"}, headers=officer | {"Idempotency-Key": "off-3"}
    )
    assert (twice.status_code, twice.json()["code"]) == (409, "day_off_exists")
    adjuster = await login(client, "adjuster")
    assert (
        await client.post(path, json={"day": day.isoformat(), "reason": "x"}, headers=adjuster)
    ).status_code == 403


async def test_a_day_off_moves_a_visit_a_week_on_when_nobody_else_comes_and_an_inactive_adjuster_leaves_it(
    client: AsyncTestClient[Litestar], settings: Settings, worker: dramatiq.Worker
) -> None:
    world = await build_world(settings)
    day = today()
    only = await add_adjuster(settings, "adjuster", [world.villages[0]], weekdays=[day.isoweekday()])
    claim = await file_and_accept(client, world.insured)
    await drain(worker)
    officer = await login(client, "officer")
    off = await client.post(
        f"/adjusters/{only}/days-off", json={"day": day.isoformat(), "reason": "培训"}, headers=officer
    )
    assert (off.json()["replanned"], off.json()["unplanned"]) == (1, 0)
    week_on = (day + timedelta(days=7)).isoformat()
    assert [v[:3] for v in await visits_of(settings, claim["id"])] == [
        ("cancelled", only, day.isoformat()),
        ("announced", only, week_on),
    ]
    flags = (await client.get(f"/claims/{claim['id']}", headers=officer)).json()["flags"]
    assert "visit_at_risk" in flags

    other = await file_and_accept(client, world.neighbour, payee_account="6222020200117777")
    await drain(worker)
    assert [v[2] for v in await visits_of(settings, other["id"])] == [week_on]
    gone = await client.patch(f"/adjusters/{only}", json={"active": False}, headers=officer)
    assert gone.json()["active"] is False
    off = await client.post(
        f"/adjusters/{only}/days-off", json={"day": week_on, "reason": "调休"}, headers=officer
    )
    assert (off.json()["replanned"], off.json()["unplanned"]) == (0, 2)
    await drain(worker)
    assert [v[0] for v in await visits_of(settings, other["id"])] == ["cancelled"]
    assert "no_adjuster" in (await client.get(f"/claims/{other['id']}", headers=officer)).json()["flags"]
    assert "取消" in (await messages_about(settings, other["id"]))[-1][0]
