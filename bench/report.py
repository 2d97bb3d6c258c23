"""Build a district's monthly governance report and read its dashboard; time both.

A fresh SQLite database is migrated with Alembic and filled in bulk: one district of 10 towns and
300 villages, 280,000 households (800,000 people) under a blanket policy and each with a voluntary
one, a premium per household spread over two years, and 12,000 claims a month for 24 months (nine
in ten paid, with their payouts and stage times), rebates and village spending. The timed parts are
the report build (figures, charts, PDF, stored: what the worker's actor does) and the dashboard
API for the last month, over HTTP through the app (the median of five after one warm-up call).

    python bench/report.py [--households 280000] [--claims-per-month 12000] [--months 24]
Ends with `RESULT seconds=… pages=… dashboard_ms=…` (targets: ≤ 5 s, ≤ 200 ms).
--database PATH reuses a database an earlier run filled (its report is built again).
"""

from __future__ import annotations

import argparse
import asyncio
import io
import os
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from uuid import uuid4

os.environ.setdefault("ANJU_BROKER_URL", "stub")
os.environ.setdefault("ANJU_ARGON2_TIME_COST", "1")
os.environ.setdefault("ANJU_ARGON2_MEMORY_KIB", "1024")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import msgspec
from advanced_alchemy.alembic.commands import AlembicCommands
from litestar.testing import AsyncTestClient
from pdfminer.pdfpage import PDFPage
from sqlalchemy import insert, text

from app import create_app
from bench.report_world import DISTRICT, MONTH, rows_for
from core.auth import Role, make_hasher
from core.database import alchemy_config, make_engine, make_sessionmaker, session_scope
from core.settings import get_settings
from reports.models import MonthlyReport
from reports.services import coverage, monthly
from users.services import UserService


# Time first, then what the sums read, so a month's rows are found (and mostly read) in the index.
def migrated_database() -> str:
    url = f"sqlite+aiosqlite:///{Path(tempfile.mkdtemp(prefix='anju-bench-')) / 'anju.db'}"
    settings = msgspec.structs.replace(get_settings(), database_url=url)
    AlembicCommands(sqlalchemy_config=alchemy_config(settings)).upgrade("head")
    return url


async def fill(url: str, args: argparse.Namespace) -> None:
    engine = make_engine(url)
    sessions = make_sessionmaker(engine)
    started = time.perf_counter()
    for model, rows in rows_for(args.households, args.claims_per_month, args.months).items():
        for chunk in range(0, len(rows), 50_000):
            async with session_scope(sessions) as session:
                await session.execute(insert(model.__table__), rows[chunk : chunk + 50_000])
    async with session_scope(sessions) as session:
        await session.execute(text("ANALYZE"))
        await UserService(session, hasher=make_hasher(get_settings())).create_user(
            actor="bench",
            username="auditor",
            password="bench password 1",
            role=Role.AUDITOR,
            display_name="审计",
            regions=[DISTRICT],
            household_id=None,
        )
    print(f"filled in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    # What the nightly count had kept by the month's end (timed apart: it runs at night).
    started = time.perf_counter()
    async with session_scope(sessions) as session:
        await coverage.count_months(session, DISTRICT, [MONTH, date(2026, 2, 1), date(2025, 3, 1)])
    print(f"coverage counted in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    await engine.dispose()


async def build_report(url: str) -> tuple[float, int]:
    engine = make_engine(url)
    sessions = make_sessionmaker(engine)
    report_id = uuid4()
    async with session_scope(sessions) as session:
        await session.execute(text("DELETE FROM monthly_reports"))
        session.add(MonthlyReport(id=report_id, district_code=DISTRICT, month=MONTH, requested_by="bench"))
    started = time.perf_counter()
    async with session_scope(sessions) as session:
        await monthly.build(session, report_id)
    seconds = time.perf_counter() - started
    async with session_scope(sessions) as session:
        pdf = (await session.execute(text("SELECT pdf FROM monthly_reports"))).scalar_one()
    await engine.dispose()
    return seconds, sum(1 for _ in PDFPage.get_pages(io.BytesIO(pdf)))


async def read_dashboard(url: str) -> float:
    settings = msgspec.structs.replace(get_settings(), database_url=url, broker_url="stub")
    async with AsyncTestClient(app=create_app(settings)) as client:
        login = await client.post("/auth/login", json={"username": "auditor", "password": "bench password 1"})
        headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
        params = {"region_code": DISTRICT, "from": "2026-03-01", "to": "2026-03-31"}
        timings = []
        for _ in range(6):
            started = time.perf_counter()
            answer = await client.get("/reports/dashboard", params=params, headers=headers)
            timings.append(time.perf_counter() - started)
            assert answer.status_code == 200, answer.text
        board = answer.json()
    print(f"dashboard: {board['claims_reported']} claims, paid {board['paid_fen']} fen", file=sys.stderr)
    return statistics.median(timings[1:]) * 1000


async def main(url: str, args: argparse.Namespace) -> None:
    await fill(url, args)
    print(f"database: {url}", file=sys.stderr)
    await measure(url)


async def measure(url: str) -> None:
    seconds, pages = await build_report(url)
    dashboard_ms = await read_dashboard(url)
    print(f"RESULT seconds={seconds:.2f} pages={pages} dashboard_ms={dashboard_ms:.0f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=280_000)
    parser.add_argument("--claims-per-month", type=int, default=12_000)
    parser.add_argument("--months", type=int, default=24)
    parser.add_argument("--database", type=Path, help="an SQLite file an earlier run filled")
    args = parser.parse_args()
    if args.database:
        asyncio.run(measure(f"sqlite+aiosqlite:///{args.database}"))
    else:
        asyncio.run(main(migrated_database(), args))
