"""Approving a claim's payout: the officer's authority, the second officer (never the maker, never
the assessor), and every refusal leaving nothing changed."""

from __future__ import annotations

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.settings import Settings
from payouts.models import Payout
from tests.conftest import login, run_in_db
from tests.integration.payouts.claim_worlds import build_world, claim_row, claim_state


async def payout_count(settings: Settings) -> int:
    async def count(session: AsyncSession) -> int:
        return int(await session.scalar(select(func.count()).select_from(Payout)) or 0)

    return await run_in_db(settings, count)


async def test_above_the_officers_limit_a_second_officer_approves(
    client: AsyncTestClient[Litestar], settings: Settings
) -> None:
    world = await build_world(settings)
    claim = await claim_row(settings, world, payable_fen=2_000_000)  # 20,000.00 yuan: above 10,000.00
    officer, senior = await login(client, "officer"), await login(client, "senior")

    first = await client.post(f"/claims/{claim['id']}/approve", json={"note": "资料齐全"}, headers=officer)
    assert first.status_code == 201, first.text
    [payout] = first.json()["payouts"]
    assert (payout["status"], payout["requested_by"], first.json()["status"]) == (
        "pending",
        "officer",
        "assessed",
    )

    own = await client.post(f"/payouts/{payout['id']}/approve", json={}, headers=officer)
    assert own.status_code == 403 and own.json()["code"] == "approver_is_maker"
    assert (await claim_state(settings, claim["id"])).status == "assessed"

    second = await client.post(f"/payouts/{payout['id']}/approve", json={}, headers=senior)
    assert second.status_code == 200, second.text
    assert (second.json()["status"], second.json()["second_approved_by"]) == ("approved", "senior")
    assert (await claim_state(settings, claim["id"])).status == "approved"

    twice = await client.post(f"/payouts/{payout['id']}/approve", json={}, headers=senior)
    assert twice.status_code == 409 and twice.json()["code"] == "payout_transition_not_allowed"


async def test_an_officer_without_a_limit_never_approves_alone(
    client: AsyncTestClient[Litestar], settings: Settings
) -> None:
    world = await build_world(settings)
    claim = await claim_row(settings, world, payable_fen=1)
    answer = await client.post(
        f"/claims/{claim['id']}/approve", json={}, headers=await login(client, "junior")
    )
    assert answer.json()["payouts"][0]["status"] == "pending"


async def test_whoever_assessed_the_loss_may_not_approve_paying_it(
    client: AsyncTestClient[Litestar], settings: Settings
) -> None:
    world = await build_world(settings)
    claim = await claim_row(settings, world, payable_fen=2_000_000, assessed_by="assessing_officer")
    assessor = await login(client, "assessing_officer")
    refused = await client.post(f"/claims/{claim['id']}/approve", json={}, headers=assessor)
    assert refused.status_code == 403 and refused.json()["code"] == "approver_is_assessor"
    assert await payout_count(settings) == 0

    made = await client.post(
        f"/claims/{claim['id']}/approve", json={}, headers=await login(client, "officer")
    )
    payout_id = made.json()["payouts"][0]["id"]
    checked = await client.post(f"/payouts/{payout_id}/approve", json={}, headers=assessor)
    assert checked.status_code == 403 and checked.json()["code"] == "approver_is_assessor"
    assert (await claim_state(settings, claim["id"])).status == "assessed"


async def test_approving_twice_is_refused_and_a_retry_is_replayed(
    client: AsyncTestClient[Litestar], settings: Settings
) -> None:
    world = await build_world(settings)
    claim = await claim_row(settings, world)
    officer = await login(client, "officer")
    keyed = {**officer, "Idempotency-Key": "approve-1"}
    first = await client.post(f"/claims/{claim['id']}/approve", json={}, headers=keyed)
    retry = await client.post(f"/claims/{claim['id']}/approve", json={}, headers=keyed)
    assert first.status_code == retry.status_code == 201
    assert retry.json() == first.json() and retry.headers["Idempotent-Replay"] == "true"
    again = await client.post(f"/claims/{claim['id']}/approve", json={}, headers=officer)
    assert again.status_code == 409 and again.json()["code"] == "payout_already_requested"
    assert await payout_count(settings) == 1


async def test_refusals_change_nothing(client: AsyncTestClient[Litestar], settings: Settings) -> None:
    world = await build_world(settings)
    officer = await login(client, "officer")
    not_assessed = await claim_row(settings, world, status="visit_scheduled", payable_fen=None)
    answer = await client.post(f"/claims/{not_assessed['id']}/approve", json={}, headers=officer)
    assert answer.status_code == 409 and answer.json()["code"] == "claim_not_assessed"

    no_payee = await claim_row(settings, world, payee_account=None)
    answer = await client.post(f"/claims/{no_payee['id']}/approve", json={}, headers=officer)
    assert answer.status_code == 422 and answer.json()["code"] == "payee_missing"
    assert (await claim_state(settings, no_payee["id"])).status == "assessed"

    elsewhere = await claim_row(settings, world)
    far = await client.post(
        f"/claims/{elsewhere['id']}/approve", json={}, headers=await login(client, "far_officer")
    )
    assert far.status_code == 404 and far.json()["code"] == "claim_not_found"
    assert await payout_count(settings) == 0
