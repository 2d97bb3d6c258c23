"""Accepting a claim plans its visit after commit (a real worker runs `claims.plan_visit`): the claim
moves to visit_scheduled, the resident is told, the adjuster sees that claim and no other."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import dramatiq
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from claims.models import Claim
from claims.visits.tasks import plan_visit
from core.audit import AuditEvent
from core.auth import Role
from core.clock import today, utcnow
from core.outbox import enqueue
from core.settings import Settings
from tests.conftest import drain, login, make_user, run_in_db
from tests.integration.claims.visits.worlds import (
    add_adjuster,
    file_and_accept,
    messages_about,
    user_id,
    visits_of,
)
from tests.integration.claims.worlds import build_world


async def audit_trail(settings: Settings, subject_ids: list[str]) -> list[tuple[str, str]]:
    async def read(session: AsyncSession) -> list[tuple[str, str]]:
        rows = await session.execute(
            select(AuditEvent.actor, AuditEvent.action)
            .where(AuditEvent.subject_id.in_(subject_ids))
            .order_by(AuditEvent.id)
        )
        return [(actor, action) for actor, action in rows]

    result: list[tuple[str, str]] = await run_in_db(settings, read)
    return result


async def test_accepting_plans_a_visit_after_commit_and_the_adjuster_sees_only_that_claim(
    client: AsyncTestClient[Litestar], settings: Settings, worker: dramatiq.Worker, app: Litestar
) -> None:
    world = await build_world(settings)
    adjuster_id = await add_adjuster(settings, "adjuster", [world.villages[0], world.villages[1]])
    claim = await file_and_accept(client, world.insured)
    far = await file_and_accept(client, world.far, payee_account="6222020200119876")  # nobody covers it
    assert claim["status"] == "accepted"  # the accept answers before any visit exists
    await drain(worker)

    day = today()
    assert await visits_of(settings, claim["id"]) == [
        ("announced", adjuster_id, day.isoformat(), "system:planner")
    ]
    assert await visits_of(settings, far["id"]) == []
    officer = await login(client, "officer")
    planned = (await client.get(f"/claims/{claim['id']}", headers=officer)).json()
    assert planned["status"] == "visit_scheduled"
    assert planned["visit_scheduled_at"] is not None
    stranded = (await client.get(f"/claims/{far['id']}", headers=officer)).json()
    assert (stranded["status"], stranded["flags"]) == ("accepted", ["no_adjuster"])

    # Once someone covers the far village, its waiting claim is planned (after the registration commits).
    await make_user(settings, "far_adjuster", Role.ADJUSTER, ["370211"])
    registered = await client.post(
        "/adjusters",
        json={
            "user_id": str(await user_id(settings, "far_adjuster")),
            "village_codes": [world.villages[3]],
            "home_village_code": world.villages[3],
        },
        headers=officer,
    )
    assert registered.status_code == 201, registered.text
    await drain(worker)
    far_adjuster = UUID(registered.json()["id"])
    assert await visits_of(settings, far["id"]) == [
        ("announced", far_adjuster, day.isoformat(), "system:planner")
    ]
    assert (await client.get(f"/claims/{far['id']}", headers=officer)).json()["flags"] == []

    [(text, phone, sent)] = await messages_about(settings, claim["id"])
    assert f"{day.month}月{day.day}日" in text and claim["number"] in text and "查勘员adjuster" in text
    assert (phone, sent) == ("13800001234", True)
    assert await audit_trail(settings, [claim["id"]]) == [
        ("officer", "claim.reported"),
        ("officer", "claim.accepted"),
        ("system:planner", "claim.visit_scheduled"),
    ]

    adjuster = await login(client, "adjuster")
    assert (await client.get(f"/claims/{claim['id']}", headers=adjuster)).status_code == 200
    assert (await client.get(f"/claims/{far['id']}", headers=adjuster)).status_code == 404
    listed = (await client.get("/claims", headers=adjuster)).json()
    assert [c["id"] for c in listed["items"]] == [claim["id"]]

    status = await client.get(
        "/public/claims/status", params={"number": claim["number"], "phone_last4": "1234"}
    )
    assert status.json()["visit_on"] == day.isoformat()
    assert "paid_fen" not in status.json()  # nothing paid yet: the key is left out

    async def paid(session: AsyncSession) -> None:
        row = await session.get(Claim, UUID(claim["id"]))
        assert row is not None
        row.paid_fen, row.paid_at = 1_150_000, utcnow()

    await run_in_db(settings, paid)
    status = await client.get(
        "/public/claims/status", params={"number": claim["number"], "phone_last4": "1234"}
    )
    assert status.json()["paid_fen"] == 1_150_000

    async def again(session: AsyncSession) -> None:
        enqueue(session, plan_visit, claim["id"])

    await run_in_db(settings, again, app=app)
    await drain(worker)
    assert len(await visits_of(settings, claim["id"])) == 1
    assert len(await messages_about(settings, claim["id"])) == 1


async def test_a_full_day_pushes_the_next_claim_to_the_next_day_and_flags_it_when_late(
    client: AsyncTestClient[Litestar], settings: Settings, worker: dramatiq.Worker
) -> None:
    world = await build_world(settings)
    adjuster_id = await add_adjuster(settings, "adjuster", [world.villages[0]], capacity=1)
    first = await file_and_accept(client, world.insured)
    await drain(worker)
    second = await file_and_accept(client, world.neighbour, payee_account="6222020200117777")
    await drain(worker)
    day = today()
    assert [v[:3] for v in await visits_of(settings, first["id"])] == [
        ("announced", adjuster_id, day.isoformat())
    ]
    [(_, _, second_day, _)] = await visits_of(settings, second["id"])
    assert second_day == (day.fromordinal(day.toordinal() + 1)).isoformat()
    officer = await login(client, "officer")
    assert (await client.get(f"/claims/{second['id']}", headers=officer)).json()[
        "status"
    ] == "visit_scheduled"


async def test_a_catastrophe_claim_is_not_planned_on_its_own(
    client: AsyncTestClient[Litestar], settings: Settings, worker: dramatiq.Worker
) -> None:
    world = await build_world(settings)
    await add_adjuster(settings, "adjuster", [world.villages[0]])
    officer = await login(client, "officer")
    from tests.integration.claims.worlds import event

    declared = await client.post("/catastrophes", json=event([world.villages[0]]), headers=officer)
    cat: dict[str, Any] = declared.json()
    claims = (await client.get("/claims", params={"catastrophe_id": cat["id"]}, headers=officer)).json()[
        "items"
    ]
    one = claims[0]["id"]
    base = f"/catastrophes/{cat['id']}/claims/{one}"
    assert (
        await client.post(f"{base}/confirm", json={"estimated_loss_fen": 300_000}, headers=officer)
    ).status_code == 200
    assert (await client.post(f"/claims/{one}/accept", headers=officer)).status_code == 200
    await drain(worker)
    assert await visits_of(settings, one) == []
    assert (await client.get(f"/claims/{one}", headers=officer)).json()["status"] == "accepted"
