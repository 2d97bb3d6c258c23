"""Advances (预赔): a catastrophe claim before its visit gets up to the program's share of its cap;
the final payout deducts it; an assessment below the advance leaves the difference owed back."""

from __future__ import annotations

from datetime import datetime

from litestar import Litestar
from litestar.testing import AsyncTestClient

from core.settings import Settings
from tests.conftest import login
from tests.integration.payouts.claim_worlds import (
    build_world,
    claim_row,
    claim_state,
    pay_through_a_batch,
    set_claim,
)


async def test_an_advance_is_capped_by_the_programs_share(
    client: AsyncTestClient[Litestar], settings: Settings
) -> None:
    world = await build_world(settings)
    # 30 % of a 20,000.00 yuan cap: at most 6,000.00 yuan.
    claim = await claim_row(
        settings, world, status="accepted", payable_fen=None, catastrophe=True, advance_bps=3_000
    )
    officer = await login(client, "officer")
    path = f"/claims/{claim['id']}/advance"
    for body in ({"amount_fen": 600_001}, {"share_bps": 3_001}):
        answer = await client.post(path, json=body, headers=officer)
        assert answer.status_code == 422 and answer.json()["code"] == "advance_too_large", body
    both = await client.post(path, json={"amount_fen": 1, "share_bps": 1}, headers=officer)
    assert both.status_code == 422 and both.json()["code"] == "advance_amount_or_share"

    granted = await client.post(path, json={"share_bps": 3_000}, headers=officer)
    assert granted.status_code == 201, granted.text
    [advance] = granted.json()["payouts"]
    assert (advance["kind"], advance["amount_fen"], advance["status"]) == ("advance", 600_000, "approved")
    second = await client.post(path, json={"amount_fen": 100}, headers=officer)
    assert second.status_code == 409 and second.json()["code"] == "payout_already_requested"
    assert (await claim_state(settings, claim["id"])).status == "accepted"


async def test_no_advance_where_the_program_or_the_stage_does_not_allow_it(
    client: AsyncTestClient[Litestar], settings: Settings
) -> None:
    world = await build_world(settings)
    officer = await login(client, "officer")
    ordinary = await claim_row(settings, world, status="accepted", payable_fen=None, advance_bps=3_000)
    older = await claim_row(settings, world, status="accepted", payable_fen=None, catastrophe=True)
    visited = await claim_row(settings, world, catastrophe=True, advance_bps=3_000)  # already assessed
    for claim in (ordinary, older, visited):
        answer = await client.post(
            f"/claims/{claim['id']}/advance", json={"amount_fen": 100}, headers=officer
        )
        assert answer.status_code == 409 and answer.json()["code"] == "advance_not_allowed"


async def test_the_final_payout_deducts_the_advance_paid(
    client: AsyncTestClient[Litestar], settings: Settings
) -> None:
    world = await build_world(settings)
    # Assessed later at 8,000.00 yuan (the assessment row stands ready for when the claim gets there).
    claim = await claim_row(
        settings, world, status="accepted", catastrophe=True, advance_bps=3_000, payable_fen=800_000
    )
    officer, finance = await login(client, "officer"), await login(client, "finance")
    advance = (
        await client.post(f"/claims/{claim['id']}/advance", json={"amount_fen": 500_000}, headers=officer)
    ).json()["payouts"][0]
    await pay_through_a_batch(client, finance, advance, "5000.00")
    paid = await claim_state(settings, claim["id"])
    assert (paid.status, paid.advance_paid_fen, paid.paid_fen) == ("accepted", 500_000, 500_000)

    await set_claim(settings, claim["id"], status="assessed")  # the visit and assessment, elsewhere
    approved = await client.post(f"/claims/{claim['id']}/approve", json={}, headers=officer)
    final = approved.json()["payouts"][1]
    assert (final["kind"], final["amount_fen"], final["status"]) == ("final", 300_000, "approved")
    await pay_through_a_batch(client, finance, final, "3000.00")
    closed = await claim_state(settings, claim["id"])
    assert (closed.status, closed.advance_paid_fen, closed.paid_fen) == ("closed", 500_000, 800_000)


async def test_an_advance_not_yet_paid_holds_the_final_approval(
    client: AsyncTestClient[Litestar], settings: Settings
) -> None:
    world = await build_world(settings)
    claim = await claim_row(
        settings, world, status="accepted", catastrophe=True, advance_bps=3_000, payable_fen=400_000
    )
    officer = await login(client, "officer")
    await client.post(f"/claims/{claim['id']}/advance", json={"amount_fen": 500_000}, headers=officer)
    await set_claim(settings, claim["id"], status="assessed")
    held = await client.post(f"/claims/{claim['id']}/approve", json={}, headers=officer)
    assert held.status_code == 409 and held.json()["code"] == "advance_in_flight"


async def test_an_assessment_below_the_advance_closes_the_claim_with_the_difference_owed(
    client: AsyncTestClient[Litestar], settings: Settings
) -> None:
    world = await build_world(settings)
    claim = await claim_row(
        settings, world, status="accepted", catastrophe=True, advance_bps=3_000, payable_fen=400_000
    )
    officer, finance = await login(client, "officer"), await login(client, "finance")
    advance = (
        await client.post(f"/claims/{claim['id']}/advance", json={"amount_fen": 500_000}, headers=officer)
    ).json()["payouts"][0]
    await pay_through_a_batch(client, finance, advance, "5000.00")
    advance_paid_at = (await client.get(f"/payouts/{advance['id']}", headers=finance)).json()["paid_at"]
    await set_claim(settings, claim["id"], status="assessed")

    approved = await client.post(f"/claims/{claim['id']}/approve", json={}, headers=officer)
    assert approved.status_code == 201, approved.text
    body = approved.json()
    assert (body["status"], body["paid_fen"], body["owed_back_fen"]) == ("closed", 500_000, 100_000)
    assert [p["kind"] for p in body["payouts"]] == ["advance"]
    closed = await claim_state(settings, claim["id"])
    # The clock stopped when the advance reached the household, not at this approval.
    assert closed.paid_at == datetime.fromisoformat(advance_paid_at)
