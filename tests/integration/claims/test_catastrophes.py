"""Catastrophes over HTTP: one declaration files every covered household's claim; liaisons confirm."""

from __future__ import annotations

from datetime import timedelta

from litestar import Litestar
from litestar.testing import AsyncTestClient

from core.clock import utcnow
from core.settings import Settings
from tests.conftest import login
from tests.integration.claims.worlds import build_world, claim_body, counts, event


async def test_declaring_files_a_claim_per_covered_household_and_liaisons_confirm_or_clear(
    client: AsyncTestClient[Litestar], settings: Settings
) -> None:
    world = await build_world(settings)
    officer = await login(client, "officer") | {"Idempotency-Key": "tornado"}
    body = event([world.villages[0], world.villages[1], world.villages[3]])
    declared = await client.post("/catastrophes", json=body, headers=officer)
    assert declared.status_code == 201, declared.text
    cat = declared.json()
    assert cat["claims"] == 3
    assert cat["by_status"] == {"awaiting_confirmation": 3}
    assert [(v["village_code"], v["total"]) for v in cat["villages"]] == [
        (world.villages[0], 2),
        (world.villages[1], 0),
        (world.villages[3], 1),
    ]
    assert (await client.post("/catastrophes", json=body, headers=officer)).json() == cat
    assert (await counts(settings))[0] == 3

    liaison = await login(client, "liaison")
    seen = (await client.get("/claims", params={"catastrophe_id": cat["id"]}, headers=liaison)).json()
    assert seen["total"] == 2
    by_household = {c["household_id"]: c for c in seen["items"]}
    insured = by_household[str(world.insured.id)]
    neighbour = by_household[str(world.neighbour.id)]
    assert insured["payable_cap_fen"] == 5_000_000 and len(insured["covers"]) == 2
    base = f"/catastrophes/{cat['id']}/claims"
    too_much = await client.post(
        f"{base}/{insured['id']}/confirm", json={"estimated_loss_fen": 5_000_001}, headers=liaison
    )
    assert (too_much.status_code, too_much.json()["code"]) == (422, "estimate_over_cap")
    confirmed = await client.post(
        f"{base}/{insured['id']}/confirm",
        json={"estimated_loss_fen": 800_000, "payee_account": "6222020200119999"},
        headers=liaison,
    )
    assert confirmed.json()["status"] == "reported"
    assert confirmed.json()["payee_account_masked"].endswith("9999")
    cleared = await client.post(
        f"{base}/{neighbour['id']}/clear", json={"reason": "房屋无损"}, headers=liaison
    )
    assert cleared.json()["status"] == "cleared"
    twice = await client.post(
        f"{base}/{neighbour['id']}/confirm", json={"estimated_loss_fen": 1}, headers=liaison
    )
    assert twice.status_code == 409

    far = (await client.get("/claims", params={"village": world.villages[3]}, headers=officer)).json()[
        "items"
    ][0]
    outside = await client.post(
        f"{base}/{far['id']}/confirm", json={"estimated_loss_fen": 1}, headers=liaison
    )
    assert outside.status_code == 404
    accepted = await client.post(f"/claims/{insured['id']}/accept", headers=officer)
    assert accepted.json()["status"] == "accepted"

    page = (await client.get(f"/catastrophes/{cat['id']}", headers=officer)).json()
    assert page["by_status"] == {"accepted": 1, "cleared": 1, "awaiting_confirmation": 1}
    liaison_page = (await client.get(f"/catastrophes/{cat['id']}", headers=liaison)).json()
    assert [v["village_code"] for v in liaison_page["villages"]] == [world.villages[0]]


async def test_a_filed_claim_inside_a_catastrophe_needs_no_evidence_and_is_linked(
    client: AsyncTestClient[Litestar], settings: Settings
) -> None:
    world = await build_world(settings)
    officer = await login(client, "officer")
    body = event([world.villages[3]], peril="theft")
    cat = (await client.post("/catastrophes", json=body, headers=officer)).json()
    loss_at = (utcnow() - timedelta(hours=28)).isoformat()
    filed = await client.post(
        "/claims",
        json=claim_body(world.far, peril="theft", loss_at=loss_at, estimated_loss_fen=None),
        headers=officer,
    )
    assert filed.status_code == 201, filed.text
    assert filed.json()["catastrophe_id"] == cat["id"]
    assert filed.json()["flags"] == ["possible_duplicate"]


async def test_only_officers_in_scope_declare_and_bad_events_are_refused(
    client: AsyncTestClient[Litestar], settings: Settings
) -> None:
    world = await build_world(settings)
    body = event([world.villages[0]])
    assert (
        await client.post("/catastrophes", json=body, headers=await login(client, "liaison"))
    ).status_code == 403
    assert (
        await client.post("/catastrophes", json=body, headers=await login(client, "auditor"))
    ).status_code == 403
    stranger = await client.post("/catastrophes", json=body, headers=await login(client, "stranger"))
    assert (stranger.status_code, stranger.json()["code"]) == (403, "outside_your_region")
    officer = await login(client, "officer")
    backwards = event([world.villages[0]], ends_at=body["starts_at"], starts_at=body["ends_at"])
    unknown = event(["370211009009"])
    tomorrow = utcnow() + timedelta(days=1)
    future = event(
        [world.villages[0]],
        starts_at=tomorrow.isoformat(),
        ends_at=(tomorrow + timedelta(hours=1)).isoformat(),
    )
    for bad, code in [
        (backwards, "invalid_catastrophe"),
        (unknown, "invalid_catastrophe"),
        (future, "loss_in_future"),
    ]:
        response = await client.post("/catastrophes", json=bad, headers=officer)
        assert (response.status_code, response.json()["code"]) == (422, code)
    assert await counts(settings) == (0, 0)
