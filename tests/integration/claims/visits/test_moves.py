"""Officers reschedule and reassign visits: every refusal is a clear 4xx and changes nothing."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import UUID

import dramatiq
from litestar import Litestar
from litestar.testing import AsyncTestClient

from core.clock import today
from core.settings import Settings
from tests.conftest import drain, login
from tests.integration.claims.visits.worlds import add_adjuster, file_and_accept, messages_about, visits_of
from tests.integration.claims.worlds import build_world


async def live_visit(
    client: AsyncTestClient[Litestar], headers: dict[str, str], claim_id: str
) -> dict[str, Any]:
    day = today()
    for offset in range(8):
        on = (day + timedelta(days=offset)).isoformat()
        for visit in (await client.get("/visits", params={"on": on}, headers=headers)).json():
            if visit["claim_id"] == claim_id:
                return dict(visit)
    raise AssertionError("no live visit")


async def test_officers_reschedule_and_reassign_within_the_rules(
    client: AsyncTestClient[Litestar], settings: Settings, worker: dramatiq.Worker
) -> None:
    world = await build_world(settings)
    day = today()
    tomorrow, later = day + timedelta(days=1), day + timedelta(days=2)
    first = await add_adjuster(settings, "adjuster", [world.villages[0]], capacity=1)
    await file_and_accept(client, world.insured)  # fills the first adjuster's day
    await drain(worker)
    two = await file_and_accept(client, world.neighbour, payee_account="6222020200117777")
    await drain(worker)
    helper = await add_adjuster(settings, "adjuster2", [world.villages[0], world.villages[3]], capacity=1)
    elsewhere = await add_adjuster(settings, "adjuster3", [world.villages[3]])
    officer = await login(client, "officer")
    visit = await live_visit(client, officer, two["id"])
    assert (visit["adjuster_id"], visit["visit_on"]) == (str(first), tomorrow.isoformat())
    assert visit["phone"] == "138****1234"  # the claim's phone, masked in the officer's list
    path = f"/visits/{visit['id']}"
    await client.post(
        f"/adjusters/{helper}/days-off", json={"day": later.isoformat(), "reason": "年假"}, headers=officer
    )
    before = await visits_of(settings, two["id"])

    async def refused(body: dict[str, Any], headers: dict[str, str] = officer) -> tuple[int, str]:
        response = await client.patch(path, json=body, headers=headers)
        return response.status_code, response.json()["code"]

    assert await refused({"adjuster_id": str(elsewhere)}) == (422, "village_not_covered")
    assert await refused({"adjuster_id": str(helper), "visit_on": later.isoformat()}) == (
        422,
        "adjuster_off_that_day",
    )
    assert await refused({"visit_on": day.isoformat()}) == (422, "over_capacity")
    assert await refused({"visit_on": (day - timedelta(days=1)).isoformat()}) == (422, "visit_day_in_past")
    assert await refused({"adjuster_id": str(UUID(int=7))}) == (404, "adjuster_not_found")
    assert await refused({"visit_on": day.isoformat()}, await login(client, "stranger")) == (
        404,
        "visit_not_found",
    )
    assert (
        await client.patch(
            path, json={"visit_on": later.isoformat()}, headers=await login(client, "adjuster")
        )
    ).status_code == 403
    assert (
        await client.patch(path, json={"visit_on": later.isoformat()}, headers=await login(client, "auditor"))
    ).status_code == 403
    assert await visits_of(settings, two["id"]) == before
    told = len(await messages_about(settings, two["id"]))

    moved = await client.patch(path, json={"visit_on": later.isoformat()}, headers=officer)
    assert moved.status_code == 200, moved.text
    assert (moved.json()["visit_on"], moved.json()["adjuster_id"]) == (later.isoformat(), str(first))
    reassigned = await client.patch(
        path, json={"adjuster_id": str(helper), "visit_on": day.isoformat()}, headers=officer
    )
    assert (
        reassigned.json()["adjuster_id"],
        reassigned.json()["visit_on"],
        reassigned.json()["route_order"],
    ) == (
        str(helper),
        day.isoformat(),
        1,
    )
    assert await visits_of(settings, two["id"]) == [("announced", helper, day.isoformat(), "officer")]
    await drain(worker)
    messages = await messages_about(settings, two["id"])
    assert len(messages) == told + 2
    assert "改到" in messages[-1][0] and "查勘员adjuster2" in messages[-1][0] and messages[-1][2]
    assert [
        v["claim_id"]
        for v in (
            await client.get(
                "/visits", params={"on": day.isoformat(), "adjuster_id": str(helper)}, headers=officer
            )
        ).json()
    ] == [two["id"]]
