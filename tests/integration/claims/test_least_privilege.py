"""Least privilege over claims: adjusters and finance see no claim until a visit or a payout names
one, and a claim or household the caller may not see answers exactly as an unknown id."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from core.auth import Role
from core.settings import Settings
from tests.conftest import login, make_user
from tests.integration.claims.worlds import DISTRICT, build_world, claim_body

Client = AsyncTestClient[Litestar]
UNKNOWN = str(uuid4())
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


def reads(claim_id: str) -> list[str]:
    return [f"/claims/{claim_id}", f"/claims/{claim_id}/documents", f"/claims/{claim_id}/summary.pdf"]


async def answer(client: Client, method: str, path: str, headers: dict[str, str], **kwargs: Any) -> Any:
    response = await client.request(method, path, headers=headers, **kwargs)
    return response.status_code, response.headers["content-type"], response.json()


async def filed_claim(client: Client, settings: Settings) -> str:
    world = await build_world(settings)
    await make_user(settings, "adjuster", Role.ADJUSTER, [DISTRICT])
    await make_user(settings, "finance", Role.FINANCE, [DISTRICT])
    headers = await login(client, "liaison") | {"Idempotency-Key": "least-privilege"}
    filed = await client.post("/claims", json=claim_body(world.insured), headers=headers)
    assert filed.status_code == 201, filed.text
    return str(filed.json()["id"])


@pytest.mark.parametrize("name", ["adjuster", "finance", "stranger"])
async def test_a_claim_out_of_reach_reads_exactly_as_an_unknown_one(
    client: Client, settings: Settings, name: str
) -> None:
    claim_id = await filed_claim(client, settings)
    headers = await login(client, name)
    listed = (await client.get("/claims", headers=headers)).json()
    assert (listed["items"], listed["total"]) == ([], 0)
    for hidden, unknown in zip(reads(claim_id), reads(UNKNOWN), strict=True):
        hidden_answer = await answer(client, "GET", hidden, headers)
        assert hidden_answer[0] == 404, hidden
        assert hidden_answer == await answer(client, "GET", unknown, headers), hidden


async def test_an_adjuster_cannot_attach_to_a_claim_no_visit_names(
    client: Client, settings: Settings
) -> None:
    claim_id = await filed_claim(client, settings)
    adjuster = await login(client, "adjuster")
    upload = {"files": {"file": ("a.png", PNG, "image/png")}, "data": {"kind": "photo"}}
    hidden = await answer(client, "POST", f"/claims/{claim_id}/documents", adjuster, **upload)
    assert hidden[0] == 404
    assert hidden == await answer(client, "POST", f"/claims/{UNKNOWN}/documents", adjuster, **upload)


async def test_filing_for_a_household_out_of_scope_answers_as_for_an_unknown_one(
    client: Client, settings: Settings
) -> None:
    world = await build_world(settings)
    liaison = await login(client, "liaison")
    far = await answer(client, "POST", "/claims", liaison, json=claim_body(world.far))
    assert far[0] == 404
    unknown = claim_body(world.far) | {"household_id": UNKNOWN}
    assert far == await answer(client, "POST", "/claims", liaison, json=unknown)


async def test_the_officer_and_auditor_of_the_district_still_see_its_claims(
    client: Client, settings: Settings
) -> None:
    claim_id = await filed_claim(client, settings)
    for name in ("officer", "auditor", "liaison"):
        headers = await login(client, name)
        assert [c["id"] for c in (await client.get("/claims", headers=headers)).json()["items"]] == [claim_id]
        assert (await client.get(f"/claims/{claim_id}", headers=headers)).status_code == 200
