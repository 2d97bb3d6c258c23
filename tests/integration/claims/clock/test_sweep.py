"""The clock sweep: through a real worker, it marks claims at risk and breached, warns the responsible
officers once (a second run sends nothing new), and the thresholds hold at exactly 75 %."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import dramatiq
from litestar import Litestar
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from claims.clock.services import sweep
from claims.clock.tasks import clock_sweep
from claims.models import Claim
from core.clock import utcnow
from core.notifications import Notification
from core.settings import Settings
from tests.conftest import drain, run_in_db
from tests.integration.claims.clock.worlds import add_claim, build_world
from users.models import User


async def notifications(settings: Settings) -> list[tuple[str, str, bool]]:
    """(claim number, recipient's username, delivered) for every message, sorted."""

    async def read(session: AsyncSession) -> list[tuple[str, str, bool]]:
        rows = await session.execute(
            select(Claim.number, User.username, Notification.sent_at)
            .join(Claim, Claim.id == Notification.subject_id)
            .join(User, User.id == Notification.recipient_id)
        )
        return sorted((number, username, sent is not None) for number, username, sent in rows)

    result: list[tuple[str, str, bool]] = await run_in_db(settings, read)
    return result


async def states(settings: Settings, ids: list[UUID]) -> list[str | None]:
    async def read(session: AsyncSession) -> list[str | None]:
        return [(await session.get_one(Claim, claim_id)).clock_state for claim_id in ids]

    result: list[str | None] = await run_in_db(settings, read)
    return result


async def test_the_sweep_warns_each_officer_once(
    app: Litestar, settings: Settings, worker: dramatiq.Worker
) -> None:
    world = await build_world(settings)
    now = utcnow()

    async def arrange(session: AsyncSession) -> list[Any]:
        def ago(hours: float) -> datetime:
            return now - timedelta(hours=hours)

        at_risk = add_claim(session, world.home, status="accepted", reported_at=ago(55), accepted_at=1)
        at_risk.accepted_by = "officer"  # so only they hear of it
        unaccepted = add_claim(session, world.home, status="reported", reported_at=ago(73))
        far_flagged = add_claim(session, world.far, status="accepted", reported_at=ago(80), accepted_at=1)
        far_flagged.clock_state = "at_risk"  # warned before; now past its target
        fresh = add_claim(session, world.home, status="reported", reported_at=ago(10))
        paid = add_claim(session, world.home, status="paid", reported_at=ago(100), paid_at=90)
        withdrawn = add_claim(session, world.home, status="withdrawn", reported_at=ago(100), withdrawn_at=1)
        claims = [at_risk, unaccepted, far_flagged, fresh, paid, withdrawn]
        await session.flush()
        return [(c.id, c.number) for c in claims]

    claims = await run_in_db(settings, arrange)
    ids, numbers = [c[0] for c in claims], [c[1] for c in claims]
    worker.broker.get_actor(clock_sweep.actor_name).send()
    await drain(worker)
    assert await states(settings, ids) == ["at_risk", "breached", "breached", None, None, None]
    expected = sorted(
        [
            (numbers[0], "officer", True),  # it accepted the claim
            (numbers[1], "officer", True),  # nobody accepted it: every officer covering the village
            (numbers[1], "town_officer", True),
            (numbers[2], "officer", True),  # the other town: not the town officer's
        ]
    )
    assert await notifications(settings) == expected

    worker.broker.get_actor(clock_sweep.actor_name).send()
    await drain(worker)
    assert await notifications(settings) == expected
    assert await states(settings, ids) == ["at_risk", "breached", "breached", None, None, None]


async def test_exactly_75_percent_is_at_risk_and_a_second_earlier_is_not(settings: Settings) -> None:
    world = await build_world(settings)
    now = datetime(2026, 11, 20, 4, 0, tzinfo=UTC)

    async def arrange(session: AsyncSession) -> list[UUID]:
        exactly = add_claim(session, world.home, status="reported", reported_at=now - timedelta(hours=54))
        almost = add_claim(
            session, world.home, status="reported", reported_at=now - timedelta(hours=54, seconds=-1)
        )
        at_target = add_claim(session, world.far, status="accepted", reported_at=now - timedelta(hours=72))
        past = add_claim(
            session, world.far, status="accepted", reported_at=now - timedelta(hours=72, seconds=1)
        )
        await session.flush()
        return [exactly.id, almost.id, at_target.id, past.id]

    ids = await run_in_db(settings, arrange)

    async def run(session: AsyncSession) -> sweep.SweepResult:
        return await sweep.sweep(session, now=now)

    first = await run_in_db(settings, run)
    assert (sorted(first.at_risk), first.breached) == (sorted([ids[0], ids[2]]), [ids[3]])
    assert await states(settings, ids) == ["at_risk", None, "at_risk", "breached"]
    again = await run_in_db(settings, run)
    assert (again.at_risk, again.breached, again.notified) == ([], [], 0)
