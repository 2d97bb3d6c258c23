"""Declare a catastrophe over villages holding 4,000 covered households; time the declaration.

A fresh SQLite database is migrated with Alembic and filled in bulk (regions, households, people,
a blanket program for the district and voluntary policies for a third of the households). The
timed part is the service call plus its commit: 4,000 claims, numbers and audit events.

    python bench/catastrophe.py [--households 4000] [--cprofile]
Ends with `RESULT claims=… seconds=…` (target: ≤ 3 s).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import os
import pstats
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from uuid import uuid4

os.environ.setdefault("ANJU_BROKER_URL", "stub")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import msgspec
from advanced_alchemy.alembic.commands import AlembicCommands
from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession
from stdnum.cn import ric

import app  # noqa: F401  (imports every model)
from claims import schemas
from claims.models import Claim
from claims.services import catastrophes
from core.auth import Principal, Role
from core.clock import utcnow
from core.database import alchemy_config, make_engine, make_sessionmaker, session_scope
from core.settings import get_settings
from policies.domain import Peril
from policies.models import Household, Person, Policy, Program, ProgramPeril, Region

DISTRICT = "370211"
VILLAGES = 20


def resident_id(seq: int) -> str:
    born = date(1960, 1, 1) + timedelta(days=seq // 1000)
    body = f"{DISTRICT}{born:%Y%m%d}{seq % 1000:03d}"
    return body + ric.calc_check_digit(body)


def rows_for(households: int) -> dict[Any, list[dict[str, Any]]]:
    now = utcnow()
    stamp = {"created_at": now, "updated_at": now}
    regions = [{"code": DISTRICT, "name": "黄岛区", "level": "district", "parent_code": None, **stamp}]
    regions.append(
        {"code": f"{DISTRICT}001", "name": "辛安街道", "level": "town", "parent_code": DISTRICT, **stamp}
    )
    villages = [f"{DISTRICT}001{v:03d}" for v in range(1, VILLAGES + 1)]
    regions += [
        {"code": code, "name": f"村{code[-3:]}", "level": "village", "parent_code": code[:9], **stamp}
        for code in villages
    ]
    blanket_program, voluntary_program = uuid4(), uuid4()
    program = {
        "premium_fen": 20_000,
        "term_months": 36,
        "per_claim_cap_fen": 15_000_000,
        "combined_cap_fen": 20_000_000,
        "reporting_window_days": 30,
        "rebate_bps": None,
        "starts_on": date(2026, 1, 1),
        "description": None,
        "insurer": "人保财险",
        **stamp,
    }
    programs = [
        program
        | {"id": blanket_program, "code": "BLANKET", "name": "区财政统保", "funding": "district"}
        | {"region_code": DISTRICT, "clock_target_hours": 72},
        program
        | {"id": voluntary_program, "code": "VOLUNTARY", "name": "自愿综合险", "funding": "household"}
        | {"region_code": DISTRICT, "clock_target_hours": 48},
    ]
    perils = [
        {"id": uuid4(), "program_id": p, "peril": peril, "limit_fen": 10_000_000, **stamp}
        for p in (blanket_program, voluntary_program)
        for peril in ("fire", "natural_disaster", "theft")
    ]
    policy = {"starts_on": date(2026, 1, 1), "ends_on": date(2029, 1, 1), "status": "active", **stamp}
    policies = [
        policy
        | {"id": uuid4(), "number": "B-0001", "program_id": blanket_program, "household_id": None}
        | {"region_code": DISTRICT, "premium_due_fen": 0, "premium_paid_fen": 0, "activated_at": now}
    ]
    homes, people = [], []
    for n in range(households):
        household_id, village = uuid4(), villages[n % VILLAGES]
        homes.append(
            {"id": household_id, "village_code": village, "household_no": f"H{n:06d}", "address": f"{n}号"}
            | {"head_name": f"户主{n}", "phone": f"138{n:08d}", "registered_at": now, **stamp}
        )
        for m, relation in enumerate(("head", "spouse", "child")[: 1 + n % 3]):
            people.append(
                {"id": uuid4(), "household_id": household_id, "name": f"成员{n}-{m}", "relation": relation}
                | {"resident_id": resident_id(3 * n + m), "phone": None, **stamp}
            )
        if n % 3 == 0:
            policies.append(
                policy
                | {"id": uuid4(), "number": f"V-{n:06d}", "program_id": voluntary_program}
                | {"household_id": household_id, "region_code": village, "premium_due_fen": 20_000}
                | {"premium_paid_fen": 20_000, "activated_at": now}
            )
    return {
        Region: regions,
        Program: programs,
        ProgramPeril: perils,
        Household: homes,
        Person: people,
        Policy: policies,
    }


def migrated_database(url: str | None = None) -> str:
    """Migrate `url` (by default a fresh SQLite file) to head and return it."""
    url = url or f"sqlite+aiosqlite:///{Path(tempfile.mkdtemp(prefix='anju-bench-')) / 'anju.db'}"
    settings = msgspec.structs.replace(get_settings(), database_url=url)
    AlembicCommands(sqlalchemy_config=alchemy_config(settings)).upgrade("head")
    return url


async def main(url: str, households: int, profile: bool) -> None:
    engine = make_engine(url)
    sessions = make_sessionmaker(engine)
    async with session_scope(sessions) as session:
        for model, rows in rows_for(households).items():
            await session.execute(insert(model), rows)
    officer = Principal(user_id=uuid4(), username="officer", role=Role.CLAIMS_OFFICER, regions=(DISTRICT,))
    now = utcnow()
    declaration = schemas.CatastropheCreate(
        name="龙卷风",
        peril=Peril.NATURAL_DISASTER,
        starts_at=now - timedelta(hours=6),
        ends_at=now - timedelta(hours=2),
        village_codes=[f"{DISTRICT}001{v:03d}" for v in range(1, VILLAGES + 1)],
    )

    async def declare(session: AsyncSession) -> schemas.Catastrophe:
        return await catastrophes.declare(session, officer, declaration)

    profiler = cProfile.Profile() if profile else None
    started = time.perf_counter()
    if profiler:
        profiler.enable()
    async with session_scope(sessions) as session:
        event = await declare(session)
    if profiler:
        profiler.disable()
    seconds = time.perf_counter() - started
    async with session_scope(sessions) as session:
        stored = await session.scalar(select(func.count()).select_from(Claim))
    await engine.dispose()
    if profiler:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
    assert event.claims == stored == households, (event.claims, stored)
    print(f"RESULT claims={event.claims} seconds={seconds:.2f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=4000)
    parser.add_argument("--cprofile", action="store_true")
    args = parser.parse_args()
    asyncio.run(main(migrated_database(), args.households, args.cprofile))
