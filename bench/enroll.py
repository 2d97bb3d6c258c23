"""Benchmark of the household import against a raw sqlite3 executemany of the same rows.

    python bench/enroll.py                     # 280,000 households, 800,000 people (issue 2)
    python bench/enroll.py --households 2000   # a quick check, same people-per-household ratio

Both databases are fresh copies of one Alembic-migrated SQLite file holding the same regions, opened
with the same pragmas (core.database.SQLITE_PRAGMAS). The import is timed from reading the CSV's
bytes to its commit, through policies.imports.services.import_households (what `litestar anju
import-households` runs). The baseline is timed from BEGIN to COMMIT of two executemany calls over
tuples pre-built from the imported rows themselves, so it writes the very same ids and values.
Ends with one line: RESULT households=… people=… seconds=… baseline_seconds=… ratio=…
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import csv
import os
import pstats
import shutil
import sqlite3
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

os.environ.setdefault("ANJU_BROKER_URL", "stub")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import msgspec
from advanced_alchemy.alembic.commands import AlembicCommands

from core.database import SQLITE_PRAGMAS, alchemy_config, make_engine, make_sessionmaker, session_scope
from core.settings import get_settings
from policies.imports.services import ImportReport, import_households
from policies.models import Region

DISTRICT = "320803"  # Huai'an District, where the 280,000-household scheme ran
TOWNS, VILLAGES_PER_TOWN = 20, 20
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK = "10X98765432"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = ("伟", "芳", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明")
RELATIONS = ("户主", "配偶", "子女", "父母", "兄弟姐妹", "其他")
HEADER = ("户编号", "村代码", "地址", "户主姓名", "联系电话", "姓名", "身份证号", "与户主关系")


def resident_id(index: int) -> str:
    """A valid GB 11643 ID, unique per index: birth date and sequence number both vary."""
    born = date(1930, 1, 1) + timedelta(days=index % 29_000)
    body = f"{DISTRICT}{born:%Y%m%d}{index // 29_000:03d}"
    return body + CHECK[sum(int(d) * w for d, w in zip(body, WEIGHTS, strict=True)) % 11]


def villages() -> list[str]:
    return [f"{DISTRICT}{t:03d}{v:03d}" for t in range(1, TOWNS + 1) for v in range(1, VILLAGES_PER_TOWN + 1)]


def write_csv(path: Path, households: int, people: int) -> None:
    codes = villages()
    base, extra = divmod(people, households)
    person = 0
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER)
        for h in range(households):
            village = codes[h % len(codes)]
            head = SURNAMES[h % len(SURNAMES)] + GIVEN[h % len(GIVEN)]
            address = f"{village[6:9]}镇{village[9:]}村{h % 30 + 1}组{h}号"
            phone = f"139{h:08d}"
            for member in range(base + (h < extra)):
                name = head if member == 0 else SURNAMES[(h + member) % 20] + GIVEN[(person + 3) % 16]
                relation = RELATIONS[min(member, 2)] if member < 4 else RELATIONS[5]
                number = f"HJ{h:07d}"
                writer.writerow((number, village, address, head, phone, name, resident_id(person), relation))
                person += 1


async def create_regions(url: str) -> None:
    engine = make_engine(url)
    async with session_scope(make_sessionmaker(engine)) as session:
        session.add(Region(code=DISTRICT, name="淮安区", level="district"))
        for town in range(1, TOWNS + 1):
            code = f"{DISTRICT}{town:03d}"
            session.add(Region(code=code, name=f"镇{town}", level="town", parent_code=DISTRICT))
        await session.flush()
        for code in villages():
            session.add(Region(code=code, name=f"村{code[-3:]}", level="village", parent_code=code[:9]))
    await engine.dispose()


async def run_import(url: str, csv_path: Path) -> tuple[ImportReport, float]:
    engine = make_engine(url)
    try:
        started = time.perf_counter()
        phases: dict[str, float] = {}

        def note(phase: str, _done: int, _total: int) -> None:
            phases.setdefault(phase, time.perf_counter() - started)

        async with session_scope(make_sessionmaker(engine)) as session:
            report = await import_households(
                session, csv_path.read_bytes(), filename=csv_path.name, actor="bench", progress=note
            )
        elapsed = time.perf_counter() - started
        steps = ", ".join(f"{phase} at {at:.2f}s" for phase, at in phases.items())
        print(f"import: read and checked by {steps}; committed at {elapsed:.2f}s", file=sys.stderr)
        return report, elapsed
    finally:
        await engine.dispose()


def run_baseline(source: Path, target: Path, tables: tuple[str, ...] = ("households", "people")) -> float:
    """The import's own rows of `tables`, read from `source` and inserted into the pre-import copy
    `target` by one executemany each, timed from BEGIN to COMMIT."""
    with sqlite3.connect(source) as read:
        rows = {table: read.execute(f"SELECT * FROM {table} ORDER BY rowid").fetchall() for table in tables}
    write = sqlite3.connect(target, isolation_level=None)
    for pragma in SQLITE_PRAGMAS:
        write.execute(pragma)
    os.sync()  # the import's written pages must not be flushed on the baseline's time
    started = time.perf_counter()
    write.execute("BEGIN IMMEDIATE")
    for table, table_rows in rows.items():
        write.executemany(f"INSERT INTO {table} VALUES ({','.join('?' * len(table_rows[0]))})", table_rows)
    write.execute("COMMIT")
    elapsed = time.perf_counter() - started
    write.close()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=280_000)
    parser.add_argument("--people", type=int, help="default: 800,000 per 280,000 households")
    parser.add_argument("--profile", type=Path, help="write the import's cProfile stats here")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args()
    households = args.households
    people = args.people or round(households * 800_000 / 280_000)
    work = Path(tempfile.mkdtemp(prefix="anju-bench-"))
    try:
        csv_path = work / "households.csv"
        write_csv(csv_path, households, people)
        template = work / "template.db"
        url = f"sqlite+aiosqlite:///{template}"
        settings = msgspec.structs.replace(get_settings(), database_url=url)
        AlembicCommands(sqlalchemy_config=alchemy_config(settings)).upgrade("head")
        asyncio.run(create_regions(url))
        shutil.copyfile(template, work / "import.db")
        shutil.copyfile(template, work / "baseline.db")
        print(f"generated {csv_path.stat().st_size / 1e6:.1f} MB of CSV in {work}", file=sys.stderr)

        os.sync()  # nor the generated CSV's on the import's
        profiler = cProfile.Profile() if args.profile else None
        if profiler:
            profiler.enable()
        report, seconds = asyncio.run(run_import(f"sqlite+aiosqlite:///{work / 'import.db'}", csv_path))
        if profiler:
            profiler.disable()
            profiler.dump_stats(args.profile)
            pstats.Stats(str(args.profile), stream=sys.stderr).sort_stats("cumulative").print_stats(30)
        wanted = (households, people, 0)
        got = (report.households_created, report.people_created, report.bad_rows)
        if got != wanted:
            raise SystemExit(f"import created {got}, wanted {wanted}; first errors: {report.errors[:5]}")
        baseline = run_baseline(work / "import.db", work / "baseline.db")
        print(
            f"RESULT households={households} people={people} seconds={seconds:.2f} "
            f"baseline_seconds={baseline:.2f} ratio={seconds / baseline:.2f}"
        )
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
