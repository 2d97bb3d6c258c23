"""A claim's audit trail: its events and its payout's, what changed, and a tampered event flagged."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from core.audit import record
from core.settings import Settings
from payouts.models import Payout
from tests.conftest import login, run_in_db
from tests.integration.reports.findings.worlds import World, build_world

Client = AsyncTestClient[Litestar]


async def _history(settings: Settings, world: World) -> tuple[str, list[int]]:
    """Three events about the first claim and its payout, one about another claim between them."""
    claim_id, other_id = world.claims[0][0], world.claims[1][0]
    village = world.homes[0].village_code

    async def write(session: AsyncSession) -> list[int]:
        payout_id = await session.scalar(select(Payout.id).where(Payout.claim_id == claim_id))
        steps: list[tuple[str, str, UUID, Any, Any, str | None]] = [
            ("claim.accepted", "claim", claim_id, {"status": "reported"}, {"status": "accepted"}, None),
            ("claim.accepted", "claim", other_id, {"status": "reported"}, {"status": "accepted"}, None),
            ("claim.approved", "claim", claim_id, {"status": "assessed"}, {"status": "approved"}, "材料齐全"),
            (
                "payout.paid",
                "payout",
                payout_id,
                {"status": "sent"},
                {"status": "paid", "paid_fen": 500_000},
                None,
            ),
        ]
        for action, subject_type, subject_id, before, after, reason in steps:
            await record(
                session,
                actor="officer",
                action=action,
                subject_type=subject_type,
                subject_id=subject_id,
                region_code=village,
                reason=reason,
                before=before,
                after=after,
            )
        await session.flush()
        rows = await session.scalars(text("SELECT id FROM audit_events ORDER BY id DESC LIMIT 4"))
        return sorted(int(row) for row in rows)

    ids = await run_in_db(settings, write)
    return str(claim_id), [ids[0], ids[2], ids[3]]


async def _trail(client: Client, claim_id: str, who: str = "auditor") -> dict[str, Any]:
    response = await client.get(f"/audit/claims/{claim_id}/trail", headers=await login(client, who))
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_the_trail_shows_the_claims_events_and_checks_them(client: Client, settings: Settings) -> None:
    world = await build_world(settings)
    claim_id, ids = await _history(settings, world)
    trail = await _trail(client, claim_id)
    assert (trail["claim_number"], trail["chain_ok"], trail["checked"]) == ("C202601050000", True, 3)
    assert [event["id"] for event in trail["events"]] == ids
    assert [event["action"] for event in trail["events"]] == [
        "claim.accepted",
        "claim.approved",
        "payout.paid",
    ]
    approved, paid = trail["events"][1], trail["events"][2]
    assert (approved["actor"], approved["reason"]) == ("officer", "材料齐全")
    assert approved["changes"] == [{"field": "status", "before": "assessed", "after": "approved"}]
    assert paid["changes"] == [
        {"field": "paid_fen", "before": None, "after": 500_000},
        {"field": "status", "before": "sent", "after": "paid"},
    ]
    assert all(event["hash_ok"] and event["linked"] for event in trail["events"])
    # Claims officers of the district read it too.
    assert (await _trail(client, claim_id, "officer"))["checked"] == 3


async def test_a_tampered_event_is_flagged(client: Client, settings: Settings) -> None:
    world = await build_world(settings)
    claim_id, ids = await _history(settings, world)

    async def tamper(session: AsyncSession) -> None:
        if session.get_bind().dialect.name == "postgresql":
            await session.execute(text("ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only"))
            after = """'{"status": "approved", "note": "加急"}'::json"""
        else:
            await session.execute(text("DROP TRIGGER audit_events_no_update"))
            after = """'{"status": "approved", "note": "加急"}'"""
        await session.execute(text(f"UPDATE audit_events SET after = {after} WHERE id = :id"), {"id": ids[1]})

    await run_in_db(settings, tamper)
    trail = await _trail(client, claim_id)
    assert (trail["chain_ok"], trail["first_broken_id"]) == (False, ids[1])
    flagged = {event["id"]: (event["hash_ok"], event["problem"]) for event in trail["events"]}
    assert flagged == {
        ids[0]: (True, None),
        ids[1]: (False, "content does not match its hash"),
        ids[2]: (True, None),
    }


async def test_a_claim_outside_the_scope_is_not_found(client: Client, settings: Settings) -> None:
    world = await build_world(settings)
    claim_id = str(world.claims[0][0])
    far = await client.get(f"/audit/claims/{claim_id}/trail", headers=await login(client, "far_auditor"))
    assert (far.status_code, far.json()["code"]) == (404, "claim_not_found")
    unknown = await client.get(f"/audit/claims/{UUID(int=7)}/trail", headers=await login(client, "auditor"))
    assert (unknown.status_code, unknown.json()["code"]) == (404, "claim_not_found")
    for who in ("liaison", "finance", "adjuster"):
        refused = await client.get(f"/audit/claims/{claim_id}/trail", headers=await login(client, who))
        assert refused.status_code == 403, who
