"""What happens to a visit after it is planned: moved back to its first day (the resident is told
again), its claim withdrawn (the visit is called off), and every such change in the audit log."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

import dramatiq
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from claims.models import Claim
from claims.visits.models import SiteVisit
from claims.visits.services.routes import renumber
from core.clock import today
from core.settings import Settings
from tests.conftest import drain, login, run_in_db
from tests.integration.claims.visits.worlds import (
    add_adjuster,
    events_about,
    file_and_accept,
    messages_about,
    more_households,
    visits_of,
)
from tests.integration.claims.worlds import build_world


async def visit_id_of(settings: Settings, claim_id: str) -> UUID:
    async def read(session: AsyncSession) -> UUID:
        found = await session.scalar(
            select(SiteVisit.id).where(SiteVisit.claim_id == UUID(claim_id), SiteVisit.status != "cancelled")
        )
        assert found is not None
        return found

    result: UUID = await run_in_db(settings, read)
    return result


async def test_a_visit_moved_back_to_its_first_day_is_announced_again_and_each_announcement_audited(
    client: AsyncTestClient[Litestar], settings: Settings, worker: dramatiq.Worker
) -> None:
    world = await build_world(settings)
    await add_adjuster(settings, "adjuster", [world.villages[0]])
    claim = await file_and_accept(client, world.insured)
    await drain(worker)
    visit = await visit_id_of(settings, claim["id"])
    [(_, _, first_day, _)] = await visits_of(settings, claim["id"])
    later = (today() + timedelta(days=3)).isoformat()
    officer = await login(client, "officer")
    for day in (later, first_day):
        moved = await client.patch(f"/visits/{visit}", json={"visit_on": day}, headers=officer)
        assert moved.json()["visit_on"] == day
    await drain(worker)
    texts = [text for text, _, sent in await messages_about(settings, claim["id"]) if sent]
    assert len(texts) == 3 and all("改到" in text for text in texts[1:])
    announced = [
        (actor, after["visit_on"])
        for action, actor, _, after in await events_about(settings, visit)
        if action == "visit.announced"
    ]
    assert announced == [("system:planner", first_day), ("officer", later), ("officer", first_day)]


async def test_a_withdrawn_claims_visit_is_cancelled_and_a_day_off_leaves_it_alone(
    client: AsyncTestClient[Litestar], settings: Settings, worker: dramatiq.Worker
) -> None:
    world = await build_world(settings)
    await add_adjuster(settings, "adjuster", [world.villages[0]])
    await add_adjuster(settings, "adjuster2", [world.villages[0]])
    claim = await file_and_accept(client, world.insured)
    await drain(worker)
    visit = await visit_id_of(settings, claim["id"])
    [(_, planned_with, day, _)] = await visits_of(settings, claim["id"])
    officer = await login(client, "officer")
    withdrawn = await client.post(
        f"/claims/{claim['id']}/withdraw", json={"reason": "已自行修复"}, headers=officer
    )
    assert withdrawn.json()["status"] == "withdrawn"
    assert await visits_of(settings, claim["id"]) == [("cancelled", planned_with, day, "system:planner")]
    [cancelled] = [e for e in await events_about(settings, visit) if e[0] == "visit.cancelled"]
    assert cancelled == (
        "visit.cancelled",
        "officer",
        {"status": "announced", "visit_on": day},
        {"status": "cancelled"},
    )
    assert (await client.get("/visits", params={"on": day}, headers=officer)).json() == []
    told = len(await messages_about(settings, claim["id"]))
    off = await client.post(
        f"/adjusters/{planned_with}/days-off", json={"day": day, "reason": "病假"}, headers=officer
    )
    assert (off.json()["replanned"], off.json()["unplanned"]) == (0, 0)
    await drain(worker)
    assert len(await messages_about(settings, claim["id"])) == told
    assert len(await visits_of(settings, claim["id"])) == 1


async def test_a_day_off_audits_the_at_risk_flag_it_sets_on_a_scheduled_claim(
    client: AsyncTestClient[Litestar], settings: Settings, worker: dramatiq.Worker
) -> None:
    world = await build_world(settings)
    day = today()
    only = await add_adjuster(settings, "adjuster", [world.villages[0]], weekdays=[day.isoweekday()])
    claim = await file_and_accept(client, world.insured)
    await drain(worker)
    officer = await login(client, "officer")
    await client.post(
        f"/adjusters/{only}/days-off", json={"day": day.isoformat(), "reason": "培训"}, headers=officer
    )
    flagged = [
        (b, a) for action, _, b, a in await events_about(settings, claim["id"]) if action == "claim.flagged"
    ]
    assert flagged == [
        ({"flags": ["new_voluntary_policy"]}, {"flags": ["new_voluntary_policy", "visit_at_risk"]})
    ]


async def test_a_new_visit_placed_before_booked_ones_audits_their_new_order_once_for_the_day(
    client: AsyncTestClient[Litestar], settings: Settings, worker: dramatiq.Worker
) -> None:
    world = await build_world(settings)
    adjuster = await add_adjuster(settings, "adjuster", [world.villages[0]])
    claims = [
        await file_and_accept(client, h) for h in [world.insured, *await more_households(settings, world, 2)]
    ]
    await drain(worker)
    visits = [await visit_id_of(settings, claim["id"]) for claim in claims]

    async def renumbered() -> list[tuple[object, object]]:
        events = await events_about(settings, adjuster)
        return [(before, after) for action, _, before, after in events if action == "visits.renumbered"]

    async def orders(session: AsyncSession) -> dict[str, int]:
        rows = await session.execute(
            select(SiteVisit.id, SiteVisit.route_order).where(SiteVisit.id.in_(visits))
        )
        return {str(visit_id): order for visit_id, order in rows}

    was = await run_in_db(settings, orders)
    last = max(was, key=lambda visit_id: was[visit_id])
    booked = {visit_id: order for visit_id, order in was.items() if visit_id != last}

    async def place_first(session: AsyncSession) -> None:
        new = await session.get(SiteVisit, UUID(last))
        assert new is not None
        new.route_order = 0  # as if the planner placed it before every booked visit
        await renumber(session, [new], actor="system:planner")

    earlier = await renumbered()
    await run_in_db(settings, place_first)
    day = (await visits_of(settings, claims[0]["id"]))[0][2]
    assert sorted(was.values()) == [1, 2, 3]
    assert await renumbered() == [
        *earlier,
        (
            {"visit_on": day, "route_order": booked},
            {"visit_on": day, "route_order": {visit_id: order + 1 for visit_id, order in booked.items()}},
        ),
    ]


async def test_a_day_off_plans_again_only_claims_still_waiting_for_their_visit(
    client: AsyncTestClient[Litestar], settings: Settings, worker: dramatiq.Worker
) -> None:
    world = await build_world(settings)
    adjuster = await add_adjuster(settings, "adjuster", [world.villages[0]])
    claim = await file_and_accept(client, world.insured)
    await drain(worker)
    [(_, _, day, _)] = await visits_of(settings, claim["id"])

    async def close(session: AsyncSession) -> None:
        # A claim that left the visit stages by a path that kept its visit (data from before the
        # withdraw hook, say): a day off must not bring its visit back.
        await session.execute(update(Claim).where(Claim.id == UUID(claim["id"])).values(status="closed"))

    await run_in_db(settings, close)
    told = len(await messages_about(settings, claim["id"]))
    officer = await login(client, "officer")
    off = await client.post(
        f"/adjusters/{adjuster}/days-off", json={"day": day, "reason": "病假"}, headers=officer
    )
    assert (off.json()["replanned"], off.json()["unplanned"]) == (0, 0)
    await drain(worker)
    assert [v[0] for v in await visits_of(settings, claim["id"])] == ["cancelled"]
    assert len(await messages_about(settings, claim["id"])) == told
