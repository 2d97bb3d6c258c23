"""A catastrophe's visits planned together: the plan, its lower bound, the adjusters it would take,
re-planning that keeps announced visits, and who may plan or read it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import dramatiq
import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from claims.visits import tasks
from core.clock import today
from core.settings import Settings
from tests.conftest import drain, login
from tests.integration.claims.visits.worlds import (
    add_adjuster,
    events_about,
    messages_about,
    more_households,
    visits_of,
)
from tests.integration.claims.worlds import build_world, event


async def test_the_event_is_planned_together_with_its_lower_bound_and_the_adjusters_it_takes(
    client: AsyncTestClient[Litestar], settings: Settings, worker: dramatiq.Worker
) -> None:
    world = await build_world(settings)
    north = await add_adjuster(settings, "adjuster", [world.villages[0], world.villages[1]], capacity=1)
    south = await add_adjuster(settings, "adjuster2", [world.villages[3]], capacity=1)
    officer = await login(client, "officer")
    declared = await client.post(
        "/catastrophes", json=event([world.villages[0], world.villages[3]]), headers=officer
    )
    cat: dict[str, Any] = declared.json()
    claims = (await client.get("/claims", params={"catastrophe_id": cat["id"]}, headers=officer)).json()[
        "items"
    ]
    assert len(claims) == 3
    for claim in claims:
        base = f"/catastrophes/{cat['id']}/claims/{claim['id']}"
        assert (
            await client.post(f"{base}/confirm", json={"estimated_loss_fen": 200_000}, headers=officer)
        ).status_code == 200
        assert (await client.post(f"/claims/{claim['id']}/accept", headers=officer)).status_code == 200
    await drain(worker)
    path = f"/catastrophes/{cat['id']}/visit-plan"
    assert (await client.post(path, headers=await login(client, "liaison"))).status_code == 403
    assert (await client.post(path, headers=await login(client, "stranger"))).status_code == 404

    requested = await client.post(path, headers=officer)
    assert requested.status_code == 202, requested.text
    assert (requested.json()["visits"], requested.json()["unplanned"]) == (0, 3)  # planned after commit
    await drain(worker)
    plan = (await client.get(path, headers=officer)).json()
    day = today()
    # Two households in the north village for one adjuster of one visit a day: two days.
    assert (plan["visits"], plan["unplanned"], plan["adjusters"]) == (3, 0, 2)
    assert (plan["lower_bound_days"], plan["planned_days"], plan["first_day"]) == (2, 2, day.isoformat())
    by_adjuster = {a["adjuster_id"]: a["visits_by_day"] for a in plan["per_adjuster"]}
    tomorrow = day.fromordinal(day.toordinal() + 1).isoformat()
    assert by_adjuster == {str(north): {day.isoformat(): 1, tomorrow: 1}, str(south): {day.isoformat(): 1}}
    await drain(worker)
    for claim in claims:
        [(status, _, _, _)] = await visits_of(settings, claim["id"])
        assert status == "announced"  # both days lie within the announcement window
        assert len(await messages_about(settings, claim["id"])) == 1
        assert (await client.get(f"/claims/{claim['id']}", headers=officer)).json()[
            "status"
        ] == "visit_scheduled"

    assert (await client.post(path, headers=officer)).status_code == 202
    await drain(worker)
    again = (await client.get(path, headers=officer)).json()
    assert again["per_adjuster"] == plan["per_adjuster"]
    for claim in claims:
        assert len(await visits_of(settings, claim["id"])) == 1

    auditor = await login(client, "auditor")
    asked = await client.get(path, params={"within_days": 7, "capacity": 12}, headers=auditor)
    assert (asked.json()["adjusters_needed"], asked.json()["lower_bound_days"]) == (1, 2)
    tight = await client.get(path, params={"within_days": 1, "capacity": 1}, headers=auditor)
    assert tight.json()["adjusters_needed"] == 3
    assert (await client.get(path, headers=await login(client, "liaison"))).status_code == 403
    assert (await client.get(path, params={"capacity": 0}, headers=auditor)).status_code == 400


async def test_planning_again_keeps_announced_and_officer_placed_visits_and_plans_new_claims(
    client: AsyncTestClient[Litestar], settings: Settings, worker: dramatiq.Worker
) -> None:
    world = await build_world(settings)
    await more_households(settings, world, 3)
    only = await add_adjuster(settings, "adjuster", [world.villages[0]], capacity=1)
    officer = await login(client, "officer")
    cat = (await client.post("/catastrophes", json=event([world.villages[0]]), headers=officer)).json()
    listed = await client.get("/claims", params={"catastrophe_id": cat["id"]}, headers=officer)
    claims = sorted(listed.json()["items"], key=lambda c: c["number"])
    assert len(claims) == 5
    late = claims.pop()  # confirmed only after the first plan
    for claim in claims:
        confirm = f"/catastrophes/{cat['id']}/claims/{claim['id']}/confirm"
        await client.post(confirm, json={"estimated_loss_fen": 100_000}, headers=officer)
        await client.post(f"/claims/{claim['id']}/accept", headers=officer)
    path = f"/catastrophes/{cat['id']}/visit-plan"
    await client.post(path, headers=officer)
    await drain(worker)
    first = (await client.get(path, headers=officer)).json()
    day = today()
    days = [(day + timedelta(days=n)).isoformat() for n in range(6)]
    assert first["per_adjuster"][0]["visits_by_day"] == dict.fromkeys(days[:4], 1)
    planned = {c["id"]: (await visits_of(settings, c["id"]))[0] for c in claims}
    by_day = {visit[2]: claim_id for claim_id, visit in planned.items()}
    # Today, tomorrow and the day after are announced; the fourth day is not yet.
    assert sorted(v[0] for v in planned.values()) == ["announced", "announced", "announced", "planned"]
    assert planned[by_day[days[3]]][0] == "planned"

    moved_visit = next(
        v for v in (await client.get("/visits", params={"on": days[2]}, headers=officer)).json()
    )
    moved = await client.patch(f"/visits/{moved_visit['id']}", json={"visit_on": days[5]}, headers=officer)
    assert moved.status_code == 200, moved.text
    confirm = f"/catastrophes/{cat['id']}/claims/{late['id']}/confirm"
    await client.post(confirm, json={"estimated_loss_fen": 100_000}, headers=officer)
    await client.post(f"/claims/{late['id']}/accept", headers=officer)

    await client.post(path, headers=officer)
    await drain(worker)
    again = (await client.get(path, headers=officer)).json()
    assert (again["visits"], again["unplanned"]) == (5, 0)
    # Never over capacity: one visit a day, the freed third day taken again.
    assert again["per_adjuster"][0]["visits_by_day"] == {d: 1 for d in days if d != days[4]}
    for n in (0, 1):
        assert [v[0] for v in await visits_of(settings, by_day[days[n]])] == ["announced"]
    assert await visits_of(settings, by_day[days[2]]) == [("announced", only, days[5], "officer")]
    replaced = await visits_of(settings, by_day[days[3]])
    assert [v[0] for v in replaced] == ["cancelled", "announced"]
    [(_, _, late_day, _)] = await visits_of(settings, late["id"])
    assert {replaced[1][2], late_day} == {days[2], days[3]}


async def test_the_hourly_announcer_tells_residents_as_their_visit_day_comes_near(
    client: AsyncTestClient[Litestar],
    settings: Settings,
    worker: dramatiq.Worker,
    app: Litestar,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    world = await build_world(settings)
    await more_households(settings, world, 3)
    await add_adjuster(settings, "adjuster", [world.villages[0]], capacity=1)
    officer = await login(client, "officer")
    cat = (await client.post("/catastrophes", json=event([world.villages[0]]), headers=officer)).json()
    listed = await client.get("/claims", params={"catastrophe_id": cat["id"]}, headers=officer)
    for claim in listed.json()["items"]:
        confirm = f"/catastrophes/{cat['id']}/claims/{claim['id']}/confirm"
        await client.post(confirm, json={"estimated_loss_fen": 100_000}, headers=officer)
        await client.post(f"/claims/{claim['id']}/accept", headers=officer)
    await client.post(f"/catastrophes/{cat['id']}/visit-plan", headers=officer)
    await drain(worker)
    fourth = (today() + timedelta(days=3)).isoformat()
    [waiting] = (await client.get("/visits", params={"on": fourth}, headers=officer)).json()
    assert (waiting["status"], waiting["announced_at"]) == ("planned", None)
    assert await messages_about(settings, waiting["claim_id"]) == []

    # A day later the fourth day is inside the window: the announcer tells that household, once.
    monkeypatch.setattr(tasks, "announce_window", lambda day: day + timedelta(days=3))
    announcer = app.state.broker.get_actor("claims.announce_visits")
    announcer.send()
    announcer.send()
    await drain(worker)
    [(text, _, sent)] = await messages_about(settings, waiting["claim_id"])
    assert waiting["claim_number"] in text and sent
    announced = [e for e in await events_about(settings, waiting["id"]) if e[0] == "visit.announced"]
    assert [(actor, before["status"], after["status"]) for _, actor, before, after in announced] == [
        ("system:planner", "planned", "announced")
    ]
    [told] = (await client.get("/visits", params={"on": fourth}, headers=officer)).json()
    assert told["status"] == "announced"
    later = (today() + timedelta(days=4)).isoformat()
    [untold] = (await client.get("/visits", params={"on": later}, headers=officer)).json()
    assert untold["status"] == "planned"
