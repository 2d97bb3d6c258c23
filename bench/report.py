"""Build a district's monthly governance report and read its dashboard; time both.

A fresh SQLite database is migrated with Alembic and filled in bulk: one district of 10 towns and
300 villages, 280,000 households (800,000 people) under a blanket policy and each with a voluntary
one, a premium per household spread over two years, and 12,000 claims a month for 24 months (nine
in ten paid, with their payouts and stage times), rebates and village spending. The timed parts are
the report build (figures, charts, PDF, stored: what the worker's actor does) and the dashboard
API for the last month, over HTTP through the app (the median of five after one warm-up call).

    python bench/report.py [--households 280000] [--claims-per-month 12000] [--months 24]
                           [--proposed-indexes]
Ends with `RESULT seconds=… pages=… dashboard_ms=…` (targets: ≤ 5 s, ≤ 200 ms).
--proposed-indexes first adds the time indexes this bench asks the owners of claims, payouts and
policies for (claims by reported_at and by paid_at, payouts and premium payments by paid_at).
--database PATH reuses a database an earlier run filled (its report is built again).
"""

from __future__ import annotations

import argparse
import asyncio
import io
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
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
from stdnum.cn import ric

from app import create_app
from claims.models import Claim
from core.auth import Role, make_hasher
from core.clock import start_of_business_day
from core.database import alchemy_config, make_engine, make_sessionmaker, session_scope
from core.settings import get_settings
from payouts.models import Payout
from payouts.rebates.models import RebateAgreement, RebateEntry, RebatePeriod, SecurityExpenditure
from policies.models import Household, Person, Policy, PremiumPayment, Program, Region
from reports.models import MonthlyReport
from reports.services import coverage, monthly
from users.services import UserService

DISTRICT = "370211"
TOWNS, VILLAGES_PER_TOWN = 10, 30
MONTH = date(2026, 3, 1)  # the month measured; the history runs back from it
PERILS = ("fire", "theft", "natural_disaster", "explosion", "robbery")
CATEGORIES = ("patrol_staff", "video_surveillance", "door_window_alarms", "security_doors", "publicity")
STAGES = (
    "accepted_at",
    "visit_scheduled_at",
    "visited_at",
    "assessed_at",
    "approved_at",
    "sent_at",
    "paid_at",
)
# Time first, then what the sums read, so a month's rows are found (and mostly read) in the index.
PROPOSED_INDEXES = (
    "CREATE INDEX ix_bench_claims_reported_at ON claims (reported_at, village_code)",
    "CREATE INDEX ix_bench_claims_paid_at ON claims (paid_at)",
    "CREATE INDEX ix_bench_payouts_paid_at ON payouts (paid_at, region_code, status, amount_fen)",
    "CREATE INDEX ix_bench_premium_payments_paid_at ON premium_payments (paid_at, region_code, amount_fen)",
)


def resident_id(seq: int) -> str:
    born = date(1940, 1, 1) + timedelta(days=seq // 1000)
    body = f"{DISTRICT}{born:%Y%m%d}{seq % 1000:03d}"
    return body + ric.calc_check_digit(body)


def month_start(months_back: int) -> datetime:
    year, month = divmod(MONTH.year * 12 + MONTH.month - 1 - months_back, 12)
    return start_of_business_day(date(year, month + 1, 1))


def rows_for(households: int, claims_per_month: int, months: int) -> dict[Any, list[dict[str, Any]]]:
    rng = random.Random(13)
    now = datetime.now(UTC)
    stamp = {"created_at": now, "updated_at": now}
    regions = [{"code": DISTRICT, "name": "黄岛区", "level": "district", "parent_code": None, **stamp}]
    villages = []
    for t in range(1, TOWNS + 1):
        town = f"{DISTRICT}{t:03d}"
        regions.append({"code": town, "name": f"街道{t}", "level": "town", "parent_code": DISTRICT, **stamp})
        for v in range(1, VILLAGES_PER_TOWN + 1):
            villages.append(f"{town}{v:03d}")
            regions.append(
                {"code": villages[-1], "name": f"村{t}-{v}", "level": "village", "parent_code": town, **stamp}
            )
    program = {
        "insurer": "人保财险",
        "term_months": 36,
        "per_claim_cap_fen": 15_000_000,
        "combined_cap_fen": None,
        "reporting_window_days": 30,
        "rebate_bps": None,
        "starts_on": date(2024, 1, 1),
        "description": None,
        "region_code": DISTRICT,
        "clock_target_hours": 72,
        **stamp,
    }
    blanket_program, voluntary_program = uuid4(), uuid4()
    programs = [
        program
        | {"id": blanket_program, "code": "B", "name": "统保", "funding": "district", "premium_fen": 0},
        program
        | {"id": voluntary_program, "code": "V", "name": "自愿", "funding": "household"}
        | {"premium_fen": 20_000},
    ]
    policy = {"starts_on": date(2024, 1, 1), "ends_on": date(2027, 1, 1), "status": "active", **stamp}
    blanket = policy | {"id": uuid4(), "number": "B-1", "program_id": blanket_program, "household_id": None}
    policies = [blanket | {"region_code": DISTRICT, "premium_due_fen": 0, "premium_paid_fen": 0}]
    homes, people, premiums = [], [], []
    person = 0
    for n in range(households):
        household_id, village, policy_id = uuid4(), villages[n % len(villages)], uuid4()
        homes.append(
            {"id": household_id, "village_code": village, "household_no": f"H{n:07d}", "address": f"{n}号"}
            | {"head_name": f"户主{n}", "phone": f"138{n:08d}", "registered_at": now, **stamp}
        )
        for m in range(2 if n % 7 == 0 else 3):
            people.append(
                {"id": uuid4(), "household_id": household_id, "name": f"成员{n}-{m}", "relation": "other"}
                | {"resident_id": resident_id(person), "phone": None, **stamp}
            )
            person += 1
        policies.append(
            policy
            | {"id": policy_id, "number": f"V-{n:07d}", "program_id": voluntary_program}
            | {"household_id": household_id, "region_code": village, "premium_due_fen": 20_000}
            | {"premium_paid_fen": 20_000}
        )
        paid_at = month_start(n % months) + timedelta(minutes=rng.randrange(27 * 24 * 60))
        premiums.append(
            {"id": uuid4(), "policy_id": policy_id, "region_code": village, "payer": f"户主{n}"}
            | {"amount_fen": 20_000, "channel": "cash", "receipt_no": f"R{n}", "paid_at": paid_at, **stamp}
        )
    claims, payouts = [], []
    for m in range(months):
        for k in range(claims_per_month):
            n = rng.randrange(households)
            claim_id, village = uuid4(), villages[n % len(villages)]
            reported = month_start(m) + timedelta(minutes=rng.randrange(27 * 24 * 60))
            times: dict[str, Any] = {stage: None for stage in STAGES}
            # Nine in ten paid; of the rest, those of the last month still open, older ones rejected.
            moment, paid, still_open = reported, k % 10 != 0, m == 0
            for stage in STAGES if paid else STAGES[:2] if still_open else ():
                moment += timedelta(minutes=rng.randrange(60, 16 * 60))
                times[stage] = moment
            status = "paid" if paid else "visit_scheduled" if still_open else "rejected"
            amount = rng.randrange(10_000, 2_000_000)
            claims.append(
                {
                    "id": claim_id,
                    "number": f"C{m:02d}{k:06d}",
                    "status": status,
                }
                | {"household_id": homes[n]["id"], "village_code": village, "catastrophe_id": None}
                | {"peril": PERILS[k % len(PERILS)], "loss_at": reported, "loss_on": reported.date()}
                | {"loss_place": "家中", "description": "损失", "estimated_loss_fen": amount}
                | {
                    "claimant_name": "户主",
                    "claimant_resident_id": resident_id(k),
                    "claimant_phone": "13800000000",
                }
                | {"payee_name": "户主", "payee_bank_name": "农商银行", "payee_account": f"62{n:014d}"}
                | {"police_report_no": None, "fire_certificate_no": None, "liaison_confirmed": False}
                | {"filed_by": "bench", "covers": [], "payable_cap_fen": 15_000_000, "flags": []}
                | {"advance_paid_fen": 0, "paid_fen": amount if paid else 0, "clock_target_hours": 72}
                | {"reported_at": reported, "expected_payment_by": reported + timedelta(hours=72)}
                | {"confirmed_at": None, "cleared_at": None, "reopened_at": None}
                | {"rejected_at": None if paid or still_open else reported + timedelta(hours=5)}
                | {"withdrawn_at": None, "closed_at": None, "rejection_reason": None, "reopen_reason": None}
                | {"withdrawal_reason": None, **times, **stamp}
            )
            if paid:
                payouts.append(
                    {"id": uuid4(), "claim_id": claim_id, "kind": "final", "amount_fen": amount}
                    | {"region_code": village, "payee_name": "户主", "payee_bank_name": None}
                    | {"payee_account": f"62{n:014d}", "status": "paid", "batch_id": None}
                    | {"bank_reference": None, "requested_by": "bench", "approved_by": None}
                    | {"second_approved_by": None, "approved_at": None, "sent_at": times["sent_at"]}
                    | {"paid_at": times["paid_at"], "failed_at": None, "failure_reason": None, **stamp}
                )
    agreement, period = uuid4(), uuid4()
    rebate_month = month_start(0) + timedelta(days=3)
    rebate_stamp = {"created_at": rebate_month, "updated_at": rebate_month}
    entries = [
        {"id": uuid4(), "period_id": period, "village_code": v, "kind": kind, "amount_fen": 100_000}
        | {
            "reverses_id": None,
            "basis": None,
            "reference": None,
            "actor": "bench",
            "reason": None,
            **rebate_stamp,
        }
        for v in villages
        for kind in ("accrual", "approval", "disbursement")
    ]
    spending = [
        {"id": uuid4(), "village_code": v, "category": CATEGORIES[i % 5], "amount_fen": 20_000 + i}
        | {"spent_on": MONTH + timedelta(days=i % 28), "description": "支出", "receipt_sha256": "0" * 64}
        | {"receipt_media_type": "image/jpeg", "receipt_name": "r.jpg", "recorded_by": "bench", **stamp}
        for i, v in enumerate(villages * 3)
    ]
    return {
        Region: regions,
        Program: programs,
        Household: homes,
        Person: people,
        Policy: policies,
        PremiumPayment: premiums,
        Claim: claims,
        Payout: payouts,
        RebateAgreement: [
            {"id": agreement, "program_id": voluntary_program, "region_code": DISTRICT, "share_bps": 500}
            | {"per_household_fen": None, "period_kind": "year", "starts_on": date(2025, 1, 1)}
            | {"ends_on": date(2026, 1, 1), "approver_role": "finance", "note": None, **stamp}
        ],
        RebatePeriod: [
            {"id": period, "agreement_id": agreement, "region_code": DISTRICT, "starts_on": date(2025, 1, 1)}
            | {"ends_on": date(2026, 1, 1), "premiums_fen": 0, "households": 0, "rebate_due_fen": 0, **stamp}
        ],
        RebateEntry: entries,
        SecurityExpenditure: spending,
    }


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
        if args.proposed_indexes:
            for statement in PROPOSED_INDEXES:
                await session.execute(text(statement))
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
    parser.add_argument("--proposed-indexes", action="store_true")
    parser.add_argument("--database", type=Path, help="an SQLite file an earlier run filled")
    args = parser.parse_args()
    if args.database:
        asyncio.run(measure(f"sqlite+aiosqlite:///{args.database}"))
    else:
        asyncio.run(main(migrated_database(), args))
