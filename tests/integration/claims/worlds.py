"""The worlds the claims tests file into: a district with blanket and voluntary cover and its users,
one covered household with its residents and liaisons, and the bodies the API takes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from claims.models import Claim
from core.audit import AuditEvent
from core.auth import Role
from core.clock import BUSINESS_TZ, today, utcnow
from core.settings import Settings
from policies.domain import Funding, Peril
from tests import factories
from tests.conftest import make_user, run_in_db

DISTRICT = "370211"
ACCOUNT = "6222020200112233"


@dataclass
class World:
    villages: list[str]
    insured: Any  # blanket and voluntary cover, village 1
    neighbour: Any  # blanket cover only, village 1
    far: Any  # blanket cover only, a village of the other town
    blanket_number: str
    voluntary_number: str


async def build_world(settings: Settings) -> World:
    """One district: a blanket program for everyone, a voluntary one for `insured`, and the users."""

    async def arrange(session: AsyncSession) -> World:
        villages = await factories.region_tree(session, DISTRICT)
        blanket_program = await factories.program(
            session,
            funding=Funding.DISTRICT,
            region_code=DISTRICT,
            perils={Peril.FIRE: 2_000_000, Peril.THEFT: 500_000, Peril.NATURAL_DISASTER: 1_000_000},
            per_claim_cap_fen=2_000_000,
            combined_cap_fen=5_000_000,
            clock_target_hours=72,
        )
        voluntary_program = await factories.program(
            session, funding=Funding.HOUSEHOLD, region_code=DISTRICT, clock_target_hours=48
        )
        blanket = await factories.blanket_policy(session, blanket_program)
        insured = await factories.household(session, villages[0], members=3, phone="13800001234")
        neighbour = await factories.household(session, villages[0])
        far = await factories.household(session, villages[3])
        voluntary = await factories.active_policy(
            session, insured, voluntary_program, starts_on=today() - timedelta(days=10)
        )
        return World(villages, insured, neighbour, far, blanket.number, voluntary.number)

    world = await run_in_db(settings, arrange)
    await make_user(settings, "resident", Role.RESIDENT, [world.villages[0]], world.insured.id)
    await make_user(settings, "liaison", Role.LIAISON, [world.villages[0]])
    await make_user(settings, "officer", Role.CLAIMS_OFFICER, [DISTRICT])
    await make_user(settings, "auditor", Role.AUDITOR, [DISTRICT])
    await make_user(settings, "stranger", Role.CLAIMS_OFFICER, ["370212"])
    return world


# Fixed once: a body built twice for a replay must be the same body, even across a second boundary.
LOSS_AT = (utcnow() - timedelta(days=1)).astimezone(BUSINESS_TZ).replace(tzinfo=None, second=0, microsecond=0)


def claim_body(household: Any, **changes: Any) -> dict[str, Any]:
    loss_at = LOSS_AT
    body = {
        "household_id": str(household.id),
        "claimant_resident_id": household.people[0].resident_id,
        "claimant_phone": "13800001234",
        "peril": "fire",
        "loss_at": loss_at.isoformat(timespec="seconds"),
        "loss_place": "东屋厨房",
        "description": "电线老化起火，烧毁厨房家具",
        "estimated_loss_fen": 1_200_000,
        "payee_name": household.people[0].name,
        "payee_bank_name": "农业银行",
        "payee_account": ACCOUNT,
        "fire_certificate_no": "黄消火证〔2026〕第12号",
    }
    return body | changes


async def counts(settings: Settings) -> tuple[int, int]:
    async def count(session: AsyncSession) -> tuple[int, int]:
        claims = await session.scalar(select(func.count()).select_from(Claim))
        events = await session.scalar(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.subject_type == "claim")
        )
        return int(claims or 0), int(events or 0)

    return await run_in_db(settings, count)


def event(villages: list[str], **changes: Any) -> dict[str, Any]:
    now = utcnow()
    return {
        "name": "11·20 龙卷风",
        "peril": "natural_disaster",
        "starts_at": (now - timedelta(hours=30)).isoformat(),
        "ends_at": (now - timedelta(hours=26)).isoformat(),
        "village_codes": villages,
    } | changes


async def arrange_covered_household(settings: Settings) -> dict[str, Any]:
    """A village household with an active voluntary policy, its resident user and two outsiders."""

    async def arrange(session: AsyncSession) -> dict[str, Any]:
        villages = await factories.region_tree(session)
        program = await factories.program(session, funding=Funding.HOUSEHOLD, region_code="370211")
        home = await factories.household(session, villages[0])
        await factories.active_policy(session, home, program, starts_on=utcnow().date() - timedelta(days=90))
        other = await factories.household(session, villages[0])
        head = home.people[0]
        return {
            "village": villages[0],
            "other_village": villages[-1],
            "household_id": home.id,
            "other_household_id": other.id,
            "head_name": head.name,
            "head_resident_id": head.resident_id,
            "phone": home.phone,
        }

    facts: dict[str, Any] = await run_in_db(settings, arrange)
    await make_user(settings, "resident", Role.RESIDENT, [facts["village"]], facts["household_id"])
    await make_user(settings, "neighbour", Role.RESIDENT, [facts["village"]], facts["other_household_id"])
    await make_user(settings, "liaison", Role.LIAISON, [facts["village"]])
    await make_user(settings, "far_liaison", Role.LIAISON, [facts["other_village"]])
    return facts


def theft_claim(facts: dict[str, Any], **changes: Any) -> dict[str, Any]:
    loss_at = (utcnow() - timedelta(hours=3)).astimezone(BUSINESS_TZ)
    return {
        "household_id": str(facts["household_id"]),
        "claimant_resident_id": facts["head_resident_id"],
        "claimant_phone": facts["phone"],
        "peril": "theft",
        "loss_at": loss_at.isoformat(),
        "loss_place": "前石村 12 号院内",
        "description": "夜里院门被撬，电动三轮车和两袋化肥被盗。",
        "estimated_loss_fen": 1_246_050,
        "payee_name": facts["head_name"],
        "payee_bank_name": "青岛农商银行",
        "payee_account": "6228480012345678901",
        "police_report_no": "JJ2026-0042",
        "fire_certificate_no": None,
    } | changes
