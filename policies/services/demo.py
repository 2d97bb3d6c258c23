"""The demo data `litestar anju seed-demo` loads.

The demo is one Qingdao-style district with a blanket and a voluntary program, a few thousand
households and one user per role. It is deterministic and idempotent: a second run changes nothing.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any
from uuid import UUID, uuid4

from argon2 import PasswordHasher
from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession
from stdnum.cn import ric

from core.audit import record
from core.auth import Role
from core.clock import add_months, today, utcnow
from policies.domain import Funding, Peril, PolicyStatus, Relation
from policies.models import Household, Person, Policy, PremiumPayment, Program
from policies.schemas import RegionView
from policies.services import policies as policy_services
from policies.services import premiums, programs, regions
from users.models import User
from users.services import UserService

DEMO_PASSWORD = "anju-demo-2026"
DISTRICT = ("370211", "黄岛区", 35.960, 120.198)
TOWNS = {
    "370211001": ("辛安街道", ["前湾村", "后湾村", "辛安社区", "东于家河村", "西于家河村"]),
    "370211002": ("薛家岛街道", ["北庄村", "南庄村", "渔鸣嘴村", "后岔湾村", "薛家岛社区"]),
    "370211003": ("灵珠山街道", ["柳花泊村", "东山村", "西山村", "石门村", "灵珠山社区"]),
    "370211004": ("长江路街道", ["长江路社区", "井冈山路社区", "香江路社区", "峨眉山路社区", "黄河路社区"]),
}
HOUSEHOLDS = 3000
VOLUNTARY_SHARE = 0.4
BLANKET_CODE = "HD-BLANKET"
VOLUNTARY_CODE = "HD-VOLUNTARY"
SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎"
)
GIVEN = "建国秀英桂兰海涛丽娜志强春梅明芳伟军霞平刚玉兰凤英淑珍红梅晓东宝华金凤德胜文静子涵浩然雨轩"
STREETS = ["幸福路", "和平路", "胜利街", "滨海路", "山前路", "东街", "西街", "南巷", "北巷"]


def region_rows() -> list[RegionView]:
    code, name, lat, lon = DISTRICT
    rows = [RegionView(code, name, "district", None, lat, lon)]
    for t, (town, (town_name, villages)) in enumerate(TOWNS.items()):
        rows.append(RegionView(town, town_name, "town", code, lat - 0.03 * t, lon - 0.04 * t))
        for v, village_name in enumerate(villages, start=1):
            rows.append(
                RegionView(
                    f"{town}{v:03d}",
                    village_name,
                    "village",
                    town,
                    lat - 0.03 * t - 0.006 * v,
                    lon - 0.04 * t + 0.007 * v,
                )
            )
    return rows


def _resident_id(rng: random.Random, taken: set[str], born: date) -> str:
    while True:
        body = f"{DISTRICT[0]}{born:%Y%m%d}{rng.randrange(1000):03d}"
        number = body + ric.calc_check_digit(body + "0")
        if number not in taken:
            taken.add(number)
            return number


def _name(rng: random.Random, surname: str | None = None) -> str:
    given = "".join(rng.sample(GIVEN, rng.choice((1, 2))))
    return (surname or rng.choice(SURNAMES)) + given


def _household_rows(villages: list[str]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Deterministic households (1 to 4 people, valid IDs) spread over the villages."""
    rng = random.Random(2026)
    taken: set[str] = set()
    now = utcnow()
    households: list[dict[str, Any]] = []
    people: list[dict[str, Any]] = []
    for n in range(HOUSEHOLDS):
        village = villages[n % len(villages)]
        household_id = uuid4()
        head_born = date(1945, 1, 1) + timedelta(days=rng.randrange(365 * 55))
        surname = rng.choice(SURNAMES)
        members = [(Relation.HEAD, _name(rng, surname), head_born)]
        if rng.random() < 0.85:
            members.append(
                (Relation.SPOUSE, _name(rng), head_born + timedelta(days=rng.randrange(-1500, 1500)))
            )
        for _ in range(rng.choice((0, 0, 1, 2))):
            if len(members) < 4:
                members.append(
                    (
                        Relation.CHILD,
                        _name(rng, surname),
                        head_born + timedelta(days=rng.randrange(7300, 12000)),
                    )
                )
        phone = f"1{rng.choice('3578')}{rng.randrange(10**9):09d}"
        households.append(
            {
                "id": household_id,
                "village_code": village,
                "household_no": f"DEMO-{village}-{n // len(villages) + 1:04d}",
                "address": f"{rng.choice(STREETS)}{rng.randrange(1, 300)}号",
                "head_name": members[0][1],
                "phone": phone,
                "registered_at": now,
            }
        )
        for relation, name, born in members:
            people.append(
                {
                    "id": uuid4(),
                    "household_id": household_id,
                    "name": name,
                    "resident_id": _resident_id(rng, taken, min(born, today() - timedelta(days=1))),
                    "relation": relation.value,
                    "phone": phone if relation is Relation.HEAD else None,
                }
            )
    return households, people


async def _program(session: AsyncSession, code: str, **terms: Any) -> Program:
    existing = await programs.ProgramService(session=session).get_one_or_none(Program.code == code)
    return existing or await programs.create_program(session, actor="seed-demo", code=code, **terms)


async def _seed_programs(session: AsyncSession) -> tuple[Program, Program]:
    year_start = date(today().year, 1, 1)
    blanket = await _program(
        session,
        BLANKET_CODE,
        name="黄岛区居民家庭财产综合保险（政府统保）",
        insurer="中国人民财产保险青岛市黄岛支公司",
        funding=Funding.DISTRICT,
        region_code=DISTRICT[0],
        premium_fen=2_000_000 * 100,
        term_months=12,
        perils={p: 2_000_000 for p in (Peril.FIRE, Peril.EXPLOSION)}
        | {Peril.THEFT: 500_000, Peril.ROBBERY: 500_000, Peril.NATURAL_DISASTER: 1_000_000},
        per_claim_cap_fen=2_000_000,
        clock_target_hours=72,
        starts_on=year_start,
    )
    voluntary = await _program(
        session,
        VOLUNTARY_CODE,
        name="黄岛区居民社会治安综合保险（自愿参保）",
        insurer="中国人民财产保险青岛市黄岛支公司",
        funding=Funding.HOUSEHOLD,
        region_code=DISTRICT[0],
        premium_fen=200 * 100,
        term_months=36,
        perils={
            Peril.FIRE: 5_000_000,
            Peril.EXPLOSION: 5_000_000,
            Peril.THEFT: 1_000_000,
            Peril.ROBBERY: 1_000_000,
            Peril.NATURAL_DISASTER: 3_000_000,
            Peril.LIVESTOCK: 500_000,
            Peril.ACCIDENTAL_DEATH: 15_000_000,
            Peril.DISABILITY: 10_000_000,
        },
        per_claim_cap_fen=15_000_000,
        combined_cap_fen=15_000_000,
        clock_target_hours=48,
        rebate_bps=1000,
        starts_on=year_start - timedelta(days=365),
    )
    if not await session.scalar(select(Policy.id).where(Policy.program_id == blanket.id)):
        policy = await policy_services.issue_blanket_policy(session, actor="seed-demo", program_id=blanket.id)
        await premiums.record_payment(
            session,
            actor="seed-demo",
            policy_id=policy.id,
            payer="黄岛区财政局",
            amount_fen=blanket.premium_fen,
            channel="district_finance",
            receipt_no=f"HDCZ-{year_start.year}-0001",
        )
    return blanket, voluntary


async def _seed_households(session: AsyncSession, voluntary: Program, villages: list[str]) -> None:
    """Bulk inserts (thousands of rows in a second or two), audited as one event per step."""
    if await session.scalar(select(func.count()).where(Household.household_no.startswith("DEMO-"))):
        return
    households, people = _household_rows(villages)
    await session.execute(insert(Household), households)
    await session.execute(insert(Person), people)
    rng = random.Random(36)
    now = utcnow()
    policies: list[dict[str, Any]] = []
    payments: list[dict[str, Any]] = []
    for n, household in enumerate(households):
        if rng.random() >= VOLUNTARY_SHARE:
            continue
        starts_on = max(voluntary.starts_on, today() - timedelta(days=rng.randrange(330)))
        policy_id = uuid4()
        policies.append(
            {
                "id": policy_id,
                "number": f"{voluntary.code}-{starts_on:%Y%m%d}-D{n:05d}",
                "program_id": voluntary.id,
                "household_id": household["id"],
                "region_code": household["village_code"],
                "starts_on": starts_on,
                "ends_on": add_months(starts_on, voluntary.term_months),
                "status": PolicyStatus.ACTIVE.value,
                "premium_due_fen": voluntary.premium_fen,
                "premium_paid_fen": voluntary.premium_fen,
                "activated_at": now,
                "status_changed_at": now,
            }
        )
        payments.append(
            {
                "policy_id": policy_id,
                "region_code": household["village_code"],
                "payer": household["head_name"],
                "amount_fen": voluntary.premium_fen,
                "channel": rng.choice(("cash", "wechat", "alipay", "bank")),
                "receipt_no": f"DEMO-{n:05d}",
                "paid_at": now,
            }
        )
    await session.execute(insert(Policy), policies)
    await session.execute(insert(PremiumPayment), payments)
    await record(
        session,
        actor="seed-demo",
        action="demo.enrolled",
        subject_type="regions",
        subject_id=DISTRICT[0],
        region_code=DISTRICT[0],
        after={"households": len(households), "people": len(people), "voluntary_policies": len(policies)},
    )


async def _seed_users(
    session: AsyncSession, hasher: PasswordHasher, villages: list[str], voluntary: Program
) -> None:
    users = UserService(session, hasher=hasher)
    resident_home = await session.scalar(
        select(Policy.household_id).where(Policy.program_id == voluntary.id).order_by(Policy.number).limit(1)
    )
    scopes: dict[Role, tuple[list[str], UUID | None]] = {
        Role.ADMIN: ([], None),
        Role.RESIDENT: ([], resident_home),
        Role.LIAISON: (villages[:2], None),
        Role.ADJUSTER: ([DISTRICT[0]], None),
        Role.CLAIMS_OFFICER: ([DISTRICT[0]], None),
        Role.FINANCE: ([DISTRICT[0]], None),
        Role.AUDITOR: ([DISTRICT[0]], None),
    }
    for role, (scope, household_id) in scopes.items():
        if await session.scalar(select(User.id).where(User.username == role.value)) is None:
            await users.create_user(
                actor="seed-demo",
                username=role.value,
                password=DEMO_PASSWORD,
                role=role,
                display_name=f"演示{role.value}",
                regions=scope,
                household_id=household_id,
                # The officer approves payouts up to 20,000 yuan alone; above it a second officer must.
                approval_limit_fen=2_000_000 if role is Role.CLAIMS_OFFICER else None,
            )


async def seed(session: AsyncSession, hasher: PasswordHasher) -> dict[str, int]:
    """The demo district, its programs, households and one user per role (hashed with `hasher`)."""
    rows = region_rows()
    await regions.import_regions(session, actor="seed-demo", rows=rows)
    villages = [row.code for row in rows if row.level == "village"]
    _, voluntary = await _seed_programs(session)
    await _seed_households(session, voluntary, villages)
    await _seed_users(session, hasher, villages, voluntary)
    counted = {"households": Household, "people": Person, "policies": Policy, "payments": PremiumPayment}
    return {
        name: await session.scalar(select(func.count()).select_from(model)) or 0
        for name, model in counted.items()
    }
