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
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable, Sequence
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, cast
from uuid import uuid4

os.environ.setdefault("ANJU_BROKER_URL", "stub")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from clock_city import DISTRICTS, FIRST_MONTH, LAST_MONTH, NOW, claim_rows, seed_places
from sqlalchemy import Table, insert, or_, select, text

import app  # noqa: F401  (imports every model)
from claims.clock import domain
from claims.clock.schemas import GroupBy
from claims.clock.services import reports, rollups
from claims.models import Claim
from claims.visits.models import SiteVisit
from core.auth import Principal, Role
from core.clock import start_of_business_day
from core.database import make_engine, make_sessionmaker, session_scope

ADMIN = Principal(user_id=uuid4(), username="admin", role=Role.ADMIN, regions=())


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
