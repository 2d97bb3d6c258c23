"""Filing claims over HTTP: who may file, the covers found, flags, and every kind of bad input."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient

from core.clock import BUSINESS_TZ, utcnow
from core.settings import Settings
from tests.conftest import login
from tests.integration.claims.worlds import ACCOUNT, build_world, claim_body, counts


async def test_resident_files_and_gets_number_covers_and_payment_date(
    client: AsyncTestClient[Litestar], settings: Settings
) -> None:
    world = await build_world(settings)
    headers = await login(client, "resident") | {"Idempotency-Key": "claim-1"}
    response = await client.post("/claims", json=claim_body(world.insured), headers=headers)
    assert response.status_code == 201, response.text
    claim = response.json()
    assert claim["number"].startswith(f"AJ-{utcnow().astimezone(BUSINESS_TZ):%Y%m%d}-")
    assert claim["status"] == "reported"
    assert [c["policy_number"] for c in claim["covers"]] == [world.blanket_number, world.voluntary_number]
    assert claim["payable_cap_fen"] == 5_000_000  # 20,000 + 150,000 yuan, held to the combined cap
    assert claim["clock_target_hours"] == 48
    assert claim["flags"] == ["new_voluntary_policy"]
    assert claim["claimant_phone_masked"] == "138****1234"
    assert claim["payee_account_masked"].endswith("2233") and ACCOUNT not in response.text
    replay = await client.post("/claims", json=claim_body(world.insured), headers=headers)
    assert replay.json() == claim
    assert await counts(settings) == (1, 1)

    again = await client.post(
        "/claims", json=claim_body(world.insured), headers=headers | {"Idempotency-Key": "claim-2"}
    )
    assert again.json()["flags"] == ["possible_duplicate", "new_voluntary_policy"]
    assert again.json()["number"] != claim["number"]


async def test_liaison_files_fire_without_certificate_and_shared_account_is_flagged(
    client: AsyncTestClient[Litestar], settings: Settings
) -> None:
    world = await build_world(settings)
    liaison = await login(client, "liaison")
    first = await client.post(
        "/claims", json=claim_body(world.insured, fire_certificate_no=None), headers=liaison
    )
    assert first.status_code == 201, first.text
    neighbour = claim_body(world.neighbour, fire_certificate_no=None, estimated_loss_fen=None)
    second = await client.post("/claims", json=neighbour, headers=liaison)
    assert second.status_code == 201, second.text
    assert second.json()["flags"] == ["shared_bank_account"]
    assert second.json()["clock_target_hours"] == 72


async def test_denials_for_other_households_villages_and_read_only_roles(
    client: AsyncTestClient[Litestar], settings: Settings
) -> None:
    world = await build_world(settings)
    resident = await client.post(
        "/claims", json=claim_body(world.neighbour), headers=await login(client, "resident")
    )
    assert (resident.status_code, resident.json()["code"]) == (403, "not_your_household")
    liaison = await client.post("/claims", json=claim_body(world.far), headers=await login(client, "liaison"))
    assert (liaison.status_code, liaison.json()["code"]) == (404, "household_not_found")
    stranger = await client.post(
        "/claims", json=claim_body(world.insured), headers=await login(client, "stranger")
    )
    assert (stranger.status_code, stranger.json()["code"]) == (404, "household_not_found")
    auditor = await client.post(
        "/claims", json=claim_body(world.insured), headers=await login(client, "auditor")
    )
    assert auditor.status_code == 403
    assert await counts(settings) == (0, 0)


async def test_bad_input_is_a_clear_problem_and_writes_nothing(
    client: AsyncTestClient[Litestar], settings: Settings
) -> None:
    world = await build_world(settings)
    officer = await login(client, "officer")
    future = (utcnow() + timedelta(days=2)).isoformat()
    cases: list[tuple[dict[str, Any], int, str]] = [
        (
            claim_body(world.insured, household_id="00000000-0000-0000-0000-000000000001"),
            404,
            "household_not_found",
        ),
        (
            claim_body(world.insured, claimant_resident_id=world.far.people[0].resident_id),
            422,
            "claimant_not_member",
        ),
        (claim_body(world.insured, peril="livestock"), 422, "peril_not_covered"),
        (claim_body(world.insured, loss_at=future), 422, "loss_in_future"),
        (claim_body(world.insured, loss_at="1899-06-01T10:00:00"), 422, "loss_time_implausible"),
        (claim_body(world.insured, loss_at="2024-06-01T10:00:00"), 422, "policy_not_active"),
        (claim_body(world.insured, estimated_loss_fen=-1), 400, "validation_failed"),
        (claim_body(world.insured, estimated_loss_fen=5_000_001), 422, "estimate_over_cap"),
        (claim_body(world.insured, peril="theft"), 422, "evidence_missing"),
        (claim_body(world.insured, payee_account="12ab"), 400, "validation_failed"),
        (claim_body(world.insured, claimant_phone="12345"), 422, "invalid_phone"),
        (claim_body(world.insured, policy_number="X"), 400, "validation_failed"),
    ]
    for body, status, code in cases:
        response = await client.post("/claims", json=body, headers=officer)
        assert (response.status_code, response.json()["code"]) == (status, code), body
        assert response.headers["content-type"].startswith("application/problem+json")
    headers = officer | {"Idempotency-Key": "k"}
    assert (await client.post("/claims", json=claim_body(world.insured), headers=headers)).status_code == 201
    reused = await client.post("/claims", json=claim_body(world.insured, loss_place="西屋"), headers=headers)
    assert (reused.status_code, reused.json()["code"]) == (409, "idempotency_key_reused")
    assert await counts(settings) == (1, 1)


async def test_public_status_shows_stage_only_and_is_rate_limited(
    client: AsyncTestClient[Litestar], settings: Settings
) -> None:
    world = await build_world(settings)
    filed = await client.post(
        "/claims", json=claim_body(world.insured), headers=await login(client, "resident")
    )
    number = filed.json()["number"]
    found = await client.get("/public/claims/status", params={"number": number, "phone_last4": "1234"})
    assert found.status_code == 200
    assert set(found.json()) == {"stage", "stage_zh", "expected_payment_by"}
    assert found.json()["stage"] == "reported"
    wrong_phone = await client.get("/public/claims/status", params={"number": number, "phone_last4": "9999"})
    unknown = await client.get(
        "/public/claims/status", params={"number": "AJ-20000101-000001", "phone_last4": "1234"}
    )
    assert wrong_phone.status_code == unknown.status_code == 404
    assert wrong_phone.json() == unknown.json()
    statuses = [
        (
            await client.get("/public/claims/status", params={"number": number, "phone_last4": "1234"})
        ).status_code
        for _ in range(10)
    ]
    assert statuses[-1] == 429
    assert set(statuses[:7]) == {200}
