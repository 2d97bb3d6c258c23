"""Filing claims over HTTP: who may file, the covers found, flags, and every kind of bad input."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from claims.models import Claim
from core.audit import AuditEvent
from core.auth import Role
from core.clock import BUSINESS_TZ, today, utcnow
from core.settings import Settings
from policies.domain import Funding, Peril
from tests import factories
from tests.conftest import login, make_user, run_in_db

DISTRICT = "370211"
ACCOUNT = "6222020200112233"


@dataclass
class World:
    villages: list[str]
    insured: Any  # blanket and voluntary cover, village 1
    neighbour: Any  # blanket cover only, village 1
    far: Any  # blanket cover only, a village of the other town
    blanket_number: str
    voluntary_number: str


async def build_world(settings: Settings) -> World:
    """One district: a blanket program for everyone, a voluntary one for `insured`, and the users."""

    async def arrange(session: AsyncSession) -> World:
        villages = await factories.region_tree(session, DISTRICT)
        blanket_program = await factories.program(
            session,
            funding=Funding.DISTRICT,
            region_code=DISTRICT,
            perils={Peril.FIRE: 2_000_000, Peril.THEFT: 500_000, Peril.NATURAL_DISASTER: 1_000_000},
            per_claim_cap_fen=2_000_000,
            combined_cap_fen=5_000_000,
            clock_target_hours=72,
        )
        voluntary_program = await factories.program(
            session, funding=Funding.HOUSEHOLD, region_code=DISTRICT, clock_target_hours=48
        )
        blanket = await factories.blanket_policy(session, blanket_program)
        insured = await factories.household(session, villages[0], members=3, phone="13800001234")
        neighbour = await factories.household(session, villages[0])
        far = await factories.household(session, villages[3])
        voluntary = await factories.active_policy(
            session, insured, voluntary_program, starts_on=today() - timedelta(days=10)
        )
        return World(villages, insured, neighbour, far, blanket.number, voluntary.number)

    world = await run_in_db(settings, arrange)
    await make_user(settings, "resident", Role.RESIDENT, [world.villages[0]], world.insured.id)
    await make_user(settings, "liaison", Role.LIAISON, [world.villages[0]])
    await make_user(settings, "officer", Role.CLAIMS_OFFICER, [DISTRICT])
    await make_user(settings, "auditor", Role.AUDITOR, [DISTRICT])
    await make_user(settings, "stranger", Role.CLAIMS_OFFICER, ["370212"])
    return world


# Fixed once: a body built twice for a replay must be the same body, even across a second boundary.
LOSS_AT = (utcnow() - timedelta(days=1)).astimezone(BUSINESS_TZ).replace(tzinfo=None, second=0, microsecond=0)


def claim_body(household: Any, **changes: Any) -> dict[str, Any]:
    loss_at = LOSS_AT
    body = {
        "household_id": str(household.id),
        "claimant_resident_id": household.people[0].resident_id,
        "claimant_phone": "13800001234",
        "peril": "fire",
        "loss_at": loss_at.isoformat(timespec="seconds"),
        "loss_place": "东屋厨房",
        "description": "电线老化起火，烧毁厨房家具",
        "estimated_loss_fen": 1_200_000,
        "payee_name": household.people[0].name,
        "payee_bank_name": "农业银行",
        "payee_account": ACCOUNT,
        "fire_certificate_no": "黄消火证〔2026〕第12号",
    }
    return body | changes


async def counts(settings: Settings) -> tuple[int, int]:
    async def count(session: AsyncSession) -> tuple[int, int]:
        claims = await session.scalar(select(func.count()).select_from(Claim))
        events = await session.scalar(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.subject_type == "claim")
        )
        return int(claims or 0), int(events or 0)

    return await run_in_db(settings, count)


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
    assert (liaison.status_code, liaison.json()["code"]) == (403, "outside_your_region")
    stranger = await client.post(
        "/claims", json=claim_body(world.insured), headers=await login(client, "stranger")
    )
    assert (stranger.status_code, stranger.json()["code"]) == (403, "outside_your_region")
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
