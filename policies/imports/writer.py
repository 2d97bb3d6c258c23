"""The household import's bulk writer: two compiled Core INSERTs run as driver-level executemany.

Kept hand-written, not the repository's add_many: bench/enroll.py (280,000 households, 800,000
people) measures this path, and ORM objects or SQLAlchemy's own executemany cost several times more.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import Any
from uuid import UUID

from sqlalchemy import bindparam, insert
from sqlalchemy.ext.asyncio import AsyncConnection

from core import clock
from policies.imports.rules import Plan
from policies.models import Household, Person

INSERT_CHUNK = 25_000  # rows per executemany: the progress bar moves, and no driver call is huge

# Column order of the tuples `Inserts.rows` builds.
_HOUSEHOLD_COLUMNS = (
    "id village_code household_no address head_name phone registered_at created_at updated_at"
)
_PERSON_COLUMNS = "id household_id name resident_id relation phone created_at updated_at"

Progress = Callable[[str, int, int], None]  # phase ("check" | "insert"), done, total


def random_ids(count: int, to_driver: Callable[[UUID], Any]) -> list[Any]:
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


class BulkInsert:
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


class Inserts:
    """The import's two statements, the rows they write, and writing them in chunks."""

    def __init__(self, connection: AsyncConnection) -> None:
        self.households = BulkInsert(connection, Household.__table__, _HOUSEHOLD_COLUMNS.split())
        self.people = BulkInsert(connection, Person.__table__, _PERSON_COLUMNS.split())

    def rows(self, outcome: Plan, registered: dict[str, UUID]) -> tuple[list[Any], list[Any]]:
        to_id, to_time = self.households.convert["id"], self.households.convert["created_at"]
        now = to_time(clock.utcnow())
        new_ids = random_ids(len(outcome.new_households) + len(outcome.new_people), to_id)
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
