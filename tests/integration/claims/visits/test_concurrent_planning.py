"""Planning runs in several workers at once: two claims planned at the same moment for the one free
place in an adjuster's day get it once between them (planning is serialised per district)."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import timedelta
from typing import Any
from uuid import UUID

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from claims.visits.services.planning import plan_claim
from core.clock import today
from core.settings import Settings
from tests.conftest import run_in_db
from tests.integration.claims.visits.worlds import add_adjuster, file_and_accept, more_households, visits_of
from tests.integration.claims.worlds import build_world


async def plan(settings: Settings, claim: dict[str, Any]) -> None:
    async def work(session: AsyncSession) -> None:
        await plan_claim(session, UUID(claim["id"]))

    await run_in_db(settings, work)


async def test_two_plans_at_once_share_the_last_free_place_of_a_day(
    client: AsyncTestClient[Litestar], settings: Settings
) -> None:
    world = await build_world(settings)
    adjuster = await add_adjuster(settings, "adjuster", [world.villages[0]], capacity=2)
    # No worker runs here: each claim is planned by the test itself, as the plan_visit actor would.
    first = await file_and_accept(client, world.insured)
    await plan(settings, first)
    others = [await file_and_accept(client, h) for h in await more_households(settings, world, 2)]
    await asyncio.gather(*(plan(settings, claim) for claim in others))
    days = [await visits_of(settings, claim["id"]) for claim in [first, *others]]
    assert all(len(visits) == 1 and visits[0][1] == adjuster for visits in days)
    per_day = Counter(visits[0][2] for visits in days)
    assert per_day == {today().isoformat(): 2, (today() + timedelta(days=1)).isoformat(): 1}
