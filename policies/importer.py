"""The bulk import of households and their people: read → check → plan → insert in bulk → audit once.

`import_households` is the one entry point; the CLI command, the HTTP endpoint and bench/enroll.py
all call it. It runs in the caller's transaction, so a file that cannot be read, or any failure
part-way, leaves the database as it was; the caller's commit makes the whole import visible at once.
Columns and encodings: policies/import_files.py; row rules and how a household with some bad rows
is treated: policies/import_rules.py.

Speed (280,000 households / 800,000 people, see bench/enroll.py): rows are checked in plain Python
against sets loaded once (villages; the file's already-registered households and people, skipped
outright for an empty register), and written by a compiled Core INSERT as driver-level executemany
in chunks of INSERT_CHUNK rows inside the one transaction, never as ORM objects. What remains is
bound by SQLite's own B-tree work (random UUID keys, the unique resident-ID index), then by
reading (~2 s) and checking (~3 s) the 800,000 rows in Python.
"""

from __future__ import annotations

import gc
import hashlib
import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from typing import Any
from uuid import UUID

import msgspec
from sqlalchemy import bindparam, insert, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from core import audit, clock
from core.auth import Principal
from policies.import_files import read_table
from policies.import_rules import Plan, RowError, check_rows, plan
from policies.models import Household, Person, Region

INSERT_CHUNK = 25_000  # rows per executemany: the progress bar moves, and no driver call is huge
LOOKUP_CHUNK = 5_000  # well under SQLite's and asyncpg's bound-parameter limits
REGION_CODE_LENGTHS = (12, 9, 6)

# Column order of the tuples `_Inserts.rows` builds.
_HOUSEHOLD_COLUMNS = (
    "id village_code household_no address head_name phone registered_at created_at updated_at"
)
_PERSON_COLUMNS = "id household_id name resident_id relation phone created_at updated_at"

Progress = Callable[[str, int, int], None]  # phase ("check" | "insert"), done, total


class ImportReport(msgspec.Struct, kw_only=True):
    file_sha256: str
    rows: int
    households_created: int
    households_existing: int  # the file's households already in the register (reused, never edited)
    people_created: int
    already_enrolled: int  # people already in the same household: skipped, which makes a re-run a no-op
    bad_rows: int
    errors: list[RowError]


async def import_households(
    session: AsyncSession,
    data: bytes,
    *,
    filename: str | None,
    actor: str,
    scope: Principal | None = None,
    progress: Progress | None = None,
    today: date | None = None,
) -> ImportReport:
    """Import every good row of a CSV or XLSX file; report every bad one with its line and reason.

    scope: a non-admin caller's principal; rows of villages it does not cover are bad rows.
    """
    report = progress or _silent
    sha256 = hashlib.sha256(data).hexdigest()
    with _collector_paused():
        table = read_table(data, filename)
    villages = set(await session.scalars(select(Region.code).where(Region.level == "village")))
    in_scope = scope.covers if scope is not None else _everywhere
    with _collector_paused():
        checked = check_rows(table.rows, villages=villages, in_scope=in_scope, today=today or clock.today())
    report("check", len(table.rows), len(table.rows))
    registered = await _registered_households(session, list(checked.households))
    enrolled = await _enrolled_people(session, [person.resident_id for person in checked.people])
    inserts = _Inserts(await session.connection())
    with _collector_paused():
        outcome = plan(
            checked,
            existing_households={number: village for number, (_id, village) in registered.items()},
            existing_people=enrolled,
        )
        household_rows, person_rows = inserts.rows(outcome, {n: i for n, (i, _v) in registered.items()})
    await inserts.run(household_rows, person_rows, report)
    result = ImportReport(
        file_sha256=sha256,
        rows=len(table.rows),
        households_created=len(outcome.new_households),
        households_existing=outcome.existing_households,
        people_created=len(outcome.new_people),
        already_enrolled=outcome.already_enrolled,
        bad_rows=len({error.line for error in outcome.errors}),
        errors=outcome.errors,
    )
    if outcome.new_people:
        # One event per import, not per row: the file's hash ties it to the exact input.
        await audit.record(
            session,
            actor=actor,
            action="households.imported",
            subject_type="household_import",
            subject_id=sha256,
            region_code=_common_region(outcome),
            reason=filename,
            after=msgspec.structs.replace(result, errors=[]),
        )
    return result


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector over a synchronous bulk step.

    A million rows are a million new containers; each collection then walks the whole heap, which
    more than doubled reading and checking time. No await happens inside, so no other task runs
    while it is off, and these steps make no reference cycles.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _silent(_phase: str, _done: int, _total: int) -> None:
    return None


def _everywhere(_village_code: str) -> bool:
    return True


def _chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


async def _register_is_empty(session: AsyncSession) -> bool:
    """The first import into a new register (the 800,000-person case) needs no lookups at all."""
    return await session.scalar(select(Household.id).limit(1)) is None


async def _registered_households(session: AsyncSession, numbers: list[str]) -> dict[str, tuple[UUID, str]]:
    found: dict[str, tuple[UUID, str]] = {}
    if await _register_is_empty(session):
        return found
    for chunk in _chunks(numbers, LOOKUP_CHUNK):
        rows = await session.execute(
            select(Household.household_no, Household.id, Household.village_code).where(
                Household.household_no.in_(chunk)
            )
        )
        found.update((number, (household_id, village)) for number, household_id, village in rows if number)
    return found


async def _enrolled_people(session: AsyncSession, resident_ids: list[str]) -> dict[str, str | None]:
    found: dict[str, str | None] = {}
    if await _register_is_empty(session):
        return found
    for chunk in _chunks(resident_ids, LOOKUP_CHUNK):
        rows = await session.execute(
            select(Person.resident_id, Household.household_no)
            .join(Household, Person.household_id == Household.id)
            .where(Person.resident_id.in_(chunk))
        )
        found.update((resident_id, household_no) for resident_id, household_no in rows)
    return found


def _new_ids(count: int, to_driver: Callable[[UUID], Any]) -> list[Any]:
    """`count` random version-4 UUIDs in the driver's form, from one urandom call.

    uuid4() asks the OS once per id; and where the driver takes a UUID as its 16 bytes (SQLite),
    slices of the buffer are handed over instead of building UUID objects only to take them apart.
    """
    if not count:
        return []
    buffer = bytearray(os.urandom(16 * count))
    buffer[6::16] = bytes(byte & 0x0F | 0x40 for byte in buffer[6::16])  # version 4
    buffer[8::16] = bytes(byte & 0x3F | 0x80 for byte in buffer[8::16])  # RFC 4122 variant
    raw = bytes(buffer)
    slices = [raw[start : start + 16] for start in range(0, len(raw), 16)]
    if to_driver(UUID(bytes=slices[0])) == slices[0]:
        return slices
    return [to_driver(UUID(bytes=value)) for value in slices]


class _BulkInsert:
    """A Core INSERT compiled once and run as driver-level executemany over ready-made tuples.

    SQLAlchemy's own executemany re-processes every parameter of every row (UUID → bytes,
    datetime → text on SQLite), which cost more than SQLite's whole insert at 10⁶ rows. Here each
    column's bind processor — the same one SQLAlchemy would use — runs once per distinct value:
    once for the import's timestamp, once per new id.
    """

    def __init__(self, connection: AsyncConnection, table: Any, columns: Sequence[str]) -> None:
        dialect = connection.dialect
        compiled = insert(table).values({name: bindparam(name) for name in columns}).compile(dialect=dialect)
        self.connection = connection
        self.sql = str(compiled)
        self.columns = tuple(columns)
        self.positional = bool(compiled.positional) and tuple(compiled.positiontup or ()) == self.columns
        self.convert = {
            name: table.c[name].type.dialect_impl(dialect).bind_processor(dialect) or _same
            for name in columns
        }

    async def run(self, rows: Sequence[tuple[Any, ...]]) -> None:
        params = rows if self.positional else [dict(zip(self.columns, row, strict=True)) for row in rows]
        await self.connection.exec_driver_sql(self.sql, list(params))


def _same(value: Any) -> Any:
    return value


class _Inserts:
    """The import's two statements, the rows they write, and writing them in chunks."""

    def __init__(self, connection: AsyncConnection) -> None:
        self.households = _BulkInsert(connection, Household.__table__, _HOUSEHOLD_COLUMNS.split())
        self.people = _BulkInsert(connection, Person.__table__, _PERSON_COLUMNS.split())

    def rows(self, outcome: Plan, registered: dict[str, UUID]) -> tuple[list[Any], list[Any]]:
        to_id, to_time = self.households.convert["id"], self.households.convert["created_at"]
        now = to_time(clock.utcnow())
        new_ids = _new_ids(len(outcome.new_households) + len(outcome.new_people), to_id)
        household_ids = {number: to_id(household_id) for number, household_id in registered.items()}
        household_rows = []
        for draft, household_id in zip(outcome.new_households, new_ids, strict=False):
            household_ids[draft.household_no] = household_id
            row = (household_id, draft.village_code, draft.household_no, draft.address, draft.head_name)
            household_rows.append((*row, draft.phone, now, now, now))
        person_ids = new_ids[len(household_rows) :]
        person_rows = [
            (person_id, household_ids[p.household_no], p.name, p.resident_id, p.relation, None, now, now)
            for p, person_id in zip(outcome.new_people, person_ids, strict=True)
        ]
        return household_rows, person_rows

    async def run(self, household_rows: list[Any], person_rows: list[Any], report: Progress) -> None:
        total, done = len(household_rows) + len(person_rows), 0
        for statement, rows in ((self.households, household_rows), (self.people, person_rows)):
            for start in range(0, len(rows), INSERT_CHUNK):
                chunk = rows[start : start + INSERT_CHUNK]
                await statement.run(chunk)
                done += len(chunk)
                report("insert", done, total)


def _common_region(outcome: Plan) -> str | None:
    """The narrowest region holding every village the import touched, so auditors there see it."""
    first, last = min(outcome.villages, default=""), max(outcome.villages, default="")
    for length in REGION_CODE_LENGTHS:
        if len(first) >= length and first[:length] == last[:length]:
            return first[:length]
    return None
