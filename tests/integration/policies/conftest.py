"""Shared enrollment worlds: two districts with households, programs, policies and a user per role."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.audit import AuditEvent
from core.auth import Role
from core.settings import Settings
from policies.domain import Funding
from policies.models import Household, Person, Policy, PremiumPayment, Program, Region
from policies.services import policies as services
from tests import factories
from tests.conftest import make_user, run_in_db
from users.models import User

Snapshot = Callable[[], Awaitable[dict[str, Any]]]


@pytest.fixture
async def two_districts(settings: Settings) -> dict[str, str]:
    """370211 (villages v0, v1) with a blanket and a voluntary program; 370212 with its own program."""

    async def work(session: AsyncSession) -> dict[str, str]:
        villages = await factories.region_tree(session)
        far_village = (await factories.region_tree(session, district="370212", towns=1, villages_per_town=1))[
            0
        ]
        home = await factories.household(session, villages[0], members=3)
        neighbour = await factories.household(session, villages[1])
        far = await factories.household(session, far_village)
        voluntary = await factories.program(session, region_code="370211", starts_on=date(2026, 1, 1))
        blanket_program = await factories.program(
            session, funding=Funding.DISTRICT, region_code="370211", premium_fen=200_000_000, term_months=12
        )
        far_program = await factories.program(session, region_code="370212")
        home_policy = await factories.active_policy(session, home, voluntary, starts_on=date(2026, 1, 1))
        neighbour_policy = await services.issue_household_policy(
            session, actor="t", household_id=neighbour.id, program_id=voluntary.id, starts_on=date(2026, 1, 1)
        )
        far_policy = await factories.active_policy(session, far, far_program, starts_on=date(2026, 1, 1))
        blanket = await factories.blanket_policy(session, blanket_program)
        return {
            "v0": villages[0],
            "v1": villages[1],
            "far_village": far_village,
            "home": str(home.id),
            "home_child": str(home.people[2].id),
            "neighbour": str(neighbour.id),
            "far": str(far.id),
            "voluntary": str(voluntary.id),
            "blanket_program": str(blanket_program.id),
            "home_policy": str(home_policy.id),
            "neighbour_policy": str(neighbour_policy.id),
            "far_policy": str(far_policy.id),
            "blanket": str(blanket.id),
        }

    ids = await run_in_db(settings, work)
    await make_user(settings, "admin", Role.ADMIN, [])
    await make_user(settings, "resident", Role.RESIDENT, [], household_id=ids["home"])
    await make_user(settings, "liaison", Role.LIAISON, [ids["v0"]])
    for role in (Role.ADJUSTER, Role.CLAIMS_OFFICER, Role.FINANCE, Role.AUDITOR):
        await make_user(settings, role.value, role, ["370211"])
    return ids


@pytest.fixture
def snapshot(settings: Settings) -> Snapshot:
    """Every enrollment table's row count, each policy's status and payment, each household's contact."""

    async def take() -> dict[str, Any]:
        async def work(session: AsyncSession) -> dict[str, Any]:
            counted = {
                model.__tablename__: await session.scalar(select(func.count()).select_from(model)) or 0
                for model in (Household, Person, Program, Policy, PremiumPayment, Region, User, AuditEvent)
            }
            policies = await session.execute(select(Policy.id, Policy.status, Policy.premium_paid_fen))
            addresses = await session.execute(select(Household.id, Household.address, Household.phone))
            return counted | {
                "policies": sorted(map(tuple, policies)),
                "households": sorted(map(tuple, addresses)),
            }

        return await run_in_db(settings, work)

    return take
