"""The world the findings, sample, trail and export tests read: a district whose January 2026 is clean.

24 households in six villages each had one fire claim reported in January 2026, visited, assessed
and paid within 40 to 63 hours (one hour apart), to an account of its own, claimed by its own head,
for a loss inside its policy's period and under its limit. One more household (`bystander`) has no
claim. Anomalies are planted on top by `add_paid_claim` and the tests' own edits.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from claims.assessments.models import Assessment
from claims.models import Claim
from claims.visits.models import Adjuster, SiteVisit
from core.auth import Role
from core.settings import Settings
from payouts.models import Payout
from policies.domain import Funding
from tests import factories
from tests.conftest import make_user, run_in_db
from users.models import User

DISTRICT = "370211"
OTHER_DISTRICT = "370212"
LIMIT_FEN = 1_000_000
PAID_FEN = 500_000
FIRST_REPORT = datetime(2026, 1, 5, 1, 0, tzinfo=UTC)  # 09:00 in Beijing
JANUARY = {"region_code": DISTRICT, "from": "2026-01-01", "to": "2026-01-31"}


@dataclass
class Home:
    household_id: UUID
    village_code: str
    head_resident_id: str
    head_name: str
    policy_id: UUID
    policy_number: str


@dataclass
class World:
    villages: list[str]
    homes: list[Home]
    bystander: Home
    adjuster_id: UUID
    claims: list[tuple[UUID, str]] = field(default_factory=list)  # (id, number) of the clean claims


def account_of(index: int) -> str:
    return f"62220202{index:08d}"


async def add_paid_claim(
    session: AsyncSession,
    world: World,
    home: Home,
    *,
    number: str,
    cycle_hours: float = 50,
    reported_at: datetime = FIRST_REPORT,
    account: str | None = None,
    claimant_resident_id: str | None = None,
    loss_on: date = date(2026, 1, 4),
    paid_fen: int = PAID_FEN,
    visited: bool = True,
    kind: str = "final",
) -> UUID:
    """A claim of `home` paid `cycle_hours` after its report, with its visit, assessment and payout."""
    paid_at = reported_at + timedelta(hours=cycle_hours)
    account = account or f"6222{uuid4().int % 10**12:012d}"
    claim = Claim(
        number=number,
        status="paid" if kind == "final" else "accepted",
        household_id=home.household_id,
        village_code=home.village_code,
        peril="fire",
        loss_at=datetime.combine(loss_on, datetime.min.time(), tzinfo=UTC),
        loss_on=loss_on,
        loss_place="家中",
        description="厨房起火",
        claimant_name=home.head_name,
        claimant_resident_id=claimant_resident_id or home.head_resident_id,
        claimant_phone="13800001234",
        payee_name=home.head_name,
        payee_account=account,
        filed_by="test",
        covers=[
            {
                "policy_id": str(home.policy_id),
                "policy_number": home.policy_number,
                "funding": "household",
                "limit_fen": LIMIT_FEN,
                "combined_cap_fen": None,
            }
        ],
        payable_cap_fen=LIMIT_FEN,
        paid_fen=paid_fen,
        clock_target_hours=72,
        reported_at=reported_at,
        expected_payment_by=reported_at + timedelta(hours=72),
        paid_at=paid_at if kind == "final" else None,
    )
    session.add(claim)
    await session.flush()
    if visited:
        visit = SiteVisit(
            claim_id=claim.id,
            adjuster_id=world.adjuster_id,
            village_code=home.village_code,
            visit_on=(reported_at + timedelta(hours=20)).date(),
            status="done",
            planned_by="test",
        )
        session.add(visit)
        await session.flush()
        session.add(
            Assessment(
                claim_id=claim.id,
                visit_id=visit.id,
                adjuster_id=world.adjuster_id,
                assessed_by="adjuster",
                lines=[],
                assessed_loss_fen=paid_fen,
                deductible_fen=0,
                payable_fen=paid_fen,
                steps=[],
                shares=[],
                acknowledged_by=home.head_name,
            )
        )
    session.add(
        Payout(
            claim_id=claim.id,
            kind=kind,
            amount_fen=paid_fen,
            region_code=home.village_code,
            payee_name=home.head_name,
            payee_account=account,
            status="paid",
            requested_by="officer",
            paid_at=paid_at,
        )
    )
    await session.flush()
    return claim.id


async def build_world(settings: Settings) -> World:
    for name, role, regions in [
        ("auditor", Role.AUDITOR, [DISTRICT]),
        ("officer", Role.CLAIMS_OFFICER, [DISTRICT]),
        ("admin", Role.ADMIN, []),
        ("liaison", Role.LIAISON, [DISTRICT + "001001"]),
        ("finance", Role.FINANCE, [DISTRICT]),
        ("adjuster", Role.ADJUSTER, [DISTRICT]),
        ("far_auditor", Role.AUDITOR, [OTHER_DISTRICT]),
    ]:
        await make_user(settings, name, role, regions)

    async def arrange(session: AsyncSession) -> World:
        villages = await factories.region_tree(session, DISTRICT)
        program = await factories.program(
            session, funding=Funding.HOUSEHOLD, region_code=DISTRICT, starts_on=date(2025, 7, 1)
        )
        homes = []
        for index in range(25):
            household = await factories.household(session, villages[index % len(villages)])
            policy = await factories.active_policy(session, household, program, starts_on=date(2025, 7, 1))
            head = next(person for person in household.people if person.relation == "head")
            homes.append(
                Home(
                    household.id,
                    household.village_code,
                    head.resident_id,
                    head.name,
                    policy.id,
                    policy.number,
                )
            )
        user_id = await session.scalar(select(User.id).where(User.username == "adjuster"))
        adjuster = Adjuster(
            user_id=user_id,
            region_code=DISTRICT,
            village_codes=villages,
            home_village_code=villages[0],
            daily_capacity=12,
            working_weekdays=[1, 2, 3, 4, 5],
        )
        session.add(adjuster)
        await session.flush()
        world = World(villages, homes[:24], homes[24], adjuster.id)
        for index, home in enumerate(world.homes):
            number = f"C2026010500{index:02d}"
            claim_id = await add_paid_claim(
                session,
                world,
                home,
                number=number,
                cycle_hours=40 + index,
                reported_at=FIRST_REPORT + timedelta(hours=index),
                account=account_of(index),
            )
            world.claims.append((claim_id, number))
        return world

    world: World = await run_in_db(settings, arrange)
    return world


async def plant(settings: Settings, work: Any) -> Any:
    return await run_in_db(settings, work)
