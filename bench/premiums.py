"""Benchmark of the premium collection import and the bulk renewal, against raw sqlite3 executemany.

    python bench/premiums.py                      # 280,000 households paying 200 yuan (issue 10)
    python bench/premiums.py --households 2000    # a quick check

The households are registered first through the project's own household import (bench/enroll.py's
file; untimed), with a voluntary program of 200 yuan for three years. Then, timed from reading the
collection list's bytes to its commit, policies.imports.premium_services.import_premiums (what
`litestar anju import-premiums` runs) enrolls every household and records and activates its payment.
The baseline is a copy of the database as it was before the import: BEGIN to COMMIT of two executemany
calls inserting the very policy and payment rows the import wrote. Last, the bulk renewal of every
policy (policies.services.renewals.renew_program, what `litestar anju renew` runs), timed to its commit.
Ends with: RESULT payments=… seconds=… baseline_seconds=… ratio=… renew_seconds=…
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import os
import shutil
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from uuid import UUID

os.environ.setdefault("ANJU_BROKER_URL", "stub")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import msgspec
from advanced_alchemy.alembic.commands import AlembicCommands

from bench.enroll import DISTRICT, create_regions, run_baseline, write_csv
from core.database import alchemy_config, make_engine, make_sessionmaker, session_scope
from core.settings import get_settings
from policies.domain import Funding, Peril
from policies.imports.premium_services import PremiumImportReport, import_premiums
from policies.imports.services import import_households
from policies.services.programs import create_program
from policies.services.renewals import RenewalReport, renew_program

PROGRAM = "HA-VOLUNTARY"
CHANNELS = ("现金", "移动支付", "银行")


async def register(url: str, households_csv: Path) -> UUID:
    """The households (through the household import) and the voluntary program; returns its id."""
    engine = make_engine(url)
    try:
        async with session_scope(make_sessionmaker(engine)) as session:
            await import_households(session, households_csv.read_bytes(), filename="h.csv", actor="bench")
            program = await create_program(
                session,
                actor="bench",
                code=PROGRAM,
                name="淮安社会治安综合保险",
                insurer="人保财险",
                funding=Funding.HOUSEHOLD,
                region_code=DISTRICT,
                perils={Peril.FIRE: 5_000_000, Peril.THEFT: 1_000_000, Peril.ACCIDENTAL_DEATH: 15_000_000},
                premium_fen=20_000,
                term_months=36,
                per_claim_cap_fen=15_000_000,
                starts_on=date(2026, 1, 1),
            )
            return program.id
    finally:
        await engine.dispose()


def write_collection_list(path: Path, households: int) -> None:
    """One payment per household, collected over the first half of 2026."""
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(("户编号", "方案代码", "金额", "缴费日期", "缴费方式", "收据号", "收款人"))
        for h in range(households):
            paid_on = date(2026, 1, 5) + timedelta(days=h % 170)
            writer.writerow((f"HJ{h:07d}", PROGRAM, "200", paid_on, CHANNELS[h % 3], f"R{h:08d}", "村委会"))


async def timed_import(url: str, path: Path) -> tuple[PremiumImportReport, float]:
    engine = make_engine(url)
    try:
        started = time.perf_counter()
        async with session_scope(make_sessionmaker(engine)) as session:
            report = await import_premiums(session, path.read_bytes(), filename=path.name, actor="bench")
        return report, time.perf_counter() - started
    finally:
        await engine.dispose()


async def timed_renewal(url: str, program_id: UUID) -> tuple[RenewalReport, float]:
    engine = make_engine(url)
    try:
        started = time.perf_counter()
        async with session_scope(make_sessionmaker(engine)) as session:
            report = await renew_program(session, actor="bench", program_id=program_id)
        return report, time.perf_counter() - started
    finally:
        await engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=280_000)
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args()
    households = args.households
    work = Path(tempfile.mkdtemp(prefix="anju-bench-premiums-"))
    try:
        households_csv, collection = work / "households.csv", work / "premiums.csv"
        write_csv(households_csv, households, round(households * 800_000 / 280_000))
        write_collection_list(collection, households)
        template = work / "template.db"
        url = f"sqlite+aiosqlite:///{template}"
        settings = msgspec.structs.replace(get_settings(), database_url=url)
        AlembicCommands(sqlalchemy_config=alchemy_config(settings)).upgrade("head")
        asyncio.run(create_regions(url))
        program_id = asyncio.run(register(url, households_csv))
        shutil.copyfile(template, work / "baseline.db")
        print(f"registered {households} households in {work}", file=sys.stderr)

        os.sync()  # the registration's pages must not be flushed on the import's time
        report, seconds = asyncio.run(timed_import(url, collection))
        wanted = (households, households, households, 0)
        got = (report.payments_recorded, report.policies_created, report.policies_activated, report.bad_rows)
        if got != wanted:
            raise SystemExit(f"import did {got}, wanted {wanted}; first errors: {report.errors[:5]}")
        # The import's own policy and payment rows, inserted into the pre-import copy by executemany.
        baseline = run_baseline(template, work / "baseline.db", ("policies", "premium_payments"))
        renewed, renew_seconds = asyncio.run(timed_renewal(url, program_id))
        if (renewed.policies_renewed, len(renewed.refused)) != (households, 0):
            raise SystemExit(f"renewal did {renewed.policies_renewed}, refused {renewed.refused[:5]}")
        print(
            f"RESULT payments={households} seconds={seconds:.2f} baseline_seconds={baseline:.2f} "
            f"ratio={seconds / baseline:.2f} renew_seconds={renew_seconds:.2f}"
        )
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
