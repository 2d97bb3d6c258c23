"""The premium import's bulk writer: new policy terms and payments as driver-level executemany.

Hand-written, not the repository's add_many, for the reason policies/imports/writer.py gives: the
city's 280,000 payments are measured by bench/premiums.py. It reuses that writer's compiled INSERT
(`BulkInsert`) and id generator, so there is one way to write rows in bulk. Terms already in the
register that take a payment are few (renewals awaiting their premium) and go through one ORM bulk
UPDATE by primary key.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from core import clock
from policies.domain import PolicyStatus
from policies.imports.premium_rules import PremiumPlan, Term
from policies.imports.writer import INSERT_CHUNK, BulkInsert, Progress, random_ids
from policies.models import Policy, PremiumPayment
from policies.premium_shares import Share

_POLICY_COLUMNS = [
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
    "created_at",
    "updated_at",
]
_PAYMENT_COLUMNS = [
    "id",
    "policy_id",
    "region_code",
    "payer",
    "amount_fen",
    "channel",
    "receipt_no",
    "paid_at",
    "collector",
    "share",  # a collection list pays the household's share only
    "created_at",
    "updated_at",
]


def policy_numbers(terms: list[tuple[str, date]]) -> list[str]:
    """`<program>-<start>-<12 hex>` for (program code, start) pairs, distinct within the batch.

    48 random bits, not POST's 32: a city's batch shares one program and often one start date,
    and 280,000 numbers drawn from 32 bits would collide.
    """
    numbers: list[str] = []
    taken: set[str] = set()
    prefixes: dict[tuple[str, date], str] = {}  # strftime per row cost more than the rest together
    for term, salt in zip(terms, _hex_salts(len(terms)), strict=True):
        prefix = prefixes.get(term) or prefixes.setdefault(term, f"{term[0]}-{term[1]:%Y%m%d}-")
        number = prefix + salt
        while number in taken:
            number = prefix + os.urandom(6).hex().upper()
        taken.add(number)
        numbers.append(number)
    return numbers


def _hex_salts(count: int) -> list[str]:
    raw = os.urandom(6 * count).hex().upper()
    return [raw[start : start + 12] for start in range(0, len(raw), 12)]


class _Cached:
    """A bind processor run once per distinct value (a batch has few distinct dates)."""

    def __init__(self, convert: Callable[[Any], Any]) -> None:
        self.convert, self.seen = convert, dict[Any, Any]()

    def __call__(self, value: Any) -> Any:
        found = self.seen.get(value)
        if found is None:
            found = self.seen[value] = self.convert(value)
        return found


class PaymentInserts:
    """The import's two statements, the rows they write, and writing them in chunks."""

    def __init__(self, connection: AsyncConnection) -> None:
        self.policies = BulkInsert(connection, Policy.__table__, _POLICY_COLUMNS)
        self.payments = BulkInsert(connection, PremiumPayment.__table__, _PAYMENT_COLUMNS)

    def rows(self, plan: PremiumPlan) -> tuple[list[Any], list[Any]]:
        convert = self.policies.convert
        to_id = convert["id"]
        now = convert["created_at"](clock.utcnow())
        day = _Cached(convert["starts_on"])
        paid_at = _Cached(lambda paid_on: convert["created_at"](clock.start_of_business_day(paid_on)))
        program_id = _Cached(to_id)
        new_ids = random_ids(len(plan.new_terms) + len(plan.payments), to_id)
        term_ids: dict[int, Any] = {}
        policy_rows = []
        numbers = policy_numbers([(term.program.code, term.starts_on) for term in plan.new_terms])
        for term, policy_id, number in zip(plan.new_terms, new_ids, numbers, strict=False):
            term_ids[id(term)] = policy_id
            active = now if term.status is PolicyStatus.ACTIVE else None
            policy_rows.append(
                (
                    policy_id,
                    number,
                    program_id(term.program.id),
                    to_id(term.household.id),
                    term.household.village_code,
                    day(term.starts_on),
                    day(term.ends_on),
                    term.status.value,
                    term.premium_due_fen,
                    term.premium_paid_fen,
                    active,
                    active,
                    now,
                    now,
                )
            )
        payment_rows = []
        for draft, payment_id in zip(plan.payments, new_ids[len(policy_rows) :], strict=True):
            term = draft.term
            policy_id = term_ids[id(term)] if term.id is None else to_id(term.id)
            payment_rows.append(
                (
                    payment_id,
                    policy_id,
                    term.household.village_code,
                    term.household.head_name,
                    draft.amount_fen,
                    draft.channel.value,
                    draft.receipt_no,
                    paid_at(draft.paid_on),
                    draft.collector,
                    Share.HOUSEHOLD.value,
                    now,
                    now,
                )
            )
        return policy_rows, payment_rows

    async def run(self, policy_rows: list[Any], payment_rows: list[Any], report: Progress) -> None:
        total, done = len(policy_rows) + len(payment_rows), 0
        for statement, rows in ((self.policies, policy_rows), (self.payments, payment_rows)):
            for start in range(0, len(rows), INSERT_CHUNK):
                chunk = rows[start : start + INSERT_CHUNK]
                await statement.run(chunk)
                done += len(chunk)
                report("insert", done, total)


async def settle_terms(session: AsyncSession, terms: list[Term]) -> None:
    """Terms in the register that took money: a row pays exactly what the household owes, so each
    is now active, or (co-funded) still idle awaiting a government share (premium_rules has already
    applied policies.domain.activate)."""
    now = clock.utcnow()
    active = [
        {
            "id": term.id,
            "premium_paid_fen": term.premium_paid_fen,
            "status": term.status.value,
            "activated_at": now,
            "status_changed_at": now,
            "updated_at": now,
        }
        for term in terms
        if term.status is PolicyStatus.ACTIVE
    ]
    waiting = [
        {"id": term.id, "premium_paid_fen": term.premium_paid_fen, "updated_at": now}
        for term in terms
        if term.status is not PolicyStatus.ACTIVE
    ]
    for changes in (active, waiting):
        for start in range(0, len(changes), INSERT_CHUNK):
            await session.execute(update(Policy), changes[start : start + INSERT_CHUNK])
