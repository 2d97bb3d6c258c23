"""The bulk import of households and their people: read → check → plan → insert in bulk → audit once.

`import_households` is the one entry point; the CLI command, the HTTP endpoint and bench/enroll.py
all call it. It runs in the caller's transaction, so a file that cannot be read, or any failure
part-way, leaves the database as it was; the caller's commit makes the whole import visible at once.
Columns and encodings: policies/imports/files.py; row rules and how a household with some bad rows
is treated: policies/imports/rules.py; the bulk INSERTs: policies/imports/writer.py.

Speed (280,000 households / 800,000 people, see bench/enroll.py): rows are checked in plain Python
against sets loaded once (villages; the file's already-registered households and people, skipped
outright for an empty register), and written by a compiled Core INSERT as driver-level executemany
in chunks of writer.INSERT_CHUNK rows inside the one transaction, never as ORM objects. What remains is
bound by SQLite's own B-tree work (random UUID keys, the unique resident-ID index), then by
reading (~2 s) and checking (~3 s) the 800,000 rows in Python.
"""

from __future__ import annotations

import gc
import hashlib
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from functools import partial
from typing import Any
from uuid import UUID

import msgspec
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core import audit, clock
from core.auth import Principal
from core.scope import covers
from policies.imports.files import read_table
from policies.imports.rules import Plan, RowError, check_rows, plan
from policies.imports.writer import Inserts, Progress
from policies.models import Household, Person, Region

LOOKUP_CHUNK = 5_000  # well under SQLite's and asyncpg's bound-parameter limits
REGION_CODE_LENGTHS = (12, 9, 6)


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
    principal: Principal | None = None,
    progress: Progress | None = None,
    today: date | None = None,
) -> ImportReport:
    """Import every good row of a CSV or XLSX file; report every bad one with its line and reason.

    principal: the caller over HTTP; rows of villages outside its scope are bad rows. None: a trusted
    caller (the CLI, the bench) imports anywhere.
    """
    report = progress or _silent
    sha256 = hashlib.sha256(data).hexdigest()
    with collector_paused():
        table = read_table(data, filename)
    villages = set(await session.scalars(select(Region.code).where(Region.level == "village")))
    in_scope: Callable[[str], bool] = partial(covers, principal) if principal is not None else _everywhere
    with collector_paused():
        checked = check_rows(table.rows, villages=villages, in_scope=in_scope, today=today or clock.today())
    report("check", len(table.rows), len(table.rows))
    registered = await _registered_households(session, list(checked.households))
    enrolled = await _enrolled_people(session, [person.resident_id for person in checked.people])
    inserts = Inserts(await session.connection())
    with collector_paused():
        outcome = plan(
            checked,
            existing_households={number: village for number, (_id, village) in registered.items()},
            existing_people=enrolled,
            in_scope=in_scope,
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
def collector_paused() -> Iterator[None]:
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


def _common_region(outcome: Plan) -> str | None:
    """The narrowest region holding every village the import touched, so auditors there see it."""
    first, last = min(outcome.villages, default=""), max(outcome.villages, default="")
    for length in REGION_CODE_LENGTHS:
        if len(first) >= length and first[:length] == last[:length]:
            return first[:length]
    return None
