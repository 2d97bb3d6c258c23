"""A co-funded world: 370211 with two programs sharing each household's premium with the government.

HALF: 50 yuan a household, half the household's, half the district's.
PER_RESIDENT: 1 yuan a resident, half the district's and half the township's.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from core.auth import Role
from core.settings import Settings
from policies.domain import Funding
from policies.models import Program
from policies.premium_shares import PremiumBasis, Share
from policies.services import policies, programs
from tests import factories
from tests.conftest import make_user, run_in_db

STARTS = date(2026, 6, 1)
PAID_ON = date(2026, 11, 2)


async def cofunded_world(settings: Settings) -> dict[str, str]:
    async def work(session: AsyncSession) -> dict[str, str]:
        villages = await factories.region_tree(session)
        far_village = (await factories.region_tree(session, district="370212", towns=1, villages_per_town=1))[
            0
        ]
        ids: dict[str, str] = {"v0": villages[0], "v1": villages[1], "far_village": far_village}
        made = {
            "half": await _program(
                session,
                "HALF",
                5_000,
                PremiumBasis.HOUSEHOLD,
                {Share.HOUSEHOLD: 5_000, Share.DISTRICT: 5_000},
            ),
            "per_resident": await _program(
                session, "RES", 100, PremiumBasis.RESIDENT, {Share.DISTRICT: 5_000, Share.TOWNSHIP: 5_000}
            ),
        }
        for key, program in made.items():
            ids[key] = str(program.id)
        # home (v0, 3 people) and neighbour (v1, 2 people) hold both programs; bare (v0) holds none.
        for name, village, members in (("home", villages[0], 3), ("neighbour", villages[1], 2)):
            household = await factories.household(session, village, members=members)
            ids[name] = str(household.id)
            ids[f"{name}_head"] = next(p.resident_id for p in household.people if p.relation == "head")
            for key, program in made.items():
                policy = await policies.issue_household_policy(
                    session, actor="t", household_id=household.id, program_id=program.id, starts_on=STARTS
                )
                ids[f"{name}_{key}"] = str(policy.id)
        ids["bare"] = str((await factories.household(session, villages[0])).id)
        return ids

    ids = await run_in_db(settings, work)
    await make_user(settings, "admin", Role.ADMIN, [])
    await make_user(settings, "resident", Role.RESIDENT, [], household_id=ids["home"])
    await make_user(settings, "finance", Role.FINANCE, ["370211"])
    await make_user(settings, "far_finance", Role.FINANCE, ["370212"])
    await make_user(settings, "auditor", Role.AUDITOR, ["370211"])
    return ids


async def _program(
    session: AsyncSession, code: str, premium_fen: int, basis: PremiumBasis, shares: dict[Share, int]
) -> Program:
    return await programs.create_program(
        session,
        actor="t",
        code=code,
        name="共担保费方案",
        insurer="人保财险",
        funding=Funding.HOUSEHOLD,
        region_code="370211",
        perils=dict(factories.DEFAULT_PERILS),
        premium_fen=premium_fen,
        term_months=12,
        per_claim_cap_fen=15_000_000,
        starts_on=date(2026, 1, 1),
        premium_basis=basis,
        shares=shares,
    )
