"""The desk-review sample: the same seed draws the same claims, another seed others, the seed is shown."""

from __future__ import annotations

from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.conftest import login
from tests.integration.reports.findings.worlds import JANUARY, World

Client = AsyncTestClient[Litestar]


async def _sample(client: Client, **params: str) -> dict[str, Any]:
    response = await client.get(
        "/reports/sample", params=JANUARY | params, headers=await login(client, "auditor")
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _numbers(body: dict[str, Any]) -> list[str]:
    return [claim["claim_number"] for claim in body["claims"]]


async def test_a_seed_draws_the_same_sample_again(client: Client, clean: World) -> None:
    first = await _sample(client, size="5", seed="42")
    # Pinned: random.Random(42).sample over the 24 claim numbers in order (the documented method).
    assert _numbers(first) == [
        "C202601050020",
        "C202601050003",
        "C202601050000",
        "C202601050023",
        "C202601050008",
    ]
    assert (first["seed"], first["size"], first["population"]) == (42, 5, 24)
    assert [claim["draw"] for claim in first["claims"]] == [1, 2, 3, 4, 5]
    assert first["claims"][0]["link"] == f"/reports/claims/{first['claims'][0]['claim_id']}/trail"
    assert _numbers(await _sample(client, size="5", seed="42")) == _numbers(first)
    other = await _sample(client, size="5", seed="43")
    assert _numbers(other) == [
        "C202601050001",
        "C202601050009",
        "C202601050022",
        "C202601050004",
        "C202601050014",
    ]


async def test_without_a_seed_one_is_chosen_and_shown(client: Client, clean: World) -> None:
    drawn = await _sample(client, size="30")
    assert drawn["seed"] >= 1
    assert (drawn["size"], drawn["population"]) == (24, 24)  # fewer claims than asked: all of them
    again = await _sample(client, size="30", seed=str(drawn["seed"]))
    assert _numbers(again) == _numbers(drawn)


async def test_the_sample_keeps_to_the_region_and_the_role(client: Client, clean: World) -> None:
    village = clean.homes[0].village_code
    drawn = await _sample(client, region_code=village, size="10", seed="7")
    assert drawn["population"] == 4  # 24 claims over six villages
    assert {claim["village_code"] for claim in drawn["claims"]} == {village}
    refused = await client.get("/reports/sample", params=JANUARY, headers=await login(client, "liaison"))
    assert refused.status_code == 403
    far = await client.get("/reports/sample", params=JANUARY, headers=await login(client, "far_auditor"))
    assert (far.status_code, far.json()["code"]) == (403, "outside_your_region")
