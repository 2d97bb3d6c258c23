"""`litestar anju seed-demo-adjusters` registers the demo adjuster over the demo district, once."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from claims.visits.cli import seed_demo_adjusters
from claims.visits.models import Adjuster
from core.auth import make_hasher
from core.settings import Settings
from policies.services import demo
from tests.conftest import run_in_db
from users.models import User


async def test_the_demo_adjuster_covers_the_demo_district_and_is_registered_once(settings: Settings) -> None:
    assert await run_in_db(settings, seed_demo_adjusters) == 0  # no demo district yet: nothing to cover
    await run_in_db(settings, lambda session: demo.seed(session, make_hasher(settings)))

    assert await run_in_db(settings, seed_demo_adjusters) == 1
    assert await run_in_db(settings, seed_demo_adjusters) == 0

    async def registered(session: AsyncSession) -> list[tuple[str, int, int, list[int]]]:
        query = select(User.username, Adjuster).join(Adjuster, Adjuster.user_id == User.id)
        rows = await session.execute(query)
        return [(name, len(a.village_codes), a.daily_capacity, a.working_weekdays) for name, a in rows]

    assert await run_in_db(settings, registered) == [("adjuster", 20, 12, [1, 2, 3, 4, 5, 6])]
