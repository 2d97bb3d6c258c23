"""The premium collection import: read → look up once → plan row by row → insert in bulk → audit once.

`import_premiums` is the one entry point; `litestar anju import-premiums`, POST /imports/premiums and
bench/premiums.py call it. It runs in the caller's transaction, so a file that cannot be read, or any
failure part-way, leaves the database as it was. Columns: premium_files.py; what each row does and
why a row is bad: premium_rules.py; the bulk INSERTs: premium_writer.py.

Like the household import, one audit event records the whole file (its sha256 and its counts), not
one per policy: at 280,000 payments an event per row would cost more than the import itself.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from datetime import date
from functools import partial
from typing import Any, cast
from uuid import UUID

import msgspec
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from core import audit, clock
from core.auth import Principal
from core.scope import covers
from policies.domain import PolicyStatus, Relation
from policies.imports.premium_files import PaymentRow, read_collection_list
from policies.imports.premium_rules import (
    CHANNELS,
    KnownHousehold,
    ProgramSale,
    Receipt,
    Term,
    plan_payments,
)
from policies.imports.premium_writer import PaymentInserts, settle_terms
from policies.imports.rules import RowError
from policies.imports.services import collector_paused
from policies.imports.writer import Progress
from policies.models import Household, Person, Policy, PremiumPayment, Program
from policies.premium_shares import Share

LOOKUP_CHUNK = 5_000  # well under SQLite's and asyncpg's bound-parameter limits


class PremiumImportReport(msgspec.Struct, kw_only=True):
    file_sha256: str
    rows: int
    payments_recorded: int
    policies_created: int  # households enrolled by this file (a new idle term each)
    policies_activated: int  # terms paid in full by this file
    already_recorded: int  # rows whose receipt was recorded before: skipped, so a re-run is a no-op
    bad_rows: int
    errors: list[RowError]


async def import_premiums(
    session: AsyncSession,
    data: bytes,
    *,
    filename: str | None,
    actor: str,
    principal: Principal | None = None,
    progress: Progress | None = None,
    today: date | None = None,
) -> PremiumImportReport:
    """Record every good payment row of a collection list; report every bad one with its line and reason.

    principal: the caller over HTTP; households outside its villages are bad rows. None: a trusted
    caller (the CLI, the bench) imports anywhere.
    """
    report = progress or _silent
    sha256 = hashlib.sha256(data).hexdigest()
    with collector_paused():
        rows = read_collection_list(data, filename)
    by_no, by_head = await _households(session, rows)
    programs = await _programs(session, {row.program for row in rows})
    known = {h.id: h for h in (*by_no.values(), *by_head.values())}
    terms = await _terms(session, known, programs)
    receipts = await _receipts(session, rows)
    in_scope: Callable[[str], bool] = partial(covers, principal) if principal is not None else _everywhere
    with collector_paused():
        plan = plan_payments(
            rows,
            households_by_no=by_no,
            households_by_head=by_head,
            programs=programs,
            terms=terms,
            receipts=receipts,
            in_scope=in_scope,
            today=today or clock.today(),
        )
    report("check", len(rows), len(rows))
    inserts = PaymentInserts(await session.connection())
    with collector_paused():
        policy_rows, payment_rows = inserts.rows(plan)
    await inserts.run(policy_rows, payment_rows, report)
    await settle_terms(session, list(plan.paid_terms.values()))
    activated = [t for t in (*plan.new_terms, *plan.paid_terms.values()) if t.status is PolicyStatus.ACTIVE]
    result = PremiumImportReport(
        file_sha256=sha256,
        rows=len(rows),
        payments_recorded=len(plan.payments),
        policies_created=len(plan.new_terms),
        policies_activated=len(activated),
        already_recorded=plan.already_recorded,
        bad_rows=len(plan.errors),
        errors=plan.errors,
    )
    if plan.payments:
        await audit.record(
            session,
            actor=actor,
            action="premiums.imported",
            subject_type="premium_import",
            subject_id=sha256,
            region_code=common_region(plan.villages),
            reason=filename,
            after=msgspec.structs.replace(result, errors=[]),
        )
    return result


def common_region(villages: set[str]) -> str | None:
    """The narrowest region holding every village touched, so auditors there see the event."""
    first, last = min(villages, default=""), max(villages, default="")
    for length in (12, 9, 6):
        if len(first) >= length and first[:length] == last[:length]:
            return first[:length]
    return None


def _silent(_phase: str, _done: int, _total: int) -> None:
    return None


def _everywhere(_village_code: str) -> bool:
    return True


def _chunks(items: Sequence[Any], size: int = LOOKUP_CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


async def _households(
    session: AsyncSession, rows: list[PaymentRow]
) -> tuple[dict[str, KnownHousehold], dict[str, KnownHousehold]]:
    """The file's households by number, and by their head's resident ID for rows without a number."""
    columns = (Household.id, Household.village_code, Household.head_name)
    by_no: dict[str, KnownHousehold] = {}
    numbers = sorted({row.household_no for row in rows if row.household_no})
    for chunk in _chunks(numbers):
        found = await session.execute(
            select(Household.household_no, *columns).where(Household.household_no.in_(chunk))
        )
        by_no.update((no, KnownHousehold(i, village, head)) for no, i, village, head in found if no)
    by_head: dict[str, KnownHousehold] = {}
    heads = sorted({row.resident_id.upper() for row in rows if row.resident_id and not row.household_no})
    for chunk in _chunks(heads):
        heads_found = await session.execute(
            select(Person.resident_id, *columns)
            .join(Household, Person.household_id == Household.id)
            .where(Person.resident_id.in_(chunk), Person.relation == Relation.HEAD.value)
        )
        by_head.update((rid, KnownHousehold(i, village, head)) for rid, i, village, head in heads_found)
    return by_no, by_head


async def _programs(session: AsyncSession, codes: set[str]) -> dict[str, ProgramSale]:
    found = await session.execute(
        select(
            Program.id,
            Program.code,
            Program.funding,
            Program.region_code,
            Program.premium_fen,
            Program.term_months,
            Program.starts_on,
            Program.premium_basis,
            Program.household_share_bps,
            Program.district_share_bps,
            Program.township_share_bps,
        ).where(Program.code.in_(sorted(codes)))
    )
    return {row.code: ProgramSale(**row._asdict()) for row in found}


async def _terms(
    session: AsyncSession, households: dict[UUID, KnownHousehold], programs: dict[str, ProgramSale]
) -> dict[tuple[UUID, UUID], list[Term]]:
    """Every term the file's households hold in the file's programs (none to load for a new program)."""
    by_id = {program.id: program for program in programs.values()}
    held: dict[tuple[UUID, UUID], list[Term]] = defaultdict(list)
    if (
        not by_id
        or await session.scalar(select(Policy.id).where(Policy.program_id.in_(by_id)).limit(1)) is None
    ):
        return held
    columns = (
        Policy.household_id,
        Policy.program_id,
        Policy.starts_on,
        Policy.ends_on,
        Policy.status,
        Policy.premium_due_fen,
        Policy.premium_paid_fen,
        Policy.id,
        Policy.number,
    )
    for chunk in _chunks(sorted(households)):
        found = await session.execute(
            select(*columns).where(Policy.household_id.in_(chunk), Policy.program_id.in_(by_id))
        )
        for holder, program_id, starts_on, ends_on, status, due, paid, policy_id, number in found:
            household_id = cast(UUID, holder)  # the query asked for these households' terms only
            term = Term(
                households[household_id],
                by_id[program_id],
                starts_on,
                ends_on,
                PolicyStatus(status),
                due,
                paid,
            )
            term.id, term.number, term.household_paid_fen = policy_id, number, paid
            held[household_id, program_id].append(term)
    await _household_paid(session, [t for terms in held.values() for t in terms if t.program.co_funded])
    return held


async def _household_paid(session: AsyncSession, terms: list[Term]) -> None:
    """A co-funded term's household part of what is paid (a sum the repository does not do)."""
    by_id = {term.id: term for term in terms if term.premium_paid_fen}
    for chunk in _chunks(sorted(by_id, key=str)):
        found = await session.execute(
            select(PremiumPayment.policy_id, func.sum(PremiumPayment.amount_fen))
            .where(PremiumPayment.policy_id.in_(chunk), PremiumPayment.share != Share.HOUSEHOLD.value)
            .group_by(PremiumPayment.policy_id)
        )
        for policy_id, government_fen in found:
            term = by_id[policy_id]
            term.household_paid_fen = term.premium_paid_fen - int(government_fen)


async def _receipts(session: AsyncSession, rows: list[PaymentRow]) -> dict[tuple[str, str], Receipt]:
    """Payments already recorded under the file's receipt numbers, looked up channel by channel so
    the (channel, receipt_no) unique index serves each lookup."""
    wanted: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        channel = CHANNELS.get(row.channel) or CHANNELS.get(row.channel.lower())
        if channel is not None and row.receipt_no:
            wanted[channel.value].add(row.receipt_no)
    found: dict[tuple[str, str], Receipt] = {}
    if not wanted or await session.scalar(select(PremiumPayment.id).limit(1)) is None:
        return found
    for channel_name, numbers in wanted.items():
        for chunk in _chunks(sorted(numbers)):
            recorded = await session.execute(
                select(PremiumPayment.receipt_no, Policy.household_id, PremiumPayment.amount_fen)
                .join(Policy, PremiumPayment.policy_id == Policy.id)
                .where(PremiumPayment.channel == channel_name, PremiumPayment.receipt_no.in_(chunk))
            )
            found.update(
                ((channel_name, number), Receipt(cast(UUID, household), amount))
                for number, household, amount in recorded
            )
    return found
