"""The world the assessment tests work in: a fire claim of a household under a blanket and a
voluntary policy (each with a deductible), accepted, with a planned visit of one adjuster; a second
adjuster without the visit, and the readers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from uuid import UUID, uuid4

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from claims.models import Claim
from claims.services import lifecycle
from claims.visits.models import Adjuster, SiteVisit
from core.auth import Principal, Role
from core.clock import today
from core.settings import Settings
from policies.domain import Funding, Peril
from tests import factories
from tests.conftest import login, make_user, run_in_db
from tests.integration.claims.worlds import claim_body
from users.models import User

DISTRICT = "370211"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 48
PLANNER = Principal(user_id=uuid4(), username="planner", role=Role.CLAIMS_OFFICER, regions=(DISTRICT,))

# Three lines the tests check by hand:
#   冰箱 1 × 6,000.00, 3 years old → 30 % off → 4,200.00
#   衣柜 2 × 1,500.00 at 2,500 bps → 3,000.00 × 75 % → 2,250.00
#   电视机 1 × 25,000.00, new → 25,000.00
# assessed loss 31,450.00; the larger deductible (500.00, voluntary) once → 30,950.00;
# blanket pays its fire limit 20,000.00, voluntary the rest 10,950.00; advance 5,000.00 paid
# → final payout 25,950.00.
LINES = [
    {"item": "冰箱", "quantity": 1, "unit_value_fen": 600_000, "age_years": 3},
    {"item": "衣柜", "quantity": 2, "unit_value_fen": 150_000, "depreciation_bps": 2_500},
    {"item": "电视机", "quantity": 1, "unit_value_fen": 2_500_000},
]
ADVANCE_FEN = 500_000


def assessment_body(photo_ids: list[str] | None = None, **changes: Any) -> dict[str, Any]:
    body = {
        "lines": LINES,
        "notes": "厨房及东屋烧毁，现场与报案一致",
        "photo_ids": photo_ids or [],
        "acknowledged_by": "王建国",
        "acknowledged": True,
    }
    return body | changes


@dataclass
class VisitWorld:
    claim_id: str
    visit_id: str
    village: str
    blanket_number: str
    voluntary_number: str
    insured: Any  # the household (policies.models.Household), for filing another claim


async def build_visit_world(settings: Settings, client: AsyncTestClient[Litestar]) -> VisitWorld:
    """File a fire claim as the resident, accept it as the officer, then plan its visit directly."""

    async def arrange(session: AsyncSession) -> dict[str, Any]:
        villages = await factories.region_tree(session, DISTRICT)
        blanket_program = await factories.program(
            session,
            funding=Funding.DISTRICT,
            region_code=DISTRICT,
            perils={Peril.FIRE: 2_000_000, Peril.THEFT: 500_000},
            per_claim_cap_fen=2_000_000,
            combined_cap_fen=5_000_000,
            deductible_fen=20_000,
        )
        voluntary_program = await factories.program(
            session, funding=Funding.HOUSEHOLD, region_code=DISTRICT, deductible_fen=50_000
        )
        blanket = await factories.blanket_policy(session, blanket_program)
        insured = await factories.household(session, villages[0], members=3, phone="13800001234")
        voluntary = await factories.active_policy(
            session, insured, voluntary_program, starts_on=today() - timedelta(days=90)
        )
        return {
            "villages": villages,
            "insured": insured,
            "blanket": blanket.number,
            "voluntary": voluntary.number,
        }

    facts = await run_in_db(settings, arrange)
    village = facts["villages"][0]
    await make_user(settings, "resident", Role.RESIDENT, [village], facts["insured"].id)
    await make_user(settings, "liaison", Role.LIAISON, [village])
    await make_user(settings, "officer", Role.CLAIMS_OFFICER, [DISTRICT])
    await make_user(settings, "auditor", Role.AUDITOR, [DISTRICT])
    await make_user(settings, "finance", Role.FINANCE, [DISTRICT])
    await make_user(settings, "stranger", Role.CLAIMS_OFFICER, ["370212"])
    await make_user(settings, "adjuster", Role.ADJUSTER, [DISTRICT])
    await make_user(settings, "other_adjuster", Role.ADJUSTER, [DISTRICT])
    filed = await client.post(
        "/claims", json=claim_body(facts["insured"]), headers=await login(client, "resident")
    )
    assert filed.status_code == 201, filed.text
    claim_id = filed.json()["id"]
    accepted = await client.post(f"/claims/{claim_id}/accept", headers=await login(client, "officer"))
    assert accepted.json()["status"] == "accepted", accepted.text
    visit_id = await plan_visit(settings, UUID(claim_id), village)
    return VisitWorld(
        claim_id, str(visit_id), village, facts["blanket"], facts["voluntary"], facts["insured"]
    )


async def plan_visit(settings: Settings, claim_id: UUID, village: str, *, schedule: bool = True) -> UUID:
    """Both adjusters' rows, a planned visit for `adjuster`, the claim moved to visit_scheduled and
    an advance of 5,000.00 yuan recorded as paid."""

    async def arrange(session: AsyncSession) -> UUID:
        users = {
            user.username: user
            for user in await session.scalars(select(User).where(User.role == Role.ADJUSTER.value))
        }
        adjusters = {}
        for name, user in users.items():
            adjuster = await session.scalar(select(Adjuster).where(Adjuster.user_id == user.id))
            if adjuster is None:
                adjuster = Adjuster(
                    user_id=user.id,
                    region_code=DISTRICT,
                    village_codes=[village],
                    home_village_code=village,
                    daily_capacity=12,
                    working_weekdays=[1, 2, 3, 4, 5, 6, 7],
                )
                session.add(adjuster)
                await session.flush()
            adjusters[name] = adjuster
        visit = SiteVisit(
            claim_id=claim_id,
            adjuster_id=adjusters["adjuster"].id,
            village_code=village,
            visit_on=today(),
            route_order=1,
            status="planned",
            planned_by=PLANNER.username,
        )
        session.add(visit)
        claim = await session.get_one(Claim, claim_id)
        claim.advance_paid_fen = ADVANCE_FEN
        if schedule:
            await lifecycle.move(session, PLANNER, claim, "schedule_visit")
        await session.flush()
        return visit.id

    visit_id: UUID = await run_in_db(settings, arrange)
    return visit_id
