"""The clock report at a city's scale: 1,000,000 claims over two years across 300 villages.

A migrated database (SQLite, or with --database postgres a throwaway PostgreSQL server) is filled in
bulk: 5 districts of 6 towns of 10 villages, 50 households a village, 40 adjusters, and claims spread
evenly over 24 business months, each with its stage times (a few hours to accept and plan, about a
day to visit, hours to assess, approve, batch and bank; targets of 72 h and 48 h), a site visit, and
the clock state the sweep and the payment hook would have left. The rollup is then built by
claims.clock.services.rollups.rebuild: the reported counts by the sweep's own recount, the rest by
the same figures the payment hook adds.

Timed (median of repeated warm runs): the report of one district for one month, and of every region
for the whole period (grouped by district); the baseline computes the same figures for the whole
period (and the month) by the most direct query over the claims table, one SELECT of the needed
columns with the arithmetic (exact percentiles) in Python.

    python bench/clock.py [--claims 1000000] [--database sqlite|postgres] [--runs 15]
Ends with `RESULT claims=… month_ms=… all_ms=… baseline_all_ms=…` (targets: ≤ 100 ms, ≤ 1 s).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterator, Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, cast
from uuid import UUID, uuid4

os.environ.setdefault("ANJU_BROKER_URL", "stub")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import Table, insert, or_, select, text

import app  # noqa: F401  (imports every model)
from claims.clock import domain
from claims.clock.schemas import GroupBy
from claims.clock.services import reports, rollups
from claims.domain import claim_number
from claims.models import Claim
from claims.visits.models import Adjuster, SiteVisit
from core.auth import Principal, Role
from core.clock import business_date, start_of_business_day
from core.database import make_engine, make_sessionmaker, session_scope
from policies.models import Household, Region
from users.models import User

DISTRICTS = [f"3702{n:02d}" for n in range(11, 16)]
TOWNS, VILLAGES, HOMES, ADJUSTERS = 6, 10, 50, 40
FIRST_MONTH = date(2024, 12, 1)
MONTHS = 24
CHUNK = 20_000
# Mean hours in each stage (exponential), in STAGES order: a cycle of about 55 h on average.
STAGE_MEAN_HOURS = (2.0, 4.0, 20.0, 4.0, 4.0, 12.0, 8.0)
PERILS = ("fire", "theft", "robbery", "natural_disaster", "explosion")
# The status a claim is in once the stage time in the key is the last it has.
STATUS_AFTER = {
    "accepted_at": "accepted",
    "visit_scheduled_at": "visit_scheduled",
    "visited_at": "visit_scheduled",
    "assessed_at": "assessed",
    "approved_at": "approved",
    "sent_at": "approved",
    "paid_at": "paid",
}
LAST_MONTH = date(2026, 11, 1)
NOW = datetime(2026, 11, 30, 16, tzinfo=UTC)  # midnight at the end of November in Shanghai
ADMIN = Principal(user_id=uuid4(), username="admin", role=Role.ADMIN, regions=())


def villages() -> list[str]:
    return [
        f"{d}{t:03d}{v:03d}" for d in DISTRICTS for t in range(1, TOWNS + 1) for v in range(1, VILLAGES + 1)
    ]


def stamp(now: datetime) -> dict[str, Any]:
    return {"created_at": now, "updated_at": now}


async def seed_places(session: Any, now: datetime) -> tuple[list[str], dict[str, list[UUID]], list[UUID]]:
    """Regions, households, adjusters (with their users); returns villages, homes and adjusters."""
    codes = villages()
    regions = [
        {"code": d, "name": f"区{d}", "level": "district", "parent_code": None, **stamp(now)}
        for d in DISTRICTS
    ]
    towns = sorted({code[:9] for code in codes})
    regions += [
        {"code": t, "name": f"镇{t[-3:]}", "level": "town", "parent_code": t[:6], **stamp(now)} for t in towns
    ]
    regions += [
        {"code": v, "name": f"村{v[-3:]}", "level": "village", "parent_code": v[:9], **stamp(now)}
        for v in codes
    ]
    await session.execute(insert(Region), regions)
    homes: dict[str, list[UUID]] = defaultdict(list)
    rows = []
    for index, village in enumerate(codes):
        for n in range(HOMES):
            home = uuid4()
            homes[village].append(home)
            rows.append(
                {
                    "id": home,
                    "village_code": village,
                    "household_no": f"H{index:03d}{n:03d}",
                    "address": f"{n}号",
                }
                | {
                    "head_name": f"户主{n}",
                    "phone": f"138{index:04d}{n:04d}",
                    "registered_at": now,
                    **stamp(now),
                }
            )
    await session.execute(insert(Household), rows)
    users: list[dict[str, Any]] = [
        {"id": uuid4(), "username": f"adjuster{n}", "display_name": f"查勘员{n}", "password_hash": "-"}
        | {"role": "adjuster", "regions": [DISTRICTS[n % len(DISTRICTS)]], "active": True, **stamp(now)}
        for n in range(ADJUSTERS)
    ]
    await session.execute(insert(User), users)
    adjusters = [
        {"id": uuid4(), "user_id": user["id"], "region_code": user["regions"][0], "village_codes": []}
        | {
            "home_village_code": codes[0],
            "daily_capacity": 12,
            "working_weekdays": [1, 2, 3, 4, 5],
            **stamp(now),
        }
        for user in users
    ]
    await session.execute(insert(Adjuster), adjusters)
    return codes, homes, [a["id"] for a in adjusters]


def claim_rows(
    total: int, codes: list[str], homes: dict[str, list[UUID]], adjusters: list[UUID], now: datetime
) -> Iterator[tuple[list[dict[str, Any]], list[dict[str, Any]]]]:
    """Claims in report order, in chunks, with their site visits; numbered per business day."""
    rng = random.Random(12)
    start = start_of_business_day(FIRST_MONTH)
    span = (start_of_business_day(date(2026, 12, 1)) - start).total_seconds()
    sequence: dict[date, int] = defaultdict(int)
    claims: list[dict[str, Any]] = []
    visits: list[dict[str, Any]] = []
    for n in range(total):
        reported_at = start + timedelta(seconds=span * n / total)
        day = business_date(reported_at)
        sequence[day] += 1
        village_index = rng.randrange(len(codes))
        village = codes[village_index]
        target = 72 if n % 3 else 48
        times: dict[str, datetime | None] = {}
        moment = reported_at
        for (_, column), mean in zip(domain.STAGES, STAGE_MEAN_HOURS, strict=True):
            moment += timedelta(hours=rng.expovariate(1 / mean))
            times[column] = moment if moment < now else None
        paid_at = times["paid_at"]
        reached = [column for column in domain.STAGE_COLUMNS if times[column] is not None]
        status = STATUS_AFTER[reached[-1]] if reached else "reported"
        cycle_end = paid_at or now
        late = (cycle_end - reported_at) > timedelta(hours=target)
        at_risk = (cycle_end - reported_at) >= timedelta(hours=target * 0.75)
        claim_id = uuid4()
        claims.append(
            {"id": claim_id, "number": claim_number(day, sequence[day]), "status": status}
            | {
                "household_id": homes[village][n % HOMES],
                "village_code": village,
                "peril": rng.choice(PERILS),
            }
            | {
                "loss_at": reported_at - timedelta(hours=3),
                "loss_on": day,
                "loss_place": "家中",
                "description": "损失",
            }
            | {
                "estimated_loss_fen": 500_000,
                "claimant_name": "王建国",
                "claimant_resident_id": "370211198001010011",
            }
            | {
                "claimant_phone": "13800001234",
                "liaison_confirmed": False,
                "filed_by": "liaison",
                "covers": [],
            }
            | {"payable_cap_fen": 2_000_000, "advance_paid_fen": 0, "paid_fen": 0, "flags": []}
            | {"clock_target_hours": target, "reported_at": reported_at}
            | {"expected_payment_by": reported_at + timedelta(hours=target), **times}
            | {
                "clock_state": "breached" if late else ("at_risk" if at_risk else None),
                "accepted_by": "officer",
            }
            | stamp(now)
        )
        if times["visit_scheduled_at"] is not None:
            adjuster = adjusters[(village_index + n % 2) % len(adjusters)]
            visits.append(
                {"id": uuid4(), "claim_id": claim_id, "adjuster_id": adjuster, "village_code": village}
                | {
                    "visit_on": day,
                    "route_order": 1,
                    "status": "done",
                    "at_risk": False,
                    "planned_by": "officer",
                }
                | stamp(now)
            )
        if len(claims) == CHUNK:
            yield claims, visits
            claims, visits = [], []
    if claims:
        yield claims, visits


async def build(url: str, total: int) -> None:
    engine = make_engine(url)
    sessions = make_sessionmaker(engine)
    now = NOW
    started = time.perf_counter()
    async with session_scope(sessions) as session:
        codes, homes, adjusters = await seed_places(session, now)
    written = 0
    for claims, visits in claim_rows(total, codes, homes, adjusters, now):
        async with session_scope(sessions) as session:
            # Core inserts (the tables, not the mapped classes): the ORM's bookkeeping per row costs
            # more than the rows themselves at this size.
            await session.execute(insert(cast(Table, Claim.__table__)), claims)
            if visits:
                await session.execute(insert(cast(Table, SiteVisit.__table__)), visits)
        written += len(claims)
        print(f"  {written:,} claims written ({time.perf_counter() - started:.0f} s)", flush=True)
    built = time.perf_counter()
    async with session_scope(sessions) as session:
        await rollups.rebuild(session)
    async with session_scope(sessions) as session:
        await session.execute(text("ANALYZE"))
    print(f"  rollup rebuilt in {time.perf_counter() - built:.1f} s", flush=True)
    await engine.dispose()


async def median_ms(runs: int, work: Callable[[], Awaitable[Any]]) -> float:
    await work()  # warm
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        await work()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


BASELINE_COLUMNS = [Claim.village_code, Claim.reported_at, Claim.clock_target_hours] + [
    getattr(Claim, column) for column in domain.STAGE_COLUMNS
]


def baseline_figures(rows: Sequence[Any], first: date, last: date) -> dict[str, Any]:
    """The report's figures by district with exact (linear, numpy's default) percentiles."""
    groups: dict[str, dict[str, Any]] = defaultdict(
        lambda: {"reported": 0, "accepted": 0, "cycles": [], "within": 0}
    )
    stage_sums: dict[str, dict[domain.Stage, int]] = defaultdict(lambda: defaultdict(int))

    def inside(moment: datetime | None) -> bool:
        return moment is not None and first <= domain.month_of(moment) <= last

    for row in rows:
        group = groups[row.village_code[:6]]
        group["reported"] += inside(row.reported_at)
        group["accepted"] += inside(row.accepted_at)
        if inside(row.paid_at):
            times = {column: getattr(row, column) for column in domain.STAGE_COLUMNS}
            cycle = domain.seconds_between(row.reported_at, row.paid_at)
            group["cycles"].append(cycle)
            group["within"] += cycle <= row.clock_target_hours * 3600
            for stage, seconds in domain.stage_seconds(row.reported_at, times).items():
                stage_sums[row.village_code[:6]][stage] += seconds
    figures = {}
    for key, group in groups.items():
        cycles = sorted(group["cycles"])
        figures[key] = {
            "reported": group["reported"],
            "accepted": group["accepted"],
            "paid": len(cycles),
            "median_h": statistics.quantiles(cycles, n=10, method="inclusive")[4] / 3600
            if len(cycles) > 1
            else None,
            "p90_h": statistics.quantiles(cycles, n=10, method="inclusive")[8] / 3600
            if len(cycles) > 1
            else None,
            "average_h": sum(cycles) / len(cycles) / 3600 if cycles else None,
            "within": group["within"] / len(cycles) if cycles else None,
            "stages": {stage: s / len(cycles) / 3600 for stage, s in stage_sums[key].items()}
            if cycles
            else {},
        }
    return figures


async def measure(url: str, total: int, runs: int) -> None:
    engine = make_engine(url)
    sessions = make_sessionmaker(engine)
    month = date(2026, 6, 1)
    last = LAST_MONTH

    async def report(region: str | None, start: date, end: date) -> Any:
        async with session_scope(sessions) as session:
            return await reports.clock_report(
                session, ADMIN, region=region, start=start, end=end, by=GroupBy.REGION
            )

    async def baseline(region: str, start: date, end: date) -> dict[str, Any]:
        async with session_scope(sessions) as session:
            low, high = (
                start_of_business_day(start),
                start_of_business_day(domain.Period(start, end).end_day() + timedelta(days=1)),
            )
            query = select(*BASELINE_COLUMNS).where(
                Claim.village_code.startswith(region),
                or_(
                    *(
                        column.between(low, high)
                        for column in (Claim.reported_at, Claim.accepted_at, Claim.paid_at)
                    )
                ),
            )
            rows = (await session.execute(query)).all()
        return baseline_figures(rows, start, end)

    district = DISTRICTS[0]
    month_ms = await median_ms(runs, lambda: report(district, month, month))
    all_ms = await median_ms(max(runs // 3, 3), lambda: report(None, FIRST_MONTH, last))
    baseline_month_ms = await median_ms(3, lambda: baseline(district, month, month))
    exact = await baseline("37", FIRST_MONTH, last)  # warms the cache too
    started = time.perf_counter()
    await baseline("37", FIRST_MONTH, last)
    baseline_all_ms = (time.perf_counter() - started) * 1000
    whole = await report(None, FIRST_MONTH, last)
    for group in whole.groups:
        other = exact[group.key]
        assert (group.reported, group.accepted, group.paid) == (
            other["reported"],
            other["accepted"],
            other["paid"],
        )
        print(
            f"  {group.key}: paid {group.paid:,}, median {group.median_cycle_hours} h"
            f" (exact {other['median_h']:.2f}), p90 {group.p90_cycle_hours} h (exact {other['p90_h']:.2f}),"
            f" within {group.share_paid_within_target}"
        )
    await engine.dispose()
    print(f"  baseline month: {baseline_month_ms:.0f} ms")
    figures = f"month_ms={month_ms:.1f} all_ms={all_ms:.1f} baseline_all_ms={baseline_all_ms:.0f}"
    print(f"RESULT claims={total} {figures}")


def main(total: int, database: str, runs: int) -> None:
    from catastrophe import migrated_database

    if database == "sqlite":
        url = migrated_database()
        asyncio.run(build(url, total))
        asyncio.run(measure(url, total, runs))
        return
    from tests.servers import create_database, postgres_server

    with postgres_server() as base_url:
        url = migrated_database(asyncio.run(create_database(base_url, "anju")))
        asyncio.run(build(url, total))
        asyncio.run(measure(url, total, runs))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=1_000_000)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    main(args.claims, args.database, args.runs)
