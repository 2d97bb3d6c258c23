"""Realistic enrollment data for tests: regions, households with valid resident IDs, programs, policies.

Every helper takes an AsyncSession, so it works inside `run_in_db(settings, fn)` or the `session`
fixture, and flushes so the rows it returns have their ids.
"""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from uuid import uuid4

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from stdnum.cn import ric

from policies.domain import Funding, Peril, Relation
from policies.models import Household, Policy, Program, Region
from policies.schemas import MemberIn
from policies.services import households, premiums, programs
from policies.services import policies as services

_people = itertools.count(1)
_phones = itertools.count(1)
_households = itertools.count(1)

TOWN_NAMES = ["辛安街道", "薛家岛街道", "灵珠山街道", "长江路街道", "黄岛街道", "红石崖街道"]
VILLAGE_NAMES = ["前石", "后石", "东崖", "西崖", "南庄", "北庄", "河东", "河西", "山前", "岭后"]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = ["建国", "秀英", "桂兰", "海涛", "丽娜", "志强", "春梅", "明", "芳", "伟"]
RELATIONS = [Relation.HEAD, Relation.SPOUSE, Relation.CHILD, Relation.CHILD, Relation.PARENT, Relation.PARENT]

DEFAULT_PERILS: dict[Peril, int] = {
    Peril.FIRE: 20_000_000,
    Peril.EXPLOSION: 20_000_000,
    Peril.THEFT: 2_000_000,
    Peril.ROBBERY: 2_000_000,
    Peril.NATURAL_DISASTER: 10_000_000,
}


def resident_id(seq: int, birth: str = "19800101", area: str = "370211") -> str:
    """A valid 18-character ID; seq picks the 3-digit order code, and each 1000 move birth a day on."""
    born = date(int(birth[:4]), int(birth[4:6]), int(birth[6:])) + timedelta(days=seq // 1000)
    body = f"{area}{born:%Y%m%d}{seq % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")  # the check digit is computed over the first 17


def phone_number(seq: int | None = None) -> str:
    return f"138{(next(_phones) if seq is None else seq) % 100_000_000:08d}"


async def region_tree(
    session: AsyncSession, district: str = "370211", towns: int = 2, villages_per_town: int = 3
) -> list[str]:
    """A district, its towns and villages (with coordinates); returns the village codes."""
    wanted = [Region(code=district, name="黄岛区", level="district", latitude=35.96, longitude=120.19)]
    villages: list[str] = []
    for t in range(1, towns + 1):
        town = f"{district}{t:03d}"
        wanted.append(
            Region(
                code=town,
                name=TOWN_NAMES[(t - 1) % len(TOWN_NAMES)],
                level="town",
                parent_code=district,
                latitude=35.9 + t / 100,
                longitude=120.1 + t / 100,
            )
        )
        for v in range(1, villages_per_town + 1):
            code = f"{town}{v:03d}"
            villages.append(code)
            wanted.append(
                Region(
                    code=code,
                    name=f"{VILLAGE_NAMES[(v - 1) % len(VILLAGE_NAMES)]}{'村' if v % 2 else '社区'}",
                    level="village",
                    parent_code=town,
                    latitude=35.9 + t / 100 + v / 1000,
                    longitude=120.1 + t / 100 + v / 1000,
                )
            )
    existing = set(await session.scalars(select(Region.code).where(Region.code.startswith(district))))
    session.add_all(region for region in wanted if region.code not in existing)
    await session.flush()
    return villages


async def household(
    session: AsyncSession, village_code: str, *, members: int = 2, phone: str | None = None
) -> Household:
    """A household of `members` people (the first is the head), each with a fresh valid resident ID."""
    n = next(_households)
    people = [
        MemberIn(
            name=f"{SURNAMES[n % len(SURNAMES)]}{GIVEN[(n + i) % len(GIVEN)]}",
            resident_id=resident_id(next(_people)),
            relation=RELATIONS[min(i, len(RELATIONS) - 1)],
        )
        for i in range(members)
    ]
    return await households.register_household(
        session,
        actor="factory",
        village_code=village_code,
        address=f"{n}号",
        phone=phone or phone_number(),
        members=people,
    )


async def program(
    session: AsyncSession,
    *,
    funding: Funding | str = Funding.HOUSEHOLD,
    region_code: str,
    perils: dict[Peril, int] | None = None,
    premium_fen: int = 20_000,
    term_months: int = 36,
    per_claim_cap_fen: int = 15_000_000,
    combined_cap_fen: int | None = None,
    clock_target_hours: int = 72,
    reporting_window_days: int = 30,
    rebate_bps: int | None = None,
    starts_on: date = date(2026, 1, 1),
    code: str | None = None,
    deductible_fen: int = 0,
    advance_max_bps: int = 0,
) -> Program:
    return await programs.create_program(
        session,
        actor="factory",
        code=code or f"P-{uuid4().hex[:8]}",
        name="安居保险方案",
        insurer="人保财险",
        funding=Funding(funding),
        region_code=region_code,
        perils=dict(perils or DEFAULT_PERILS),
        premium_fen=premium_fen,
        term_months=term_months,
        per_claim_cap_fen=per_claim_cap_fen,
        combined_cap_fen=combined_cap_fen,
        clock_target_hours=clock_target_hours,
        reporting_window_days=reporting_window_days,
        rebate_bps=rebate_bps,
        starts_on=starts_on,
        deductible_fen=deductible_fen,
        advance_max_bps=advance_max_bps,
    )


async def active_policy(
    session: AsyncSession, household: Household, program: Program, starts_on: date | None = None
) -> Policy:
    """A voluntary policy, issued and paid in full, hence active."""
    policy = await services.issue_household_policy(
        session, actor="factory", household_id=household.id, program_id=program.id, starts_on=starts_on
    )
    if policy.premium_due_fen > policy.premium_paid_fen:
        await premiums.record_payment(
            session,
            actor="factory",
            policy_id=policy.id,
            payer=household.head_name,
            amount_fen=policy.premium_due_fen - policy.premium_paid_fen,
            channel="cash",
            receipt_no=f"R-{uuid4().hex[:12]}",
        )
    return policy


async def blanket_policy(session: AsyncSession, program: Program, starts_on: date | None = None) -> Policy:
    """The district's blanket policy for one term: no household, active on issue."""
    return await services.issue_blanket_policy(
        session, actor="factory", program_id=program.id, starts_on=starts_on
    )
