"""Clock reports over HTTP on a hand-built March: the figures by region, peril, adjuster and month,
the breached claims with where their time went, and who may ask for which region."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from claims.clock import domain
from claims.clock.models import clock_rollup
from claims.clock.services import rollups
from claims.models import Claim
from claims.services import lifecycle
from core.clock import utcnow
from core.settings import Settings
from tests.conftest import login, run_in_db
from tests.integration.claims.clock.worlds import add_claim, add_visit, build_world, march
from users.models import User

MARCH = {"from": "2026-03-01", "to": "2026-03-31"}


def stages(figures: dict[str, Any]) -> dict[str, float | None]:
    return {s["stage"]: s["average_hours"] for s in figures["stages"]}


async def test_march_by_town(client: AsyncTestClient[Litestar], settings: Settings) -> None:
    world = await march(settings)
    response = await client.get(
        "/clock/report", params={**MARCH, "region": "370211"}, headers=await login(client, "officer")
    )
    assert response.status_code == 200, response.text
    report = response.json()
    assert (report["period_from"], report["period_to"]) == ("2026-03-01", "2026-03-31")
    total = report["total"]
    assert (total["reported"], total["accepted"], total["paid"]) == (6, 5, 3)
    assert total["average_cycle_hours"] == 43.33  # (36 + 80 + 14) / 3
    assert total["median_cycle_hours"] == 37.0  # rank 1.5: half-way into the [36, 38) bucket
    assert total["p90_cycle_hours"] == 81.4  # rank 2.7: 0.7 into [80, 82)
    assert total["share_paid_within_target"] == 0.6667
    assert stages(total) == {
        "acceptance": 1.33,  # (1 + 2 + 1) / 3
        "visit_planning": 1.33,  # (2 + 2 + 0) / 3
        "visit": 14.33,  # (17 + 26 + 0) / 3
        "assessment": 7.33,  # (2 + 10 + 10) / 3
        "approval": 4.33,  # (2 + 10 + 1) / 3
        "payment_batch": 9.0,  # (6 + 20 + 1) / 3
        "bank": 5.67,  # (6 + 10 + 1) / 3
    }
    towns = {g["key"]: g for g in report["groups"]}
    assert set(towns) == {world.villages[0][:9], world.villages[3][:9]}
    first, second = towns[world.villages[0][:9]], towns[world.villages[3][:9]]
    assert (first["label"], second["label"]) == ("辛安街道", "薛家岛街道")
    assert (first["reported"], first["accepted"], first["paid"]) == (4, 4, 2)
    assert (first["average_cycle_hours"], first["median_cycle_hours"], first["p90_cycle_hours"]) == (
        58.0,
        38.0,
        81.6,
    )
    assert first["share_paid_within_target"] == 0.5
    assert (second["reported"], second["accepted"], second["paid"]) == (2, 1, 1)
    assert (second["average_cycle_hours"], second["share_paid_within_target"]) == (14.0, 1.0)
    breached = [(c["peril"], c["status"], c["stage"]) for c in report["breached"]]
    assert breached == [
        ("theft", "reported", "acceptance"),  # 25 March, never accepted
        ("fire", "accepted", "visit_planning"),  # 20 March, accepted, no visit planned since
        ("theft", "paid", "visit"),  # 5 March, paid at 80 h; 26 h went on the visit
        ("fire", "accepted", "visit_planning"),  # 1 March in Shanghai
    ]


async def test_march_by_peril_adjuster_and_month(
    client: AsyncTestClient[Litestar], settings: Settings
) -> None:
    await march(settings)
    auditor = await login(client, "auditor")
    by_peril = (await client.get("/clock/report", params={**MARCH, "by": "peril"}, headers=auditor)).json()
    perils = {g["key"]: (g["label"], g["reported"], g["paid"]) for g in by_peril["groups"]}
    assert perils == {"fire": ("火灾", 4, 2), "theft": ("盗窃", 2, 1)}
    by_adjuster = (
        await client.get("/clock/report", params={**MARCH, "by": "adjuster"}, headers=auditor)
    ).json()
    adjusters = {
        g["label"]: (g["reported"], g["accepted"], g["paid"], g["average_cycle_hours"])
        for g in by_adjuster["groups"]
    }
    assert adjusters == {"未经查勘": (6, 5, 1, 14.0), "adjuster": (0, 0, 2, 58.0)}
    spring = {"from": "2026-02-01", "to": "2026-04-30", "by": "month", "region": "370211001"}
    by_month = (await client.get("/clock/report", params=spring, headers=auditor)).json()
    months = {g["label"]: (g["reported"], g["accepted"], g["paid"]) for g in by_month["groups"]}
    assert months == {"2026-03": (4, 4, 2), "2026-04": (1, 1, 1)}
    assert by_month["total"]["paid"] == 3


async def test_who_may_ask_for_which_region(client: AsyncTestClient[Litestar], settings: Settings) -> None:
    await march(settings)
    stranger = await login(client, "stranger")
    outside = await client.get("/clock/report", params={**MARCH, "region": "370211"}, headers=stranger)
    assert (outside.status_code, outside.json()["code"]) == (403, "outside_your_region")
    mine = (await client.get("/clock/report", params=MARCH, headers=stranger)).json()
    assert (mine["total"]["reported"], mine["groups"], mine["breached"]) == (0, [], [])
    town = await login(client, "town_officer")
    own_town = (await client.get("/clock/report", params=MARCH, headers=town)).json()
    assert (own_town["total"]["reported"], own_town["total"]["paid"], len(own_town["breached"])) == (4, 2, 3)
    for role in ("liaison", "finance", "adjuster"):
        denied = await client.get("/clock/report", params=MARCH, headers=await login(client, role))
        assert (denied.status_code, denied.json()["code"]) == (403, "forbidden")
    backwards = await client.get(
        "/clock/report", params={"from": "2026-04-01", "to": "2026-03-01"}, headers=stranger
    )
    assert (backwards.status_code, backwards.json()["code"]) == (422, "clock_period_invalid")


async def test_the_steps_keep_what_a_rebuild_computes(
    client: AsyncTestClient[Litestar], settings: Settings
) -> None:
    """Two claims taken from reported to paid through lifecycle.move (the acceptance over HTTP): the
    rollup the hook kept is the one a rebuild computes, and the one paid at 100 h is breached."""
    world = await build_world(settings)
    now = utcnow()

    async def arrange(session: AsyncSession) -> list[UUID]:
        on_time = add_claim(session, world.home, status="reported", reported_at=now - timedelta(hours=1))
        late = add_claim(
            session, world.far, status="reported", peril="theft", reported_at=now - timedelta(hours=100)
        )
        await session.flush()
        add_visit(session, on_time, world.adjuster_id)
        return [on_time.id, late.id]

    ids = await run_in_db(settings, arrange)
    officer = await login(client, "officer")
    for claim_id in ids:
        assert (await client.post(f"/claims/{claim_id}/accept", headers=officer)).status_code == 200

    async def pay(session: AsyncSession) -> None:
        user = await session.scalar(select(User).where(User.username == "officer"))
        assert user is not None
        for claim_id in ids:
            claim = await session.get_one(Claim, claim_id)
            for action in ("schedule_visit", "assess", "approve", "pay"):
                await lifecycle.move(session, user.principal(), claim, action)
        await rollups.recount_reported(
            session, [domain.month_of(now - timedelta(hours=100)), domain.month_of(now)]
        )

    await run_in_db(settings, pay)

    async def rows(session: AsyncSession) -> list[Any]:
        return sorted(tuple(r) for r in (await session.execute(clock_rollup.select())).all())

    async def states(session: AsyncSession) -> list[tuple[str | None, str | None]]:
        claims = [await session.get_one(Claim, claim_id) for claim_id in ids]
        return [(claim.clock_state, claim.accepted_by) for claim in claims]

    kept = await run_in_db(settings, rows)
    assert await run_in_db(settings, states) == [(None, "officer"), ("breached", "officer")]
    # kind, month, village, value, reported, accepted, paid, paid_within_target, …
    paid = {row[3] or "none": row for row in kept if row[0] == "adjuster" and row[6]}
    assert set(paid) == {str(world.adjuster_id), "none"}
    assert paid["none"][7] == 0  # the late one: not within target

    async def rebuild(session: AsyncSession) -> None:
        await rollups.rebuild(session)

    await run_in_db(settings, rebuild)
    assert await run_in_db(settings, rows) == kept


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_the_rebuild_command_restores_the_rollup(settings: Settings) -> None:
    await march(settings)

    async def rows(session: AsyncSession) -> list[Any]:
        return sorted(tuple(r) for r in (await session.execute(clock_rollup.select())).all())

    async def wipe(session: AsyncSession) -> None:
        await session.execute(clock_rollup.delete())

    built = await run_in_db(settings, rows)
    await run_in_db(settings, wipe)
    done = subprocess.run(
        [sys.executable, "-m", "litestar", "--app", "app:create_app", "anju", "rebuild-clock"],
        env=os.environ | {"ANJU_DATABASE_URL": settings.database_url, "ANJU_BROKER_URL": "stub"},
        cwd=Path(__file__).resolve().parents[4],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert await run_in_db(settings, rows) == built


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize(
    "period",
    [
        {"from": "2026-04-01", "to": "2026-03-01"},  # ends before it starts
        {"from": "1999-12-31", "to": "2000-01-31"},  # before 2000
        {"from": "2016-01-01", "to": "2026-01-01"},  # 121 months
        {"from": "9999-12-01", "to": "9999-12-31"},  # far beyond next year
    ],
)
async def test_periods_out_of_bounds_are_refused(
    client: AsyncTestClient[Litestar], settings: Settings, period: dict[str, str]
) -> None:
    await build_world(settings)
    refused = await client.get("/clock/report", params=period, headers=await login(client, "officer"))
    assert (refused.status_code, refused.json()["code"]) == (422, "clock_period_invalid")
