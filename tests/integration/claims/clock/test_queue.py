"""The officers' work queue over HTTP: open claims by time left, who each waits on, paging, the
clock filter, and the denials by role and by region."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from core.clock import utcnow
from core.settings import Settings
from tests.conftest import login, run_in_db
from tests.integration.claims.clock.worlds import add_claim, add_visit, build_world


async def test_the_queue_least_time_left_first(client: AsyncTestClient[Litestar], settings: Settings) -> None:
    world = await build_world(settings)
    now = utcnow()

    def ago(hours: float) -> Any:
        return now - timedelta(hours=hours)

    async def arrange(session: AsyncSession) -> dict[str, str]:
        twelve_left = add_claim(session, world.home, status="accepted", reported_at=ago(60), accepted_at=1)
        visiting = add_claim(
            session, world.home, status="visit_scheduled", reported_at=ago(10), accepted_at=1
        )
        overdue = add_claim(session, world.far, status="assessed", reported_at=ago(80), accepted_at=1)
        at_bank = add_claim(
            session,
            world.far,
            status="approved",
            reported_at=ago(1),
            target_hours=48,
            approved_at=0.5,
            sent_at=0.8,
        )
        add_claim(session, world.home, status="paid", reported_at=ago(30), paid_at=20)
        add_claim(session, world.home, status="rejected", reported_at=ago(30), rejected_at=2)
        overdue.clock_state = "breached"
        await session.flush()
        add_visit(session, visiting, world.adjuster_id)
        claims = (twelve_left, visiting, overdue, at_bank)
        return {
            name: c.number
            for name, c in zip(("twelve_left", "visiting", "overdue", "at_bank"), claims, strict=True)
        }

    numbers = await run_in_db(settings, arrange)
    officer = await login(client, "officer")
    page = (await client.get("/work-queue", headers=officer)).json()
    assert page["total"] == 4
    seen = [
        (i["number"], i["clock"], i["waiting_in"], i["waiting_on"], i["adjuster_name"]) for i in page["items"]
    ]
    assert seen == [
        (numbers["overdue"], "breached", "approval", "officer", None),
        (numbers["twelve_left"], "at_risk", "visit_planning", "officer", None),
        (numbers["at_bank"], "on_track", "bank", "bank", None),
        (numbers["visiting"], "on_track", "visit", "adjuster", "adjuster"),
    ]
    left = [i["time_left_seconds"] for i in page["items"]]
    assert -8 * 3600 - 60 < left[0] <= -8 * 3600 and 12 * 3600 - 60 < left[1] <= 12 * 3600

    second = (await client.get("/work-queue", params={"limit": 2, "offset": 2}, headers=officer)).json()
    assert [i["number"] for i in second["items"]] == [numbers["at_bank"], numbers["visiting"]]
    flagged = (await client.get("/work-queue", params={"clock": "breached"}, headers=officer)).json()
    assert [i["number"] for i in flagged["items"]] == [numbers["overdue"]]
    unflagged = (await client.get("/work-queue", params={"clock": "on_track"}, headers=officer)).json()
    assert unflagged["total"] == 3

    town = (await client.get("/work-queue", headers=await login(client, "town_officer"))).json()
    assert [i["number"] for i in town["items"]] == [numbers["twelve_left"], numbers["visiting"]]
    stranger = (await client.get("/work-queue", headers=await login(client, "stranger"))).json()
    assert (stranger["total"], stranger["items"]) == (0, [])
    for role in ("auditor", "liaison", "finance", "adjuster"):
        denied = await client.get("/work-queue", headers=await login(client, role))
        assert (denied.status_code, denied.json()["code"]) == (403, "forbidden")


async def test_the_claim_view_reads_the_clock(client: AsyncTestClient[Litestar], settings: Settings) -> None:
    world = await build_world(settings)
    now = utcnow()

    async def arrange(session: AsyncSession) -> Any:
        claim = add_claim(
            session,
            world.home,
            status="approved",
            reported_at=now - timedelta(hours=30),
            accepted_at=1,
            visit_scheduled_at=3,
            visited_at=20,
            assessed_at=22,
            approved_at=24,
        )
        await session.flush()
        return claim.id

    claim_id = await run_in_db(settings, arrange)
    view = (await client.get(f"/claims/{claim_id}", headers=await login(client, "officer"))).json()
    assert (view["waiting_in"], view["waiting_on"], view["clock"]) == ("payment_batch", "finance", "on_track")
    assert 42 * 3600 - 60 < view["time_left_seconds"] <= 42 * 3600
    assert view["stage_seconds"] == {
        "acceptance": 3600,
        "visit_planning": 7200,
        "visit": 17 * 3600,
        "assessment": 7200,
        "approval": 7200,
        "payment_batch": 0,
        "bank": 0,
    }
    assert view["visited_at"] is not None and view["sent_at"] is None
