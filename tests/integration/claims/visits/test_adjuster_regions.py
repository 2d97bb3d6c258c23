"""Whose villages an adjuster may be given (only inside their own login's regions), and which
officers manage an adjuster (those covering any of the adjuster's villages, a town officer too)."""

from __future__ import annotations

from litestar import Litestar
from litestar.testing import AsyncTestClient

from core.auth import Role
from core.settings import Settings
from tests.conftest import login, make_user
from tests.integration.claims.visits.worlds import add_adjuster, user_id
from tests.integration.claims.worlds import build_world


async def test_an_adjuster_is_given_only_villages_inside_their_own_regions(
    client: AsyncTestClient[Litestar], settings: Settings
) -> None:
    world = await build_world(settings)
    town_one, town_two = world.villages[0], world.villages[3]
    await make_user(settings, "zhao", Role.ADJUSTER, [town_one[:9]])
    body = {
        "user_id": str(await user_id(settings, "zhao")),
        "village_codes": [town_one, town_two],
        "home_village_code": town_one,
        "daily_capacity": 8,
        "working_weekdays": [1, 2, 3, 4, 5],
    }
    officer = await login(client, "officer")
    refused = await client.post("/adjusters", json=body, headers=officer)
    assert (refused.status_code, refused.json()["code"]) == (422, "villages_outside_adjuster_regions")
    created = await client.post("/adjusters", json=body | {"village_codes": [town_one]}, headers=officer)
    assert created.status_code == 201, created.text
    path = f"/adjusters/{created.json()['id']}"
    widened = await client.patch(path, json={"village_codes": [town_one, town_two]}, headers=officer)
    assert (widened.status_code, widened.json()["code"]) == (422, "villages_outside_adjuster_regions")
    assert (await client.get(path, headers=officer)).json()["village_codes"] == [town_one]


async def test_a_town_officer_manages_the_adjusters_who_visit_their_town(
    client: AsyncTestClient[Litestar], settings: Settings
) -> None:
    world = await build_world(settings)
    town_one, town_two = world.villages[0], world.villages[3]
    ours = await add_adjuster(settings, "adjuster", [town_one, town_two])
    theirs = await add_adjuster(settings, "adjuster2", [town_two])
    await make_user(settings, "town", Role.CLAIMS_OFFICER, [town_one[:9]])
    town = await login(client, "town")
    assert [a["id"] for a in (await client.get("/adjusters", headers=town)).json()] == [str(ours)]
    changed = await client.patch(f"/adjusters/{ours}", json={"daily_capacity": 3}, headers=town)
    assert (changed.status_code, changed.json()["daily_capacity"]) == (200, 3)
    # The other town's village stays, but the town officer cannot give or take one outside their town.
    kept = await client.patch(
        f"/adjusters/{ours}", json={"village_codes": [town_one, world.villages[1], town_two]}, headers=town
    )
    assert kept.json()["village_codes"] == [town_one, world.villages[1], town_two]
    dropped = await client.patch(f"/adjusters/{ours}", json={"village_codes": [town_one]}, headers=town)
    assert (dropped.status_code, dropped.json()["code"]) == (403, "outside_your_region")
    assert (await client.get(f"/adjusters/{theirs}", headers=town)).status_code == 404
    other = await client.patch(f"/adjusters/{theirs}", json={"daily_capacity": 3}, headers=town)
    assert other.status_code == 404
