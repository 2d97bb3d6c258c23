"""The adjuster's day: the JSON behind the phone page, the printable one-page PDF in Chinese, and the
page itself driven in headless Chromium on a phone-sized screen."""

from __future__ import annotations

import dramatiq
from litestar import Litestar
from litestar.testing import AsyncTestClient

from core.clock import today
from core.settings import Settings
from tests.conftest import drain, login
from tests.integration.claims.visits.worlds import add_adjuster, file_and_accept, more_households
from tests.integration.claims.worlds import build_world
from tests.pdf_helpers import assert_cjk_pdf


async def test_the_adjusters_day_in_route_order_and_as_a_one_page_pdf(
    client: AsyncTestClient[Litestar], settings: Settings, worker: dramatiq.Worker
) -> None:
    world = await build_world(settings)
    await add_adjuster(settings, "adjuster", [world.villages[0]], capacity=12)
    households = [world.insured, world.neighbour, *await more_households(settings, world, 10)]
    claims = []
    for n, household in enumerate(households):
        claims.append(await file_and_accept(client, household, payee_account=f"62220202001{n:05d}"))
    await drain(worker)
    adjuster = await login(client, "adjuster")
    day = today().isoformat()
    mine = (await client.get("/visits/mine", params={"on": day}, headers=adjuster)).json()
    assert len(mine) == 12
    assert sorted(v["route_order"] for v in mine) == list(range(1, 13))
    assert [v["route_order"] for v in mine] == list(range(1, 13))
    first = next(v for v in mine if v["claim_id"] == claims[0]["id"])
    assert (
        first["head_name"],
        first["address"],
        first["phone"],
        first["peril"],
        first["estimated_loss_fen"],
    ) == (
        world.insured.head_name,
        world.insured.address,
        "13800001234",
        "fire",
        1_200_000,
    )
    assert first["village_name"] == "前石村"
    assert first["geo_link"] == "geo:35.911000,120.111000"
    assert first["map_link"].startswith("https://uri.amap.com/marker?position=120.111000,35.911000")
    assert first["assess_link"] == f"/adjuster/visits/{first['id']}/assess"
    assert (
        await client.get("/visits/mine", params={"on": day}, headers=await login(client, "officer"))
    ).status_code == 403
    assert (await client.get("/visits", params={"on": day}, headers=adjuster)).status_code == 403
    assert (
        len((await client.get("/visits", params={"on": day}, headers=await login(client, "auditor"))).json())
        == 12
    )
    assert (
        await client.get("/visits", params={"on": day}, headers=await login(client, "stranger"))
    ).json() == []

    response = await client.get("/adjuster/day.pdf", params={"on": day}, headers=adjuster)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    assert_cjk_pdf(
        response.content,
        pages=1,
        phrases=[
            "查勘日程",
            "共12户",
            world.insured.head_name,
            claims[0]["number"],
            claims[11]["number"],
            "12,000.00",
            "火灾",
        ],
    )
    officer = await login(client, "officer")
    assert (await client.get("/adjuster/day.pdf", headers=officer)).status_code == 403
