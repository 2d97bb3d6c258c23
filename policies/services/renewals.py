"""Bulk renewal: every household policy of a program whose term ends in a window (or a list of them)
gets its next term, idle until its premium is paid; and a district's blanket policy its next year.

One household's renewal is `policies.renew_policy`; this is the same rule (policies.domain.renew: only
an active policy is renewed; the next term starts the day this one ends, at the program's current
premium) for a city's 280,000 policies at once, measured by bench/premiums.py (`renew_seconds`). So the
new terms are written as one driver-level executemany (policies/imports/writer.py's `BulkInsert`),
the old ones marked renewed by one UPDATE per chunk, and the run is audited as one event.

A policy already renewed is counted and skipped, so running the same renewal twice changes nothing;
any other policy that cannot be renewed is reported with its number and reason, and the rest go on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import date
from functools import lru_cache
from typing import Any
from uuid import UUID

import msgspec
from sqlalchemy import ColumnElement, select, type_coerce, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.types import NullType, TypeDecorator

from core import audit, clock, scope
from core.auth import Principal
from core.views import from_row
from policies import domain
from policies.domain import Funding, PolicyStatus
from policies.errors import PolicyTransitionNotAllowed, WrongFunding
from policies.imports.premium_rules import term_end
from policies.imports.premium_writer import policy_numbers
from policies.imports.writer import INSERT_CHUNK, BulkInsert, random_ids
from policies.models import Policy, Program
from policies.premium_shares import PremiumBasis
from policies.schemas import PolicyView
from policies.services import policies
from policies.services.programs import get_program

_SUCCESSOR_COLUMNS = [
    "id",
    "number",
    "program_id",
    "household_id",
    "region_code",
    "starts_on",
    "ends_on",
    "status",
    "premium_due_fen",
    "premium_paid_fen",
    "activated_at",
    "status_changed_at",
    "renewed_from_id",
    "created_at",
    "updated_at",
]

Progress = Callable[[int, int], None]  # done, total


# Ids are read as the driver gives them (16 bytes on SQLite) and written back as they are: turning
# 560,000 of them into UUID objects and back cost more than SQLite's whole UPDATE.
class _DriverValue(TypeDecorator[Any]):
    """A column read and bound as the driver has it: no bind or result processing."""

    impl = NullType
    cache_ok = True


_RAW_ID = type_coerce(Policy.__table__.c.id, _DriverValue())
_RAW_HOUSEHOLD = type_coerce(Policy.__table__.c.household_id, _DriverValue())


class RenewalRefusal(msgspec.Struct, frozen=True):
    policy_number: str
    code: str
    message_zh: str
    message_en: str


class RenewalReport(msgspec.Struct, kw_only=True):
    policies_renewed: int
    already_renewed: int
    refused: list[RenewalRefusal]


async def renew_program(
    session: AsyncSession,
    *,
    actor: str,
    program_id: UUID,
    ends_from: date | None = None,
    ends_before: date | None = None,
    numbers: Sequence[str] = (),
    principal: Principal | None = None,
    progress: Progress | None = None,
) -> RenewalReport:
    """Renew the program's household policies ending in [ends_from, ends_before), or those numbered.

    principal: the caller over HTTP, who renews only policies in their regions; None: a trusted caller.
    """
    program = await get_program(session, program_id)
    if program.funding != Funding.HOUSEHOLD:
        raise WrongFunding("a blanket policy is renewed with the district's lump sum (renew_blanket)")
    if program.premium_basis != PremiumBasis.HOUSEHOLD:
        # The bulk writer prices every term alike; a per-resident term is renewed one by one.
        raise WrongFunding("a per-resident program is renewed policy by policy")
    filters: list[ColumnElement[bool]] = [Policy.program_id == program.id, Policy.household_id.is_not(None)]
    if numbers:
        filters.append(Policy.number.in_(sorted(set(numbers))))
    if ends_from is not None:
        filters.append(Policy.ends_on >= ends_from)
    if ends_before is not None:
        filters.append(Policy.ends_on < ends_before)
    if principal is not None:
        filters.append(scope.region_clause(principal, Policy.region_code))
    connection = await session.connection()  # Core, not ORM: the ORM would make the raw ids UUIDs again
    found = (
        await connection.execute(
            select(
                _RAW_ID.label("id"),
                Policy.number,
                _RAW_HOUSEHOLD.label("household_id"),
                Policy.region_code,
                Policy.status,
                Policy.ends_on,
            )
            .where(*filters)
            .order_by(Policy.number)
        )
    ).all()
    refused = [
        _refusal(
            number,
            "policy_not_found",
            "找不到该保单或无权续保",
            "No such policy of this program in your regions",
        )
        for number in sorted(set(numbers) - {row.number for row in found})
    ]
    later = await _later_terms(session, program, found)
    renewable, already = [], 0
    months = program.term_months
    for row in found:
        if row.status == PolicyStatus.RENEWED:
            already += 1
            continue
        try:
            # Statuses are few: a city's renewal asks the rule once per status, not once per policy.
            _may_renew(row.status)
        except PolicyTransitionNotAllowed as refusal:
            refused.append(_refusal(row.number, refusal.code, refusal.message_zh, refusal.message_en))
            continue
        if any(
            starts < term_end(row.ends_on, months) and ends > row.ends_on
            for starts, ends in later.get(row.household_id, ())
        ):
            refused.append(
                _refusal(row.number, "policy_overlaps", "下一期已有保单", "A later term already exists")
            )
            continue
        renewable.append(row)
    await _write(session, program, renewable, progress or _silent)
    report = RenewalReport(policies_renewed=len(renewable), already_renewed=already, refused=refused)
    if renewable:
        await audit.record(
            session,
            actor=actor,
            action="policies.renewed",
            subject_type="program",
            subject_id=program.id,
            region_code=program.region_code,
            after=msgspec.structs.replace(report, refused=[]),
        )
    return report


async def renew_blanket(
    session: AsyncSession, *, actor: str, program_id: UUID, lump_sum_fen: int | None
) -> Policy:
    """The district's next blanket term after its latest, for this year's lump sum (None: the program's)."""
    program = await get_program(session, program_id)
    if program.funding != Funding.DISTRICT:
        raise WrongFunding("only a district-funded program has a blanket policy")
    latest = await session.scalar(
        select(Policy.id)
        .where(Policy.program_id == program.id, Policy.household_id.is_(None))
        .order_by(Policy.ends_on.desc())
        .limit(1)
    )
    if latest is None:
        return await policies.issue_blanket_policy(session, actor=actor, program_id=program.id)
    successor = await policies.renew_policy(session, actor=actor, policy_id=latest)
    if lump_sum_fen is not None and lump_sum_fen != successor.premium_due_fen:
        before = from_row(successor, PolicyView)
        successor.premium_due_fen = lump_sum_fen
        await session.flush()
        await audit.record(
            session,
            actor=actor,
            action="policy.premium_set",
            subject_type="policy",
            subject_id=successor.id,
            region_code=successor.region_code,
            reason="this year's lump sum",
            before=before,
            after=from_row(successor, PolicyView),
        )
    return successor


@lru_cache(maxsize=8)
def _may_renew(status: str) -> PolicyStatus:
    return domain.renew(PolicyStatus(status))


def _refusal(number: str, code: str, zh: str, en: str) -> RenewalRefusal:
    return RenewalRefusal(number, code, zh, en)


def _silent(_done: int, _total: int) -> None:
    return None


def _chunks(items: Sequence[Any], size: int = INSERT_CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


async def _later_terms(
    session: AsyncSession, program: Program, found: Sequence[Any]
) -> dict[Any, list[tuple[date, date]]]:
    """The program's terms starting on or after the earliest end in `found`: what a renewal could hit."""
    earliest = min((row.ends_on for row in found), default=None)
    later: dict[Any, list[tuple[date, date]]] = {}
    if earliest is None:
        return later
    connection = await session.connection()
    rows = await connection.execute(
        select(_RAW_HOUSEHOLD, Policy.starts_on, Policy.ends_on).where(
            Policy.program_id == program.id, Policy.household_id.is_not(None), Policy.starts_on >= earliest
        )
    )
    for household_id, starts_on, ends_on in rows:
        later.setdefault(household_id, []).append((starts_on, ends_on))
    return later


async def _write(session: AsyncSession, program: Program, renewable: list[Any], progress: Progress) -> None:
    insert = BulkInsert(await session.connection(), Policy.__table__, _SUCCESSOR_COLUMNS)
    convert = insert.convert
    to_id, to_day = convert["id"], convert["starts_on"]
    now_value = clock.utcnow()
    now = convert["created_at"](now_value)
    # A program that charges nothing puts the next term in force at once, as policies._issue does.
    status = PolicyStatus.ACTIVE if program.premium_fen == 0 else PolicyStatus.IDLE
    activated = now if status is PolicyStatus.ACTIVE else None
    days: dict[date, Any] = {}

    def day(value: date) -> Any:
        if value not in days:
            days[value] = to_day(value)
        return days[value]

    code, months, premium_fen = program.code, program.term_months, program.premium_fen
    numbers = policy_numbers([(code, row.ends_on) for row in renewable])
    program_id, status_value = to_id(program.id), status.value
    rows = [
        (
            new_id,
            number,
            program_id,
            row.household_id,
            row.region_code,
            day(row.ends_on),
            day(term_end(row.ends_on, months)),
            status_value,
            premium_fen,
            0,
            activated,
            activated,
            row.id,
            now,
            now,
        )
        for row, new_id, number in zip(renewable, random_ids(len(renewable), to_id), numbers, strict=True)
    ]
    total = 2 * len(rows)
    for done, chunk in enumerate(_chunks(rows), start=1):
        await insert.run(chunk)
        progress(min(done * INSERT_CHUNK, len(rows)), total)
    for done, chunk in enumerate(_chunks([row.id for row in renewable]), start=1):
        await insert.connection.execute(
            update(Policy)
            .where(_RAW_ID.in_(chunk))
            .values(status=PolicyStatus.RENEWED.value, status_changed_at=now_value, updated_at=now_value)
            .execution_options(synchronize_session=False)
        )
        progress(len(rows) + min(done * INSERT_CHUNK, len(rows)), total)
