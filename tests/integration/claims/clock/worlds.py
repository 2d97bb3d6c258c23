"""The clock tests' world: one district of two towns, a household in a village of each, the users
(officers inside and outside it, an auditor, a liaison, finance, an adjuster with a profile), claims
written with hand-picked stage times, and `march`, the hand-built month the report tests read."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from claims.clock.services import rollups, sweep
from claims.domain import claim_number, expected_payment_by
from claims.models import Claim
from claims.visits.models import Adjuster, SiteVisit
from core.auth import Role
from core.clock import business_date
from core.settings import Settings
from tests import factories
from tests.conftest import make_user, run_in_db
from users.models import User

DISTRICT = "370211"
_sequence = itertools.count(1)


@dataclass
class World:
    villages: list[str]
    home: Any  # a household of the first town's first village
    far: Any  # a household of the second town's first village
    adjuster_id: UUID


async def build_world(settings: Settings) -> World:
    async def arrange(session: AsyncSession) -> tuple[list[str], Any, Any]:
        villages = await factories.region_tree(session, DISTRICT)
        home = await factories.household(session, villages[0])
        far = await factories.household(session, villages[3])
        return villages, home, far

    villages, home, far = await run_in_db(settings, arrange)
    await make_user(settings, "officer", Role.CLAIMS_OFFICER, [DISTRICT])
    await make_user(settings, "town_officer", Role.CLAIMS_OFFICER, [villages[0][:9]])
    await make_user(settings, "stranger", Role.CLAIMS_OFFICER, ["370212"])
    await make_user(settings, "auditor", Role.AUDITOR, [DISTRICT])
    await make_user(settings, "liaison", Role.LIAISON, [villages[0]])
    await make_user(settings, "finance", Role.FINANCE, [DISTRICT])
    await make_user(settings, "adjuster", Role.ADJUSTER, [DISTRICT])

    async def profile(session: AsyncSession) -> UUID:
        user = await session.scalar(select(User).where(User.username == "adjuster"))
        assert user is not None
        adjuster = Adjuster(
            user_id=user.id,
            region_code=DISTRICT,
            village_codes=villages,
            home_village_code=villages[0],
            daily_capacity=12,
            working_weekdays=[1, 2, 3, 4, 5],
        )
        session.add(adjuster)
        await session.flush()
        return adjuster.id

    return World(villages, home, far, await run_in_db(settings, profile))


def add_claim(
    session: AsyncSession,
    household: Any,
    *,
    status: str,
    reported_at: datetime,
    peril: str = "fire",
    target_hours: int = 72,
    **stage_hours: float,
) -> Claim:
    """A claim reported at `reported_at` with each stage time given as hours after it
    (accepted_at=1 is an hour later); its number's day is its business day, as filing makes it."""
    claim = Claim(
        id=uuid4(),
        number=claim_number(business_date(reported_at), next(_sequence)),
        status=status,
        household_id=household.id,
        village_code=household.village_code,
        peril=peril,
        loss_at=reported_at - timedelta(hours=2),
        loss_on=business_date(reported_at),
        loss_place="家中",
        description="失火",
        estimated_loss_fen=100_000,
        claimant_name="王建国",
        claimant_resident_id=factories.resident_id(next(_sequence)),
        claimant_phone="13800001234",
        filed_by="liaison",
        covers=[],
        payable_cap_fen=1_000_000,
        flags=[],
        clock_target_hours=target_hours,
        reported_at=reported_at,
        expected_payment_by=expected_payment_by(reported_at, target_hours),
        **{column: reported_at + timedelta(hours=hours) for column, hours in stage_hours.items()},
    )
    session.add(claim)
    return claim


def add_visit(session: AsyncSession, claim: Claim, adjuster_id: UUID) -> None:
    session.add(
        SiteVisit(
            claim_id=claim.id,
            adjuster_id=adjuster_id,
            village_code=claim.village_code,
            visit_on=business_date(claim.reported_at),
            planned_by="officer",
            status="done",
        )
    )


def at(day: int, hour: int = 0, month: int = 3) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=UTC)


async def march(settings: Settings) -> World:
    """Three claims paid in March (36 h, 80 h, 14 h), three still open, one of April, one reported on
    28 February at 17:00 UTC, which is 1 March in Shanghai; the rollup rebuilt, the sweep run."""
    world = await build_world(settings)
    paid = {"status": "paid"}

    async def arrange(session: AsyncSession) -> None:
        a = add_claim(
            session,
            world.home,
            **paid,
            reported_at=at(2),
            accepted_at=1,
            visit_scheduled_at=3,
            visited_at=20,
            assessed_at=22,
            approved_at=24,
            sent_at=30,
            paid_at=36,
        )
        b = add_claim(
            session,
            world.home,
            **paid,
            peril="theft",
            reported_at=at(5),
            accepted_at=2,
            visit_scheduled_at=4,
            visited_at=30,
            assessed_at=40,
            approved_at=50,
            sent_at=70,
            paid_at=80,
        )
        add_claim(
            session,
            world.far,
            **paid,
            reported_at=at(10),
            accepted_at=1,
            assessed_at=11,
            approved_at=12,
            sent_at=13,
            paid_at=14,
        )
        add_claim(session, world.home, status="accepted", reported_at=at(20), accepted_at=5)
        add_claim(session, world.far, status="reported", peril="theft", reported_at=at(25))
        add_claim(
            session,
            world.home,
            status="accepted",
            reported_at=datetime(2026, 2, 28, 17, tzinfo=UTC),
            accepted_at=1,
        )
        add_claim(session, world.home, **paid, reported_at=at(1, 2, month=4), accepted_at=1, paid_at=24)
        await session.flush()
        add_visit(session, a, world.adjuster_id)
        add_visit(session, b, world.adjuster_id)
        await session.flush()
        await rollups.rebuild(session)
        await session.flush()
        b.clock_state = "breached"  # as the payment's hook marks a claim paid late
        await sweep.sweep(session, now=at(1, month=12))

    await run_in_db(settings, arrange)
    return world
